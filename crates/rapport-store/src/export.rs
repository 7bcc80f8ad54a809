//! Whole tables of one organization read out in order, for `rapport export`
//! (P6).

use async_trait::async_trait;

#[async_trait]
pub trait TableExport: Send + Sync {}
