//! Feedback and behaviour (B4, B6): batch ingestion of responses and events
//! (one JSON object, a JSON array, or NDJSON), their filtered lists, and the
//! real-time stream of what the organization hears.
//!
//! Ingestion is allowed to the roles that feed data in day to day: admin,
//! leader, owner and agent (see [`require_ingest`]); members and viewers
//! read only.

use crate::auth::Principal;
use crate::error::AppError;
use crate::ingest::{self, BatchReport, ItemStatus};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::stream::{Stream, StreamExt};
use rapport_core::feedback::{Event, EventDraft, Response, ResponseDraft};
use rapport_core::role::{Permission, Role};
use rapport_core::validate::FieldErrors;

use super::page::{Listed, PageParams, Paging};
use rapport_store::{FeedbackFilter, NoticeKind, TimeKey};
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::error::RecvError;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The largest ingestion body (100,000 NDJSON lines of a few hundred bytes).
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_responses, post_responses))
        .routes(routes!(list_events, post_events))
        .routes(routes!(stream))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// Ingestion is for roles that feed data in: admin, leader, owner, agent.
pub(crate) fn require_ingest(p: &Principal) -> Result<(), AppError> {
    match p.role {
        Role::Admin | Role::Leader | Role::Owner | Role::Agent => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Whether the body is NDJSON (by its content type).
fn is_ndjson(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-ndjson") || v.starts_with("application/jsonl"))
}

/// Whether the body is one JSON object (rather than an array or NDJSON).
fn is_single(body: &[u8], ndjson: bool) -> bool {
    // Anything but an array is one item: an object, or a value that is
    // rejected as one (422, not a batch of one rejected item).
    !ndjson && body.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|b| *b != b'[')
}

/// The answer to an ingestion: the report, 200; for a single object, 201 when
/// stored, 200 when a duplicate, 422 with its fields when rejected.
fn answer(report: BatchReport, single: bool) -> Result<(StatusCode, Json<BatchReport>), AppError> {
    if single {
        if let Some(item) = report.items.first() {
            match item.status {
                ItemStatus::Accepted => return Ok((StatusCode::CREATED, Json(report))),
                ItemStatus::Rejected => {
                    return Err(AppError::Invalid(item.errors.clone().unwrap_or_default()));
                }
                ItemStatus::Duplicate => {}
            }
        }
    }
    Ok((StatusCode::OK, Json(report)))
}

/// Store survey responses: one JSON object, a JSON array, or NDJSON
/// (`Content-Type: application/x-ndjson`, up to 100,000 lines). Each item may
/// carry an `id` (idempotency key): re-sending it stores nothing. Valid items
/// are stored even when others are rejected; the report names each item by its
/// 0-based index. On 2xx every accepted item is committed. Roles: admin,
/// leader, owner, agent.
#[utoipa::path(post, path = "/api/v1/responses", tag = "feedback", operation_id = "ingest_responses",
    request_body(content((ResponseDraft = "application/json"), (ResponseDraft = "application/x-ndjson"))),
    responses((status = 200, body = BatchReport, description = "a batch, or a single duplicate"), (status = 201, body = BatchReport, description = "a single item, stored"),
        (status = 400, description = "malformed body"), (status = 422, description = "a single item, rejected")))]
async fn post_responses(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<BatchReport>), AppError> {
    ingest_body(&s, &p, &headers, &body, Items::Responses).await
}

/// Store behaviour events (purchase, referral, renewal, non_renewal,
/// cancellation, refund, contact, touchpoint_visit or `custom:NAME`); same
/// body and answer rules as `POST /api/v1/responses`.
#[utoipa::path(post, path = "/api/v1/events", tag = "feedback", operation_id = "ingest_events",
    request_body(content((EventDraft = "application/json"), (EventDraft = "application/x-ndjson"))),
    responses((status = 200, body = BatchReport, description = "a batch, or a single duplicate"), (status = 201, body = BatchReport, description = "a single item, stored"),
        (status = 400, description = "malformed body"), (status = 422, description = "a single item, rejected")))]
async fn post_events(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<BatchReport>), AppError> {
    ingest_body(&s, &p, &headers, &body, Items::Events).await
}

/// What an ingestion body holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Items {
    Responses,
    Events,
    Customers,
}

/// The one ingestion handler body: checks the role, splits the body into
/// items (NDJSON by content type), runs them through `ingest` and answers.
pub(crate) async fn ingest_body(
    s: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    body: &[u8],
    items: Items,
) -> Result<(StatusCode, Json<BatchReport>), AppError> {
    require_ingest(p)?;
    let ndjson = is_ndjson(headers);
    let (store, org) = (&*s.store, p.org.id);
    let report = match items {
        Items::Responses => ingest::responses(store, org, ingest::parse_items::<ResponseDraft>(body, ndjson)?).await?,
        Items::Events => ingest::events(store, org, ingest::parse_items::<EventDraft>(body, ndjson)?).await?,
        Items::Customers => {
            ingest::customers(store, org, ingest::parse_items::<ingest::CustomerDraft>(body, ndjson)?).await?
        }
    };
    answer(report, is_single(body, ndjson))
}

