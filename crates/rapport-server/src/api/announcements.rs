//! The change channel (D6): every change to an experience is announced to
//! the people who deliver it; each acknowledges it. The feed of a signed-in
//! person holds what was sent to them; callers linked to no person (API
//! tokens) see every announcement. Announcements also reach the SSE stream
//! (`event: announcement`, to their recipients) and webhooks
//! (`announcement.<kind>`).

use super::extract::{ApiJson, ApiPath};
use super::ideas::{acting_person, PersonBody};
use super::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use rapport_core::improve::Announcement;
use rapport_core::role::Permission;
use rapport_core::Id;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(get_one)).routes(routes!(acknowledge))
}

/// An announcement and who has not acknowledged it yet.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnnouncementView {
    #[serde(flatten)]
    pub announcement: Announcement,
    pub pending: Vec<Id>,
}

impl From<Announcement> for AnnouncementView {
    fn from(a: Announcement) -> Self {
        AnnouncementView { pending: a.pending(), announcement: a }
    }
}

/// The caller's feed, newest first, a page at a time (keyset by id).
#[utoipa::path(get, path = "/api/v1/announcements", tag = "improve", operation_id = "list_announcements", params(PageParams),
    responses((status = 200, body = [AnnouncementView]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<AnnouncementView>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let person = p.user.as_ref().and_then(|u| u.person_id);
    let after = paging.after::<Id>("announcements")?;
    let page = s.store.page_announcements(p.org.id, person, after, paging.fetch()).await?;
    Ok(paging.page("announcements", page, |a| a.id).map(Into::into))
}

#[utoipa::path(get, path = "/api/v1/announcements/{id}", tag = "improve", operation_id = "get_announcement",
    params(("id" = i64, Path)), responses((status = 200, body = AnnouncementView), (status = 404)))]
async fn get_one(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<AnnouncementView>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.get_announcement(p.org.id, id).await?.into()))
}

/// Only recipients acknowledge (422 otherwise), once (409).
#[utoipa::path(post, path = "/api/v1/announcements/{id}/acknowledge", tag = "improve",
    operation_id = "acknowledge_announcement", params(("id" = i64, Path)), request_body = PersonBody,
    responses((status = 200, body = AnnouncementView), (status = 404), (status = 409), (status = 422)))]
async fn acknowledge(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<PersonBody>,
) -> Result<Json<AnnouncementView>, AppError> {
    p.require(Permission::Contribute)?;
    s.store.get_announcement(p.org.id, id).await?;
    let person = acting_person(&p, b.person_id, "person_id")?;
    Ok(Json(s.store.acknowledge_announcement(p.org.id, id, person).await?.into()))
}
