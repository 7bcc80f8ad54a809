//! The API of gaps, on both backends.

use crate::helpers::TestApp;

pub async fn gaps_api(app: TestApp) {
    let _ = app;
}