/// Filters of the feedback lists (paging: [`PageParams`]).
#[derive(Debug, Default, Clone, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedbackQuery {
    /// The customer's external id.
    pub customer: Option<String>,
    /// A touchpoint id.
    pub touchpoint: Option<String>,
    /// A survey id (responses only).
    pub survey: Option<String>,
    /// From this day (YYYY-MM-DD, UTC) or time (RFC 3339), inclusive.
    pub from: Option<String>,
    /// Until this day or time, exclusive.
    pub to: Option<String>,
    /// Responses only: the touchpoints of this experience.
    pub experience: Option<String>,
    /// Responses only: customers now in this segment.
    pub segment: Option<String>,
    /// Responses only: the sentiment of what the customer wrote (the
    /// comment and free-text answers): `negative`, `neutral`, `positive`,
    /// `mixed`.
    pub sentiment: Option<String>,
    /// Responses only: the score's band: `detractor`, `passive`, `promoter`
    /// (NPS) or `csat_low`, `csat_neutral`, `csat_high`.
    pub band: Option<String>,
    /// Responses only: `wow` (strong delight) or `anger`.
    pub flag: Option<String>,
    /// Responses only: `true` for responses where the customer wrote
    /// something (a comment or a free-text answer).
    pub has_comment: Option<String>,
    /// Responses only: `en` or `es` (given, or detected from the comment).
    pub language: Option<String>,
    /// Responses only: the channel, as sent.
    pub channel: Option<String>,
    /// Responses only: comments that mention this theme (`/api/v1/themes`).
    pub theme: Option<String>,
    /// Responses only: comments holding every word (at most 8 used) in any
    /// of its forms, English or Spanish ("entregas" finds "entrega").
    pub q: Option<String>,
    /// Offset paging is gone (a deep page cost a scan of every row before
    /// it): answered 422, use `after`.
    #[param(ignore)]
    pub offset: Option<String>,
}

/// With filters, the lists count at most this many matching rows (then
/// `total_is_estimate`); without, the total is the kept counter. A common
/// theme or word with other conditions is counted in at most twice as many
/// of its newest responses (then `total_is_estimate` too).
pub const COUNT_AT_MOST: i64 = 10_000;

fn parse_time(e: &mut FieldErrors, field: &str, v: Option<&str>) -> Option<DateTime<Utc>> {
    let v = v.map(str::trim).filter(|v| !v.is_empty())?;
    if let Ok(t) = DateTime::parse_from_rfc3339(v) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return Some(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    e.add(field, "invalid_date", "must be YYYY-MM-DD or an RFC 3339 time");
    None
}

pub(super) fn parse_int(
    e: &mut FieldErrors,
    field: &str,
    v: Option<&str>,
    range: std::ops::RangeInclusive<i64>,
) -> Option<i64> {
    let v = v.map(str::trim).filter(|v| !v.is_empty())?;
    match v.parse::<i64>() {
        Ok(n) if range.contains(&n) => Some(n),
        Ok(_) => {
            e.add(field, "out_of_range", format!("must be between {} and {}", range.start(), range.end()));
            None
        }
        Err(_) => {
            e.add(field, "invalid_type", "must be a whole number");
            None
        }
    }
}

impl FeedbackQuery {
    /// The store's filter for one page (`paging`'s `limit` plus one: see
    /// [`Paging::fetch`]), after the cursor of the list named `list`.
    pub fn filter(&self, paging: &Paging, list: &str) -> Result<FeedbackFilter, AppError> {
        let mut filter = self.conditions(paging.fetch())?;
        filter.after = paging.after::<TimeKey>(list)?;
        Ok(filter)
    }

    /// The conditions as a filter of `limit` rows from the newest (the web
    /// inbox reads the same query), or the problem of each parameter.
    pub fn conditions(&self, limit: i64) -> Result<FeedbackFilter, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.offset.as_deref().is_some_and(|o| !o.trim().is_empty()) {
            e.add("offset", "unsupported", "offset paging was removed: pass the previous page's `next` as `after`");
        }
        let filter = FeedbackFilter {
            customer: self.customer.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(String::from),
            touchpoint: parse_int(&mut e, "touchpoint", self.touchpoint.as_deref(), 1..=i64::MAX),
            survey: parse_int(&mut e, "survey", self.survey.as_deref(), 1..=i64::MAX),
            from: parse_time(&mut e, "from", self.from.as_deref()),
            to: parse_time(&mut e, "to", self.to.as_deref()),
            limit,
            after: None,
            count_at_most: Some(COUNT_AT_MOST),
            text: super::text::text_filter(&mut e, self),
        };
        e.into_result(filter)
    }
}

