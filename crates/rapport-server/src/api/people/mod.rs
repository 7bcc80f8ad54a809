//! People: who leads experiences and owns touchpoints (A2), and the API of
//! the program's people side (E1–E5), one module each.

mod knowledge;
pub(crate) mod recognition;
pub(crate) mod staffing;
pub(crate) mod training;

use super::extract::{ApiJson, ApiPath};
use super::page::{name_key, Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{NaiveDate, Utc};
use rapport_core::person::{Person, PersonDraft};
use rapport_core::role::Permission;
use rapport_core::Id;
use rapport_store::Handover;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update, delete))
        .routes(routes!(deactivate))
        .routes(routes!(reactivate))
        .routes(routes!(handover))
        .merge(training::routes())
        .merge(knowledge::routes())
        .merge(recognition::routes())
        .merge(staffing::routes())
}

/// List people, active and former, by name, a page at a time.
#[utoipa::path(get, path = "/api/v1/people", tag = "people", operation_id = "list_people", params(PageParams),
    responses((status = 200, body = [Person]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<Person>, AppError> {
    p.require(Permission::ReadProgram)?;
    paging?.slice("people", s.store.list_people(p.org.id).await?, |x| name_key(&x.name, x.id))
}

/// Add a person.
#[utoipa::path(post, path = "/api/v1/people", tag = "people", operation_id = "create_person", request_body = PersonDraft,
    responses((status = 201, body = Person), (status = 409, description = "e-mail already used"), (status = 422, description = "invalid fields")))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(draft): ApiJson<PersonDraft>,
) -> Result<(StatusCode, Json<Person>), AppError> {
    p.require(Permission::ManagePeople)?;
    let input = draft.validate(Utc::now().date_naive())?;
    let person = s.store.create_person(p.org.id, &input).await?;
    Ok((StatusCode::CREATED, Json(person)))
}

#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people", operation_id = "get_person", params(("id" = i64, Path)), responses((status = 200, body = Person), (status = 404)))]
async fn get_one(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<Json<Person>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.get_person(p.org.id, id).await?))
}

/// Replace a person's details.
#[utoipa::path(put, path = "/api/v1/people/{id}", tag = "people", operation_id = "update_person", params(("id" = i64, Path)), request_body = PersonDraft,
    responses((status = 200, body = Person), (status = 404), (status = 409), (status = 422)))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(draft): ApiJson<PersonDraft>,
) -> Result<Json<Person>, AppError> {
    p.require(Permission::ManagePeople)?;
    let input = draft.validate(Utc::now().date_naive())?;
    Ok(Json(s.store.update_person(p.org.id, id, &input).await?))
}

/// Delete a person who leads and owns nothing (otherwise 409: hand over first).
#[utoipa::path(delete, path = "/api/v1/people/{id}", tag = "people", operation_id = "delete_person", params(("id" = i64, Path)), responses((status = 204), (status = 404), (status = 409)))]
async fn delete(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<StatusCode, AppError> {
    p.require(Permission::ManagePeople)?;
    s.store.delete_person(p.org.id, id, &p.audit("person.delete", format!("person:{id}"))).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DeactivateBody {
    /// The day the person left; defaults to today.
    pub on: Option<NaiveDate>,
}

/// Mark a person as left. What they led or owned becomes a coverage gap until handed over.
#[utoipa::path(post, path = "/api/v1/people/{id}/deactivate", tag = "people", operation_id = "deactivate_person", params(("id" = i64, Path)), request_body = DeactivateBody,
    responses((status = 200, body = Person), (status = 404)))]
async fn deactivate(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<DeactivateBody>,
) -> Result<Json<Person>, AppError> {
    p.require(Permission::ManagePeople)?;
    let on = body.on.unwrap_or_else(|| Utc::now().date_naive());
    let audit = p.audit("person.deactivate", format!("person:{id}"));
    let person = s.store.deactivate_person(p.org.id, id, on, Some(&audit)).await?;
    Ok(Json(person))
}

/// Undo a deactivation (the person came back).
#[utoipa::path(post, path = "/api/v1/people/{id}/reactivate", tag = "people", operation_id = "reactivate_person", params(("id" = i64, Path)), responses((status = 200, body = Person), (status = 404)))]
async fn reactivate(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<Person>, AppError> {
    p.require(Permission::ManagePeople)?;
    Ok(Json(s.store.reactivate_person(p.org.id, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HandoverBody {
    /// The active person who takes over everything.
    pub to: Id,
}

#[derive(Debug, serde::Serialize, ToSchema)]
pub struct HandoverResult {
    pub experiences: u64,
    pub touchpoints: u64,
}

impl From<Handover> for HandoverResult {
    fn from(h: Handover) -> Self {
        HandoverResult { experiences: h.experiences, touchpoints: h.touchpoints }
    }
}

/// Move every experience this person leads and every touchpoint they own to another person, in one step.
#[utoipa::path(post, path = "/api/v1/people/{id}/handover", tag = "people", operation_id = "hand_over_person", params(("id" = i64, Path)), request_body = HandoverBody,
    responses((status = 200, body = HandoverResult), (status = 404), (status = 422, description = "`to` unknown or inactive")))]
async fn handover(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<HandoverBody>,
) -> Result<Json<HandoverResult>, AppError> {
    p.require(Permission::ManagePeople)?;
    let audit = p.audit("person.handover", format!("person:{id}->person:{}", body.to));
    let moved = s.store.handover(p.org.id, id, body.to, Some(&audit)).await?;
    Ok(Json(moved.into()))
}
