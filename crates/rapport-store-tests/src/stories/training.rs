//! Stories of training (E. People), on both backends.

use rapport_store::Store;

pub async fn training_story(_s: &dyn Store) {}
