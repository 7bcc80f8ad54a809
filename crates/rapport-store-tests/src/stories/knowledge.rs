//! Stories of knowledge (E. People), on both backends.

use rapport_store::Store;

pub async fn knowledge_story(_s: &dyn Store) {}
