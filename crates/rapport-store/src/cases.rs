//! Storage types of closing the loop: filters, the facts ingestion hands
//! the case rules, and the rows the SQL reads back.

use crate::accounts::Audit;
use crate::error::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::calendar::Holiday;
use rapport_core::calendar::WorkCalendar;
use rapport_core::case::closed_loop::ClosedLoopCounts;
use rapport_core::case::promise::Breach;
use rapport_core::case::resolved::StepInput;
use rapport_core::case::resolved::{Step, StepRecord};
use rapport_core::case::root_cause::{ClosedCase, RootCause, RootCauseInput};
use rapport_core::case::routing::{RoutingRule, RoutingRuleInput};
use rapport_core::case::triage::{tags_of, AssignmentReason, Priority};
use rapport_core::case::trigger::{CaseRule, CaseRuleInput};
use rapport_core::case::{Case, CaseInput};
use rapport_core::case::{CaseItem, CaseStatus, CaseTriage, HistoryEntry};
use rapport_core::listening::ListeningPost;
use rapport_core::measure::Scale;
use rapport_core::Id;

/// Which cases to list. The queue order: open before closed, then by the
/// next due time (so overdue ones come first), then by id.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub status: Option<CaseStatus>,
    pub assignee: Option<Id>,
    /// The customer's external id.
    pub customer: Option<String>,
    pub touchpoint: Option<Id>,
    /// Only cases with nobody assigned (with `assignee`: none).
    pub unassigned: bool,
    pub priority: Option<Priority>,
    /// A normalised tag (`rapport_core::case::triage::normalize_tag`).
    pub tag: Option<String>,
    /// Only open cases whose next promise is past due as of this time and
    /// not kept (the queue's "breached").
    pub breached_as_of: Option<DateTime<Utc>>,
    /// Words that each begin a word of the title, or of the customer's
    /// external id, name or e-mail (`rapport_core::customer_search::words`).
    pub search: Option<String>,
    /// At most this many; 0 for all.
    pub limit: i64,
    /// Keyset paging: only the cases after this one in the queue order.
    pub after: Option<CaseKey>,
}

/// What a bulk change does to every case named: all of it to each, or
/// nothing to any (see [`Cases::bulk_update_cases`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseBulkChange {
    pub assignee: Option<Id>,
    pub priority: Option<Priority>,
    /// Tags added (normalised) to those each case has.
    pub add_tags: Vec<String>,
}

/// A case's triage as an agent sets it: `None` leaves it as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CaseTriageChange {
    pub priority: Option<Priority>,
    /// The whole new set of tags (normalised).
    pub tags: Option<Vec<String>>,
}

/// A case's place in the queue order (see [`CaseFilter`]): closed after
/// open, then by the next due time, then by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct CaseKey {
    pub closed: bool,
    /// The first-response promise until it is kept, then the resolution's.
    pub due: DateTime<Utc>,
    pub id: Id,
}

impl CaseKey {
    pub fn of(case: &Case) -> Self {
        let due = if case.first_responded_at.is_none() { case.first_response_due } else { case.resolution_due };
        CaseKey { closed: case.status != CaseStatus::Open, due, id: case.id }
    }
}

/// A promise broken and what was done about it, as `escalate_overdue` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    pub org: Id,
    pub case: Id,
    pub breach: Breach,
    /// The experience leader it went to, if the touchpoint has one.
    pub escalated_to: Option<Id>,
}

/// One stored response or event, as the case rules see it.
#[derive(Debug, Clone)]
pub struct FeedbackFact {
    /// "response" or "event".
    pub kind: &'static str,
    pub id: Id,
    pub customer_id: Option<Id>,
    pub touchpoint_id: Option<Id>,
    pub at: DateTime<Utc>,
    pub channel: Option<String>,
    pub scores: Vec<(Scale, i64)>,
    pub texts: Vec<String>,
    pub event_type: Option<String>,
    /// The comment's analysis (responses with a comment).
    pub text: Option<rapport_core::text::TextSummary>,
    /// The themes the comment mentions.
    pub themes: Vec<Id>,
}

