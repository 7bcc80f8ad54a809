//! A survey's results (C1, B1): the mean of each score, matrix row, slider
//! and number with its 95% interval, overall and per bucket, read from the
//! item rollup kept by ingestion. A matrix row or a slider is a metric over
//! time like NPS, on its own scale.

use super::extract::ApiPath;
use super::metrics::MetricsParams;
use crate::auth::Principal;
use crate::error::AppError;
use crate::measure::survey_results::{survey_results, SurveyResults};
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use chrono::{NaiveDate, Utc};
use rapport_core::measure::Interval;
use rapport_core::role::Permission;
use rapport_core::Id;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_results))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResultsParams {
    /// First day (YYYY-MM-DD, UTC), inclusive; 365 days before `to` when absent.
    pub from: Option<String>,
    /// Last day, inclusive; today when absent.
    pub to: Option<String>,
    /// day, week (from Monday), month, quarter, year or all; month when absent.
    pub interval: Option<String>,
}

/// The period of a results request, by the same rules (and field names in
/// errors) as every metric's: `from`, `to` (inclusive), `interval`.
pub(crate) fn results_period(
    from: Option<String>,
    to: Option<String>,
    interval: Option<String>,
) -> Result<(NaiveDate, NaiveDate, Interval), AppError> {
    let q = MetricsParams { from, to, interval, ..MetricsParams::default() }.parse(Utc::now().date_naive())?;
    Ok((q.from, q.to, q.interval))
}

/// A survey's numeric items (scores, matrix rows, sliders, numbers) over a
/// period: each item's mean with its 95% interval, overall and per bucket.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/results", tag = "surveys", operation_id = "survey_results",
    params(("id" = i64, Path, description = "the survey"), ResultsParams),
    responses((status = 200, body = SurveyResults), (status = 404, description = "no such survey"),
        (status = 422, description = "a parameter is invalid, or the answer would hold too many points")))]
async fn get_results(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    q: Result<Query<ResultsParams>, QueryRejection>,
) -> Result<Json<SurveyResults>, AppError> {
    p.require(Permission::ReadProgram)?;
    let Query(q) = q.map_err(super::extract::bad_query)?;
    let period = results_period(q.from, q.to, q.interval)?;
    let store = s.reads();
    let survey = store.get_survey(p.org.id, id).await?;
    let results = survey_results(store, p.org.id, survey, period).await?;
    Ok(Json(results))
}
