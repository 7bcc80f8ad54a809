//! The API of knowledge (E. People), on both backends.

use crate::helpers::TestApp;

pub async fn knowledge_api(_app: TestApp) {}
