//! Stories of recognition (E. People), on both backends.

use rapport_store::Store;

pub async fn recognition_story(_s: &dyn Store) {}
