//! Ownership coverage (A2): the share of experiences with an active leader
//! and of touchpoints with an active owner, and the gaps.

use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use rapport_core::coverage::Coverage;
use rapport_core::role::Permission;
use rapport_core::Id;
use rapport_store::Store;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_coverage))
}

/// The organization's coverage, computed from what is stored now.
pub async fn compute(store: &dyn Store, org: Id) -> Result<Coverage, AppError> {
    let (experiences, touchpoints, people) =
        tokio::try_join!(store.list_experiences(org), store.list_touchpoints(org), store.list_people(org))?;
    Ok(rapport_core::coverage::compute(&experiences, &touchpoints, &people))
}

/// Coverage as a percentage (goal 100) and the list of gaps.
#[utoipa::path(get, path = "/api/v1/coverage", tag = "people", operation_id = "get_coverage", responses((status = 200, body = Coverage)))]
async fn get_coverage(State(s): State<AppState>, p: Principal) -> Result<Json<Coverage>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(compute(s.store.as_ref(), p.org.id).await?))
}
