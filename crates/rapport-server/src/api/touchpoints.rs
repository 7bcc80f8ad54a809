//! Touchpoints (A5): placed on a stage in the designed path, with a channel,
//! a department, an owner (A2) and an importance per segment (A4).

use super::extract::{ApiJson, ApiPath};
use super::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rapport_core::journey::{Touchpoint, TouchpointDraft};
use rapport_core::role::Permission;
use rapport_core::Id;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_one, update, delete))
}

/// List touchpoints in designed-path order (by stage, then position), a
/// page at a time.
#[utoipa::path(get, path = "/api/v1/touchpoints", tag = "journey", operation_id = "list_touchpoints", params(PageParams),
    responses((status = 200, body = [Touchpoint]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<Touchpoint>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let (stages, touchpoints) = tokio::try_join!(s.store.list_stages(p.org.id), s.store.list_touchpoints(p.org.id))?;
    let stage: std::collections::HashMap<Id, i64> = stages.iter().map(|st| (st.id, st.position)).collect();
    let key = |t: &Touchpoint| (stage.get(&t.stage_id).copied().unwrap_or(i64::MAX), t.position, t.id);
    paging.slice("touchpoints", touchpoints, key)
}

/// Add a touchpoint to a stage.
#[utoipa::path(post, path = "/api/v1/touchpoints", tag = "journey", operation_id = "create_touchpoint", request_body = TouchpointDraft,
    responses((status = 201, body = Touchpoint), (status = 422, description = "invalid fields or unknown stage, owner or segment")))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(draft): ApiJson<TouchpointDraft>,
) -> Result<(StatusCode, Json<Touchpoint>), AppError> {
    p.require(Permission::EditJourney)?;
    let input = draft.validate()?;
    Ok((StatusCode::CREATED, Json(s.store.create_touchpoint(p.org.id, &input).await?)))
}

#[utoipa::path(get, path = "/api/v1/touchpoints/{id}", tag = "journey", operation_id = "get_touchpoint", params(("id" = i64, Path)), responses((status = 200, body = Touchpoint), (status = 404)))]
async fn get_one(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<Touchpoint>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.get_touchpoint(p.org.id, id).await?))
}

/// Replace a touchpoint's details, owner and importances.
#[utoipa::path(put, path = "/api/v1/touchpoints/{id}", tag = "journey", operation_id = "update_touchpoint", params(("id" = i64, Path)), request_body = TouchpointDraft,
    responses((status = 200, body = Touchpoint), (status = 404), (status = 422)))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(draft): ApiJson<TouchpointDraft>,
) -> Result<Json<Touchpoint>, AppError> {
    p.require(Permission::EditJourney)?;
    let input = draft.validate()?;
    Ok(Json(s.store.update_touchpoint(p.org.id, id, &input).await?))
}

/// Delete a touchpoint; experiences keep it in their interaction history.
#[utoipa::path(delete, path = "/api/v1/touchpoints/{id}", tag = "journey", operation_id = "delete_touchpoint", params(("id" = i64, Path)), responses((status = 204), (status = 404), (status = 409, description = "the touchpoint still has surveys")))]
async fn delete(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<StatusCode, AppError> {
    p.require(Permission::EditJourney)?;
    s.store.delete_touchpoint(p.org.id, id, &p.audit("touchpoint.delete", format!("touchpoint:{id}"))).await?;
    Ok(StatusCode::NO_CONTENT)
}
