//! Stories of gaps, on both backends.

use rapport_store::Store;

pub async fn gaps_story(s: &dyn Store) {
    let _ = s;
}
