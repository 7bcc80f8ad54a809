//! A7. Perfect customer behaviours: the JSON API. Reading takes
//! `ReadProgram`, changing `EditPlan`. The rule and its rate are defined in
//! `rapport_core::plan::perfect_behaviour`; figures come from the counts
//! kept at write time (`measure::perfect_behaviour`).

use crate::api::extract::{bad_query, ApiJson, ApiPath};
use crate::api::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::measure::perfect_behaviour::{self as pb, BehaviourPoint};
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rapport_core::measure::Interval;
use rapport_core::plan::perfect_behaviour::{Base, BehaviourDraft, BehaviourPatch};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::perfect_behaviours::PerfectBehaviour;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_one, patch, delete)).routes(routes!(series))
}

/// A behaviour, with its rate over the last 90 days.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PerfectBehaviourView {
    pub id: Id,
    pub experience_id: Id,
    pub name: String,
    pub name_es: Option<String>,
    pub owner_id: Id,
    /// Target rate, in %.
    pub target: f64,
    pub event_type: String,
    pub touchpoint_id: Option<Id>,
    pub count: i64,
    pub window_days: Option<i64>,
    pub base: Base,
    /// The last 90 days, today included.
    pub current: BehaviourPoint,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub(crate) async fn view(s: &AppState, org: Id, b: PerfectBehaviour) -> Result<PerfectBehaviourView, AppError> {
    let today = Utc::now().date_naive();
    let current = pb::over(s.reads(), org, b.id, pb::recent(today, pb::CURRENT_DAYS)).await?;
    Ok(PerfectBehaviourView {
        id: b.id,
        experience_id: b.experience_id,
        name: b.name,
        name_es: b.name_es,
        owner_id: b.owner_id,
        target: b.target,
        event_type: b.rule.event_type,
        touchpoint_id: b.rule.touchpoint_id,
        count: b.rule.count,
        window_days: b.rule.window_days,
        base: b.rule.base,
        current,
        created_at: b.created_at,
        updated_at: b.updated_at,
    })
}

#[utoipa::path(get, path = "/api/v1/experiences/{id}/behaviours", tag = "behaviours",
    operation_id = "behaviours_list", params(("id" = i64, Path), PageParams),
    responses((status = 200, body = [PerfectBehaviourView]), (status = 403), (status = 404),
        (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
    ApiPath(experience): ApiPath<Id>,
) -> Result<Listed<PerfectBehaviourView>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    s.store.get_experience(p.org.id, experience).await?;
    // At most 50 per experience (BEHAVIOURS_MAX), read whole.
    let mut out = Vec::new();
    for b in s.store.list_behaviours(p.org.id, Some(experience)).await? {
        out.push(view(&s, p.org.id, b).await?);
    }
    paging.slice("behaviours", out, |b| b.id)
}

#[utoipa::path(post, path = "/api/v1/experiences/{id}/behaviours", tag = "behaviours",
    operation_id = "behaviours_create", params(("id" = i64, Path)), request_body = BehaviourDraft,
    responses((status = 201, body = PerfectBehaviourView), (status = 400, description = "malformed JSON"),
        (status = 403), (status = 404), (status = 409, description = "the experience holds 50 behaviours"),
        (status = 422, description = "a field is missing or out of range, or names another organization's row")))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(experience): ApiPath<Id>,
    d: Result<ApiJson<BehaviourDraft>, AppError>,
) -> Result<(StatusCode, Json<PerfectBehaviourView>), AppError> {
    p.require(Permission::EditPlan)?;
    s.store.list_behaviours(p.org.id, Some(experience)).await?;
    let ApiJson(d) = d?;
    let input = d.validate()?;
    let b = s.store.create_behaviour(p.org.id, experience, &input).await?;
    Ok((StatusCode::CREATED, Json(view(&s, p.org.id, b).await?)))
}

#[utoipa::path(get, path = "/api/v1/behaviours/{id}", tag = "behaviours", operation_id = "behaviours_get",
    params(("id" = i64, Path)), responses((status = 200, body = PerfectBehaviourView), (status = 403), (status = 404)))]
