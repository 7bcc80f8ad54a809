//! Ideas (D4): anyone but a viewer submits, votes and comments
//! (`Contribute`); reviewers move, file and merge them (`EditPlan`). The
//! acting person is the signed-in account's person; API tokens act for
//! nobody and name the person in the body (`author_id` / `person_id`).

use super::extract::{ApiJson, ApiPath};
use super::page::{Listed, PageParams, Paging};
use crate::auth::{Principal, Via};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use rapport_core::improve::idea::CommentDraft;
use rapport_core::improve::{Idea, IdeaDraft, IdeaSource, IdeaStatus};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::{IdeaComment, IdeaDetail, IdeaFilter, TimeKey};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(today))
        .routes(routes!(get_one))
        .routes(routes!(vote, unvote))
        .routes(routes!(comment))
        .routes(routes!(set_status))
        .routes(routes!(file))
        .routes(routes!(merge))
        .routes(routes!(from_root_cause))
}

/// The person acting: the signed-in account's person; for an API token, the
/// one the body names in `field`. Answers 422 naming `field` otherwise.
pub(crate) fn acting_person(p: &Principal, given: Option<Id>, field: &str) -> Result<Id, AppError> {
    match (&p.via, p.user.as_ref().and_then(|u| u.person_id)) {
        (_, Some(id)) => Ok(id),
        (Via::Token(_), None) => given.ok_or_else(|| {
            AppError::Invalid(FieldErrors::single(
                field,
                "required",
                format!("an API token acts for no person: name the person in `{field}`"),
            ))
        }),
        _ => Err(AppError::Invalid(FieldErrors::single(
            field,
            "no_person",
            "your account is not linked to a person of the organization; ask an admin to link it",
        ))),
    }
}

/// An idea with who voted, what was said and the cases it came from.
#[derive(Debug, Serialize, ToSchema)]
pub struct IdeaView {
    #[serde(flatten)]
    pub idea: Idea,
    pub voters: Vec<Id>,
    pub comment_list: Vec<CommentView>,
    pub case_ids: Vec<Id>,
    pub root_cause_id: Option<Id>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CommentView {
    pub id: Id,
    pub idea_id: Id,
    pub author_id: Id,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

impl From<IdeaComment> for CommentView {
    fn from(c: IdeaComment) -> Self {
        CommentView { id: c.id, idea_id: c.idea_id, author_id: c.author_id, body: c.body, created_at: c.created_at }
    }
}

impl From<IdeaDetail> for IdeaView {
    fn from(d: IdeaDetail) -> Self {
        IdeaView {
            idea: d.idea,
            voters: d.voters,
            comment_list: d.comment_list.into_iter().map(Into::into).collect(),
            case_ids: d.case_ids,
            root_cause_id: d.root_cause_id,
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IdeaQuery {
    /// new, under_review, approved, rejected, planned, in_sprint or implemented.
    status: Option<String>,
    touchpoint_id: Option<Id>,
    author_id: Option<Id>,
    /// `true` to include merged duplicates.
    merged: Option<bool>,
}

/// Ideas, newest first, a page at a time (the `Link` header names the next).
#[utoipa::path(get, path = "/api/v1/ideas", tag = "improve", operation_id = "list_ideas", params(IdeaQuery, PageParams),
    responses((status = 200, body = [Idea]), (status = 422, description = "a filter, `limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
    q: Result<Query<IdeaQuery>, QueryRejection>,
) -> Result<Listed<Idea>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let Query(q) = q.map_err(super::extract::bad_query)?;
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(v) => Some(
            IdeaStatus::parse(v)
                .ok_or_else(|| AppError::Invalid(FieldErrors::single("status", "invalid", "is not an idea status")))?,
        ),
    };
    let f = IdeaFilter {
        status,
        touchpoint: q.touchpoint_id,
        author: q.author_id,
        include_merged: q.merged.unwrap_or(false),
        after: paging.after::<TimeKey>("ideas")?,
        limit: paging.fetch(),
    };
    let ideas = s.store.list_ideas(p.org.id, &f).await?;
    Ok(paging.page("ideas", ideas, |i| TimeKey { at: i.created_at, id: i.id }))
}

/// An idea; `author_id` only for API tokens.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct IdeaBody {
    #[serde(flatten)]
    pub draft: IdeaDraft,
    pub author_id: Option<Id>,
}

#[utoipa::path(post, path = "/api/v1/ideas", tag = "improve", operation_id = "create_idea", request_body = IdeaBody,
    responses((status = 201, body = Idea), (status = 422)))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(b): ApiJson<IdeaBody>,
) -> Result<(StatusCode, Json<Idea>), AppError> {
    p.require(Permission::Contribute)?;
    let source = if matches!(p.via, Via::Token(_)) { IdeaSource::Api } else { IdeaSource::Web };
    let input = b.draft.validate(source)?;
    let author = acting_person(&p, b.author_id, "author_id")?;
    Ok((StatusCode::CREATED, Json(s.store.create_idea(p.org.id, author, &input).await?)))
}

/// The idea of the day (home page): one of the best-voted recent ideas, the
/// same all day; `null` when there is none.
#[utoipa::path(get, path = "/api/v1/ideas/today", tag = "improve", operation_id = "idea_of_the_day",
    responses((status = 200, body = Option<Idea>)))]
