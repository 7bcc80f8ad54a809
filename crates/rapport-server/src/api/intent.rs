//! The versioned intent statement (A3): each change is a new version made of
//! formal criteria; earlier versions stay as they were.

use super::extract::ApiJson;
use super::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use rapport_core::intent::{IntentDraft, IntentVersion};
use rapport_core::role::Permission;
use std::cmp::Reverse;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(current)).routes(routes!(versions, create_version))
}

/// The current intent statement (404 before the first one).
#[utoipa::path(get, path = "/api/v1/intent", tag = "intent", operation_id = "get_current_intent", responses((status = 200, body = IntentVersion), (status = 404)))]
async fn current(State(s): State<AppState>, p: Principal) -> Result<Json<IntentVersion>, AppError> {
    p.require(Permission::ReadProgram)?;
    s.store.current_intent(p.org.id).await?.map(Json).ok_or(AppError::NotFound)
}

/// Every version, newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/intent/versions", tag = "intent", operation_id = "list_intent_versions", params(PageParams),
    responses((status = 200, body = [IntentVersion]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn versions(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<IntentVersion>, AppError> {
    p.require(Permission::ReadProgram)?;
    paging?.slice("intent_versions", s.store.list_intent_versions(p.org.id).await?, |x| Reverse(x.version))
}

/// Save a new version of the intent statement.
#[utoipa::path(post, path = "/api/v1/intent/versions", tag = "intent", operation_id = "create_intent_version", request_body = IntentDraft,
    responses((status = 201, body = IntentVersion), (status = 422, description = "invalid criteria or unknown scope")))]
async fn create_version(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(draft): ApiJson<IntentDraft>,
) -> Result<(StatusCode, Json<IntentVersion>), AppError> {
    p.require(Permission::EditPlan)?;
    let input = draft.validate()?;
    let audit = p.audit_created("intent.version", "intent:v");
    let version = s.store.create_intent_version(p.org.id, &input, Some(&p.actor), Some(&audit)).await?;
    Ok((StatusCode::CREATED, Json(version)))
}
