//! The caller's organization and its mission statement (A3).

use super::extract::ApiJson;
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use rapport_core::org::{Organization, MISSION_MAX};
use rapport_core::role::Permission;
use rapport_core::validate::{optional_text, FieldErrors};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_org)).routes(routes!(get_mission, put_mission))
}

/// The organization the credentials belong to.
#[utoipa::path(get, path = "/api/v1/org", tag = "organization", operation_id = "get_org", responses((status = 200, body = Organization)))]
async fn get_org(p: Principal) -> Result<Json<Organization>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(p.org))
}

#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
pub struct Mission {
    /// Why the company exists, for customers; blank or null clears it. Required
    /// in a `PUT` (an empty body is a 422, never a silent clear).
    #[serde(deserialize_with = "Option::deserialize")]
    #[schema(required = true)]
    pub mission: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/mission", tag = "organization", operation_id = "get_mission", responses((status = 200, body = Mission)))]
async fn get_mission(p: Principal) -> Result<Json<Mission>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(Mission { mission: p.org.mission }))
}

/// Set or clear the mission statement.
#[utoipa::path(put, path = "/api/v1/mission", tag = "organization", operation_id = "set_mission", request_body = Mission,
    responses((status = 200, body = Mission), (status = 422, description = "too long")))]
async fn put_mission(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(body): ApiJson<Mission>,
) -> Result<Json<Mission>, AppError> {
    p.require(Permission::EditPlan)?;
    let mut e = FieldErrors::new();
    let mission = optional_text(&mut e, "mission", body.mission.as_deref(), MISSION_MAX);
    e.into_result(())?;
    let audit = p.audit("mission.update", format!("org:{}", p.org.id));
    let org = s.store.set_mission(p.org.id, mission.as_deref(), Some(&audit)).await?;
    Ok(Json(Mission { mission: org.mission }))
}
