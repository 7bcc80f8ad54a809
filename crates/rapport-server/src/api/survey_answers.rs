//! A survey's answers as one CSV table: one row per response, one column
//! per question, matrix row, ranked item, short-text field or "other" text
//! (see `rapport_core::survey::columns`). Streamed, newest first; read from
//! the read database when there is one.

use super::extract::ApiPath;
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use rapport_core::role::Permission;
use rapport_core::Id;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(answers_csv))
}

/// A survey's answers as CSV: `response_id, at, customer, channel,
/// language, comment`, then a column per question (`key`), matrix row or
/// short-text field (`key.row`), ranked item (`key.item`, its rank) and
/// "other" text (`key.other`), in the survey's order.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/answers.csv", tag = "surveys", operation_id = "survey_answers_csv",
    params(("id" = i64, Path, description = "the survey")),
    responses((status = 200, content_type = "text/csv", body = String), (status = 404, description = "no such survey")))]
async fn answers_csv(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<Response, AppError> {
    p.require(Permission::ReadProgram)?;
    let survey = s.read_store.get_survey(p.org.id, id).await?;
    Ok(crate::response_csv::survey_answers(s.read_store.clone(), p.org.id, survey))
}
