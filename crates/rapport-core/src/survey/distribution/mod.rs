//! B1/B2. Survey distribution: invitation waves by e-mail (to a segment,
//! a list or a CSV), reminders, unsubscribes, triggered surveys and
//! thank-you e-mails.
//!
//! Policy:
//! - An invitation is decided when it is sent, not when it is planned: a
//!   customer who unsubscribed, whose address bounced, who has no e-mail
//!   or who answered the survey within its fatigue window is skipped, and
//!   the reason is recorded ([`skip_reason`]). A thank-you note skips the
//!   fatigue rule (the customer has just answered).
//! - A wave sends at most `per_hour` e-mails per clock hour slot
//!   ([`Throttle`]), and one reminder `reminder_days` after the invitation
//!   to those who neither answered nor were reminded ([`reminder_due`]).
//! - A triggered survey is due `delay_hours` after its event
//!   ([`trigger_due_at`]); the store keeps it unique per rule and event,
//!   and at most one per customer and rule within the survey's fatigue
//!   window.
//! - Rates are shares of the e-mails sent ([`Rates`]).

pub mod csv;
pub mod template;

use super::is_fatigued;
use crate::lang::Lang;
use crate::validate::FieldErrors;
use crate::Id;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// The most customers one list or CSV may name.
pub const MAX_RECIPIENTS: usize = 10_000;
/// The fastest throttle, e-mails per hour.
pub const MAX_PER_HOUR: i64 = 100_000;
/// The latest reminder, in days after the invitation.
pub const MAX_REMINDER_DAYS: i64 = 60;
/// The longest delay of a triggered survey (a year), in hours.
pub const MAX_DELAY_HOURS: i64 = 8_760;
/// How long a personal link works, in days.
pub const LINK_DAYS: i64 = 60;

/// Why an invitation was not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = InvitationSkipReason))]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The customer unsubscribed.
    Unsubscribed,
    /// The customer answered this survey within its fatigue window.
    RecentlyAnswered,
    /// No e-mail address is known.
    NoEmail,
    /// An earlier e-mail to the address bounced.
    Bounced,
}

impl SkipReason {
    pub const ALL: [SkipReason; 4] =
        [SkipReason::Unsubscribed, SkipReason::RecentlyAnswered, SkipReason::NoEmail, SkipReason::Bounced];

    pub fn key(self) -> &'static str {
        match self {
            SkipReason::Unsubscribed => "unsubscribed",
            SkipReason::RecentlyAnswered => "recently_answered",
            SkipReason::NoEmail => "no_email",
            SkipReason::Bounced => "bounced",
        }
    }

    pub fn parse(s: &str) -> Option<SkipReason> {
        SkipReason::ALL.into_iter().find(|r| r.key() == s)
    }
}

/// Where an invitation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = InvitationStatus))]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    Scheduled,
    Sent,
    Skipped,
    Bounced,
}

impl InvitationStatus {
    pub const ALL: [InvitationStatus; 4] =
        [InvitationStatus::Scheduled, InvitationStatus::Sent, InvitationStatus::Skipped, InvitationStatus::Bounced];

    pub fn key(self) -> &'static str {
        match self {
            InvitationStatus::Scheduled => "scheduled",
            InvitationStatus::Sent => "sent",
            InvitationStatus::Skipped => "skipped",
            InvitationStatus::Bounced => "bounced",
        }
    }

    pub fn parse(s: &str) -> Option<InvitationStatus> {
        InvitationStatus::ALL.into_iter().find(|r| r.key() == s)
    }
}

/// What an invitation row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = InvitationKind))]
#[serde(rename_all = "snake_case")]
pub enum InvitationKind {
    /// Part of an invitation wave.
    Wave,
    /// Scheduled by a triggered-survey rule.
    Trigger,
    /// A thank-you note after an answer.
    Thanks,
}

impl InvitationKind {
    pub const ALL: [InvitationKind; 3] = [InvitationKind::Wave, InvitationKind::Trigger, InvitationKind::Thanks];

    pub fn key(self) -> &'static str {
        match self {
            InvitationKind::Wave => "wave",
            InvitationKind::Trigger => "trigger",
            InvitationKind::Thanks => "thanks",
        }
    }

    pub fn parse(s: &str) -> Option<InvitationKind> {
        InvitationKind::ALL.into_iter().find(|r| r.key() == s)
    }
}

/// What is known of a customer when an e-mail is about to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendFacts<'a> {
    pub email: Option<&'a str>,
    pub unsubscribed: bool,
    pub bounced: bool,
    /// Their last answer to the survey.
    pub last_answer: Option<DateTime<Utc>>,
    pub fatigue_days: i64,
}

