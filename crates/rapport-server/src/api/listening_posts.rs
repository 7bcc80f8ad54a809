//! Listening posts (B5): the inventory of where the company hears customers
//! (channel, touchpoint, priority, who governs the response, promised
//! response time), and the touchpoints nobody listens to.

use super::extract::{ApiJson, ApiPath};
use super::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rapport_core::journey::Touchpoint;
use rapport_core::listening::{unheard_touchpoints, ListeningPost, ListeningPostDraft};
use rapport_core::role::Permission;
use rapport_core::Id;
use std::cmp::Reverse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(gaps)).routes(routes!(get_one, update, delete))
}

/// List listening posts, highest priority first, then by name, a page at a time.
#[utoipa::path(get, path = "/api/v1/listening-posts", tag = "listening posts", operation_id = "list_listening_posts",
    params(PageParams), responses((status = 200, body = [ListeningPost]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<ListeningPost>, AppError> {
    p.require(Permission::ReadProgram)?;
    let posts = s.store.list_listening_posts(p.org.id).await?;
    paging?.slice("listening_posts", posts, |x| (Reverse(x.priority), x.name.to_lowercase(), x.id))
}

/// Add a listening post.
#[utoipa::path(post, path = "/api/v1/listening-posts", tag = "listening posts", operation_id = "create_listening_post", request_body = ListeningPostDraft,
    responses((status = 201, body = ListeningPost), (status = 422, description = "invalid fields")))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(draft): ApiJson<ListeningPostDraft>,
) -> Result<(StatusCode, Json<ListeningPost>), AppError> {
    p.require(Permission::EditPlan)?;
    let input = draft.validate()?;
    Ok((StatusCode::CREATED, Json(s.store.create_listening_post(p.org.id, &input).await?)))
}

/// Touchpoints that no listening post covers, in journey order (by stage,
/// then position), a page at a time.
#[utoipa::path(get, path = "/api/v1/listening-posts/gaps", tag = "listening posts", operation_id = "listening_gaps",
    params(PageParams), responses((status = 200, body = [Touchpoint]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn gaps(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<Touchpoint>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let touchpoints = s.store.list_touchpoints(p.org.id).await?;
    let posts = s.store.list_listening_posts(p.org.id).await?;
    let stages = s.store.list_stages(p.org.id).await?;
    let ids: Vec<Id> = touchpoints.iter().map(|t| t.id).collect();
    let unheard = unheard_touchpoints(&ids, &posts);
    let gaps: Vec<Touchpoint> = touchpoints.into_iter().filter(|t| unheard.contains(&t.id)).collect();
    let stage: std::collections::HashMap<Id, i64> = stages.iter().map(|st| (st.id, st.position)).collect();
    let key = |t: &Touchpoint| (stage.get(&t.stage_id).copied().unwrap_or(i64::MAX), t.position, t.id);
    paging.slice("gaps", gaps, key)
}

#[utoipa::path(get, path = "/api/v1/listening-posts/{id}", tag = "listening posts", operation_id = "get_listening_post",
    params(("id" = i64, Path)), responses((status = 200, body = ListeningPost), (status = 404)))]
async fn get_one(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<ListeningPost>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.get_listening_post(p.org.id, id).await?))
}

/// Replace a listening post.
#[utoipa::path(put, path = "/api/v1/listening-posts/{id}", tag = "listening posts", operation_id = "update_listening_post",
    params(("id" = i64, Path)), request_body = ListeningPostDraft, responses((status = 200, body = ListeningPost), (status = 404), (status = 422)))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(draft): ApiJson<ListeningPostDraft>,
) -> Result<Json<ListeningPost>, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_listening_post(p.org.id, id).await?;
    let input = draft.validate()?;
    Ok(Json(s.store.update_listening_post(p.org.id, id, &input).await?))
}

#[utoipa::path(delete, path = "/api/v1/listening-posts/{id}", tag = "listening posts", operation_id = "delete_listening_post",
    params(("id" = i64, Path)), responses((status = 204), (status = 404)))]
async fn delete(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    let audit = p.audit("listening_post.delete", format!("listening_post:{id}"));
    s.store.delete_listening_post(p.org.id, id, &audit).await?;
    Ok(StatusCode::NO_CONTENT)
}
