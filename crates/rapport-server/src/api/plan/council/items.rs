//! What a meeting holds: agenda items (added, edited, moved, removed),
//! decisions (linked to an idea, a sprint or an intent version of the same
//! organization) and action items (an owner, a due date, done or not).

use crate::api::extract::{bad_query, ApiJson, ApiPath};
use crate::api::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use rapport_core::plan::council::{
    CouncilActionDraft, CouncilActionItem, CouncilAgendaItem, CouncilAgendaItemDraft, CouncilDecision,
    CouncilDecisionDraft,
};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::council::ActionFilter;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_agenda, add_agenda))
        .routes(routes!(update_agenda, delete_agenda))
        .routes(routes!(list_decisions, add_decision))
        .routes(routes!(delete_decision))
        .routes(routes!(list_actions))
        .routes(routes!(add_action))
        .routes(routes!(update_action, delete_action))
        .routes(routes!(tick_action))
}

/// A meeting's agenda, in order.
#[utoipa::path(get, path = "/api/v1/council/meetings/{meeting_id}/agenda", tag = "council",
    operation_id = "council_list_agenda", params(("meeting_id" = i64, Path), PageParams),
    responses((status = 200, body = [CouncilAgendaItem]), (status = 404, description = "no such meeting"),
        (status = 422, description = "`limit` or `after` is invalid")))]
async fn list_agenda(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(meeting): ApiPath<Id>,
    paging: Result<Paging, AppError>,
) -> Result<Listed<CouncilAgendaItem>, AppError> {
    p.require(Permission::ReadProgram)?;
    let items = s.store.council_agenda(p.org.id, meeting).await?;
    paging?.slice("council_agenda", items, |i| (i.position, i.id))
}

/// Adds an item of one's own (kind `custom`) at `position` (the end when
/// left out); at most 50 items.
#[utoipa::path(post, path = "/api/v1/council/meetings/{meeting_id}/agenda", tag = "council",
    operation_id = "council_add_agenda_item", params(("meeting_id" = i64, Path)), request_body = CouncilAgendaItemDraft,
    responses((status = 201, body = CouncilAgendaItem), (status = 400, description = "malformed JSON"),
        (status = 404, description = "no such meeting"), (status = 422, description = "a field is invalid, or the agenda is full")))]
async fn add_agenda(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(meeting): ApiPath<Id>,
    d: Result<ApiJson<CouncilAgendaItemDraft>, AppError>,
) -> Result<(StatusCode, Json<CouncilAgendaItem>), AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_council_meeting(p.org.id, meeting).await?;
    let ApiJson(d) = d?;
    let input = d.validate()?;
    Ok((StatusCode::CREATED, Json(s.store.add_council_agenda_item(p.org.id, meeting, &input).await?)))
}

/// Rewords an item, changes its link, or moves it to `position` (its kind stays).
#[utoipa::path(put, path = "/api/v1/council/agenda-items/{agenda_item_id}", tag = "council",
    operation_id = "council_update_agenda_item", params(("agenda_item_id" = i64, Path)), request_body = CouncilAgendaItemDraft,
    responses((status = 200, body = CouncilAgendaItem), (status = 400, description = "malformed JSON"),
        (status = 404, description = "no such item"), (status = 422, description = "a field is invalid")))]
async fn update_agenda(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    d: Result<ApiJson<CouncilAgendaItemDraft>, AppError>,
) -> Result<Json<CouncilAgendaItem>, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_council_agenda_item(p.org.id, id).await?;
    let ApiJson(d) = d?;
    let input = d.validate()?;
    Ok(Json(s.store.update_council_agenda_item(p.org.id, id, &input).await?))
}

#[utoipa::path(delete, path = "/api/v1/council/agenda-items/{agenda_item_id}", tag = "council",
    operation_id = "council_delete_agenda_item", params(("agenda_item_id" = i64, Path)),
    responses((status = 204, description = "removed"), (status = 404, description = "no such item")))]