/// The listening post a piece of feedback came through: the touchpoint's
/// post on the same channel, else its most important post (`posts` come
/// most important first).
pub fn post_for<'p>(
    posts: &'p [ListeningPost],
    touchpoint: Option<Id>,
    channel: Option<&str>,
) -> Option<&'p ListeningPost> {
    let tp = touchpoint?;
    let at_touchpoint = || posts.iter().filter(move |p| p.touchpoint_id == Some(tp));
    channel
        .and_then(|ch| at_touchpoint().find(|p| p.channel.eq_ignore_ascii_case(ch)))
        .or_else(|| at_touchpoint().next())
}

/// What webhooks and e-mails say about a case (`title`, `summary` and `url`
/// are what the outbox renders; `email_to` whom it mails).
pub fn case_payload(case: &Case, summary: String, emails: Vec<String>) -> serde_json::Value {
    serde_json::json!({
        "title": format!("Case #{}: {}", case.id, case.title),
        "summary": summary,
        "url": format!("/cases/{}", case.id),
        "case": {
            "id": case.id,
            "title": case.title,
            "customer": case.customer,
            "touchpoint_id": case.touchpoint_id,
            "status": case.status,
            "assignee_id": case.assignee_id,
            "escalated_to": case.escalated_to,
            "first_response_due": case.first_response_due,
            "resolution_due": case.resolution_due,
        },
        "email_to": emails,
    })
}

/// Seven 0/1 flags, Monday first, as stored.
pub fn workdays_text(days: &[bool; 7]) -> String {
    days.iter().map(|d| if *d { '1' } else { '0' }).collect()
}

pub fn workdays_of(text: &str) -> [bool; 7] {
    let mut out = [false; 7];
    for (i, c) in text.chars().take(7).enumerate() {
        out[i] = c == '1';
    }
    out
}

/// A calendar from its row (time zone, day start, day end, workdays) and its
/// holidays; no row is the default calendar.
pub fn calendar(row: Option<(String, i32, i32, String)>, holidays: Vec<Holiday>) -> WorkCalendar {
    let mut cal = match row {
        Some((time_zone, start, end, days)) => WorkCalendar {
            time_zone,
            day_start: start.clamp(0, 1440) as u16,
            day_end: end.clamp(0, 1440) as u16,
            workdays: workdays_of(&days),
            holidays: Vec::new(),
        },
        None => WorkCalendar::default(),
    };
    cal.holidays = holidays;
    cal
}

#[derive(sqlx::FromRow)]
pub struct CaseRow {
    pub id: Id,
    pub title: String,
    pub customer: Option<String>,
    pub touchpoint_id: Option<Id>,
    pub rule_id: Option<Id>,
    pub status: String,
    pub assignee_id: Option<Id>,
    pub opened_at: DateTime<Utc>,
    pub first_response_due: DateTime<Utc>,
    pub resolution_due: DateTime<Utc>,
    pub first_responded_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub escalated_at: Option<DateTime<Utc>>,
    pub escalated_to: Option<Id>,
    pub root_cause_id: Option<Id>,
    pub priority: String,
    pub tags: String,
    pub assignment_reason: Option<String>,
    pub detractor: bool,
}

