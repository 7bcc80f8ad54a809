//! B1/B2. Survey distribution: invitation waves, reminders, unsubscribes,
//! bounces, triggered surveys and thank-you e-mails.
//!
//! Every e-mail is a `survey_invitations` row (a wave's, a trigger's, or a
//! thank-you note) that is `scheduled` until the distribution pass
//! (`rapport-server/src/notify/distribution.rs`) hands it to
//! [`Distribution::send_mail`], which decides under the organization's lock
//! (so servers sharing the database send each once) whether it goes
//! (enqueued in the outbox in the same transaction) or is skipped, with
//! the reason. A wave's counters (sent, skipped, bounced, opened,
//! answered, reminded) are kept on its row as invitations change:
//! ingestion marks answers, the public page opened links, the dispatcher
//! bounces.

use crate::error::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::lang::Lang;
use rapport_core::survey::distribution::csv::RowError;
use rapport_core::survey::distribution::template::MailTemplate;
use rapport_core::survey::distribution::{
    InvitationKind, InvitationStatus, Rates, SkipReason, TriggerInput, WaveInput,
};
use rapport_core::Id;

/// An invitation wave with its counters.
#[derive(Debug, Clone, PartialEq)]
pub struct Wave {
    pub id: Id,
    pub survey_id: Id,
    /// `segment`, `list` or `csv`.
    pub audience: String,
    pub segment_id: Option<Id>,
    pub template: MailTemplate,
    pub send_at: DateTime<Utc>,
    pub per_hour: i64,
    pub reminder_days: i64,
    pub counts: Rates,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
}

/// One e-mail to one customer, as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct Invitation {
    pub id: Id,
    pub kind: InvitationKind,
    pub survey_id: Id,
    pub wave_id: Option<Id>,
    pub trigger_id: Option<Id>,
    pub event_id: Option<Id>,
    pub customer_id: Id,
    pub external_id: String,
    pub status: InvitationStatus,
    pub skip_reason: Option<SkipReason>,
    pub due_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub reminded_at: Option<DateTime<Utc>>,
    pub opened_at: Option<DateTime<Utc>>,
    pub answered_at: Option<DateTime<Utc>>,
    pub bounced_at: Option<DateTime<Utc>>,
}

/// A triggered-survey rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Trigger {
    pub id: Id,
    pub survey_id: Id,
    /// As stored on events (`purchase`, `custom:delivery`).
    pub event_kind: String,
    pub touchpoint_id: Option<Id>,
    pub delay_hours: i64,
    pub template: MailTemplate,
    pub created_at: DateTime<Utc>,
}

/// A customer's e-mail status.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MailStatus {
    pub unsubscribed_at: Option<DateTime<Utc>>,
    /// `link` (the customer's one click) or the staff member's name.
    pub unsubscribed_by: Option<String>,
    pub bounced_at: Option<DateTime<Utc>>,
    pub bounce_reason: Option<String>,
}

/// An e-mail due: everything needed to write it.
#[derive(Debug, Clone, PartialEq)]
pub struct DueMail {
    pub org: Id,
    pub invitation_id: Id,
    pub kind: InvitationKind,
    /// The wave's reminder rather than the invitation.
    pub reminder: bool,
    pub survey_id: Id,
    pub survey_token: String,
    pub survey_title_en: String,
    pub survey_title_es: String,
    pub external_id: String,
    /// The CSV row's, else the customer's.
    pub email: Option<String>,
    pub name: Option<String>,
    /// The CSV row's language.
    pub language: Option<Lang>,
    /// The customer's `language` attribute.
    pub customer_language: Option<String>,
    /// The wave's, the rule's or the thank-you note's; `None`: the default.
    pub template: Option<MailTemplate>,
}

/// What [`Distribution::send_mail`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendOutcome {
    /// Enqueued in the outbox.
    Sent,
    Skipped(SkipReason),
    /// The wave's hourly slot is full: it stays scheduled.
    Throttled,
    /// Already sent, skipped or gone (another server did it).
    Gone,
}