async fn delete_agenda(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.delete_council_agenda_item(p.org.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A meeting's decisions, oldest first.
#[utoipa::path(get, path = "/api/v1/council/meetings/{meeting_id}/decisions", tag = "council",
    operation_id = "council_list_decisions", params(("meeting_id" = i64, Path), PageParams),
    responses((status = 200, body = [CouncilDecision]), (status = 404, description = "no such meeting"),
        (status = 422, description = "`limit` or `after` is invalid")))]
async fn list_decisions(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(meeting): ApiPath<Id>,
    paging: Result<Paging, AppError>,
) -> Result<Listed<CouncilDecision>, AppError> {
    p.require(Permission::ReadProgram)?;
    let items = s.store.council_decisions(p.org.id, meeting).await?;
    paging?.slice("council_decisions", items, |d| d.id)
}

/// Records a decision, optionally linked to the idea, sprint or intent
/// version it produced (each of this organization: else a 422 naming it).
#[utoipa::path(post, path = "/api/v1/council/meetings/{meeting_id}/decisions", tag = "council",
    operation_id = "council_add_decision", params(("meeting_id" = i64, Path)), request_body = CouncilDecisionDraft,
    responses((status = 201, body = CouncilDecision), (status = 400, description = "malformed JSON"),
        (status = 404, description = "no such meeting"),
        (status = 422, description = "the text is missing, or a linked idea, sprint or intent version is unknown")))]
async fn add_decision(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(meeting): ApiPath<Id>,
    d: Result<ApiJson<CouncilDecisionDraft>, AppError>,
) -> Result<(StatusCode, Json<CouncilDecision>), AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_council_meeting(p.org.id, meeting).await?;
    let ApiJson(d) = d?;
    let input = d.validate()?;
    Ok((StatusCode::CREATED, Json(s.store.add_council_decision(p.org.id, meeting, &input).await?)))
}

#[utoipa::path(delete, path = "/api/v1/council/decisions/{decision_id}", tag = "council",
    operation_id = "council_delete_decision", params(("decision_id" = i64, Path)),
    responses((status = 204, description = "removed"), (status = 404, description = "no such decision")))]
async fn delete_decision(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.delete_council_decision(p.org.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which action items to list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CouncilActionQuery {
    /// Only this person's.
    #[param(value_type = Option<i64>)]
    pub owner_id: Option<String>,
    /// Only this meeting's.
    #[param(value_type = Option<i64>)]
    pub meeting_id: Option<String>,
    /// `true`: only those not done.
    #[param(value_type = Option<bool>)]
    pub open: Option<String>,
}

fn filter_of(q: &CouncilActionQuery) -> Result<ActionFilter, AppError> {
    let mut e = FieldErrors::new();
    let mut id = |field: &str, v: &Option<String>| match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => v.parse::<Id>().map_err(|_| e.add(field, "invalid_type", "must be a whole number")).ok(),
    };
    let owner = id("owner_id", &q.owner_id);
    let meeting = id("meeting_id", &q.meeting_id);
    let open_only = match q.open.as_deref().map(str::trim) {
        None | Some("") | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            e.add("open", "invalid_type", "must be true or false");
            false
        }
    };
    Ok(e.into_result(ActionFilter { meeting, owner, open_only, limit: 0 })?)
}

/// Action items: not done first, then by due date.
#[utoipa::path(get, path = "/api/v1/council/action-items", tag = "council", operation_id = "council_list_action_items",
    params(CouncilActionQuery, PageParams),
    responses((status = 200, body = [CouncilActionItem]), (status = 422, description = "a filter, `limit` or `after` is invalid")))]
