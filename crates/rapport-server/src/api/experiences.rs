//! Experience plans (A1, A2): who the customer is, the goal, the leader and
//! the key interactions, whose additions and removals are kept as history.

use super::extract::{ApiJson, ApiPath};
use super::page::{name_key, Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rapport_core::experience::{Experience, ExperienceDraft, Interaction};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update, delete))
        .routes(routes!(add_interaction))
        .routes(routes!(remove_interaction))
        .routes(routes!(history))
}

/// List experiences with their current key interactions, by name, a page at a time.
#[utoipa::path(get, path = "/api/v1/experiences", tag = "experiences", operation_id = "list_experiences", params(PageParams),
    responses((status = 200, body = [Experience]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<Experience>, AppError> {
    p.require(Permission::ReadProgram)?;
    paging?.slice("experiences", s.store.list_experiences(p.org.id).await?, |x| name_key(&x.name, x.id))
}

/// Plan an experience.
#[utoipa::path(post, path = "/api/v1/experiences", tag = "experiences", operation_id = "create_experience", request_body = ExperienceDraft,
    responses((status = 201, body = Experience), (status = 422, description = "invalid fields or unknown leader or segment")))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(draft): ApiJson<ExperienceDraft>,
) -> Result<(StatusCode, Json<Experience>), AppError> {
    p.require(Permission::EditPlan)?;
    let input = draft.validate()?;
    Ok((StatusCode::CREATED, Json(s.store.create_experience(p.org.id, &input).await?)))
}

#[utoipa::path(get, path = "/api/v1/experiences/{id}", tag = "experiences", operation_id = "get_experience", params(("id" = i64, Path)), responses((status = 200, body = Experience), (status = 404)))]
async fn get_one(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<Experience>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.get_experience(p.org.id, id).await?))
}

/// Replace an experience's customer, goal and leader (interactions are changed on their own routes).
#[utoipa::path(put, path = "/api/v1/experiences/{id}", tag = "experiences", operation_id = "update_experience", params(("id" = i64, Path)), request_body = ExperienceDraft,
    responses((status = 200, body = Experience), (status = 404), (status = 422)))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(draft): ApiJson<ExperienceDraft>,
) -> Result<Json<Experience>, AppError> {
    p.require(Permission::EditPlan)?;
    let input = draft.validate()?;
    Ok(Json(s.store.update_experience(p.org.id, id, &input).await?))
}

#[utoipa::path(delete, path = "/api/v1/experiences/{id}", tag = "experiences", operation_id = "delete_experience", params(("id" = i64, Path)), responses((status = 204), (status = 404)))]
async fn delete(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.delete_experience(p.org.id, id, &p.audit("experience.delete", format!("experience:{id}"))).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InteractionBody {
    pub touchpoint_id: Id,
    /// Place in the experience's path, from 1; defaults to the end.
    pub position: Option<i64>,
}

/// Add a touchpoint as a key interaction; answers the experience.
#[utoipa::path(post, path = "/api/v1/experiences/{id}/interactions", tag = "experiences", operation_id = "add_interaction", params(("id" = i64, Path)), request_body = InteractionBody,
    responses((status = 201, body = Experience), (status = 404), (status = 409, description = "already a key interaction"), (status = 422, description = "unknown touchpoint")))]
async fn add_interaction(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<InteractionBody>,
) -> Result<(StatusCode, Json<Experience>), AppError> {
    p.require(Permission::EditPlan)?;
    if body.position.is_some_and(|n| !(1..=1000).contains(&n)) {
        return Err(FieldErrors::single("position", "out_of_range", "must be between 1 and 1000").into());
    }
    let exp = s.store.add_interaction(p.org.id, id, body.touchpoint_id, body.position).await?;
    Ok((StatusCode::CREATED, Json(exp)))
}

/// End a key interaction; it stays in the history.
#[utoipa::path(delete, path = "/api/v1/experiences/{id}/interactions/{touchpoint_id}", tag = "experiences", operation_id = "remove_interaction",
    params(("id" = i64, Path), ("touchpoint_id" = i64, Path)), responses((status = 204), (status = 404)))]
async fn remove_interaction(
    State(s): State<AppState>,
    p: Principal,
    ApiPath((id, touchpoint_id)): ApiPath<(Id, Id)>,
) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    let audit = p.audit("experience.interaction.remove", format!("experience:{id}/touchpoint:{touchpoint_id}"));
    s.store.remove_interaction(p.org.id, id, touchpoint_id, Some(&audit)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every interaction the experience ever had, current and removed, oldest
/// first (by when it was added, then touchpoint), a page at a time.
#[utoipa::path(get, path = "/api/v1/experiences/{id}/interactions/history", tag = "experiences", operation_id = "interaction_history",
    params(("id" = i64, Path), PageParams), responses((status = 200, body = [Interaction]), (status = 404), (status = 422, description = "`limit` or `after` is invalid")))]
async fn history(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
    ApiPath(id): ApiPath<Id>,
) -> Result<Listed<Interaction>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let history = s.store.interaction_history(p.org.id, id).await?;
    paging.slice("interactions", history, |x| (x.added_at, x.touchpoint_id, x.position))
}