async fn today(State(s): State<AppState>, p: Principal) -> Result<Json<Option<Idea>>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.idea_of_the_day(p.org.id, Utc::now().date_naive()).await?))
}

#[utoipa::path(get, path = "/api/v1/ideas/{id}", tag = "improve", operation_id = "get_idea",
    params(("id" = i64, Path)), responses((status = 200, body = IdeaView), (status = 404)))]
async fn get_one(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<IdeaView>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(s.store.get_idea(p.org.id, id).await?.into()))
}

/// Who acts; only API tokens name a person.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct PersonBody {
    pub person_id: Option<Id>,
}

/// One vote per person: a second answers 409.
#[utoipa::path(post, path = "/api/v1/ideas/{id}/votes", tag = "improve", operation_id = "vote_idea",
    params(("id" = i64, Path)), request_body = PersonBody,
    responses((status = 200, body = Idea), (status = 404), (status = 409), (status = 422)))]
async fn vote(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<PersonBody>,
) -> Result<Json<Idea>, AppError> {
    p.require(Permission::Contribute)?;
    s.store.get_idea(p.org.id, id).await?;
    let person = acting_person(&p, b.person_id, "person_id")?;
    Ok(Json(s.store.vote_idea(p.org.id, id, person).await?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonQuery {
    /// Only for API tokens: whose vote.
    person_id: Option<Id>,
}

/// Withdraws the caller's vote.
#[utoipa::path(delete, path = "/api/v1/ideas/{id}/votes", tag = "improve", operation_id = "unvote_idea",
    params(("id" = i64, Path), PersonQuery), responses((status = 200, body = Idea), (status = 404), (status = 422)))]
async fn unvote(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    q: Result<Query<PersonQuery>, QueryRejection>,
) -> Result<Json<Idea>, AppError> {
    p.require(Permission::Contribute)?;
    let Query(q) = q.map_err(super::extract::bad_query)?;
    s.store.get_idea(p.org.id, id).await?;
    let person = acting_person(&p, q.person_id, "person_id")?;
    Ok(Json(s.store.unvote_idea(p.org.id, id, person).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CommentBody {
    #[serde(flatten)]
    pub draft: CommentDraft,
    /// Only for API tokens.
    pub author_id: Option<Id>,
}

#[utoipa::path(post, path = "/api/v1/ideas/{id}/comments", tag = "improve", operation_id = "comment_idea",
    params(("id" = i64, Path)), request_body = CommentBody,
    responses((status = 201, body = CommentView), (status = 404), (status = 422)))]
async fn comment(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<CommentBody>,
) -> Result<(StatusCode, Json<CommentView>), AppError> {
    p.require(Permission::Contribute)?;
    s.store.get_idea(p.org.id, id).await?;
    let body = b.draft.validate()?;
    let author = acting_person(&p, b.author_id, "author_id")?;
    Ok((StatusCode::CREATED, Json(s.store.comment_idea(p.org.id, id, author, &body).await?.into())))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StatusBody {
    pub status: Option<String>,
    /// Required to reject: the author is told.
    pub reason: Option<String>,
}

/// Moves the idea (new → under_review → approved or rejected → planned →
/// in_sprint → implemented); the author is told by e-mail and on the stream.
#[utoipa::path(post, path = "/api/v1/ideas/{id}/status", tag = "improve", operation_id = "set_idea_status",
    params(("id" = i64, Path)), request_body = StatusBody,
    responses((status = 200, body = Idea), (status = 404), (status = 422)))]
async fn set_status(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<StatusBody>,
) -> Result<Json<Idea>, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_idea(p.org.id, id).await?;
    let to = match b.status.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => return Err(FieldErrors::single("status", "required", "is required").into()),
        Some(v) => IdeaStatus::parse(v)
            .ok_or_else(|| AppError::Invalid(FieldErrors::single("status", "invalid", "is not an idea status")))?,
    };
    Ok(Json(s.store.set_idea_status(p.org.id, id, to, b.reason.as_deref(), &p.actor).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct FilingBody {
    pub touchpoint_id: Option<Id>,
    pub experience_id: Option<Id>,
}

/// Files the idea on a touchpoint and/or experience (e-mailed ideas arrive unfiled).
#[utoipa::path(put, path = "/api/v1/ideas/{id}/filing", tag = "improve", operation_id = "file_idea",
    params(("id" = i64, Path)), request_body = FilingBody,
    responses((status = 200, body = Idea), (status = 404), (status = 422)))]
