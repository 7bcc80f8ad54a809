//! The API of staffing (E. People), on both backends.

use crate::helpers::TestApp;

pub async fn staffing_api(_app: TestApp) {}