async fn get_one(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<PerfectBehaviourView>, AppError> {
    p.require(Permission::ReadProgram)?;
    let b = s.store.behaviour(p.org.id, id).await?;
    Ok(Json(view(&s, p.org.id, b).await?))
}

/// Changes some fields; a changed rule is counted afresh.
#[utoipa::path(patch, path = "/api/v1/behaviours/{id}", tag = "behaviours", operation_id = "behaviours_patch",
    params(("id" = i64, Path)), request_body = BehaviourPatch,
    responses((status = 200, body = PerfectBehaviourView), (status = 400, description = "malformed JSON"),
        (status = 403), (status = 404), (status = 422)))]
async fn patch(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    d: Result<ApiJson<BehaviourPatch>, AppError>,
) -> Result<Json<PerfectBehaviourView>, AppError> {
    p.require(Permission::EditPlan)?;
    let old = s.store.behaviour(p.org.id, id).await?;
    let ApiJson(d) = d?;
    let input = d.over(&old.input()).validate()?;
    let b = s.store.update_behaviour(p.org.id, id, &input).await?;
    Ok(Json(view(&s, p.org.id, b).await?))
}

#[utoipa::path(delete, path = "/api/v1/behaviours/{id}", tag = "behaviours", operation_id = "behaviours_delete",
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403), (status = 404),
        (status = 409, description = "an experience's goal names the behaviour")))]
async fn delete(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.delete_behaviour(p.org.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The range and buckets of a series: `month` (default) or `quarter`;
/// `from` defaults to a year before `to` (default today); at most ten years.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BehaviourSeriesQuery {
    /// `month` or `quarter`.
    pub interval: Option<String>,
    /// First day, YYYY-MM-DD.
    pub from: Option<NaiveDate>,
    /// Last day, YYYY-MM-DD.
    pub to: Option<NaiveDate>,
}

/// The longest series, in days.
const SERIES_MAX_DAYS: i64 = 3660;

fn range_of(q: BehaviourSeriesQuery) -> Result<(NaiveDate, NaiveDate, Interval), AppError> {
    let mut e = FieldErrors::new();
    let interval = match q.interval.as_deref() {
        None | Some("") | Some("month") => Interval::Month,
        Some("quarter") => Interval::Quarter,
        Some(_) => {
            e.add("interval", "invalid_choice", "must be month or quarter");
            Interval::Month
        }
    };
    let to = q.to.unwrap_or_else(|| Utc::now().date_naive());
    let from = q.from.unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year() - 1, to.month(), 1).unwrap_or(to));
    if from > to {
        e.add("from", "out_of_range", "must be on or before to");
    } else if (to - from).num_days() > SERIES_MAX_DAYS {
        e.add("from", "out_of_range", "a series covers at most ten years");
    }
    e.into_result((from, to, interval)).map_err(AppError::Invalid)
}

#[utoipa::path(get, path = "/api/v1/behaviours/{id}/series", tag = "behaviours", operation_id = "behaviours_series",
    params(("id" = i64, Path), BehaviourSeriesQuery),
    responses((status = 200, body = BehaviourSeries), (status = 400), (status = 403), (status = 404),
        (status = 422, description = "an unknown interval or a bad range")))]
async fn series(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    q: Result<Query<BehaviourSeriesQuery>, QueryRejection>,
) -> Result<Json<BehaviourSeries>, AppError> {
    p.require(Permission::ReadProgram)?;
    s.store.behaviour(p.org.id, id).await?;
    let Query(q) = q.map_err(bad_query)?;
    let (from, to, interval) = range_of(q)?;
    let points = pb::series(s.reads(), p.org.id, id, from, to, interval).await?;
    Ok(Json(BehaviourSeries { behaviour_id: id, from, to, points }))
}

/// A behaviour's series over a range: a report of at most ten years of
/// buckets, not a list to page through.
#[derive(Debug, Serialize, ToSchema)]
pub struct BehaviourSeries {
    pub behaviour_id: Id,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub points: Vec<BehaviourPoint>,
}
