//! E5. Contact-centre staffing (Erlang C): the calculator, and per contact
//! channel (a touchpoint with staffing targets) its targets, its schedule
//! and the week of agents needed beside agents scheduled.
//!
//! Everyone who reads the program computes and reads; changing a
//! channel's targets or schedule takes `PlanStaffing`. The week reads the
//! hourly rollup of events (`event_hours`), never the events.

use crate::api::extract::{bad_query, ApiJson, ApiPath};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Duration, DurationRound, Utc};
use rapport_core::people::staffing::{
    self as st, ErlangC, ErlangCDraft, ScheduleCell, Targets, TargetsDraft, WeekGrid, WeekHour, HOURS, WEEKDAYS,
};
use rapport_core::role::Permission;
use rapport_core::Id;
use rapport_store::Store;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(erlang_c))
        .routes(routes!(get_settings, put_settings, delete_settings))
        .routes(routes!(get_schedule, put_schedule))
        .routes(routes!(week))
        .routes(routes!(week_csv))
}

/// Agents needed for a contact channel's traffic, with the service at
/// N−2 … N+2 agents. Any reader of the program may compute.
#[utoipa::path(post, path = "/api/v1/staffing/erlang-c", tag = "staffing", operation_id = "staffing_erlang_c",
    request_body = ErlangCDraft,
    responses((status = 200, body = ErlangC), (status = 400, description = "malformed JSON"),
        (status = 422, description = "a figure is missing, out of range, or its service level cannot be reached")))]
async fn erlang_c(p: Principal, ApiJson(d): ApiJson<ErlangCDraft>) -> Result<Json<ErlangC>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(st::calculate(&d)?))
}

/// A touchpoint's staffing targets; `contact_channel` is false (and
/// `targets` null) until someone sets them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffingSettings {
    pub touchpoint_id: Id,
    pub contact_channel: bool,
    pub targets: Option<Targets>,
    pub updated_at: Option<DateTime<Utc>>,
}

pub(crate) async fn settings_of(store: &dyn Store, org: Id, tp: Id) -> Result<StaffingSettings, AppError> {
    let c = store.staffing_settings(org, tp).await?;
    Ok(StaffingSettings {
        touchpoint_id: tp,
        contact_channel: c.is_some(),
        targets: c.map(|c| c.targets),
        updated_at: c.map(|c| c.updated_at),
    })
}

#[utoipa::path(get, path = "/api/v1/staffing/touchpoints/{touchpoint_id}/settings", tag = "staffing",
    operation_id = "staffing_get_settings", params(("touchpoint_id" = i64, Path)),
    responses((status = 200, body = StaffingSettings), (status = 404)))]
async fn get_settings(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(tp): ApiPath<Id>,
) -> Result<Json<StaffingSettings>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(settings_of(s.store.as_ref(), p.org.id, tp).await?))
}

/// Makes the touchpoint a contact channel with these targets, or changes
/// them. A service level of 1 is refused as unreachable.
#[utoipa::path(put, path = "/api/v1/staffing/touchpoints/{touchpoint_id}/settings", tag = "staffing",
    operation_id = "staffing_put_settings", params(("touchpoint_id" = i64, Path)), request_body = TargetsDraft,
    responses((status = 200, body = StaffingSettings), (status = 400, description = "malformed JSON"), (status = 403),
        (status = 404), (status = 422)))]
async fn put_settings(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(tp): ApiPath<Id>,
    d: Result<ApiJson<TargetsDraft>, AppError>,
) -> Result<Json<StaffingSettings>, AppError> {
    p.require(Permission::PlanStaffing)?;
    s.store.staffing_settings(p.org.id, tp).await?;
    let ApiJson(d) = d?;
    let t = d.validate()?;
    s.store.put_staffing_settings(p.org.id, tp, &t).await?;
    Ok(Json(settings_of(s.store.as_ref(), p.org.id, tp).await?))
}

/// The touchpoint stops being a contact channel; its schedule goes too.
#[utoipa::path(delete, path = "/api/v1/staffing/touchpoints/{touchpoint_id}/settings", tag = "staffing",
    operation_id = "staffing_delete_settings", params(("touchpoint_id" = i64, Path)),
    responses((status = 204), (status = 403), (status = 404, description = "no such touchpoint, or not a contact channel")))]
