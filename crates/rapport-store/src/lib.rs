//! The storage trait. One implementation per database lives in its own crate
//! (`rapport-store-sqlite`, `rapport-store-postgres`); the server picks one
//! from the database URL and only ever sees `Arc<dyn Store>`.
//!
//! Policy:
//! - every method that touches program data takes the organization id first
//!   and scopes every statement by it; a row of another organization is
//!   `NotFound`, and ids named in an input that belong elsewhere are `Invalid`;
//! - every method is one transaction: it writes all or nothing;
//! - inputs arrive validated by `rapport-core`; storage checks only what needs
//!   the database (uniqueness, references).

pub mod accounts;
pub mod cases;
mod error;
pub mod improve;
pub mod listening;
pub mod measure;
pub mod outbox;
pub mod sql;

pub use accounts::{ApiToken, AuditEntry, Handover, NewUser, User};
pub use cases::{CaseFilter, Escalation};
pub use error::{Result, StoreError};
pub use improve::{IdeaComment, IdeaDetail, IdeaFilter};
pub use listening::{Erasure, FeedbackFilter, Ingested, NewResponse, Notice, NoticeKind, Page, TimelineItem};
pub use measure::{ActivityRow, BehaviourCounts, CustomerFilter, IntentStatus, Rebuilt, ScoreFilter, ScoreRow};
pub use outbox::{Delivery, DeliveryRow, DeliveryStatus, Target};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::calendar::WorkCalendar;
use rapport_core::case::resolved::StepInput;
use rapport_core::case::root_cause::{ClosedCase, RootCause, RootCauseInput};
use rapport_core::case::routing::{RoutingRule, RoutingRuleInput};
use rapport_core::case::trigger::{CaseRule, CaseRuleInput};
use rapport_core::case::{Case, CaseInput};
use rapport_core::customer::{Customer, CustomerUpsert};
use rapport_core::experience::{Experience, ExperienceInput, Interaction};
use rapport_core::feedback::{Event, EventInput, Response};
use rapport_core::improve::comms::CommsInput;
use rapport_core::improve::sprint::SprintUpdateDraft;
use rapport_core::improve::{Announcement, CommsItem, Idea, IdeaInput, IdeaRow, IdeaStatus, Sprint, SprintDraft};
use rapport_core::intent::{IntentInput, IntentVersion};
use rapport_core::journey::{Stage, StageInput, Touchpoint, TouchpointInput};
use rapport_core::lang::Lang;
use rapport_core::listening::{ListeningPost, ListeningPostInput};
use rapport_core::org::{NewOrganization, Organization};
use rapport_core::person::{Person, PersonInput};
use rapport_core::role::Role;
use rapport_core::segment::{Segment, SegmentInput};
use rapport_core::survey::{Survey, SurveyInput, SurveyStatus};
use rapport_core::webhook::{Webhook, WebhookInput};
use rapport_core::Id;
use tokio::sync::broadcast;

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// "sqlite" or "postgres", for logs and `/healthz`.
    fn backend(&self) -> &'static str;
    /// A cheap round trip to the database.
    async fn ping(&self) -> Result<()>;

    // Organizations
    /// `Conflict` on a taken slug.
    async fn create_org(&self, org: &NewOrganization) -> Result<Organization>;
    async fn org_by_slug(&self, slug: &str) -> Result<Option<Organization>>;
    async fn list_orgs(&self) -> Result<Vec<Organization>>;
    async fn set_mission(&self, org: Id, mission: Option<&str>) -> Result<Organization>;

    // Accounts, sessions, tokens
    /// `Conflict` on an e-mail already used in this organization; `Invalid`
    /// when `person_id` is not a person of the organization.
    async fn create_user(&self, org: Id, user: &NewUser) -> Result<User>;
    /// The account and its password hash, for signing in.
    async fn user_for_sign_in(&self, org: Id, email: &str) -> Result<Option<(User, String)>>;
    async fn set_user_language(&self, org: Id, user: Id, language: Option<Lang>) -> Result<()>;
    async fn create_session(&self, org: Id, user: Id, token_hash: &str, expires_at: DateTime<Utc>) -> Result<()>;
    /// The session's organization and user, if it exists and has not expired.
    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<(Organization, User)>>;
    async fn delete_session(&self, token_hash: &str) -> Result<()>;
    async fn create_token(&self, org: Id, name: &str, role: Role, token_hash: &str) -> Result<ApiToken>;
    async fn token_principal(&self, token_hash: &str) -> Result<Option<(Organization, ApiToken)>>;

    // People
    async fn list_people(&self, org: Id) -> Result<Vec<Person>>;
    async fn get_person(&self, org: Id, id: Id) -> Result<Person>;
    /// `Conflict` on an e-mail already used by a person of this organization.
    async fn create_person(&self, org: Id, person: &PersonInput) -> Result<Person>;
    async fn update_person(&self, org: Id, id: Id, person: &PersonInput) -> Result<Person>;
    /// Marks the person as left on `on`. What they led or owned stays
    /// assigned to them, and so shows as a coverage gap until handed over.
    async fn deactivate_person(&self, org: Id, id: Id, on: NaiveDate) -> Result<Person>;
    async fn reactivate_person(&self, org: Id, id: Id) -> Result<Person>;
    /// Moves every experience `from` leads, every touchpoint `from` owns and
    /// every listening post `from` governs and every open case assigned to
    /// `from` to `to`, in one transaction.
    /// `Invalid` (field `to`) when `to` is unknown or has left.
    async fn handover(&self, org: Id, from: Id, to: Id) -> Result<Handover>;
    /// `Conflict` while the person still leads, owns or governs anything.
    async fn delete_person(&self, org: Id, id: Id) -> Result<()>;

    // Segments and customers
    async fn list_segments(&self, org: Id) -> Result<Vec<Segment>>;
    async fn get_segment(&self, org: Id, id: Id) -> Result<Segment>;
    /// `Conflict` on a duplicate name.
    async fn create_segment(&self, org: Id, segment: &SegmentInput) -> Result<Segment>;
    async fn update_segment(&self, org: Id, id: Id, segment: &SegmentInput) -> Result<Segment>;
    /// Also removes the segment from experiences and touchpoint importances.
    async fn delete_segment(&self, org: Id, id: Id) -> Result<()>;
    /// Inserts or updates by external id (attributes are replaced).
    async fn upsert_customer(&self, org: Id, customer: &CustomerUpsert) -> Result<Customer>;
    async fn list_customers(&self, org: Id) -> Result<Vec<Customer>>;

    // Journey
    async fn list_stages(&self, org: Id) -> Result<Vec<Stage>>;
    /// Without a position, goes after the last stage; with one, later stages
    /// shift down.
    async fn create_stage(&self, org: Id, stage: &StageInput) -> Result<Stage>;
    async fn update_stage(&self, org: Id, id: Id, stage: &StageInput) -> Result<Stage>;
    /// `Conflict` while touchpoints are on it.
    async fn delete_stage(&self, org: Id, id: Id) -> Result<()>;
    /// Ordered by stage position, then touchpoint position.
    async fn list_touchpoints(&self, org: Id) -> Result<Vec<Touchpoint>>;
    async fn get_touchpoint(&self, org: Id, id: Id) -> Result<Touchpoint>;
    /// `Invalid` when the stage, owner or an importance segment is not in
    /// this organization.
    async fn create_touchpoint(&self, org: Id, tp: &TouchpointInput) -> Result<Touchpoint>;
    async fn update_touchpoint(&self, org: Id, id: Id, tp: &TouchpointInput) -> Result<Touchpoint>;
    /// Removes it from experiences too (kept in their interaction history);
    /// its listening posts stay, covering no touchpoint; its responses and
    /// events are kept. `Conflict` while surveys are attached to it.
    async fn delete_touchpoint(&self, org: Id, id: Id) -> Result<()>;

    // Experiences
    async fn list_experiences(&self, org: Id) -> Result<Vec<Experience>>;
    async fn get_experience(&self, org: Id, id: Id) -> Result<Experience>;
    /// `Invalid` when the leader or a segment is not in this organization.
    async fn create_experience(&self, org: Id, exp: &ExperienceInput) -> Result<Experience>;
    async fn update_experience(&self, org: Id, id: Id, exp: &ExperienceInput) -> Result<Experience>;
    async fn delete_experience(&self, org: Id, id: Id) -> Result<()>;
    /// Adds a touchpoint as a key interaction (at the end of the path when no
    /// position is given). `Conflict` when it is already a current one.
    async fn add_interaction(&self, org: Id, exp: Id, touchpoint: Id, position: Option<i64>) -> Result<Experience>;
    /// Ends the interaction; it stays in the history. `NotFound` when it is
    /// not a current interaction.
    async fn remove_interaction(&self, org: Id, exp: Id, touchpoint: Id) -> Result<Experience>;
    /// Every interaction the experience ever had, current and removed, oldest first.
    async fn interaction_history(&self, org: Id, exp: Id) -> Result<Vec<Interaction>>;

    // Intent statement
    async fn current_intent(&self, org: Id) -> Result<Option<IntentVersion>>;
    /// Newest first.
    async fn list_intent_versions(&self, org: Id) -> Result<Vec<IntentVersion>>;
    /// Stores the next version; earlier ones are kept unchanged. `Invalid`
    /// when a criterion's scope names an experience or touchpoint elsewhere.
    async fn create_intent_version(
        &self,
        org: Id,
        intent: &IntentInput,
        created_by: Option<&str>,
    ) -> Result<IntentVersion>;

    // Installation
    /// The installation's secret (signing personal survey links): stores
    /// `candidate` unless a secret exists, and returns the stored one, so
    /// every server sharing the database signs alike.
    async fn installation_secret(&self, candidate: &str) -> Result<String>;

    // Surveys
    /// By title (English), ignoring case.
    async fn list_surveys(&self, org: Id) -> Result<Vec<Survey>>;
    async fn get_survey(&self, org: Id, id: Id) -> Result<Survey>;
    /// The survey of a public link, in any organization, with its organization.
    async fn survey_by_token(&self, token: &str) -> Result<Option<(Organization, Survey)>>;
    /// A draft. `Invalid` when the touchpoint is not in this organization;
    /// `Conflict` on `token` when the token is taken.
    async fn create_survey(&self, org: Id, survey: &SurveyInput, token: &str) -> Result<Survey>;
    /// Changes everything but the status and token. `Invalid` as for create.
    async fn update_survey(&self, org: Id, id: Id, survey: &SurveyInput) -> Result<Survey>;
    async fn set_survey_status(&self, org: Id, id: Id, status: SurveyStatus) -> Result<Survey>;
    /// `Conflict` while it has responses (close it instead).
    async fn delete_survey(&self, org: Id, id: Id) -> Result<()>;

    // Listening posts
    /// Highest priority first, then by name ignoring case.
    async fn list_listening_posts(&self, org: Id) -> Result<Vec<ListeningPost>>;
    async fn get_listening_post(&self, org: Id, id: Id) -> Result<ListeningPost>;
    /// `Invalid` when the touchpoint or the governing person is not in this
    /// organization.
    async fn create_listening_post(&self, org: Id, post: &ListeningPostInput) -> Result<ListeningPost>;
    async fn update_listening_post(&self, org: Id, id: Id, post: &ListeningPostInput) -> Result<ListeningPost>;
    async fn delete_listening_post(&self, org: Id, id: Id) -> Result<()>;

    // Customers (beyond `upsert_customer` and `list_customers`)
    /// Inserts or updates many by external id in one transaction (attributes
    /// are replaced; when an external id repeats, its last item wins). The
    /// ids, in the order of `customers`.
    async fn upsert_customers(&self, org: Id, customers: &[CustomerUpsert]) -> Result<Vec<Id>>;
    async fn get_customer(&self, org: Id, external_id: &str) -> Result<Customer>;
    /// Customers whose external id, name or e-mail contains `query`, ignoring
    /// case (ASCII case on SQLite), by external id, at most `limit`.
    async fn search_customers(&self, org: Id, query: &str, limit: i64) -> Result<Vec<Customer>>;
    /// Removes the customer's personal data everywhere (P7): the customer row
    /// goes; their responses keep scores and choice keys but lose the link to
    /// them, the comment, every other answer and the idempotency key; their
    /// events keep type, time, amount and touchpoint but lose the link,
    /// attributes and key. Writes the audit entry `customer.erase` on
    /// `customer:ID` (the internal id: audit subjects never name customers by
    /// external id or e-mail).
    async fn erase_customer(&self, org: Id, external_id: &str, actor: &str) -> Result<Erasure>;

    // Feedback and behaviour (the hot path: on `Ok` every stored item is committed)
    /// Stores the responses in one transaction, answering per item in order.
    /// An item whose key the organization already has, or an earlier item of
    /// the batch has, is a `Duplicate` and stores nothing. Customers named by
    /// external id are created bare when unknown. `Invalid` (field
    /// `items[i].survey_id` / `items[i].touchpoint_id`) when an item names a
    /// survey or touchpoint outside the organization: then nothing is stored.
    /// Publishes a `Notice` per stored item once committed.
    async fn ingest_responses(&self, org: Id, items: &[NewResponse]) -> Result<Vec<Ingested>>;
    /// As `ingest_responses`, for events (the type is stored as its key).
    async fn ingest_events(&self, org: Id, items: &[EventInput]) -> Result<Vec<Ingested>>;
    /// When the customer last answered the survey (the fatigue rule).
    async fn last_response_at(&self, org: Id, survey: Id, customer: &str) -> Result<Option<DateTime<Utc>>>;
    /// Newest first (by `at`, then id), with the count of all matching rows.
    async fn list_responses(&self, org: Id, filter: &FeedbackFilter) -> Result<Page<Response>>;
    /// As `list_responses`; `filter.survey` does not apply.
    async fn list_events(&self, org: Id, filter: &FeedbackFilter) -> Result<Page<Event>>;
    async fn get_response(&self, org: Id, id: Id) -> Result<Response>;
    async fn get_event(&self, org: Id, id: Id) -> Result<Event>;
    /// The customer's responses and events, newest first, at most `limit`.
    /// `NotFound` for an unknown customer.
    async fn timeline(&self, org: Id, external_id: &str, limit: i64) -> Result<Vec<TimelineItem>>;

    // Real time
    /// Notices of every organization's ingestions committed from now on, by
    /// any server sharing the database; filter by `Notice::org`. A receiver
    /// that falls more than `listening::NOTICE_CAPACITY` behind gets
    /// `RecvError::Lagged`.
    fn subscribe(&self) -> broadcast::Receiver<Notice>;

    // Measurement (rollups are kept by the writes above, in their transaction)
    /// Rollup rows matching the filter, by day then touchpoint.
    async fn score_rows(&self, org: Id, filter: &ScoreFilter) -> Result<Vec<ScoreRow>>;
    /// The filter's tallies per day, touchpoints summed, by day.
    async fn score_days(&self, org: Id, filter: &ScoreFilter)
        -> Result<Vec<(NaiveDate, rapport_core::measure::Tally)>>;
    /// The filter's tallies per touchpoint, days summed, by touchpoint id.
    async fn score_touchpoints(&self, org: Id, filter: &ScoreFilter)
        -> Result<Vec<(Id, rapport_core::measure::Tally)>>;
    /// Behaviour counts over `from..=to` for the filtered customers.
    async fn behaviour_counts(
        &self,
        org: Id,
        from: NaiveDate,
        to: NaiveDate,
        customers: &CustomerFilter,
    ) -> Result<BehaviourCounts>;
    /// Known customers' activity over `from..=to`, by customer then day, of
    /// the segment's members (`None`: everyone).
    async fn activity(&self, org: Id, from: NaiveDate, to: NaiveDate, segment: Option<Id>) -> Result<Vec<ActivityRow>>;
    /// Recomputes segment membership, the score rollups and the activity of
    /// the organization from its raw rows, in one transaction.
    async fn rebuild_rollups(&self, org: Id) -> Result<Rebuilt>;
    /// Records a criterion's status when it differs from the last one
    /// recorded for that criterion of that intent version; `true` when it
    /// was recorded (a change), which is then published as a notice.
    async fn record_intent_status(&self, org: Id, status: &IntentStatus) -> Result<bool>;
    /// Recorded statuses, newest first, at most `limit`.
    async fn intent_status_history(&self, org: Id, limit: i64) -> Result<Vec<IntentStatus>>;

    // Closing the loop: the working calendar, rules, root causes, cases
    /// The organization's calendar; the default (09:00-17:00 UTC, Monday to
    /// Friday) until one is saved.
    async fn work_calendar(&self, org: Id) -> Result<WorkCalendar>;
    /// Replaces the calendar and its holidays.
    async fn set_work_calendar(&self, org: Id, calendar: &WorkCalendar) -> Result<WorkCalendar>;
    /// By id (the order rules are tried in).
    async fn list_case_rules(&self, org: Id) -> Result<Vec<CaseRule>>;
    /// `Invalid` when the touchpoint is not in this organization.
    async fn create_case_rule(&self, org: Id, rule: &CaseRuleInput) -> Result<CaseRule>;
    async fn update_case_rule(&self, org: Id, id: Id, rule: &CaseRuleInput) -> Result<CaseRule>;
    async fn delete_case_rule(&self, org: Id, id: Id) -> Result<()>;
    /// By position, then id.
    async fn list_routing_rules(&self, org: Id) -> Result<Vec<RoutingRule>>;
    /// `Invalid` when a touchpoint, segment, listening post or (active)
    /// assignee named is not in this organization.
    async fn create_routing_rule(&self, org: Id, rule: &RoutingRuleInput) -> Result<RoutingRule>;
    async fn update_routing_rule(&self, org: Id, id: Id, rule: &RoutingRuleInput) -> Result<RoutingRule>;
    async fn delete_routing_rule(&self, org: Id, id: Id) -> Result<()>;
    /// By name, ignoring case.
    async fn list_root_causes(&self, org: Id) -> Result<Vec<RootCause>>;
    /// `Conflict` on a taken name.
    async fn create_root_cause(&self, org: Id, cause: &RootCauseInput) -> Result<RootCause>;
    async fn update_root_cause(&self, org: Id, id: Id, cause: &RootCauseInput) -> Result<RootCause>;
    /// `Conflict` while a case names it.
    async fn delete_root_cause(&self, org: Id, id: Id) -> Result<()>;
    /// Without steps, items and history; in queue order (see `CaseFilter`).
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

    // Audit trail
    async fn record_audit(&self, org: Id, actor: &str, action: &str, subject: &str) -> Result<()>;
    /// Newest first.
    async fn list_audit(&self, org: Id, limit: i64) -> Result<Vec<AuditEntry>>;

    // Outbox: webhooks and e-mail (see `outbox` for the policy)
    /// By name ignoring case. Secrets are never part of a `Webhook`.
    async fn list_webhooks(&self, org: Id) -> Result<Vec<Webhook>>;
    async fn get_webhook(&self, org: Id, id: Id) -> Result<Webhook>;
    /// Stores the webhook with its signing secret (generated by the caller).
    async fn create_webhook(&self, org: Id, hook: &WebhookInput, secret: &str) -> Result<Webhook>;
    /// Changes everything but the secret.
    async fn update_webhook(&self, org: Id, id: Id, hook: &WebhookInput) -> Result<Webhook>;
    /// Deletes the webhook and its deliveries: pending ones are never sent.
    async fn delete_webhook(&self, org: Id, id: Id) -> Result<()>;
    async fn webhook_secret(&self, org: Id, id: Id) -> Result<String>;
    /// Writes an event to the outbox (its own transaction; other writes use
    /// the SQL macros' `enqueue_in` inside theirs). The payload may name
    /// e-mail recipients (`"email_to": [...]`) and restrict the event to one
    /// webhook (`"only_webhook": id`).
    async fn enqueue_event(&self, org: Id, event: &str, payload: &serde_json::Value) -> Result<Id>;
    /// Fans out at most `limit` events not yet fanned out, of any
    /// organization, oldest first: one delivery per active subscribed webhook
    /// and per e-mail recipient, due at `now`. Each event in one transaction,
    /// exactly once even when several servers run this at the same time.
    /// Returns how many events this call fanned out.
    async fn fan_out(&self, now: DateTime<Utc>, limit: i64) -> Result<usize>;
    /// Leases at most `limit` due deliveries (of any organization) until
    /// `lease_until`: not delivered, not given up, `next_attempt_at <= now`
    /// and not leased at `now`. A delivery is leased to one caller only.
    async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Delivery>>;
    /// Records a successful attempt and releases the lease.
    async fn delivery_succeeded(&self, id: Id, at: DateTime<Utc>) -> Result<()>;
    /// Records a failed attempt: due again at `retry_at`, or given up
    /// (`None`). Releases the lease.
    async fn delivery_failed(
        &self,
        id: Id,
        at: DateTime<Utc>,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<()>;
    /// Newest first, at most `limit`; of one webhook, or all of the organization.
    async fn list_deliveries(&self, org: Id, webhook: Option<Id>, limit: i64) -> Result<Vec<DeliveryRow>>;

    // Improvement loop (see `improve`)
    /// `Invalid` when the author, touchpoint or experience is not in this
    /// organization.
    async fn create_idea(&self, org: Id, author: Id, idea: &IdeaInput) -> Result<Idea>;
    /// Creates an idea from a recurring root cause, linked to that cause's
    /// closed cases. `NotFound` for an unknown root cause.
    async fn create_idea_from_root_cause(
        &self,
        org: Id,
        root_cause: Id,
        author: Id,
        idea: &IdeaInput,
    ) -> Result<IdeaDetail>;
    /// Newest first, with vote and comment counts.
    async fn list_ideas(&self, org: Id, filter: &IdeaFilter) -> Result<Vec<Idea>>;
    async fn get_idea(&self, org: Id, id: Id) -> Result<IdeaDetail>;
    /// One vote per person: `Conflict` (field `person_id`, code
    /// `already_voted`) on a second; `Invalid` on a merged or closed idea or
    /// an unknown person.
    async fn vote_idea(&self, org: Id, id: Id, person: Id) -> Result<Idea>;
    /// Withdraws the person's vote; `NotFound` when there is none.
    async fn unvote_idea(&self, org: Id, id: Id, person: Id) -> Result<Idea>;
    async fn comment_idea(&self, org: Id, id: Id, person: Id, body: &str) -> Result<IdeaComment>;
    /// Moves an idea by the core's rules (`Invalid` otherwise; approving
    /// needs the idea filed on a touchpoint or experience). The author is
    /// told: outbox event `idea.status` (e-mail to the author) and a notice
    /// of kind `Idea`. Implementing announces `idea_implemented`.
    async fn set_idea_status(&self, org: Id, id: Id, to: IdeaStatus, reason: Option<&str>, actor: &str)
        -> Result<Idea>;
    /// Files an idea on a touchpoint and/or experience (e-mailed ideas
    /// arrive unfiled). `Invalid` when neither is given or one is elsewhere.
    async fn file_idea(&self, org: Id, id: Id, touchpoint: Option<Id>, experience: Option<Id>) -> Result<Idea>;
    /// Merges `duplicate` into `target`: voters move as a union, comments
    /// stay, the duplicate points at the target. Returns the target.
    async fn merge_idea(&self, org: Id, duplicate: Id, target: Id) -> Result<Idea>;
    /// The home page's idea of the day (core's choice among recent ideas).
    async fn idea_of_the_day(&self, org: Id, today: NaiveDate) -> Result<Option<Idea>>;
    /// Every idea as the engagement report reads it.
    async fn idea_rows(&self, org: Id) -> Result<Vec<IdeaRow>>;
    /// Validates with the organization's calendar (`Invalid` with the core's
    /// errors, or for unknown people, touchpoint or ideas; ideas must be
    /// approved or planned and move to in_sprint), snapshots the
    /// touchpoint's metrics over the `BASELINE_DAYS` before the start.
    async fn create_sprint(&self, org: Id, sprint: &SprintDraft) -> Result<Sprint>;
    /// By start, newest first.
    async fn list_sprints(&self, org: Id) -> Result<Vec<Sprint>>;
    async fn get_sprint(&self, org: Id, id: Id) -> Result<Sprint>;
    /// Changes the scope (name, leader, team, ideas, phase ends); the dates
    /// never change (`Invalid`, code `fixed_length`). Ideas taken up move to
    /// in_sprint, ideas dropped back to planned.
    async fn update_sprint(&self, org: Id, id: Id, update: &SprintUpdateDraft, today: NaiveDate) -> Result<Sprint>;
    /// Stores (or replaces, until approved) the proposal document.
    async fn submit_proposal(&self, org: Id, id: Id, person: Id, document: &str) -> Result<Sprint>;
    /// Only the leader approves (`Invalid`, field `approver`); announces
    /// `proposal_approved`.
    async fn approve_proposal(&self, org: Id, id: Id, approver: Option<Id>) -> Result<Sprint>;
    /// Snapshots the touchpoint over the sprint's days and stores the outcome
    /// (before and after). `Invalid` (field `end`) before the last day.
    async fn finish_sprint(&self, org: Id, id: Id, today: NaiveDate) -> Result<Sprint>;
    /// Newest first: all of them (`None`) or those sent to a person.
    async fn list_announcements(&self, org: Id, person: Option<Id>) -> Result<Vec<Announcement>>;
    async fn get_announcement(&self, org: Id, id: Id) -> Result<Announcement>;
    /// `Invalid` (field `person_id`) unless a recipient; `Conflict` when
    /// already acknowledged.
    async fn acknowledge_announcement(&self, org: Id, id: Id, person: Id) -> Result<Announcement>;
    /// By date, then id.
    async fn list_comms(&self, org: Id) -> Result<Vec<CommsItem>>;
    async fn get_comms(&self, org: Id, id: Id) -> Result<CommsItem>;
    /// `Invalid` when the owner is not a person of the organization.
    async fn create_comms(&self, org: Id, item: &CommsInput) -> Result<CommsItem>;
    async fn update_comms(&self, org: Id, id: Id, item: &CommsInput) -> Result<CommsItem>;
    async fn delete_comms(&self, org: Id, id: Id) -> Result<()>;
}
