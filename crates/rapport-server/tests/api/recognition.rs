//! The API of recognition (E. People), on both backends.

use crate::helpers::TestApp;

pub async fn recognition_api(_app: TestApp) {}
