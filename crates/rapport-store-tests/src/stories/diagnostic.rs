//! Stories of diagnostic, on both backends.

use rapport_store::Store;

pub async fn diagnostic_story(s: &dyn Store) {
    let _ = s;
}
