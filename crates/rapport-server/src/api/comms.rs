//! The internal communications plan (D7): scheduled messages with audience,
//! channel, date, owner and status; the month calendar and what is due
//! today (the home page). Reading needs `ReadProgram`, writing `EditPlan`.

use super::extract::{ApiJson, ApiPath};
use super::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{Datelike, Utc};
use rapport_core::improve::comms::{month_grid, overdue, MonthGrid};
use rapport_core::improve::{due_on, CommsDraft, CommsItem};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(due))
        .routes(routes!(calendar))
        .routes(routes!(get_one, update, delete))
}

/// The plan by date, then id, a page at a time.
#[utoipa::path(get, path = "/api/v1/comms", tag = "improve", operation_id = "list_comms", params(PageParams),
    responses((status = 200, body = [CommsItem]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<CommsItem>, AppError> {
    p.require(Permission::ReadProgram)?;
    paging?.slice("comms", s.store.list_comms(p.org.id).await?, |x| (x.date, x.id))
}

#[utoipa::path(post, path = "/api/v1/comms", tag = "improve", operation_id = "create_comms", request_body = CommsDraft,
    responses((status = 201, body = CommsItem), (status = 422)))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(d): ApiJson<CommsDraft>,
) -> Result<(StatusCode, Json<CommsItem>), AppError> {
    p.require(Permission::EditPlan)?;
    let input = d.validate(None, Utc::now().date_naive())?;
    Ok((StatusCode::CREATED, Json(s.store.create_comms(p.org.id, &input).await?)))
}

/// What is due today and what is late (planned, dated before today).
#[derive(Debug, Serialize, ToSchema)]
pub struct Due {
    pub today: Vec<CommsItem>,
    pub overdue: Vec<CommsItem>,
}

#[utoipa::path(get, path = "/api/v1/comms/due", tag = "improve", operation_id = "comms_due",
    responses((status = 200, body = Due)))]
async fn due(State(s): State<AppState>, p: Principal) -> Result<Json<Due>, AppError> {
    p.require(Permission::ReadProgram)?;
    let items = s.store.list_comms(p.org.id).await?;
    let today = Utc::now().date_naive();
    Ok(Json(Due {
        today: due_on(&items, today).into_iter().cloned().collect(),
        overdue: overdue(&items, today).into_iter().cloned().collect(),
    }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// 1 to 9999; default: this year.
    #[param(minimum = 1, maximum = 9999)]
    year: Option<i32>,
    /// 1 to 12; default: this month.
    #[param(minimum = 1, maximum = 12)]
    month: Option<u32>,
}

/// The calendar view of a month: whole weeks, Monday first, with the items of each day.
#[utoipa::path(get, path = "/api/v1/comms/calendar", tag = "improve", operation_id = "comms_calendar",
    params(MonthQuery), responses((status = 200, body = MonthGrid), (status = 422)))]
async fn calendar(
    State(s): State<AppState>,
    p: Principal,
    q: Result<Query<MonthQuery>, QueryRejection>,
) -> Result<Json<MonthGrid>, AppError> {
    p.require(Permission::ReadProgram)?;
    let Query(q) = q.map_err(super::extract::bad_query)?;
    let today = Utc::now().date_naive();
    let (year, month) = (q.year.unwrap_or(today.year()), q.month.unwrap_or(today.month()));
    let mut e = FieldErrors::new();
    if !(1..=9999).contains(&year) {
        e.add("year", "out_of_range", "must be 1 to 9999");
    }
    if !(1..=12).contains(&month) {
        e.add("month", "out_of_range", "must be 1 to 12");
    }
    e.into_result(())?;
    let items = s.store.list_comms(p.org.id).await?;
    month_grid(year, month, &items)
        .map(Json)
        .ok_or_else(|| AppError::Invalid(FieldErrors::single("month", "invalid", "must be 1 to 12")))
}

#[utoipa::path(get, path = "/api/v1/comms/{id}", tag = "improve", operation_id = "get_comms",
    params(("id" = i64, Path)), responses((status = 200, body = CommsItem), (status = 404)))]
async fn get_one(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<CommsItem>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.get_comms(p.org.id, id).await?))
}

/// A sent message stays sent.
#[utoipa::path(put, path = "/api/v1/comms/{id}", tag = "improve", operation_id = "update_comms",
    params(("id" = i64, Path)), request_body = CommsDraft,
    responses((status = 200, body = CommsItem), (status = 404), (status = 422)))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(d): ApiJson<CommsDraft>,
) -> Result<Json<CommsItem>, AppError> {
    p.require(Permission::EditPlan)?;
    let current = s.store.get_comms(p.org.id, id).await?;
    let input = d.validate(Some(current.status), Utc::now().date_naive())?;
    Ok(Json(s.store.update_comms(p.org.id, id, &input).await?))
}

#[utoipa::path(delete, path = "/api/v1/comms/{id}", tag = "improve", operation_id = "delete_comms",
    params(("id" = i64, Path)), responses((status = 204), (status = 404)))]
async fn delete(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.delete_comms(p.org.id, id, &p.audit("comms.delete", format!("comms:{id}"))).await?;
    Ok(StatusCode::NO_CONTENT)
}
