//! The case queue's writes and figures (D1/D2): bulk changes to several
//! cases, a case's priority and tags, and the closed-loop figures.
//! Changing cases needs `WorkCases`; the figures `ReadProgram`.

use super::cases::{now, CaseView};
use super::extract::{ApiJson, ApiPath};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use rapport_core::case::closed_loop::{report, ClosedLoopReport};
use rapport_core::case::triage::{tags, Priority};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::{CaseBulkChange, CaseTriageChange};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The most cases one bulk change names.
pub const MAX_BULK: usize = 500;
/// The longest period of the figures, in days.
const MAX_DAYS: i64 = 731;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(bulk)).routes(routes!(triage)).routes(routes!(closed_loop))
}

/// One change for several cases.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CaseBulkBody {
    /// The cases (1 to 500), all open cases of the organization.
    pub ids: Option<Vec<Id>>,
    /// Give them all to this person.
    pub assignee_id: Option<Id>,
    /// low, normal, high or urgent.
    pub priority: Option<String>,
    /// Tags added to each case's own.
    pub add_tags: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseBulkResult {
    /// The cases something changed on, in the order given.
    pub changed: Vec<Id>,
}

/// Assign several cases to a person, and/or set their priority, and/or add
/// tags: all of them or none (an unknown or closed id is a 422 on `ids`
/// and nothing changes).
#[utoipa::path(post, path = "/api/v1/cases/bulk", tag = "cases", operation_id = "bulk_update_cases",
    request_body = CaseBulkBody, responses((status = 200, body = CaseBulkResult), (status = 403), (status = 422, description = "`ids`, `assignee_id`, `priority` or `add_tags` is invalid")))]
async fn bulk(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(b): ApiJson<CaseBulkBody>,
) -> Result<Json<CaseBulkResult>, AppError> {
    p.require(Permission::WorkCases)?;
    let mut e = FieldErrors::new();
    let ids = b.ids.unwrap_or_default();
    if ids.is_empty() {
        e.add("ids", "required", "name at least one case");
    } else if ids.len() > MAX_BULK {
        e.add("ids", "too_many", format!("at most {MAX_BULK} cases at once"));
    }
    let priority = Priority::field(&mut e, "priority", b.priority.as_deref());
    let add_tags = tags(&mut e, "add_tags", b.add_tags.as_deref().unwrap_or_default());
    if b.assignee_id.is_none() && priority.is_none() && add_tags.is_empty() && e.is_empty() {
        e.add("assignee_id", "required", "give an assignee, a priority or tags to add");
    }
    let change = e.into_result(CaseBulkChange { assignee: b.assignee_id, priority, add_tags })?;
    let changed = s.store.bulk_update_cases(p.org.id, &ids, &change, &p.actor, now()).await?;
    s.outbox_wake.notify_one();
    Ok(Json(CaseBulkResult { changed }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CaseTriageBody {
    /// low, normal, high or urgent; absent: unchanged.
    pub priority: Option<String>,
    /// The case's whole set of tags (at most 10, each at most 32
    /// characters); absent: unchanged.
    pub tags: Option<Vec<String>>,
}

/// Set a case's priority and tags (each change recorded in its history).
#[utoipa::path(put, path = "/api/v1/cases/{id}/triage", tag = "cases", operation_id = "set_case_triage",
    params(("id" = i64, Path)), request_body = CaseTriageBody,
    responses((status = 200, body = CaseView), (status = 403), (status = 404), (status = 409, description = "the case is closed"), (status = 422)))]
async fn triage(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<CaseTriageBody>,
) -> Result<Json<CaseView>, AppError> {
    p.require(Permission::WorkCases)?;
    s.store.get_case(p.org.id, id).await?;
    let mut e = FieldErrors::new();
    let priority = Priority::field(&mut e, "priority", b.priority.as_deref());
    let tags = b.tags.as_deref().map(|t| tags(&mut e, "tags", t));
    let change = e.into_result(CaseTriageChange { priority, tags })?;
    Ok(Json(CaseView::of(s.store.set_case_triage(p.org.id, id, &change, &p.actor, now()).await?)))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClosedLoopParams {
    /// First day (YYYY-MM-DD, UTC) of the cases opened; 89 days before `to` when absent.
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD, UTC); today when absent.
    pub to: Option<String>,
}

/// The closed-loop figures of a period, overall, per touchpoint and per agent.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClosedLoopAnswer {
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub to: NaiveDate,
    #[serde(flatten)]
    pub report: ClosedLoopReport,
}

fn day(e: &mut FieldErrors, field: &str, v: Option<&str>) -> Option<NaiveDate> {
    let v = v.map(str::trim).filter(|v| !v.is_empty())?;
    NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| e.add(field, "invalid", "must be a date YYYY-MM-DD")).ok()
}

impl ClosedLoopParams {
    pub fn days(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), FieldErrors> {
        let mut e = FieldErrors::new();
        let to = day(&mut e, "to", self.to.as_deref()).unwrap_or(today);
        let from = day(&mut e, "from", self.from.as_deref()).unwrap_or(to - Duration::days(89));
        if from > to {
            e.add("from", "out_of_range", "must not be after `to`");
        } else if (to - from).num_days() > MAX_DAYS {
            e.add("from", "out_of_range", "the period may cover at most two years");
        }
        e.into_result((from, to))
    }
}

/// The figures of the cases opened on the days `from..=to` (UTC).
pub async fn figures(
    store: &dyn rapport_store::Store,
    org: Id,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<ClosedLoopAnswer, AppError> {
    let start = from.and_time(NaiveTime::MIN).and_utc();
    let end = (to + Duration::days(1)).and_time(NaiveTime::MIN).and_utc();
    let counts = store.closed_loop_counts(org, start, end, Utc::now()).await?;
    Ok(ClosedLoopAnswer { from, to, report: report(&counts) })
}

/// Closed-loop rate (detractor cases answered within the first-response
/// promise, of those whose promise is decided), the share within promise
/// and the median time to first response, for the cases opened in the
/// period: overall, per touchpoint and per agent (see the README for each
/// figure's definition).
#[utoipa::path(get, path = "/api/v1/cases/closed-loop", tag = "cases", operation_id = "case_closed_loop",
    params(ClosedLoopParams), responses((status = 200, body = ClosedLoopAnswer), (status = 403), (status = 422, description = "`from` or `to` is invalid")))]
async fn closed_loop(
    State(s): State<AppState>,
    p: Principal,
    q: Result<Query<ClosedLoopParams>, QueryRejection>,
) -> Result<Json<ClosedLoopAnswer>, AppError> {
    p.require(Permission::ReadProgram)?;
    let Query(q) = q.map_err(super::extract::bad_query)?;
    let (from, to) = q.days(Utc::now().date_naive())?;
    Ok(Json(figures(s.store.as_ref(), p.org.id, from, to).await?))
}
