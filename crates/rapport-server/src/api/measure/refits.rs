//! Refits: the runs of the models, newest first, and asking for one.

use crate::api::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use rapport_core::role::Permission;
use rapport_core::Id;
use rapport_store::{ModelRun, RunStatus};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Runs listed at most (older ones stay in the database).
const LISTED: i64 = 100;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, request))
}

/// One refit.
#[derive(Debug, Serialize, ToSchema)]
pub struct Refit {
    pub id: Id,
    /// queued, running, done or failed.
    pub status: String,
    /// reading, purchase, churn, scoring, drivers, saving, done, failed.
    pub stage: String,
    /// 0 to 100.
    pub progress: i64,
    /// `schedule`, or who asked (an e-mail or `token:NAME`).
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Why a failed run failed.
    pub error: Option<String>,
    /// What a finished run found: the cut-off, customers read and scored,
    /// the BG/NBD and Gamma-Gamma parameters, the churn model and its
    /// back-test, the ROCE facts.
    #[schema(value_type = Option<Object>)]
    pub summary: Option<serde_json::Value>,
}

impl From<ModelRun> for Refit {
    fn from(r: ModelRun) -> Self {
        Refit {
            id: r.id,
            status: r.status.key().into(),
            stage: r.stage,
            progress: r.progress,
            requested_by: r.requested_by,
            requested_at: r.requested_at,
            started_at: r.started_at,
            finished_at: r.finished_at,
            error: r.error,
            summary: r.summary,
        }
    }
}

/// The last 100 refits, newest first.
#[utoipa::path(get, path = "/api/v1/models/refits", tag = "measure", operation_id = "list_refits", params(PageParams),
    responses((status = 200, body = [Refit]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<Refit>, AppError> {
    p.require(Permission::ReadProgram)?;
    let runs: Vec<Refit> = s.store.list_refits(p.org.id, LISTED).await?.into_iter().map(Refit::from).collect();
    // Newest first: the key is the id, negated.
    paging?.slice("refits", runs, |r| -r.id)
}

/// Ask for a refit: it runs in the background (one at a time per
/// organization); while one is queued or running, that one is answered.
#[utoipa::path(post, path = "/api/v1/models/refits", tag = "measure", operation_id = "request_refit",
    responses((status = 202, body = Refit)))]
async fn request(State(s): State<AppState>, p: Principal) -> Result<(StatusCode, Json<Refit>), AppError> {
    p.require(Permission::EditPlan)?;
    let run = s.store.request_refit(p.org.id, &p.actor, Utc::now()).await?;
    if run.status == RunStatus::Queued {
        s.refit_wake.notify_one();
    }
    Ok((StatusCode::ACCEPTED, Json(run.into())))
}
