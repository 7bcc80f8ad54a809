//! The API of training (E. People), on both backends.

use crate::helpers::TestApp;

pub async fn training_api(_app: TestApp) {}
