//! The audit log (P4): who changed what and when, newest first, filtered by
//! actor, object and dates (`rapport_core::audit`), a page at a time like
//! every list (`api/page.rs`), so `?format=csv` exports it whole with the
//! same filters. Admins only (`ManageAccounts`): lines name accounts,
//! tokens and every object changed.

use super::super::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use chrono::{DateTime, Utc};
use rapport_core::audit::AuditDraft;
use rapport_core::role::Permission;
use rapport_core::Id;
use rapport_store::{AuditEntry, TimeKey};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The cursor's list name.
pub const LIST: &str = "audit";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Who made the change: an e-mail or `token:NAME`, whole, ignoring case.
    pub actor: Option<String>,
    /// What was changed: one object (`segment:12`), or every object of a
    /// kind (`segment` or `segment:`).
    pub object: Option<String>,
    /// From this day (`YYYY-MM-DD`, on the organization's calendar time
    /// zone) or instant (RFC 3339), included.
    pub from: Option<String>,
    /// To this day, included, or this instant, excluded.
    pub to: Option<String>,
}

impl AuditQuery {
    pub fn draft(&self) -> AuditDraft {
        AuditDraft {
            actor: self.actor.clone(),
            object: self.object.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }
}

/// List the audit trail, newest first: `id`, `at`, `actor`, `action`
/// (e.g. `segment.delete`) and `subject` (e.g. `segment:12`).
#[utoipa::path(get, path = "/api/v1/audit", tag = "organization", operation_id = "list_audit",
    params(AuditQuery, PageParams),
    responses((status = 200, body = [AuditLine]),
        (status = 422, description = "`actor`, `object`, `from`, `to`, `limit` or `after` is invalid")))]
async fn list_audit(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
    q: Result<Query<AuditQuery>, QueryRejection>,
) -> Result<Listed<AuditLine>, AppError> {
    p.require(Permission::ManageAccounts)?;
    let paging = paging?;
    let Query(q) = q.map_err(super::super::extract::bad_query)?;
    let time_zone = s.store.work_calendar(p.org.id).await?.time_zone;
    let filter = q.draft().validate(&time_zone)?;
    let after = paging.after::<TimeKey>(LIST)?;
    let lines = s.store.page_audit(p.org.id, &filter, after.as_ref(), paging.fetch()).await?;
    Ok(paging.page(LIST, lines, |l| TimeKey { at: l.at, id: l.id }).map(AuditLine::from))
}

/// One line of the audit trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditLine {
    pub id: Id,
    pub at: DateTime<Utc>,
    /// An e-mail, or `token:NAME`.
    pub actor: String,
    /// What was done, e.g. `segment.delete`.
    pub action: String,
    /// The object, e.g. `segment:12`.
    pub subject: String,
}

impl From<AuditEntry> for AuditLine {
    fn from(e: AuditEntry) -> Self {
        AuditLine { id: e.id, at: e.at, actor: e.actor, action: e.action, subject: e.subject }
    }
}