fn query(q: Result<Query<FeedbackQuery>, QueryRejection>) -> Result<FeedbackQuery, AppError> {
    let Query(q) = q.map_err(super::extract::bad_query)?;
    Ok(q)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponsePage {
    /// Newest first (by `at`, then id).
    pub items: Vec<Response>,
    /// The cursor of the next page (pass it as `after`); null on the last page.
    pub next: Option<String>,
    /// How many match in all: without filters, the organization's kept
    /// count; with filters, counted up to 10,000 (a common `theme` or `q`
    /// with other filters: in at most its 20,002 newest responses).
    pub total: i64,
    /// Counting stopped (at 10,000, or at the 20,002 responses read): at
    /// least `total` match.
    pub total_is_estimate: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EventPage {
    /// Newest first (by `at`, then id).
    pub items: Vec<Event>,
    /// The cursor of the next page (pass it as `after`); null on the last page.
    pub next: Option<String>,
    /// How many match in all: without filters, the organization's kept
    /// count; with filters, counted up to 10,000.
    pub total: i64,
    /// Counting stopped at 10,000: at least `total` match.
    pub total_is_estimate: bool,
}

/// The headers of an envelope page: `Link` to the next page, and
/// `X-Total-Count` when the total is exact.
fn envelope_headers<T>(listed: &Listed<T>, total: i64, estimate: bool) -> HeaderMap {
    let mut headers = listed.headers();
    if !estimate {
        headers.insert(super::page::TOTAL_COUNT, total.into());
    }
    headers
}

/// List responses, newest first, a page at a time (keyset: `after` is the
/// previous page's `next`), with how many match.
#[utoipa::path(get, path = "/api/v1/responses", tag = "feedback", operation_id = "list_responses", params(FeedbackQuery, PageParams),
    responses((status = 200, body = ResponsePage), (status = 422, description = "a filter, `limit` or `after` is invalid")))]
async fn list_responses(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
    q: Result<Query<FeedbackQuery>, QueryRejection>,
) -> Result<(HeaderMap, Json<ResponsePage>), AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let f = query(q)?.filter(&paging, "responses")?;
    let page = s.store.list_responses(p.org.id, &f).await?;
    let listed = paging.page("responses", page.items, TimeKey::of_response);
    let headers = envelope_headers(&listed, page.total, page.total_is_estimate);
    let (total, total_is_estimate) = (page.total, page.total_is_estimate);
    Ok((headers, Json(ResponsePage { items: listed.items, next: listed.next, total, total_is_estimate })))
}

/// List events, newest first, a page at a time, with how many match
/// (`survey` does not apply).
#[utoipa::path(get, path = "/api/v1/events", tag = "feedback", operation_id = "list_events", params(FeedbackQuery, PageParams),
    responses((status = 200, body = EventPage), (status = 422, description = "a filter, `limit` or `after` is invalid")))]
async fn list_events(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
    q: Result<Query<FeedbackQuery>, QueryRejection>,
) -> Result<(HeaderMap, Json<EventPage>), AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let f = query(q)?.filter(&paging, "events")?;
    let page = s.store.list_events(p.org.id, &f).await?;
    let listed = paging.page("events", page.items, TimeKey::of_event);
    let headers = envelope_headers(&listed, page.total, page.total_is_estimate);
    let (total, total_is_estimate) = (page.total, page.total_is_estimate);
    Ok((headers, Json(EventPage { items: listed.items, next: listed.next, total, total_is_estimate })))
}

/// The event telling a client that fell behind to reload its lists.
fn reload(missed: u64) -> SseEvent {
    SseEvent::default().event("reload").data(format!("{{\"missed\":{missed}}}"))
}

/// Server-Sent Events: every response (`event: response`) and event
/// (`event: event`) of the caller's organization, every change of an
/// intent criterion's status (`event: intent_status`), and every change to
/// a case (`event: case`: opened, joined, assigned, escalated, worked,
/// closed, reopened) the caller is assigned to or escalated to (callers not
/// linked to a person, such as API tokens, receive every case), as JSON, within a
/// second of being committed by any server on the database. `event: reload` means some
/// were missed (the client fell behind): reload the lists. A comment is sent
/// every 15 seconds to keep the connection open.
#[utoipa::path(get, path = "/api/v1/stream", tag = "feedback", operation_id = "stream",
    responses((status = 200, content_type = "text/event-stream", body = String, description = "a stream of `response`, `event`, `intent_status`, `case` and `reload` events")))]
