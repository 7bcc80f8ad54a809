//! Engagement (E4): who submits ideas, whose ideas are implemented,
//! participation by department (submitters over active headcount), by month.
//! A report: read from the read store (the read replica, if any).

use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use rapport_core::improve::{engagement, Engagement};
use rapport_core::role::Permission;
use std::collections::BTreeMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_engagement))
}

#[utoipa::path(get, path = "/api/v1/engagement", tag = "improve", operation_id = "get_engagement",
    responses((status = 200, body = Engagement)))]
async fn get_engagement(State(s): State<AppState>, p: Principal) -> Result<Json<Engagement>, AppError> {
    p.require(Permission::ReadProgram)?;
    let store = s.reads();
    let rows = store.idea_rows(p.org.id).await?;
    let mut heads: BTreeMap<String, u32> = BTreeMap::new();
    for person in store.list_people(p.org.id).await? {
        if let (Some(d), None) = (person.department, person.left_on) {
            *heads.entry(d).or_default() += 1;
        }
    }
    let headcounts: Vec<(String, u32)> = heads.into_iter().collect();
    Ok(Json(engagement(&rows, &headcounts)))
}
