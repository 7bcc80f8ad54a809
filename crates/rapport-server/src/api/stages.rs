//! Journey stages (A5): the ordered columns of the journey map.

use super::extract::{ApiJson, ApiPath};
use super::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rapport_core::journey::{Stage, StageDraft};
use rapport_core::role::Permission;
use rapport_core::Id;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(update, delete))
}

/// List stages in map order, a page at a time.
#[utoipa::path(get, path = "/api/v1/stages", tag = "journey", operation_id = "list_stages", params(PageParams),
    responses((status = 200, body = [Stage]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<Stage>, AppError> {
    p.require(Permission::ReadProgram)?;
    paging?.slice("stages", s.store.list_stages(p.org.id).await?, |x| (x.position, x.id))
}

/// Add a stage (at the end unless a position is given; later stages shift).
#[utoipa::path(post, path = "/api/v1/stages", tag = "journey", operation_id = "create_stage", request_body = StageDraft,
    responses((status = 201, body = Stage), (status = 422, description = "invalid fields")))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(draft): ApiJson<StageDraft>,
) -> Result<(StatusCode, Json<Stage>), AppError> {
    p.require(Permission::EditJourney)?;
    let input = draft.validate()?;
    Ok((StatusCode::CREATED, Json(s.store.create_stage(p.org.id, &input).await?)))
}

/// Rename or move a stage.
#[utoipa::path(put, path = "/api/v1/stages/{id}", tag = "journey", operation_id = "update_stage", params(("id" = i64, Path)), request_body = StageDraft,
    responses((status = 200, body = Stage), (status = 404), (status = 422)))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(draft): ApiJson<StageDraft>,
) -> Result<Json<Stage>, AppError> {
    p.require(Permission::EditJourney)?;
    let input = draft.validate()?;
    Ok(Json(s.store.update_stage(p.org.id, id, &input).await?))
}

/// Delete an empty stage (409 while touchpoints are on it).
#[utoipa::path(delete, path = "/api/v1/stages/{id}", tag = "journey", operation_id = "delete_stage", params(("id" = i64, Path)), responses((status = 204), (status = 404), (status = 409)))]
async fn delete(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<StatusCode, AppError> {
    p.require(Permission::EditJourney)?;
    s.store.delete_stage(p.org.id, id, &p.audit("stage.delete", format!("stage:{id}"))).await?;
    Ok(StatusCode::NO_CONTENT)
}
