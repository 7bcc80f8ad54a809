//! E1. Training modules on the intent statement and how to deliver it,
//! assigned by role, department or touchpoint, with short quizzes.

use async_trait::async_trait;

#[async_trait]
pub trait Training: Send + Sync {}