/// What a wave's creation reports besides the wave.
#[derive(Debug, Clone, PartialEq)]
pub struct WaveCreated {
    pub wave: Wave,
    /// CSV rows naming no customer of the organization (`unknown_customer`).
    pub row_errors: Vec<RowError>,
}

#[async_trait]
pub trait Distribution: Send + Sync {
    /// Creates a wave and one scheduled invitation per customer (due at
    /// `send_at`), in one transaction. An unknown survey is `NotFound`; an
    /// unknown segment a 422 naming `segment_id`; unknown customers of a
    /// list a 422 naming `customers[i]` (`csv` false), of a CSV row errors
    /// (`csv` true, the other rows still invited).
    async fn create_wave(
        &self,
        org: Id,
        survey: Id,
        w: &WaveInput,
        csv: bool,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<WaveCreated>;

    /// A survey's waves, newest first, before `after` (an id), at most `limit`.
    async fn list_waves(&self, org: Id, survey: Id, after: Option<Id>, limit: i64) -> Result<Vec<Wave>>;

    async fn get_wave(&self, org: Id, id: Id) -> Result<Wave>;

    /// A wave's invitations by id after `after`, optionally of one status.
    async fn list_invitations(
        &self,
        org: Id,
        wave: Id,
        status: Option<InvitationStatus>,
        after: Option<Id>,
        limit: i64,
    ) -> Result<Vec<Invitation>>;

    /// A customer's invitations, newest first, at most `limit`.
    async fn customer_invitations(&self, org: Id, external_id: &str, limit: i64) -> Result<Vec<Invitation>>;

    /// A 422 naming `touchpoint_id` for another organization's touchpoint.
    async fn create_trigger(
        &self,
        org: Id,
        survey: Id,
        t: &TriggerInput,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Trigger>;

    async fn list_triggers(&self, org: Id, survey: Id) -> Result<Vec<Trigger>>;

    async fn get_trigger(&self, org: Id, id: Id) -> Result<Trigger>;

    async fn update_trigger(&self, org: Id, id: Id, t: &TriggerInput) -> Result<Trigger>;

    /// Scheduled invitations of the rule stay, without it (the default
    /// template applies).
    async fn delete_trigger(&self, org: Id, id: Id) -> Result<()>;

    /// The survey's thank-you note, if it has one.
    async fn get_thanks(&self, org: Id, survey: Id) -> Result<Option<MailTemplate>>;

    /// Sets (`Some`) or removes the survey's thank-you note.
    async fn set_thanks(&self, org: Id, survey: Id, t: Option<&MailTemplate>, now: DateTime<Utc>) -> Result<()>;

    /// `NotFound` for an unknown customer.
    async fn mail_status(&self, org: Id, external_id: &str) -> Result<MailStatus>;

    /// Unsubscribes (`by`: `link` or a staff member) or resubscribes a
    /// customer; `NotFound` for an unknown customer.
    async fn set_unsubscribed(
        &self,
        org: Id,
        external_id: &str,
        unsubscribed: bool,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<MailStatus>;

    /// E-mails due at `now` (any organization), oldest first: scheduled
    /// invitations and thank-you notes, then reminders; at most `limit` each.
    async fn due_mails(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<DueMail>>;

    /// Sends one due e-mail: under the organization's lock, re-checks it is
    /// still due, applies the skip rules and the wave's throttle, enqueues
    /// `payload` (event `survey.invitation`, `survey.reminder` or
    /// `survey.thanks`) and records the outcome.
    async fn send_mail(
        &self,
        org: Id,
        invitation: Id,
        reminder: bool,
        now: DateTime<Utc>,
        payload: &serde_json::Value,
    ) -> Result<SendOutcome>;

    /// Records that a customer opened their personal link to a survey (the
    /// newest sent invitation not yet opened).
    async fn invitation_opened(&self, org: Id, survey: Id, external_id: &str, now: DateTime<Utc>) -> Result<()>;

    /// Records a bounce on a sent invitation and on its customer.
    async fn invitation_bounced(&self, org: Id, invitation: Id, reason: &str, now: DateTime<Utc>) -> Result<()>;
}
