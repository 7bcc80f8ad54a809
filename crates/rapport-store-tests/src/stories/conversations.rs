//! Stories of conversations, on both backends.

use rapport_store::Store;

pub async fn conversations_story(_s: &dyn Store) {}
