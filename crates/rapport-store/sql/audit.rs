//! The audit log read back: who changed what and when, filtered and paged: the statements.
//!
//! One statement per page: the filters, then the keyset condition "after
//! `k`, newest first" written as in the feedback lists (`at <= k.at AND (at
//! < k.at OR id < k.id)`), so that each filter's index ending in `(at, id)`
//! is read from `k.at` down and a deep page costs what the first does.

use crate::dialect::{Backend, Db};
use async_trait::async_trait;
use rapport_core::audit::{AuditFilter, ObjectMatch};
use rapport_core::Id;
use rapport_store::rows as s;
use rapport_store::{AuditEntry, Result, TimeKey};

#[async_trait]
impl rapport_store::AuditLog for Backend {
    async fn page_audit(
        &self,
        org: Id,
        filter: &AuditFilter,
        after: Option<&TimeKey>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        let mut qb =
            sqlx::QueryBuilder::<Db>::new("SELECT id, at, actor, action, subject FROM audit_log WHERE org_id = ");
        qb.push_bind(org);
        if let Some(actor) = &filter.actor {
            qb.push(" AND lower(actor) = ").push_bind(actor.clone());
        }
        match &filter.object {
            None => {}
            Some(ObjectMatch::Exact(subject)) => {
                qb.push(" AND subject = ").push_bind(subject.clone());
            }
            Some(ObjectMatch::Kind(kind)) => {
                // `kind:` up to `kind;` (';' follows ':' in byte order): every
                // subject beginning `kind:`, as one range of the index.
                qb.push(" AND (subject = ").push_bind(kind.clone());
                qb.push(" OR (subject >= ").push_bind(format!("{kind}:"));
                qb.push(" AND subject < ").push_bind(format!("{kind};")).push("))");
            }
        }
        if let Some(from) = filter.from {
            qb.push(" AND at >= ").push_bind(from);
        }
        if let Some(to) = filter.to {
            qb.push(" AND at < ").push_bind(to);
        }
        if let Some(k) = after {
            qb.push(" AND at <= ").push_bind(k.at);
            qb.push(" AND (at < ").push_bind(k.at).push(" OR id < ").push_bind(k.id).push(")");
        }
        qb.push(" ORDER BY at DESC, id DESC LIMIT ").push_bind(limit.max(0));
        let rows: Vec<s::AuditRow> = qb.build_query_as().fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}