/// Why the e-mail must not go, if it must not: unsubscribed first (their
/// wish), then a bounced address, no address, and the fatigue rule (unless
/// `fatigue` is false: thank-you notes).
pub fn skip_reason(f: &SendFacts<'_>, now: DateTime<Utc>, fatigue: bool) -> Option<SkipReason> {
    if f.unsubscribed {
        Some(SkipReason::Unsubscribed)
    } else if f.bounced {
        Some(SkipReason::Bounced)
    } else if !f.email.is_some_and(crate::validate::is_email) {
        Some(SkipReason::NoEmail)
    } else if fatigue && is_fatigued(f.last_answer, now, f.fatigue_days) {
        Some(SkipReason::RecentlyAnswered)
    } else {
        None
    }
}

/// Whether an invitation's one reminder is due at `now`.
pub fn reminder_due(
    sent_at: Option<DateTime<Utc>>,
    reminder_days: i64,
    answered: bool,
    reminded: bool,
    now: DateTime<Utc>,
) -> bool {
    reminder_days > 0 && !answered && !reminded && sent_at.is_some_and(|s| now - s >= Duration::days(reminder_days))
}

/// When a triggered survey is due after its event.
pub fn trigger_due_at(event_at: DateTime<Utc>, delay_hours: i64) -> DateTime<Utc> {
    event_at + Duration::hours(delay_hours.clamp(0, MAX_DELAY_HOURS))
}

/// How late a triggered survey may still be scheduled: an event ingested
/// long after it happened (a history import) must not mail customers
/// about it now.
pub const TRIGGER_GRACE_HOURS: i64 = 24;

/// Whether an event at `event_at` still schedules its triggered survey
/// when ingested at `now`: its due time is at most
/// [`TRIGGER_GRACE_HOURS`] past.
pub fn trigger_fresh(due_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - due_at <= Duration::hours(TRIGGER_GRACE_HOURS)
}

/// Whether a triggered survey due at `due_at` is a repeat of one already
/// scheduled at `other` for the same customer and rule: within the
/// survey's fatigue window (any `fatigue_days` of 0 or less: never).
pub fn trigger_repeats(due_at: DateTime<Utc>, other: DateTime<Utc>, fatigue_days: i64) -> bool {
    fatigue_days > 0 && (due_at - other).abs() < Duration::days(fatigue_days)
}

/// The customer's language: what the CSV row said, else the customer's
/// `language` attribute, else the organization's default.
pub fn customer_language(row: Option<&str>, attribute: Option<&str>, default: Lang) -> Lang {
    row.and_then(Lang::parse).or_else(|| attribute.and_then(Lang::parse)).unwrap_or(default)
}

/// A wave's hourly slot: when the current slot started and how many went
/// in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    pub start: Option<DateTime<Utc>>,
    pub sent: i64,
}

impl Throttle {
    /// The slot as of `now` (a new one after an hour) and whether one more
    /// e-mail fits in it under `per_hour`.
    pub fn take(self, per_hour: i64, now: DateTime<Utc>) -> (Throttle, bool) {
        let current = match self.start {
            Some(s) if now - s < Duration::hours(1) && now >= s => self,
            _ => Throttle { start: Some(now), sent: 0 },
        };
        if current.sent < per_hour {
            (Throttle { start: current.start, sent: current.sent + 1 }, true)
        } else {
            (current, false)
        }
    }
}

/// A wave's counters, kept as its invitations change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = InvitationWaveCounts))]
pub struct Rates {
    /// Customers the wave names.
    pub invited: i64,
    /// E-mails handed to the outbox.
    pub sent: i64,
    pub skipped: i64,
    pub bounced: i64,
    /// Sent invitations whose personal link was opened.
    pub opened: i64,
    /// Sent invitations answered.
    pub answered: i64,
    pub reminded: i64,
}

impl Rates {
    /// Opened links per e-mail sent, in percent (none before any is sent).
    pub fn opened_rate(&self) -> Option<f64> {
        percent(self.opened, self.sent)
    }

    /// Answers per e-mail sent, in percent.
    pub fn answered_rate(&self) -> Option<f64> {
        percent(self.answered, self.sent)
    }

    /// Invitations still to be sent.
    pub fn scheduled(&self) -> i64 {
        (self.invited - self.sent - self.skipped - self.bounced).max(0)
    }
}

fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// Who a wave goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    Segment(Id),
    /// Customers by external id, with what a CSV row added.
    List(Vec<csv::Recipient>),
}

/// A wave as asked for, before it is checked.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct WaveDraft {
    pub segment_id: Option<Id>,
    pub customers: Option<Vec<String>>,
    pub template: Option<template::MailTemplate>,
    pub send_at: Option<DateTime<Utc>>,
    pub per_hour: Option<i64>,
    pub reminder_days: Option<i64>,
}

/// A checked wave.
#[derive(Debug, Clone, PartialEq)]
pub struct WaveInput {
    pub audience: Audience,
    pub template: template::MailTemplate,
    pub send_at: DateTime<Utc>,
    pub per_hour: i64,
    pub reminder_days: i64,
}

/// The default throttle (e-mails per hour).
pub const DEFAULT_PER_HOUR: i64 = 1_000;
/// The default reminder (days).
pub const DEFAULT_REMINDER_DAYS: i64 = 3;

