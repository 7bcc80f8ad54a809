//! Cases (D1–D3): list (the queue), open by hand, read, assign, record
//! RESOLVED steps, close, reopen. Reading needs `ReadProgram`; everything
//! that changes a case needs `WorkCases`. Steps are recorded by the caller
//! (`done_by` is the caller's e-mail or token name) at the server's clock.

use super::extract::{ApiJson, ApiPath};
use super::feedback::parse_int;
use super::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{SubsecRound, Utc};
use rapport_core::case::promise::{breaches, Breach};
use rapport_core::case::resolved::{Step, StepDraft};
use rapport_core::case::triage::{normalize_tag, Priority, MAX_TAG_CHARS};
use rapport_core::case::{Case, CaseDraft, CaseStatus};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::{CaseFilter, CaseKey};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, open))
        .routes(routes!(get_one))
        .routes(routes!(assign))
        .routes(routes!(step))
        .routes(routes!(close))
        .routes(routes!(reopen))
}

/// A case and where it stands against its promises right now.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseView {
    #[serde(flatten)]
    pub case: Case,
    /// Open with a promise broken (late now, or recorded as broken).
    pub overdue: bool,
    pub breaches: Vec<Breach>,
    /// The next RESOLVED step to record, if any.
    #[schema(value_type = Option<String>)]
    pub next_step: Option<Step>,
}

impl CaseView {
    pub fn of(case: Case) -> Self {
        let now = Utc::now();
        let breaches = breaches(&case, now);
        let next_step = rapport_core::case::resolved::next_step(&case.steps);
        CaseView { overdue: case.is_overdue(now), breaches, next_step, case }
    }
}

/// The longest search text accepted.
pub const MAX_SEARCH_CHARS: usize = 200;

/// The cases counted for `X-Total-Count`: past this many, the header is left out.
pub const TOTAL_CAP: i64 = 10_000;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// `open` or `closed`.
    pub status: Option<String>,
    /// A person's id; `me` for the caller's own person; `unassigned` for nobody's.
    pub assignee: Option<String>,
    /// The customer's external id.
    pub customer: Option<String>,
    pub touchpoint: Option<String>,
    /// low, normal, high or urgent.
    pub priority: Option<String>,
    /// A tag (normalised as tags are).
    pub tag: Option<String>,
    /// `true`: only open cases whose next promise is past due and not kept.
    pub breached: Option<String>,
    /// Words that each begin a word of the title or of the customer's id, name or e-mail.
    pub q: Option<String>,
}

impl CaseQuery {
    /// The store's filter for one page (see [`Paging::fetch`]).
    pub fn filter(&self, p: &Principal, paging: &Paging) -> Result<CaseFilter, AppError> {
        let mut e = FieldErrors::new();
        let status = match self.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => CaseStatus::parse(s).or_else(|| {
                e.add("status", "invalid", "must be open or closed");
                None
            }),
        };
        let unassigned = self.assignee.as_deref().map(str::trim) == Some("unassigned");
        let assignee = match self.assignee.as_deref().map(str::trim) {
            Some("unassigned") => None,
            Some("me") => match p.user.as_ref().and_then(|u| u.person_id) {
                Some(person) => Some(person),
                None => {
                    e.add("assignee", "no_person", "your account is not linked to a person");
                    None
                }
            },
            other => parse_int(&mut e, "assignee", other, 1..=i64::MAX),
        };
        let filter = CaseFilter {
            status,
            assignee,
            customer: self.customer.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(String::from),
            touchpoint: parse_int(&mut e, "touchpoint", self.touchpoint.as_deref(), 1..=i64::MAX),
            unassigned,
            priority: Priority::field(&mut e, "priority", self.priority.as_deref()),
            tag: self.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()).and_then(|t| {
                let tag = normalize_tag(t).filter(|t| t.chars().count() <= MAX_TAG_CHARS);
                if tag.is_none() {
                    e.add("tag", "invalid", "is not a tag: letters, digits, - and _, at most 32 characters");
                }
                tag
            }),
            breached_as_of: match self.breached.as_deref().map(str::trim) {
                None | Some("") | Some("false") | Some("0") => None,
                Some("true") | Some("1") => Some(now()),
                Some(_) => {
                    e.add("breached", "invalid", "must be true or false");
                    None
                }
            },
            search: match self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
                Some(q) if q.chars().count() > MAX_SEARCH_CHARS => {
                    e.add("q", "too_long", format!("at most {MAX_SEARCH_CHARS} characters"));
                    None
                }
                Some(q) if rapport_core::customer_search::words(q).is_empty() => {
                    e.add("q", "invalid", "needs letters or digits");
                    None
                }
                other => other.map(str::to_string),
            },
            limit: paging.fetch(),
            after: None,
        };
        let mut filter = e.into_result(filter)?;
        filter.after = paging.after::<CaseKey>("cases")?;
        Ok(filter)
    }
}

