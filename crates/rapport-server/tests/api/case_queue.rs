//! The API of case queue, on both backends.

use crate::helpers::TestApp;

pub async fn case_queue_api(_app: TestApp) {}
