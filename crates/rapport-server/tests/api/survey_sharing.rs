//! The API of survey sharing, on both backends.

use crate::helpers::TestApp;

pub async fn survey_sharing_api(_app: TestApp) {}