/// The queue: open cases first, by the next due time (overdue first), then
/// closed ones, a page at a time (keyset on that order: the `Link` header
/// names the next page), filtered by any of status, assignee, customer,
/// touchpoint, priority, tag, breached and a search `q`, combined.
/// `X-Total-Count` counts the filtered cases when there are fewer than
/// 10,000. Steps, items and history are left out (read one case).
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", operation_id = "list_cases", params(CaseQuery, PageParams),
    responses((status = 200, body = [CaseView]), (status = 422, description = "a filter, `limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
    q: Result<Query<CaseQuery>, QueryRejection>,
) -> Result<Listed<CaseView>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let Query(q) = q.map_err(super::extract::bad_query)?;
    let f = q.filter(&p, &paging)?;
    let (cases, total) =
        tokio::try_join!(s.store.list_cases(p.org.id, &f), s.store.count_cases(p.org.id, &f, TOTAL_CAP))?;
    let total = (total < TOTAL_CAP).then_some(total);
    Ok(paging.page("cases", cases, CaseKey::of).map(CaseView::of).with_total(total))
}

/// Open a case by hand for a customer (for example from their timeline).
/// Routed like one a rule opens unless `assignee_id` is given.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", operation_id = "open_case", request_body = CaseDraft,
    responses((status = 201, body = CaseView), (status = 409, description = "the customer has an open case at that touchpoint"), (status = 422)))]
async fn open(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(d): ApiJson<CaseDraft>,
) -> Result<(StatusCode, Json<CaseView>), AppError> {
    p.require(Permission::WorkCases)?;
    let input = d.validate()?;
    let case = s.store.open_case(p.org.id, &input, &p.actor, now()).await?;
    s.outbox_wake.notify_one();
    Ok((StatusCode::CREATED, Json(CaseView::of(case))))
}

/// One case with its RESOLVED steps, linked feedback and history.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", operation_id = "get_case",
    params(("id" = i64, Path)), responses((status = 200, body = CaseView), (status = 404)))]
async fn get_one(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<CaseView>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(CaseView::of(s.store.get_case(p.org.id, id).await?)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AssignBody {
    pub assignee_id: Option<Id>,
}

/// Give the case to someone else (recorded in its history).
#[utoipa::path(post, path = "/api/v1/cases/{id}/assign", tag = "cases", operation_id = "assign_case",
    params(("id" = i64, Path)), request_body = AssignBody, responses((status = 200, body = CaseView), (status = 404), (status = 409), (status = 422)))]
async fn assign(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<AssignBody>,
) -> Result<Json<CaseView>, AppError> {
    p.require(Permission::WorkCases)?;
    s.store.get_case(p.org.id, id).await?;
    let assignee = b.assignee_id.ok_or_else(|| FieldErrors::single("assignee_id", "required", "is required"))?;
    let case = s.store.assign_case(p.org.id, id, assignee, &p.actor, now()).await?;
    s.outbox_wake.notify_one();
    Ok(Json(CaseView::of(case)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct StepBody {
    /// respond, empathize, seek, open, listen, verify, eliminate or document.
    pub step: Option<String>,
    #[serde(flatten)]
    pub fields: StepDraft,
}

/// Record a RESOLVED step. Steps go in order (an earlier missing step is a
/// 422 on `step`); recording a step again replaces what it says.
#[utoipa::path(post, path = "/api/v1/cases/{id}/steps", tag = "cases", operation_id = "record_case_step",
    params(("id" = i64, Path)), request_body = StepBody, responses((status = 200, body = CaseView), (status = 404), (status = 409, description = "the case is closed"), (status = 422)))]
async fn step(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<StepBody>,
) -> Result<Json<CaseView>, AppError> {
    p.require(Permission::WorkCases)?;
    s.store.get_case(p.org.id, id).await?;
    let step = b.step.as_deref().map(str::trim).and_then(Step::parse).ok_or_else(|| {
        FieldErrors::single(
            "step",
            "invalid",
            "must be respond, empathize, seek, open, listen, verify, eliminate or document",
        )
    })?;
    let input = b.fields.validate(step)?;
    Ok(Json(CaseView::of(s.store.record_step(p.org.id, id, &input, &p.actor, now()).await?)))
}

/// Close a case: refused (422 on `status`) until Verify records that the
/// customer agreed and Document names the root cause.
#[utoipa::path(post, path = "/api/v1/cases/{id}/close", tag = "cases", operation_id = "close_case",
    params(("id" = i64, Path)), responses((status = 200, body = CaseView), (status = 404), (status = 409), (status = 422)))]
async fn close(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<Json<CaseView>, AppError> {
    p.require(Permission::WorkCases)?;
    let case = s.store.close_case(p.org.id, id, &p.actor, now()).await?;
    s.outbox_wake.notify_one();
    Ok(Json(CaseView::of(case)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ReopenBody {
    pub reason: Option<String>,
}

/// Reopen a closed case, with a fresh resolution promise.
#[utoipa::path(post, path = "/api/v1/cases/{id}/reopen", tag = "cases", operation_id = "reopen_case",
    params(("id" = i64, Path)), request_body = ReopenBody, responses((status = 200, body = CaseView), (status = 404), (status = 409)))]
async fn reopen(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<ReopenBody>,
) -> Result<Json<CaseView>, AppError> {
    p.require(Permission::WorkCases)?;
    let reason = b.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    Ok(Json(CaseView::of(s.store.reopen_case(p.org.id, id, reason, &p.actor, now()).await?)))
}

/// The server's clock as stored (microseconds).
pub(crate) fn now() -> chrono::DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
