//! The API of council, on both backends.

use crate::helpers::TestApp;

pub async fn council_api(app: TestApp) {
    let _ = app;
}