impl CaseRow {
    pub fn into_case(self) -> Case {
        Case {
            id: self.id,
            title: self.title,
            customer: self.customer,
            touchpoint_id: self.touchpoint_id,
            rule_id: self.rule_id,
            status: CaseStatus::parse(&self.status).unwrap_or(CaseStatus::Open),
            assignee_id: self.assignee_id,
            opened_at: self.opened_at,
            first_response_due: self.first_response_due,
            resolution_due: self.resolution_due,
            first_responded_at: self.first_responded_at,
            closed_at: self.closed_at,
            escalated_at: self.escalated_at,
            escalated_to: self.escalated_to,
            root_cause_id: self.root_cause_id,
            steps: Vec::new(),
            items: Vec::new(),
            history: Vec::new(),
            triage: CaseTriage {
                priority: Priority::parse(&self.priority).unwrap_or_default(),
                tags: tags_of(&self.tags),
                assignment_reason: self.assignment_reason.as_deref().and_then(AssignmentReason::parse),
                detractor: self.detractor,
            },
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct StepRow {
    pub step: String,
    pub done_by: String,
    pub done_at: DateTime<Utc>,
    pub note: Option<String>,
    pub proposal: Option<String>,
    pub agreed: Option<bool>,
    pub action: Option<String>,
    pub root_cause_id: Option<Id>,
    pub root_cause_note: Option<String>,
}

impl StepRow {
    pub fn into_record(self) -> Option<StepRecord> {
        Some(StepRecord {
            step: Step::parse(&self.step)?,
            done_by: self.done_by,
            done_at: self.done_at,
            note: self.note,
            proposal: self.proposal,
            agreed: self.agreed,
            action: self.action,
            root_cause_id: self.root_cause_id,
            root_cause_note: self.root_cause_note,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct HistoryRow {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub detail: Option<String>,
}

impl From<HistoryRow> for HistoryEntry {
    fn from(r: HistoryRow) -> Self {
        HistoryEntry { at: r.at, actor: r.actor, action: r.action, detail: r.detail }
    }
}

#[derive(sqlx::FromRow)]
pub struct ItemRow {
    pub kind: String,
    pub item_id: Id,
    pub at: DateTime<Utc>,
}

impl From<ItemRow> for CaseItem {
    fn from(r: ItemRow) -> Self {
        CaseItem { kind: r.kind, id: r.item_id, at: r.at }
    }
}

/// What routes and times cases: the working calendar, case and routing rules, root causes (D1-D3).
#[async_trait]
pub trait CaseSetup: Send + Sync {
    /// The organization's calendar; the default (09:00-17:00 UTC, Monday to
    /// Friday) until one is saved.
    async fn work_calendar(&self, org: Id) -> Result<WorkCalendar>;

    /// Replaces the calendar and its holidays, with the audit line (if any)
    /// in the same transaction.
    async fn set_work_calendar(
        &self,
        org: Id,
        calendar: &WorkCalendar,
        audit: Option<&Audit<'_>>,
    ) -> Result<WorkCalendar>;

    /// By id (the order rules are tried in).
    async fn list_case_rules(&self, org: Id) -> Result<Vec<CaseRule>>;

    /// `Invalid` when the touchpoint is not in this organization.
    async fn create_case_rule(&self, org: Id, rule: &CaseRuleInput) -> Result<CaseRule>;

    async fn update_case_rule(&self, org: Id, id: Id, rule: &CaseRuleInput) -> Result<CaseRule>;

    async fn delete_case_rule(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()>;

    /// By position, then id.
    async fn list_routing_rules(&self, org: Id) -> Result<Vec<RoutingRule>>;

    /// `Invalid` when a touchpoint, segment, listening post or (active)
    /// assignee named is not in this organization.
    async fn create_routing_rule(&self, org: Id, rule: &RoutingRuleInput) -> Result<RoutingRule>;

    async fn update_routing_rule(&self, org: Id, id: Id, rule: &RoutingRuleInput) -> Result<RoutingRule>;

    async fn delete_routing_rule(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()>;

    /// By name, ignoring case.
    async fn list_root_causes(&self, org: Id) -> Result<Vec<RootCause>>;

    /// `Conflict` on a taken name.
    async fn create_root_cause(&self, org: Id, cause: &RootCauseInput) -> Result<RootCause>;

    async fn update_root_cause(&self, org: Id, id: Id, cause: &RootCauseInput) -> Result<RootCause>;

    /// `Conflict` while a case names it.
    async fn delete_root_cause(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()>;

    /// Who gets a case nobody else would (see `rapport_core::case::routing`).
    async fn default_case_owner(&self, org: Id) -> Result<Option<Id>>;

    /// Sets (or with `None` clears) the default queue owner. `Invalid`
    /// (field `person_id`) unless an active person of the organization.
    async fn set_default_case_owner(&self, org: Id, person: Option<Id>, audit: &Audit<'_>) -> Result<Option<Id>>;
}

/// Cases worked with the RESOLVED method (D1-D3).
#[async_trait]
pub trait Cases: Send + Sync {
    /// Without steps, items and history; in queue order (see `CaseFilter`),
    /// from `filter.after` on.
    async fn list_cases(&self, org: Id, filter: &CaseFilter) -> Result<Vec<Case>>;

    /// With steps, items and history.
    async fn get_case(&self, org: Id, id: Id) -> Result<Case>;

    /// Opens a case by hand, routed like one opened by a rule unless an
    /// assignee is given. `Invalid` for an unknown customer, touchpoint or
    /// assignee; `Conflict` (field `customer`) when the customer has an
    /// open case at that touchpoint.
    async fn open_case(&self, org: Id, case: &CaseInput, actor: &str, now: DateTime<Utc>) -> Result<Case>;

    /// `Invalid` unless the assignee is an active person; `Conflict` when closed.
    async fn assign_case(&self, org: Id, id: Id, assignee: Id, actor: &str, now: DateTime<Utc>) -> Result<Case>;

    /// Records a RESOLVED step. `Invalid` (field `step`) when an earlier step
    /// is missing, (field `root_cause_id`) for an unknown root cause;
    /// `Conflict` when closed. Respond keeps the first-response promise.
    async fn record_step(&self, org: Id, id: Id, step: &StepInput, actor: &str, now: DateTime<Utc>) -> Result<Case>;

    /// `Invalid` (field `status`) until Verify records the customer's
    /// agreement and Document names the root cause; `Conflict` when closed.
    async fn close_case(&self, org: Id, id: Id, actor: &str, now: DateTime<Utc>) -> Result<Case>;

    /// A closed case opens again with a fresh resolution promise. `Conflict`
    /// when open, or when another case is open for the customer there.
    async fn reopen_case(&self, org: Id, id: Id, reason: Option<&str>, actor: &str, now: DateTime<Utc>)
        -> Result<Case>;

    /// Records the promises broken by `now` in every organization (each
    /// once); a case's first breach escalates it to the experience leader.
    async fn escalate_overdue(&self, now: DateTime<Utc>) -> Result<Vec<Escalation>>;

    /// Closed cases with a root cause, closed in `from..to`, with the
    /// refunds and cancellations linked to them.
    async fn closed_cases(&self, org: Id, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<ClosedCase>>;

    /// How many cases the filter selects (its `limit` and `after` ignored),
    /// counting no further than `cap`.
    async fn count_cases(&self, org: Id, filter: &CaseFilter, cap: i64) -> Result<i64>;

    /// Changes a case's priority and tags, with a history line for each
    /// change. `Conflict` when closed.
    async fn set_case_triage(
        &self,
        org: Id,
        id: Id,
        change: &CaseTriageChange,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Case>;

    /// Applies one change to several cases in one transaction: `Invalid`
    /// (field `ids`) naming ids that are not open cases of the
    /// organization, (field `assignee_id`) for an assignee who is not an
    /// active person; nothing is changed then. The cases changed, in the
    /// order given.
    async fn bulk_update_cases(
        &self,
        org: Id,
        ids: &[Id],
        change: &CaseBulkChange,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Id>>;

    /// The closed-loop counts of the cases opened in `from..to`, their
    /// promises judged at `now`, as `ClosedLoopCounts::of` defines them
    /// (first-response minutes to the millisecond on SQLite).
    async fn closed_loop_counts(
        &self,
        org: Id,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<ClosedLoopCounts>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workdays_round_trip() {
        let days = [true, true, false, true, true, false, true];
        assert_eq!(workdays_text(&days), "1101101");
        assert_eq!(workdays_of("1101101"), days);
        assert_eq!(workdays_of("11"), [true, true, false, false, false, false, false]);
    }

    #[test]
    fn the_post_on_the_same_channel_else_the_most_important() {
        let post = |id, tp, channel: &str| ListeningPost {
            id,
            name: format!("p{id}"),
            channel: channel.into(),
            touchpoint_id: Some(tp),
            priority: 3,
            governed_by: None,
            response_hours: None,
            notes: None,
        };
        let posts = [post(1, 5, "phone"), post(2, 5, "email"), post(3, 6, "email")];
        assert_eq!(post_for(&posts, Some(5), Some("Email")).map(|p| p.id), Some(2));
        assert_eq!(post_for(&posts, Some(5), Some("chat")).map(|p| p.id), Some(1));
        assert_eq!(post_for(&posts, Some(5), None).map(|p| p.id), Some(1));
        assert!(post_for(&posts, Some(7), Some("email")).is_none());
        assert!(post_for(&posts, None, Some("email")).is_none());
    }

    #[test]
    fn no_row_is_the_default_calendar() {
        assert_eq!(calendar(None, vec![]), WorkCalendar::default());
    }
}
