//! Stories of perfect behaviours, on both backends.

use rapport_store::Store;

pub async fn perfect_behaviours_story(s: &dyn Store) {
    let _ = s;
}
