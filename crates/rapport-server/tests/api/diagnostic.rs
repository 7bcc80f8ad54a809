//! The API of diagnostic, on both backends.

use crate::helpers::TestApp;

pub async fn diagnostic_api(app: TestApp) {
    let _ = app;
}
