//! Key drivers of an experience, as the last refit found them.

use crate::api::extract::ApiPath;
use crate::api::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::model::DriverAnalysis;
use crate::state::AppState;
use axum::extract::State;
use rapport_core::role::Permission;
use rapport_core::Id;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// One analysis: of a survey's questions (`survey_id`), or of the
/// experience's touchpoints (`survey_id` null; `outcome` says whether they
/// explain the NPS or buying again), for everyone (`segment_id` null) or
/// one of the experience's segments.
#[derive(Debug, Serialize, ToSchema)]
pub struct Drivers {
    pub survey_id: Option<Id>,
    /// `nps` (or the survey's outcome question), `repeat_purchase`, or
    /// `perfect_behaviour` (whether customers showed `behaviour_id`).
    pub outcome: String,
    /// The perfect behaviour explained, with the outcome `perfect_behaviour`.
    pub behaviour_id: Option<Id>,
    pub segment_id: Option<Id>,
    pub run_id: Id,
    pub analysis: DriverAnalysis,
}

/// Every key-driver analysis of the experience (derived importance by LMG
/// and relative weights with bootstrap intervals, R², the importance ×
/// performance quadrant, stated against derived importance), or why it
/// was refused. Empty until a refit has run.
#[utoipa::path(get, path = "/api/v1/experiences/{id}/drivers", tag = "measure", operation_id = "experience_drivers",
    params(("id" = i64, Path), PageParams), responses((status = 200, body = [Drivers]), (status = 404),
        (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
    ApiPath(id): ApiPath<Id>,
) -> Result<Listed<Drivers>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    s.store.get_experience(p.org.id, id).await?;
    // A handful per experience (surveys × segments), read whole.
    paging.slice("drivers", stored(&s, p.org.id, id).await?, |d| (d.survey_id.unwrap_or(0), d.segment_id.unwrap_or(0)))
}

/// The stored analyses of an experience (which must exist).
pub async fn stored(s: &AppState, org: Id, experience: Id) -> Result<Vec<Drivers>, AppError> {
    let stored = s.reads().driver_results(org, experience).await?;
    stored
        .into_iter()
        .map(|d| {
            let analysis = serde_json::from_value(d.result).map_err(AppError::internal)?;
            let behaviour_id = crate::model::behaviour_of(d.survey_id);
            let outcome = match (d.survey_id, behaviour_id) {
                (_, Some(_)) => "perfect_behaviour",
                (crate::model::TOUCHPOINTS_REPEAT, _) => "repeat_purchase",
                _ => "nps",
            };
            Ok(Drivers {
                survey_id: (d.survey_id > 0).then_some(d.survey_id),
                outcome: outcome.into(),
                behaviour_id,
                segment_id: (d.segment_id != 0).then_some(d.segment_id),
                run_id: d.run_id,
                analysis,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()
}
