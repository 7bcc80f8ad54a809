//! The audit log read back: who changed what and when, filtered and paged: the statements.

use crate::dialect::Backend;
use async_trait::async_trait;

#[async_trait]
impl rapport_store::AuditLog for Backend {}
