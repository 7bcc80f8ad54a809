//! Stories of council, on both backends.

use rapport_store::Store;

pub async fn council_story(s: &dyn Store) {
    let _ = s;
}
