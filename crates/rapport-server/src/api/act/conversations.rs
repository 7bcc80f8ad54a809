//! D1/D2. A case's conversation: replies by e-mail, the customer's
//! answers through the inbound endpoint (`case_inbound`), internal notes,
//! and the organization's reply templates.
//!
//! Reading the thread needs `ReadProgram`; writing a reply or a note
//! `WorkCases`; the templates are read with `ReadProgram` and written with
//! `EditPlan` (like the case rules). The thread pages by keyset: each
//! message carries `cursor`, the `after` that reads what follows it (what
//! the case page polls with).

use super::reply::{compose, language_of, reply_address, reply_domain};
use crate::api::extract::{ApiJson, ApiPath};
use crate::api::page::{encode, Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, SubsecRound, Utc};
use rapport_core::case::conversation::templates::{effective, CaseReplyTemplate, CaseReplyTemplateDraft};
use rapport_core::case::conversation::{CaseMessage, CaseMessageDraft};
use rapport_core::case::resolved::Step;
use rapport_core::role::Permission;
use rapport_core::Id;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The list name of a thread's cursors.
pub(crate) const MESSAGES: &str = "case_messages";

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_messages, post_message))
        .routes(routes!(conversation))
        .routes(routes!(list_templates))
        .routes(routes!(save_template, reset_template))
        .merge(super::case_inbound::routes())
}

/// A message of the thread with the cursor that reads what follows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseMessageView {
    #[serde(flatten)]
    pub message: CaseMessage,
    /// Pass as `after` to read the messages after this one.
    pub cursor: String,
}

impl CaseMessageView {
    pub(crate) fn of(message: CaseMessage) -> Self {
        CaseMessageView { cursor: encode(MESSAGES, &message.id), message }
    }
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/messages", tag = "cases", operation_id = "list_case_messages",
    params(("id" = i64, Path), PageParams),
    responses((status = 200, body = [CaseMessageView]), (status = 404), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list_messages(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    paging: Paging,
) -> Result<Listed<CaseMessageView>, AppError> {
    p.require(Permission::ReadProgram)?;
    let after = paging.after::<Id>(MESSAGES)?;
    let rows = s.store.list_case_messages(p.org.id, id, after, paging.fetch()).await?;
    Ok(paging.page(MESSAGES, rows, |m| m.id).map(CaseMessageView::of))
}

#[utoipa::path(post, path = "/api/v1/cases/{id}/messages", tag = "cases", operation_id = "post_case_message",
    params(("id" = i64, Path)), request_body = CaseMessageDraft,
    responses((status = 201, body = CaseMessageView), (status = 404),
        (status = 409, description = "a reply on a closed case: reopen it first"),
        (status = 422, description = "a field is invalid, or the customer has no e-mail (`kind`)")))]
async fn post_message(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(draft): ApiJson<CaseMessageDraft>,
) -> Result<(StatusCode, Json<CaseMessageView>), AppError> {
    p.require(Permission::WorkCases)?;
    // Another organization's case is a 404 whatever the body says.
    s.store.case_contact(p.org.id, id).await?;
    let input = draft.validate()?;
    let message = compose(&s, &p, id, &input).await?;
    let saved = s.store.add_case_message(p.org.id, id, &message, &p.actor, Utc::now().trunc_subsecs(6)).await?;
    if message.payload.is_some() {
        s.outbox_wake.notify_one();
    }
    Ok((StatusCode::CREATED, Json(CaseMessageView::of(saved))))
}

/// Where a case's conversation stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseConversationView {
    pub case_id: Id,
    /// The customer's e-mail, where replies go; `None`: notes only.
    pub customer_email: Option<String>,
    /// The language replies are written in by default (`en`, `es`).
    pub language: String,
    /// Since when the case waits on the customer (after a reply).
    pub waiting_since: Option<DateTime<Utc>>,
    /// The signed address the customer's answers come back to (what the
    /// replies' `Reply-To` says).
    pub reply_to: String,
}

#[utoipa::path(get, path = "/api/v1/cases/{id}/conversation", tag = "cases", operation_id = "get_case_conversation",
    params(("id" = i64, Path)), responses((status = 200, body = CaseConversationView), (status = 404)))]
async fn conversation(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<CaseConversationView>, AppError> {
    p.require(Permission::ReadProgram)?;
    let contact = s.store.case_contact(p.org.id, id).await?;
    let settings = s.store.org_settings(p.org.id).await?;
    let reply_to = reply_address(&s, p.org.id, id).await?.address(&reply_domain(&s.config));
    Ok(Json(CaseConversationView {
        case_id: id,
        language: language_of(&contact, settings.default_language).code().into(),
        customer_email: contact.email,
        waiting_since: contact.waiting_since,
        reply_to,
    }))
}

#[utoipa::path(get, path = "/api/v1/case-reply-templates", tag = "cases", operation_id = "list_case_reply_templates",
    params(PageParams),
    responses((status = 200, body = [CaseReplyTemplate], description = "one per RESOLVED step, in step order"),
        (status = 422, description = "`limit` or `after` is invalid")))]
async fn list_templates(
    State(s): State<AppState>,
    p: Principal,
    paging: Paging,
) -> Result<Listed<CaseReplyTemplate>, AppError> {
    p.require(Permission::ReadProgram)?;
    let all = effective(&s.store.list_reply_templates(p.org.id).await?);
    paging.slice("case_reply_templates", all, |t| t.step.number() as i64)
}

fn step_of(key: &str) -> Result<Step, AppError> {
    // A step that is not one is no template: 404, as an unknown id.
    Step::parse(key).ok_or(AppError::NotFound)
}

#[utoipa::path(put, path = "/api/v1/case-reply-templates/{step}", tag = "cases", operation_id = "save_case_reply_template",
    params(("step" = String, Path, description = "a RESOLVED step: respond, empathize, seek, open, listen, verify, eliminate, document")),
    request_body = CaseReplyTemplateDraft,
    responses((status = 200, body = CaseReplyTemplate), (status = 404, description = "no such step"),
        (status = 422, description = "a text is missing or too long, or names an unknown placeholder (the field is named)")))]
async fn save_template(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(step): ApiPath<String>,
    ApiJson(draft): ApiJson<CaseReplyTemplateDraft>,
) -> Result<Json<CaseReplyTemplate>, AppError> {
    p.require(Permission::EditPlan)?;
    let step = step_of(&step)?;
    let t = draft.validate(step).map_err(AppError::Invalid)?;
    Ok(Json(s.store.save_reply_template(p.org.id, &t, Utc::now()).await?))
}

#[utoipa::path(delete, path = "/api/v1/case-reply-templates/{step}", tag = "cases", operation_id = "reset_case_reply_template",
    params(("step" = String, Path)),
    responses((status = 204, description = "back to the built-in template"), (status = 404, description = "no such step")))]
async fn reset_template(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(step): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.reset_reply_template(p.org.id, step_of(&step)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