async fn stream(
    State(s): State<AppState>,
    p: Principal,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, AppError> {
    p.require(Permission::ReadProgram)?;
    let org = p.org.id;
    let person = p.user.as_ref().and_then(|u| u.person_id);
    let rx = s.store.subscribe();
    let subscriber = crate::ops::metrics::Subscriber::open();
    let events = futures_util::stream::unfold((rx, s.store.clone()), move |(mut rx, store)| async move {
        loop {
            let notice = match rx.recv().await {
                Ok(n) if n.org == org => n,
                Ok(_) => continue,
                Err(RecvError::Lagged(missed)) => {
                    // A browser's EventSource dispatches an event only with a
                    // data line: say how many notices were missed.
                    return Some((Ok(reload(missed)), (rx, store)));
                }
                Err(RecvError::Closed) => return None,
            };
            let event = match notice.kind {
                NoticeKind::Response => store
                    .get_response(org, notice.id)
                    .await
                    .ok()
                    .map(|r| SseEvent::default().event("response").json_data(r)),
                NoticeKind::Event => {
                    store.get_event(org, notice.id).await.ok().map(|e| SseEvent::default().event("event").json_data(e))
                }
                NoticeKind::Intent => {
                    let recent = store.intent_status_history(org, 50).await.ok().unwrap_or_default();
                    let status = recent.into_iter().find(|x| x.id == notice.id);
                    status.map(|x| SseEvent::default().event("intent_status").json_data(x))
                }
                NoticeKind::Case => store
                    .get_case(org, notice.id)
                    .await
                    .ok()
                    .filter(|c| concerns(person, c))
                    .map(|c| SseEvent::default().event("case").json_data(c)),
                // An idea's author hears of its moves.
                NoticeKind::Idea => store
                    .get_idea(org, notice.id)
                    .await
                    .ok()
                    .filter(|d| person.is_none_or(|p| p == d.idea.author_id))
                    .map(|d| SseEvent::default().event("idea").json_data(d.idea)),
                // Announcements go to their recipients.
                NoticeKind::Announcement => store
                    .get_announcement(org, notice.id)
                    .await
                    .ok()
                    .filter(|a| person.is_none_or(|p| a.recipients.contains(&p)))
                    .map(|a| {
                        SseEvent::default()
                            .event("announcement")
                            .json_data(super::announcements::AnnouncementView::from(a))
                    }),
            };
            // Gone already (erased) or not serialisable: nothing to send.
            if let Some(Ok(event)) = event {
                return Some((Ok(event.id(notice.id.to_string())), (rx, store)));
            }
        }
    });
    // The stream owns the subscriber: counted until the client goes.
    let events = events.map(move |e| {
        let _counted = &subscriber;
        e
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// Whether a case's news is for this person: its assignee or the leader it
/// was escalated to. Callers not linked to a person (integrations) get all.
fn concerns(person: Option<rapport_core::Id>, case: &rapport_core::case::Case) -> bool {
    match person {
        None => true,
        Some(p) => case.assignee_id == Some(p) || case.escalated_to == Some(p),
    }
}

#[cfg(test)]
mod tests {
    use super::concerns;
    use chrono::Utc;
    use rapport_core::case::{Case, CaseStatus};

    fn case(assignee: Option<i64>, escalated_to: Option<i64>) -> Case {
        let now = Utc::now();
        Case {
            id: 1,
            title: "t".into(),
            customer: None,
            touchpoint_id: None,
            rule_id: None,
            status: CaseStatus::Open,
            assignee_id: assignee,
            opened_at: now,
            first_response_due: now,
            resolution_due: now,
            first_responded_at: None,
            closed_at: None,
            escalated_at: None,
            escalated_to,
            root_cause_id: None,
            steps: vec![],
            items: vec![],
            history: vec![],
            triage: Default::default(),
        }
    }

    #[test]
    fn case_news_reaches_its_assignee_and_leader_only() {
        assert!(concerns(Some(7), &case(Some(7), None)));
        assert!(concerns(Some(9), &case(Some(7), Some(9))));
        assert!(!concerns(Some(8), &case(Some(7), Some(9))));
        assert!(concerns(None, &case(Some(7), None)), "integrations hear every case");
    }
}

#[cfg(test)]
mod sse_tests {
    use axum::response::IntoResponse;

    /// The reload event carries a data line, or an EventSource never fires it.
    #[tokio::test]
    async fn reload_has_a_data_line() {
        let events = futures_util::stream::iter([Ok::<_, std::convert::Infallible>(super::reload(16_385))]);
        let body = axum::response::sse::Sse::new(events).into_response().into_body();
        let bytes = axum::body::to_bytes(body, 1024).await.unwrap();
        let text = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(text.contains("event: reload\n"), "{text:?}");
        assert!(text.contains("data: {\"missed\":16385}\n"), "{text:?}");
    }
}
