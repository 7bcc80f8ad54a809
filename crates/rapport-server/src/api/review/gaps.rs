//! F3. Gap analysis: the JSON API. Reading takes `ReadProgram`; making an
//! idea of a gap `Contribute` (as submitting any idea), starting a sprint
//! `EditPlan` (as any sprint). The policy of the figures is the core's
//! (`rapport_core::review::gap`); how they are read, `report`.

pub mod act;
pub mod report;

use crate::api::extract::{bad_query, ApiJson, ApiPath};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use rapport_core::review::gap::GapActionDraft;
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::gaps::GapMade;
use report::GapReport;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(to_idea)).routes(routes!(to_sprint))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GapParams {
    /// A segment id (absent: every customer).
    pub segment_id: Option<String>,
}

/// A segment id from a query string: blank is none, anything else a positive id.
pub fn segment_param(v: Option<&str>) -> Result<Option<Id>, AppError> {
    let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    match v.parse::<Id>() {
        Ok(id) if id > 0 => Ok(Some(id)),
        _ => Err(AppError::Invalid(FieldErrors::single("segment_id", "invalid", "must be an id (a whole number)"))),
    }
}

/// Each key interaction of the experience against the intent criteria and
/// the goal that apply there (last 30 days), beside stated and derived
/// importance, ranked by the gap weighted by importance; met targets last,
/// too few answers apart.
#[utoipa::path(get, path = "/api/v1/experiences/{id}/gaps", tag = "review", operation_id = "experience_gaps",
    params(("id" = i64, Path), GapParams),
    responses((status = 200, body = GapReport), (status = 404),
        (status = 422, description = "`segment_id` is invalid or names no segment of the organization")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    q: Result<Query<GapParams>, QueryRejection>,
) -> Result<Json<GapReport>, AppError> {
    p.require(Permission::ReadProgram)?;
    let Query(q) = q.map_err(bad_query)?;
    let segment = segment_param(q.segment_id.as_deref())?;
    Ok(Json(report::report(s.reads(), p.org.id, id, segment, Utc::now().date_naive()).await?))
}

/// Which gap to make an idea of; `author_id` only for API tokens.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct GapIdeaBody {
    #[serde(flatten)]
    pub gap: GapActionDraft,
    pub author_id: Option<Id>,
}

/// Which gap to start a sprint on; `leader_id` defaults to the
/// touchpoint's owner, then the experience's leader, then you.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct GapSprintBody {
    #[serde(flatten)]
    pub gap: GapActionDraft,
    pub leader_id: Option<Id>,
}

/// What a gap became.
#[derive(Debug, Serialize, ToSchema)]
pub struct GapMadeView {
    /// `idea` or `sprint`.
    pub kind: String,
    pub id: Id,
    /// False when the gap had become this before (nothing new was made).
    pub created: bool,
    /// The page of the idea or sprint.
    pub url: String,
}

fn made(kind: &str, m: GapMade) -> (StatusCode, Json<GapMadeView>) {
    let status = if m.created { StatusCode::CREATED } else { StatusCode::OK };
    let url = format!("/{kind}s/{}", m.id);
    (status, Json(GapMadeView { kind: kind.into(), id: m.id, created: m.created, url }))
}

/// Makes an idea of a missed target at a touchpoint, its title and
/// description written from the gap (touchpoint, metric, value against
/// target, segment); a gap that already became an idea answers it (200).
#[utoipa::path(post, path = "/api/v1/experiences/{id}/gaps/idea", tag = "review", operation_id = "gap_to_idea",
    params(("id" = i64, Path)), request_body = GapIdeaBody,
    responses((status = 201, body = GapMadeView), (status = 200, body = GapMadeView, description = "the gap's idea made before"),
        (status = 404), (status = 422, description = "the touchpoint, metric or segment names no open gap of the experience")))]
async fn to_idea(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<GapIdeaBody>,
) -> Result<(StatusCode, Json<GapMadeView>), AppError> {
    p.require(Permission::Contribute)?;
    // Another organization's experience is not found, whatever the body.
    s.store.get_experience(p.org.id, id).await?;
    let key = b.gap.validate()?;
    let lang = s.store.org_settings(p.org.id).await?.default_language;
    let m = act::make_idea(&s, &p, lang, id, &key, b.author_id, Utc::now().date_naive()).await?;
    Ok(made("idea", m))
}

/// Starts a 20-workday sprint on a missed target at a touchpoint, from
/// today; a gap that already has a sprint answers it (200).
#[utoipa::path(post, path = "/api/v1/experiences/{id}/gaps/sprint", tag = "review", operation_id = "gap_to_sprint",
    params(("id" = i64, Path)), request_body = GapSprintBody,
    responses((status = 201, body = GapMadeView), (status = 200, body = GapMadeView, description = "the gap's sprint started before"),
        (status = 404), (status = 422, description = "the touchpoint, metric or segment names no open gap of the experience, or no leader")))]
async fn to_sprint(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<GapSprintBody>,
) -> Result<(StatusCode, Json<GapMadeView>), AppError> {
    p.require(Permission::EditPlan)?;
    // Another organization's experience is not found, whatever the body.
    s.store.get_experience(p.org.id, id).await?;
    let key = b.gap.validate()?;
    let lang = s.store.org_settings(p.org.id).await?.default_language;
    let m = act::make_sprint(&s, &p, lang, id, &key, b.leader_id, Utc::now().date_naive()).await?;
    Ok(made("sprint", m))
}
