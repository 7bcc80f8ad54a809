//! Stories of staffing (E. People), on both backends.

use rapport_store::Store;

pub async fn staffing_story(_s: &dyn Store) {}