async fn file(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<FilingBody>,
) -> Result<Json<Idea>, AppError> {
    p.require(Permission::EditPlan)?;
    Ok(Json(s.store.file_idea(p.org.id, id, b.touchpoint_id, b.experience_id).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct MergeBody {
    /// The idea this one duplicates.
    pub target_id: Option<Id>,
}

/// Merges this idea into `target_id`: votes move (a union), comments stay.
/// Answers the target.
#[utoipa::path(post, path = "/api/v1/ideas/{id}/merge", tag = "improve", operation_id = "merge_idea",
    params(("id" = i64, Path)), request_body = MergeBody,
    responses((status = 200, body = Idea), (status = 404), (status = 422)))]
async fn merge(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<MergeBody>,
) -> Result<Json<Idea>, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_idea(p.org.id, id).await?;
    let target = b.target_id.ok_or_else(|| {
        AppError::Invalid(FieldErrors::single("target_id", "required", "name the idea to merge into"))
    })?;
    Ok(Json(s.store.merge_idea(p.org.id, id, target).await?))
}

/// From a recurring root cause: an idea linked to the cause's closed cases.
#[utoipa::path(post, path = "/api/v1/root-causes/{id}/idea", tag = "improve", operation_id = "idea_from_root_cause",
    params(("id" = i64, Path)), request_body = IdeaBody,
    responses((status = 201, body = IdeaView), (status = 404), (status = 422)))]
async fn from_root_cause(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<IdeaBody>,
) -> Result<(StatusCode, Json<IdeaView>), AppError> {
    p.require(Permission::Contribute)?;
    if !s.store.list_root_causes(p.org.id).await?.iter().any(|r| r.id == id) {
        return Err(AppError::NotFound);
    }
    let source = if matches!(p.via, Via::Token(_)) { IdeaSource::Api } else { IdeaSource::Web };
    let input = b.draft.validate(source)?;
    let author = acting_person(&p, b.author_id, "author_id")?;
    let made = s.store.create_idea_from_root_cause(p.org.id, id, author, &input).await?;
    Ok((StatusCode::CREATED, Json(made.into())))
}
