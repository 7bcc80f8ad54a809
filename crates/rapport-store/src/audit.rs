//! The audit log read back: who changed what and when, filtered and paged (P4).
//!
//! Lines are read newest first, by `(at, id)`, a page at a time after a
//! keyset cursor ([`TimeKey`]). Each filter has an index ending in
//! `(at, id)` (migration 0019): by actor (`lower(actor)`), by subject, by
//! time alone. A kind of object (`segment`) is a range of the subject
//! index (byte order: the PostgreSQL column is collated "C"), then sorted.

use crate::error::Result;
use crate::listening::TimeKey;
use crate::AuditEntry;
use async_trait::async_trait;
use rapport_core::audit::AuditFilter;
use rapport_core::Id;

#[async_trait]
pub trait AuditLog: Send + Sync {
    /// At most `limit` lines matching `filter`, newest first, after `after`.
    async fn page_audit(
        &self,
        org: Id,
        filter: &AuditFilter,
        after: Option<&TimeKey>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>>;
}