impl WaveDraft {
    /// Checks the draft; `csv` is the audience of an upload (rows already
    /// parsed). Errors name `segment_id`, `customers`, `customers[i]`,
    /// `per_hour`, `reminder_days`, `send_at` and the template's fields.
    pub fn validate(self, csv: Option<Vec<csv::Recipient>>, now: DateTime<Utc>) -> Result<WaveInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let audience = match (self.segment_id, self.customers, csv) {
            (_, _, Some(rows)) => {
                if rows.is_empty() {
                    e.add("file", "empty", "no valid row to invite");
                }
                Some(Audience::List(rows))
            }
            (Some(s), None, None) => Some(Audience::Segment(s)),
            (None, Some(list), None) => Some(Audience::List(list_recipients(&mut e, list))),
            (Some(_), Some(_), None) => {
                e.add("customers", "conflict", "give segment_id or customers, not both");
                None
            }
            (None, None, None) => {
                e.add("segment_id", "required", "give segment_id or customers");
                None
            }
        };
        let per_hour = self.per_hour.unwrap_or(DEFAULT_PER_HOUR);
        if !(1..=MAX_PER_HOUR).contains(&per_hour) {
            e.add("per_hour", "out_of_range", format!("from 1 to {MAX_PER_HOUR}"));
        }
        let reminder_days = self.reminder_days.unwrap_or(DEFAULT_REMINDER_DAYS);
        if !(0..=MAX_REMINDER_DAYS).contains(&reminder_days) {
            e.add("reminder_days", "out_of_range", format!("from 0 (no reminder) to {MAX_REMINDER_DAYS}"));
        }
        let send_at = self.send_at.unwrap_or(now);
        if send_at > now + Duration::days(366) {
            e.add("send_at", "out_of_range", "at most a year ahead");
        }
        let template = self.template.unwrap_or_else(template::MailTemplate::invitation);
        template.check(&mut e, "template", template::INVITATION_PLACEHOLDERS);
        match audience {
            Some(audience) if e.is_empty() => Ok(WaveInput { audience, template, send_at, per_hour, reminder_days }),
            _ => Err(e),
        }
    }
}

fn list_recipients(e: &mut FieldErrors, list: Vec<String>) -> Vec<csv::Recipient> {
    if list.is_empty() {
        e.add("customers", "empty", "name at least one customer");
    }
    if list.len() > MAX_RECIPIENTS {
        e.add("customers", "too_many", format!("at most {MAX_RECIPIENTS} customers"));
        return Vec::new();
    }
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(list.len());
    for (i, id) in list.into_iter().enumerate() {
        let id = id.trim().to_string();
        if id.is_empty() || id.chars().count() > csv::MAX_FIELD || id.contains('\0') {
            e.add(format!("customers[{i}]"), "invalid", "an external id of 1 to 200 characters");
        } else if seen.insert(id.clone()) {
            out.push(csv::Recipient { line: i, external_id: id, email: None, name: None, language: None });
        }
    }
    out
}

/// A triggered-survey rule as asked for.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct TriggerDraft {
    pub event_kind: Option<String>,
    pub touchpoint_id: Option<Id>,
    pub delay_hours: Option<i64>,
    pub template: Option<template::MailTemplate>,
}

/// A checked rule.
#[derive(Debug, Clone, PartialEq)]
pub struct TriggerInput {
    /// As stored on events (`purchase`, `custom:delivery`).
    pub event_kind: String,
    pub touchpoint_id: Option<Id>,
    pub delay_hours: i64,
    pub template: template::MailTemplate,
}

/// The stored kind of an event named in a rule: a built-in kind, or a
/// custom one with or without its `custom:` prefix (`delivery`).
pub fn event_kind(name: &str) -> Option<String> {
    use crate::feedback::EventType;
    let name = name.trim();
    EventType::parse(name).or_else(|| EventType::parse(&format!("custom:{name}"))).map(|t| t.key())
}

impl TriggerDraft {
    pub fn validate(self) -> Result<TriggerInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = match self.event_kind.as_deref().map(event_kind) {
            Some(Some(k)) => k,
            Some(None) => {
                e.add("event_kind", "invalid", "an event type such as purchase, or a custom name such as delivery");
                String::new()
            }
            None => {
                e.add("event_kind", "required", "the event type that triggers the survey");
                String::new()
            }
        };
        let delay_hours = self.delay_hours.unwrap_or(0);
        if !(0..=MAX_DELAY_HOURS).contains(&delay_hours) {
            e.add("delay_hours", "out_of_range", format!("from 0 to {MAX_DELAY_HOURS} hours"));
        }
        let template = self.template.unwrap_or_else(template::MailTemplate::invitation);
        template.check(&mut e, "template", template::INVITATION_PLACEHOLDERS);
        e.into_result(TriggerInput { event_kind: kind, touchpoint_id: self.touchpoint_id, delay_hours, template })
    }
}

#[cfg(test)]
mod tests;
