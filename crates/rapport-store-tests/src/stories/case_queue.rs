//! Stories of case queue, on both backends.

use rapport_store::Store;

pub async fn case_queue_story(_s: &dyn Store) {}
