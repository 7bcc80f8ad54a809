//! Stories of empathy, on both backends.

use rapport_store::Store;

pub async fn empathy_story(s: &dyn Store) {
    let _ = s;
}