async fn list_actions(
    State(s): State<AppState>,
    p: Principal,
    q: Result<Query<CouncilActionQuery>, QueryRejection>,
    paging: Result<Paging, AppError>,
) -> Result<Listed<CouncilActionItem>, AppError> {
    p.require(Permission::ReadProgram)?;
    let Query(q) = q.map_err(bad_query)?;
    let filter = filter_of(&q)?;
    let paging = paging?;
    let items = s.store.list_council_actions(p.org.id, &filter).await?;
    paging.slice("council_actions", items, |a| (a.done, a.due_on.to_string(), a.id))
}

/// Adds an action item: who (an active person), what, by when.
#[utoipa::path(post, path = "/api/v1/council/meetings/{meeting_id}/action-items", tag = "council",
    operation_id = "council_add_action_item", params(("meeting_id" = i64, Path)), request_body = CouncilActionDraft,
    responses((status = 201, body = CouncilActionItem), (status = 400, description = "malformed JSON"),
        (status = 404, description = "no such meeting"), (status = 422, description = "a field is missing or invalid, or the owner is unknown")))]
async fn add_action(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(meeting): ApiPath<Id>,
    d: Result<ApiJson<CouncilActionDraft>, AppError>,
) -> Result<(StatusCode, Json<CouncilActionItem>), AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_council_meeting(p.org.id, meeting).await?;
    let ApiJson(d) = d?;
    let input = d.validate()?;
    Ok((StatusCode::CREATED, Json(s.store.add_council_action(p.org.id, meeting, &input).await?)))
}

/// Changes an action item whole (text, owner, due date, done).
#[utoipa::path(put, path = "/api/v1/council/action-items/{action_item_id}", tag = "council",
    operation_id = "council_update_action_item", params(("action_item_id" = i64, Path)), request_body = CouncilActionDraft,
    responses((status = 200, body = CouncilActionItem), (status = 400, description = "malformed JSON"),
        (status = 404, description = "no such action item"), (status = 422, description = "a field is missing or invalid")))]
async fn update_action(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    d: Result<ApiJson<CouncilActionDraft>, AppError>,
) -> Result<Json<CouncilActionItem>, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_council_action(p.org.id, id).await?;
    let ApiJson(d) = d?;
    let input = d.validate()?;
    Ok(Json(s.store.update_council_action(p.org.id, id, &input).await?))
}

#[utoipa::path(delete, path = "/api/v1/council/action-items/{action_item_id}", tag = "council",
    operation_id = "council_delete_action_item", params(("action_item_id" = i64, Path)),
    responses((status = 204, description = "removed"), (status = 404, description = "no such action item")))]
async fn delete_action(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.delete_council_action(p.org.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ticks an action item done (or not).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CouncilActionTick {
    pub done: bool,
    /// Who ticks it, for API tokens (an account acts as its person).
    pub person_id: Option<Id>,
}

/// Whether the principal may tick action item `owner`'s: planners any,
/// contributors their own.
pub(crate) fn may_tick(p: &Principal, acting: Option<Id>, owner: Id) -> Result<(), AppError> {
    if p.can(Permission::EditPlan) {
        return Ok(());
    }
    p.require(Permission::Contribute)?;
    let me = crate::api::ideas::acting_person(p, acting, "person_id")?;
    if me == owner {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The owner (or a planner) ticks an action item done or open again.
#[utoipa::path(post, path = "/api/v1/council/action-items/{action_item_id}/done", tag = "council",
    operation_id = "council_tick_action_item", params(("action_item_id" = i64, Path)), request_body = CouncilActionTick,
    responses((status = 200, body = CouncilActionItem), (status = 400, description = "malformed JSON"),
        (status = 404, description = "no such action item"), (status = 422, description = "`done` is missing")))]
async fn tick_action(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    d: Result<ApiJson<CouncilActionTick>, AppError>,
) -> Result<Json<CouncilActionItem>, AppError> {
    p.require(Permission::Contribute)?;
    let item = s.store.get_council_action(p.org.id, id).await?;
    let ApiJson(d) = d?;
    may_tick(&p, d.person_id, item.owner_id)?;
    Ok(Json(s.store.set_council_action_done(p.org.id, id, d.done).await?))
}
