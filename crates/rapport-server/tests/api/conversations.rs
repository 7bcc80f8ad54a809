//! The API of conversations, on both backends.

use crate::helpers::TestApp;

pub async fn conversations_api(_app: TestApp) {}
