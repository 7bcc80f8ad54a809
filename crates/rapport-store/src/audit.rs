//! The audit log read back: who changed what and when, filtered and paged (P4).

use async_trait::async_trait;

#[async_trait]
pub trait AuditLog: Send + Sync {}
