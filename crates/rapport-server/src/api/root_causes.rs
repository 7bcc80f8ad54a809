//! Root causes: the editable taxonomy and the report of what keeps going
//! wrong (closed cases by category over a period, with the period before,
//! trend, touchpoints, money lost to refunds and cancellations).

use super::extract::{ApiJson, ApiPath};
use super::page::{name_key, Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{Duration, NaiveDate, Utc};
use rapport_core::case::root_cause::{report, ReportRow, RootCause, RootCauseDraft};
use rapport_core::measure::Interval;
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_report)).routes(routes!(update, delete))
}

/// Root causes by name, a page at a time.
#[utoipa::path(get, path = "/api/v1/root-causes", tag = "cases", operation_id = "list_root_causes", params(PageParams),
    responses((status = 200, body = [RootCause]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<RootCause>, AppError> {
    p.require(Permission::ReadProgram)?;
    paging?.slice("root_causes", s.store.list_root_causes(p.org.id).await?, |x| name_key(&x.name, x.id))
}

#[utoipa::path(post, path = "/api/v1/root-causes", tag = "cases", operation_id = "create_root_cause", request_body = RootCauseDraft,
    responses((status = 201, body = RootCause), (status = 409), (status = 422)))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(d): ApiJson<RootCauseDraft>,
) -> Result<(StatusCode, Json<RootCause>), AppError> {
    p.require(Permission::EditPlan)?;
    let input = d.validate()?;
    Ok((StatusCode::CREATED, Json(s.store.create_root_cause(p.org.id, &input).await?)))
}

#[utoipa::path(put, path = "/api/v1/root-causes/{id}", tag = "cases", operation_id = "update_root_cause",
    params(("id" = i64, Path)), request_body = RootCauseDraft, responses((status = 200, body = RootCause), (status = 404), (status = 409), (status = 422)))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(d): ApiJson<RootCauseDraft>,
) -> Result<Json<RootCause>, AppError> {
    p.require(Permission::EditPlan)?;
    if !s.store.list_root_causes(p.org.id).await?.iter().any(|r| r.id == id) {
        return Err(AppError::NotFound);
    }
    let input = d.validate()?;
    Ok(Json(s.store.update_root_cause(p.org.id, id, &input).await?))
}

/// `409` while cases name it.
#[utoipa::path(delete, path = "/api/v1/root-causes/{id}", tag = "cases", operation_id = "delete_root_cause",
    params(("id" = i64, Path)), responses((status = 204), (status = 404), (status = 409)))]
async fn delete(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.delete_root_cause(p.org.id, id, &p.audit("root_cause.delete", format!("root_cause:{id}"))).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// First day (YYYY-MM-DD, UTC); default 89 days before `to`.
    from: Option<String>,
    /// Last day, included; default today.
    to: Option<String>,
    /// Trend buckets: day, week (default), month, quarter or year.
    interval: Option<String>,
}

/// The most frequent root causes of cases closed in the period.
#[utoipa::path(get, path = "/api/v1/root-causes/report", tag = "cases", operation_id = "root_cause_report", params(ReportParams),
    responses((status = 200, body = [ReportRow]), (status = 422)))]
async fn get_report(
    State(s): State<AppState>,
    p: Principal,
    q: Result<Query<ReportParams>, QueryRejection>,
) -> Result<Json<Vec<ReportRow>>, AppError> {
    p.require(Permission::ReadProgram)?;
    let Query(q) = q.map_err(super::extract::bad_query)?;
    let (from, to, interval) = period(&q, Utc::now().date_naive())?;
    Ok(Json(root_cause_report(&s, p.org.id, from, to, interval).await?))
}

/// The report over `from..=to`, read from the read store (the read replica,
/// if any; the taxonomy's own routes use the primary).
pub async fn root_cause_report(
    s: &AppState,
    org: Id,
    from: NaiveDate,
    to: NaiveDate,
    interval: Interval,
) -> Result<Vec<ReportRow>, AppError> {
    let length = (to - from).num_days() + 1;
    let start = (from - Duration::days(length)).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let end = (to + Duration::days(1)).and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let store = s.reads();
    let closed = store.closed_cases(org, start, end).await?;
    let causes = store.list_root_causes(org).await?;
    Ok(report(&causes, &closed, from, to, interval))
}

fn period(q: &ReportParams, today: NaiveDate) -> Result<(NaiveDate, NaiveDate, Interval), AppError> {
    let mut e = FieldErrors::new();
    let mut day = |field: &str, v: &Option<String>| match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map_err(|_| e.add(field, "invalid", "must be a date YYYY-MM-DD"))
            .ok(),
    };
    let to = day("to", &q.to).unwrap_or(today);
    let from = day("from", &q.from).unwrap_or(to - Duration::days(89));
    let interval = match q.interval.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Interval::Week,
        Some(v) => Interval::parse(v).unwrap_or_else(|| {
            e.add("interval", "invalid", "must be day, week, month, quarter or year");
            Interval::Week
        }),
    };
    if from > to {
        e.add("from", "after_to", "must not be after `to`");
    } else if (to - from).num_days() > 3660 {
        e.add("from", "too_long", "the period may span at most ten years");
    }
    Ok(e.into_result((from, to, interval))?)
}
