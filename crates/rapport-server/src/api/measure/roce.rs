//! Return on customer experience: the report (the last refit's facts times
//! the leaders' inputs, computed per request: a few multiplications) and
//! the inputs.

use crate::api::extract::ApiJson;
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use rapport_core::model::roce::{report, RoceDraft, RoceFacts, RoceInputs, RoceReport};
use rapport_core::role::Permission;
use rapport_store::Store;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_report)).routes(routes!(put_inputs))
}

/// The report and where its figures come from.
#[derive(Debug, Serialize, ToSchema)]
pub struct Roce {
    /// False until a leader has set the inputs: the report then uses
    /// common retail figures (margin 30%, acquisition 50, retention 10,
    /// case 15, contact 5).
    pub inputs_set: bool,
    /// The refit whose facts the report uses; null before the first.
    pub refit_id: Option<i64>,
    pub fitted_at: Option<DateTime<Utc>>,
    pub report: RoceReport,
}

/// The organization's inputs, or the defaults.
pub async fn inputs(store: &dyn Store, org: i64) -> Result<(RoceInputs, bool), AppError> {
    Ok(match store.finance_inputs(org).await? {
        Some(v) => (serde_json::from_value(v).map_err(AppError::internal)?, true),
        None => (RoceInputs::DEFAULT, false),
    })
}

/// The report as of the last refit.
pub async fn current(state: &AppState, org: i64) -> Result<Roce, AppError> {
    let (inputs, inputs_set) = inputs(state.store.as_ref(), org).await?;
    let fit = state.reads().last_fit(org).await?;
    let facts: RoceFacts = match fit.as_ref().and_then(|f| f.summary.as_ref()).and_then(|s| s.get("roce")) {
        Some(v) => serde_json::from_value(v.clone()).map_err(AppError::internal)?,
        None => RoceFacts::default(),
    };
    Ok(Roce {
        inputs_set,
        refit_id: fit.as_ref().map(|f| f.id),
        fitted_at: fit.as_ref().and_then(|f| f.finished_at),
        report: report(inputs, &facts),
    })
}

/// Revenue at risk by segment, cost of poor service by kind with its
/// working, acquisition against retention cost, price against service as
/// reasons to leave, and the worth of moving a detractor (95% intervals).
#[utoipa::path(get, path = "/api/v1/roce", tag = "measure", operation_id = "roce", responses((status = 200, body = Roce)))]
async fn get_report(State(s): State<AppState>, p: Principal) -> Result<Json<Roce>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(current(&s, p.org.id).await?))
}

/// Set the financial inputs (every field, each a number of zero or more;
/// `margin_rate` 0 to 1). Audited.
#[utoipa::path(put, path = "/api/v1/roce/inputs", tag = "measure", operation_id = "set_roce_inputs",
    request_body = RoceDraft, responses((status = 200, body = RoceInputs), (status = 422)))]
async fn put_inputs(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(d): ApiJson<RoceDraft>,
) -> Result<Json<RoceInputs>, AppError> {
    p.require(Permission::EditPlan)?;
    let inputs = d.validate()?;
    let value = serde_json::to_value(inputs).map_err(AppError::internal)?;
    s.store.save_finance_inputs(p.org.id, &value, &p.audit("roce.update", "roce")).await?;
    Ok(Json(inputs))
}
