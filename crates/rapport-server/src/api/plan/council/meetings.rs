//! Council meetings: created with a drafted agenda, edited, their minutes,
//! and the meeting as an iCalendar file.

use super::facts;
use crate::api::extract::{ApiJson, ApiPath};
use crate::api::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use rapport_core::lang::Lang;
use rapport_core::plan::council::agenda::draft;
use rapport_core::plan::council::{
    CouncilActionItem, CouncilAgendaItem, CouncilDecision, CouncilMeeting, CouncilMeetingDraft, CouncilMeetingInput,
    CouncilMinutesDraft,
};
use rapport_core::role::Permission;
use rapport_core::Id;
use rapport_store::council::{ActionFilter, COUNCIL_LIST_MAX};
use rapport_store::Store;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update, delete))
        .routes(routes!(put_minutes))
        .routes(routes!(calendar))
}

/// A meeting with its agenda, decisions and action items.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CouncilMeetingDetail {
    #[serde(flatten)]
    pub meeting: CouncilMeeting,
    pub agenda: Vec<CouncilAgendaItem>,
    pub decisions: Vec<CouncilDecision>,
    pub action_items: Vec<CouncilActionItem>,
}

pub(crate) async fn meeting_detail(store: &dyn Store, org: Id, id: Id) -> Result<CouncilMeetingDetail, AppError> {
    let meeting = store.get_council_meeting(org, id).await?;
    let filter = ActionFilter { meeting: Some(id), ..ActionFilter::default() };
    let (agenda, decisions, action_items) = tokio::try_join!(
        store.council_agenda(org, id),
        store.council_decisions(org, id),
        store.list_council_actions(org, &filter)
    )?;
    Ok(CouncilMeetingDetail { meeting, agenda, decisions, action_items })
}

/// Creates a meeting with the agenda drafted from the program's state now.
pub(crate) async fn create_meeting(
    s: &AppState,
    org: Id,
    input: &CouncilMeetingInput,
    lang: Lang,
) -> Result<CouncilMeeting, AppError> {
    let today = Utc::now().date_naive();
    let facts = facts::gather(s, org, today, lang).await?;
    Ok(s.store.create_council_meeting(org, input, &draft(&facts, today)).await?)
}

/// Meetings, the latest start first.
#[utoipa::path(get, path = "/api/v1/council/meetings", tag = "council", operation_id = "council_list_meetings",
    params(PageParams),
    responses((status = 200, body = [CouncilMeeting]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<CouncilMeeting>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let all = s.store.list_council_meetings(p.org.id, COUNCIL_LIST_MAX).await?;
    // Latest first: the key sorts descending by start, then id.
    paging.slice("council_meetings", all, |m| (-m.starts_at.timestamp_micros(), -m.id))
}

/// Plans a meeting; Rapport drafts its agenda from the program's state
/// (intent criteria missed or at risk, goals off target, top root causes,
/// ideas awaiting review, sprints ending within 14 days, unacknowledged
/// announcements), which can then be edited.
#[utoipa::path(post, path = "/api/v1/council/meetings", tag = "council", operation_id = "council_create_meeting",
    request_body = CouncilMeetingDraft,
    responses((status = 201, body = CouncilMeetingDetail), (status = 400, description = "malformed JSON"),
        (status = 422, description = "a field is missing or out of range")))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    d: Result<ApiJson<CouncilMeetingDraft>, AppError>,
) -> Result<(StatusCode, Json<CouncilMeetingDetail>), AppError> {
    p.require(Permission::EditPlan)?;
    let ApiJson(d) = d?;
    let input = d.validate()?;
    let m = create_meeting(&s, p.org.id, &input, Lang::En).await?;
    Ok((StatusCode::CREATED, Json(meeting_detail(s.store.as_ref(), p.org.id, m.id).await?)))
}

#[utoipa::path(get, path = "/api/v1/council/meetings/{meeting_id}", tag = "council", operation_id = "council_get_meeting",
    params(("meeting_id" = i64, Path)),
    responses((status = 200, body = CouncilMeetingDetail), (status = 404, description = "no such meeting")))]
async fn get_one(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<CouncilMeetingDetail>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(meeting_detail(s.store.as_ref(), p.org.id, id).await?))
}

/// Changes the title, time, length, place or status (the agenda stays).
#[utoipa::path(put, path = "/api/v1/council/meetings/{meeting_id}", tag = "council",
    operation_id = "council_update_meeting", params(("meeting_id" = i64, Path)), request_body = CouncilMeetingDraft,
    responses((status = 200, body = CouncilMeeting), (status = 400, description = "malformed JSON"),
        (status = 404, description = "no such meeting"), (status = 422, description = "a field is missing or out of range")))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    d: Result<ApiJson<CouncilMeetingDraft>, AppError>,
) -> Result<Json<CouncilMeeting>, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_council_meeting(p.org.id, id).await?;
    let ApiJson(d) = d?;
    let input = d.validate()?;
    Ok(Json(s.store.update_council_meeting(p.org.id, id, &input).await?))
}

/// Deletes the meeting with its agenda, decisions and action items.
#[utoipa::path(delete, path = "/api/v1/council/meetings/{meeting_id}", tag = "council",
    operation_id = "council_delete_meeting", params(("meeting_id" = i64, Path)),
    responses((status = 204, description = "deleted"), (status = 404, description = "no such meeting")))]
async fn delete(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.delete_council_meeting(p.org.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The minutes, in Markdown (replaced whole).
#[utoipa::path(put, path = "/api/v1/council/meetings/{meeting_id}/minutes", tag = "council",
    operation_id = "council_put_minutes", params(("meeting_id" = i64, Path)), request_body = CouncilMinutesDraft,
    responses((status = 200, body = CouncilMeeting), (status = 400, description = "malformed JSON"),
        (status = 404, description = "no such meeting"), (status = 422, description = "the minutes are too long")))]
async fn put_minutes(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    d: Result<ApiJson<CouncilMinutesDraft>, AppError>,
) -> Result<Json<CouncilMeeting>, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_council_meeting(p.org.id, id).await?;
    let ApiJson(d) = d?;
    let minutes = d.validate()?;
    Ok(Json(s.store.set_council_minutes(p.org.id, id, &minutes).await?))
}

/// The meeting as an iCalendar file (RFC 5545): times in UTC, the agenda
/// as its description, the members with an e-mail as attendees.
#[utoipa::path(get, path = "/api/v1/council/meetings/{meeting_id}/ics", tag = "council",
    operation_id = "council_meeting_ics", params(("meeting_id" = i64, Path)),
    responses((status = 200, content_type = "text/calendar", body = String, description = "the iCalendar file"),
        (status = 404, description = "no such meeting")))]
async fn calendar(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<Response, AppError> {
    p.require(Permission::ReadProgram)?;
    let text = super::ics::file(&s, p.org.id, id).await?;
    Ok(super::ics::response(id, text))
}

/// An iCalendar answer, offered as a download.
pub(crate) fn ics_response(id: Id, text: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"council-meeting-{id}.ics\"")),
        ],
        text,
    )
        .into_response()
}
