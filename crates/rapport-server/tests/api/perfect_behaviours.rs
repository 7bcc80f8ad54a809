//! The API of perfect behaviours, on both backends.

use crate::helpers::TestApp;

pub async fn perfect_behaviours_api(app: TestApp) {
    let _ = app;
}
