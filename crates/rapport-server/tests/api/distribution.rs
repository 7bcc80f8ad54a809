//! The API of distribution, on both backends.

use crate::helpers::TestApp;

pub async fn distribution_api(_app: TestApp) {}
