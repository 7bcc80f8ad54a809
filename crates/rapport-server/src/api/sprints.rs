//! Touchpoint redesign sprints (D5): exactly 20 workdays on the
//! organization's calendar, brainstorm → propose → execute; the leader
//! approves the proposal (announced on the change channel); the touchpoint's
//! metrics before and after are stored on the sprint. Reading needs
//! `ReadProgram`; everything else `EditPlan`.

use super::extract::{ApiJson, ApiPath};
use super::ideas::{acting_person, PersonBody};
use super::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use rapport_core::improve::sprint::{ProposalDraft, SprintUpdateDraft};
use rapport_core::improve::{Sprint, SprintDraft};
use rapport_core::role::Permission;
use rapport_core::Id;
use serde::Deserialize;
use std::cmp::Reverse;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(proposal))
        .routes(routes!(approve))
        .routes(routes!(finish))
}

/// Sprints by start, newest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/sprints", tag = "improve", operation_id = "list_sprints", params(PageParams),
    responses((status = 200, body = [Sprint]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<Sprint>, AppError> {
    p.require(Permission::ReadProgram)?;
    paging?.slice("sprints", s.store.list_sprints(p.org.id).await?, |x| (Reverse(x.start), Reverse(x.id)))
}

/// The end is the 20th workday from the start (weekends and the
/// organization's holidays skipped); the touchpoint's metrics of the 30 days
/// before the start are kept as the baseline.
#[utoipa::path(post, path = "/api/v1/sprints", tag = "improve", operation_id = "create_sprint", request_body = SprintDraft,
    responses((status = 201, body = Sprint), (status = 422)))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(d): ApiJson<SprintDraft>,
) -> Result<(StatusCode, Json<Sprint>), AppError> {
    p.require(Permission::EditPlan)?;
    Ok((StatusCode::CREATED, Json(s.store.create_sprint(p.org.id, &d).await?)))
}

#[utoipa::path(get, path = "/api/v1/sprints/{id}", tag = "improve", operation_id = "get_sprint",
    params(("id" = i64, Path)), responses((status = 200, body = Sprint), (status = 404)))]
async fn get_one(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<Json<Sprint>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.get_sprint(p.org.id, id).await?))
}

/// Changes the scope (name, leader, team, ideas, phase ends). The dates
/// cannot change: `start` or `end` differing answers 422 `fixed_length`.
#[utoipa::path(put, path = "/api/v1/sprints/{id}", tag = "improve", operation_id = "update_sprint",
    params(("id" = i64, Path)), request_body = SprintUpdateDraft,
    responses((status = 200, body = Sprint), (status = 404), (status = 422)))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(d): ApiJson<SprintUpdateDraft>,
) -> Result<Json<Sprint>, AppError> {
    p.require(Permission::EditPlan)?;
    Ok(Json(s.store.update_sprint(p.org.id, id, &d, Utc::now().date_naive()).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ProposalBody {
    #[serde(flatten)]
    pub draft: ProposalDraft,
    /// Only for API tokens: who submits it.
    pub person_id: Option<Id>,
}

/// Submits (or replaces, until approved) the proposal document.
#[utoipa::path(post, path = "/api/v1/sprints/{id}/proposal", tag = "improve", operation_id = "submit_proposal",
    params(("id" = i64, Path)), request_body = ProposalBody,
    responses((status = 200, body = Sprint), (status = 404), (status = 409), (status = 422)))]
async fn proposal(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<ProposalBody>,
) -> Result<Json<Sprint>, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_sprint(p.org.id, id).await?;
    let document = b.draft.validate()?;
    let person = acting_person(&p, b.person_id, "person_id")?;
    Ok(Json(s.store.submit_proposal(p.org.id, id, person, &document).await?))
}

/// Only the sprint's leader approves; the change is announced to the people
/// who deliver the touchpoint.
#[utoipa::path(post, path = "/api/v1/sprints/{id}/approve", tag = "improve", operation_id = "approve_proposal",
    params(("id" = i64, Path)), request_body = PersonBody,
    responses((status = 200, body = Sprint), (status = 404), (status = 422)))]
async fn approve(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<PersonBody>,
) -> Result<Json<Sprint>, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_sprint(p.org.id, id).await?;
    let approver = acting_person(&p, b.person_id, "person_id")?;
    Ok(Json(s.store.approve_proposal(p.org.id, id, Some(approver)).await?))
}

/// After its last day: measures the touchpoint over the sprint and stores
/// the comparison with the baseline (intervals and a test per metric).
#[utoipa::path(post, path = "/api/v1/sprints/{id}/finish", tag = "improve", operation_id = "finish_sprint",
    params(("id" = i64, Path)), responses((status = 200, body = Sprint), (status = 404), (status = 422)))]
async fn finish(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<Json<Sprint>, AppError> {
    p.require(Permission::EditPlan)?;
    Ok(Json(s.store.finish_sprint(p.org.id, id, Utc::now().date_naive()).await?))
}