async fn delete_settings(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(tp): ApiPath<Id>,
) -> Result<StatusCode, AppError> {
    p.require(Permission::PlanStaffing)?;
    s.store.delete_staffing_settings(p.org.id, tp).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Agents scheduled per weekday (0 = Monday) and hour (0–23, the
/// organization's time zone): all 168 cells.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffingSchedule {
    pub touchpoint_id: Id,
    pub cells: Vec<ScheduleCell>,
}

/// A whole schedule: at most 168 cells; a cell left out is 0 agents.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StaffingScheduleRequest {
    #[schema(max_items = 168)]
    pub cells: Vec<ScheduleCell>,
}

fn cells(grid: &WeekGrid) -> Vec<ScheduleCell> {
    (0..WEEKDAYS)
        .flat_map(|d| {
            (0..HOURS).map(move |h| ScheduleCell { weekday: d as i64, hour: h as i64, agents: grid[d][h] as i64 })
        })
        .collect()
}

#[utoipa::path(get, path = "/api/v1/staffing/touchpoints/{touchpoint_id}/schedule", tag = "staffing",
    operation_id = "staffing_get_schedule", params(("touchpoint_id" = i64, Path)),
    responses((status = 200, body = StaffingSchedule), (status = 404)))]
async fn get_schedule(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(tp): ApiPath<Id>,
) -> Result<Json<StaffingSchedule>, AppError> {
    p.require(Permission::ReadProgram)?;
    let grid = s.store.staffing_schedule(p.org.id, tp).await?;
    Ok(Json(StaffingSchedule { touchpoint_id: tp, cells: cells(&grid) }))
}

/// Replaces the whole schedule.
#[utoipa::path(put, path = "/api/v1/staffing/touchpoints/{touchpoint_id}/schedule", tag = "staffing",
    operation_id = "staffing_put_schedule", params(("touchpoint_id" = i64, Path)), request_body = StaffingScheduleRequest,
    responses((status = 200, body = StaffingSchedule), (status = 400, description = "malformed JSON"), (status = 403),
        (status = 404), (status = 422)))]
