//! Stories of distribution, on both backends.

use rapport_store::Store;

pub async fn distribution_story(_s: &dyn Store) {}
