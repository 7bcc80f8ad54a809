//! The API of empathy, on both backends.

use crate::helpers::TestApp;

pub async fn empathy_api(app: TestApp) {
    let _ = app;
}