async fn put_schedule(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(tp): ApiPath<Id>,
    b: Result<ApiJson<StaffingScheduleRequest>, AppError>,
) -> Result<Json<StaffingSchedule>, AppError> {
    // Who and which touchpoint first: a refused caller learns nothing of the body.
    p.require(Permission::PlanStaffing)?;
    s.store.staffing_schedule(p.org.id, tp).await?;
    let ApiJson(b) = b?;
    let grid = st::schedule_grid(&b.cells)?;
    s.store.put_staffing_schedule(p.org.id, tp, &grid).await?;
    Ok(Json(StaffingSchedule { touchpoint_id: tp, cells: cells(&grid) }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekQuery {
    /// Weeks of history averaged, 1 to 26 (default 4).
    #[param(minimum = 1, maximum = 26)]
    pub weeks: Option<i64>,
}

/// The week of a touchpoint: for each weekday and hour (the organization's
/// time zone) the average contacts over the last `weeks` weeks, the agents
/// needed (raw and scheduled) with the channel's targets, the agents
/// scheduled and the shortfall. Without targets (`contact_channel` false)
/// the agents needed are 0.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffingWeek {
    pub touchpoint_id: Id,
    pub contact_channel: bool,
    pub targets: Option<Targets>,
    pub weeks: u32,
    pub time_zone: String,
    /// The hours averaged: `[from, to)`, `to` being the start of the
    /// current hour.
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// 168 hours, Monday 00:00 first.
    pub hours: Vec<WeekHour>,
    /// Hours where fewer agents are scheduled than needed.
    pub shortfall_hours: u32,
}

/// Builds the week from the hourly rollup (shared by the page).
pub(crate) async fn load_week(
    store: &dyn Store,
    org: Id,
    tp: Id,
    weeks: u32,
    now: DateTime<Utc>,
) -> Result<StaffingWeek, AppError> {
    let settings = store.staffing_settings(org, tp).await?;
    let schedule = store.staffing_schedule(org, tp).await?;
    let time_zone = store.work_calendar(org).await?.time_zone;
    let to = now.duration_trunc(Duration::hours(1)).unwrap_or(now);
    let from = to - Duration::weeks(weeks as i64);
    let hours = store.event_hours(org, Some(tp), from, to).await?;
    let counts = st::week_counts(hours.iter().map(|h| (h.hour_start, h.n)), &time_zone);
    let targets = settings.map(|c| c.targets);
    let hours = match &targets {
        Some(t) => st::week(&counts, weeks, t, &schedule),
        None => st::week(&counts, weeks, &NO_NEED, &schedule)
            .into_iter()
            .map(|h| WeekHour { needed_raw: 0, needed: 0, shortfall: 0, ..h })
            .collect(),
    };
    let shortfall_hours = hours.iter().filter(|h| h.shortfall > 0).count() as u32;
    Ok(StaffingWeek {
        touchpoint_id: tp,
        contact_channel: targets.is_some(),
        targets,
        weeks,
        time_zone,
        from,
        to,
        hours,
        shortfall_hours,
    })
}

/// Placeholder targets for a touchpoint without any (its needs are then
/// shown as 0).
const NO_NEED: Targets =
    Targets { handle_seconds: 1.0, service_level: 0.5, answer_seconds: 0.0, shrinkage: 0.0, max_occupancy: 1.0 };

fn weeks_of(q: Result<Query<WeekQuery>, QueryRejection>) -> Result<u32, AppError> {
    let Query(q) = q.map_err(bad_query)?;
    Ok(st::weeks(q.weeks)?)
}

#[utoipa::path(get, path = "/api/v1/staffing/touchpoints/{touchpoint_id}/week", tag = "staffing",
    operation_id = "staffing_week", params(("touchpoint_id" = i64, Path), WeekQuery),
    responses((status = 200, body = StaffingWeek), (status = 404), (status = 422, description = "`weeks` out of range")))]
async fn week(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(tp): ApiPath<Id>,
    q: Result<Query<WeekQuery>, QueryRejection>,
) -> Result<Json<StaffingWeek>, AppError> {
    p.require(Permission::ReadProgram)?;
    let weeks = weeks_of(q)?;
    Ok(Json(load_week(s.store.as_ref(), p.org.id, tp, weeks, Utc::now()).await?))
}

/// The week as CSV text: one row per weekday and hour.
pub(crate) fn week_csv_text(w: &StaffingWeek) -> String {
    let mut out = String::new();
    let head = ["weekday", "hour", "contacts", "needed_raw", "needed", "scheduled", "shortfall"];
    crate::csv::line(&mut out, head.into_iter());
    for h in &w.hours {
        let cells = [
            h.weekday.to_string(),
            format!("{:02}:00", h.hour),
            crate::csv::num(Some(h.contacts)),
            h.needed_raw.to_string(),
            h.needed.to_string(),
            h.scheduled.to_string(),
            h.shortfall.to_string(),
        ];
        crate::csv::line(&mut out, cells.iter().map(String::as_str));
    }
    out
}

pub(crate) fn csv_response(text: String, tp: Id) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"staffing-week-{tp}.csv\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        text,
    )
        .into_response()
}

/// The week table as CSV: `weekday` (0 = Monday), `hour`, `contacts`
/// (average), `needed_raw`, `needed`, `scheduled`, `shortfall`.
#[utoipa::path(get, path = "/api/v1/staffing/touchpoints/{touchpoint_id}/week.csv", tag = "staffing",
    operation_id = "staffing_week_csv", params(("touchpoint_id" = i64, Path), WeekQuery),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404),
        (status = 422, description = "`weeks` out of range")))]
async fn week_csv(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(tp): ApiPath<Id>,
    q: Result<Query<WeekQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    p.require(Permission::ReadProgram)?;
    let weeks = weeks_of(q)?;
    let w = load_week(s.store.as_ref(), p.org.id, tp, weeks, Utc::now()).await?;
    Ok(csv_response(week_csv_text(&w), tp))
}
