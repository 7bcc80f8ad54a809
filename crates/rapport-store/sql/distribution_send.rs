//! B1/B2. Sending invitations, reminders and thank-you notes, and the
//! hooks that keep their record: ingestion (answers, triggered surveys,
//! thank-you notes), the public page (opened links), the dispatcher
//! (bounces).
//!
//! Claiming: [`send_mail`] runs under the organization's lock and acts
//! only on an invitation still `scheduled` (or a reminder still due), so
//! servers sharing the database send each e-mail once. The decision to
//! skip is taken there, with the customer's status as of that moment.

use super::customers::{customer_id, lookup};
use super::outbox::enqueue_in;
use super::{write, Conn};
use crate::dialect::Backend;
use chrono::{DateTime, Duration, Utc};
use rapport_core::lang::Lang;
use rapport_core::survey::distribution as d;
use rapport_core::survey::distribution::template::MailTemplate;
use rapport_core::survey::distribution::{InvitationKind, InvitationStatus, SendFacts, Throttle};
use rapport_core::Id;
use rapport_store::distribution::{DueMail, SendOutcome};
use rapport_store::rows as s;
use rapport_store::Result;
use std::collections::{HashMap, HashSet};

/// The outbox events of the e-mails.
pub const INVITATION_EVENT: &str = "survey.invitation";
pub const REMINDER_EVENT: &str = "survey.reminder";
pub const THANKS_EVENT: &str = "survey.thanks";

const DUE_COLUMNS: &str = "SELECT i.org_id, i.id, i.kind, i.survey_id, s.token, s.title_en, s.title_es, \
     c.external_id, COALESCE(i.email, c.email) AS email, COALESCE(i.name, c.name) AS name, i.language, \
     c.attributes, COALESCE(w.subject_en, t.subject_en, th.subject_en) AS subject_en, \
     COALESCE(w.body_en, t.body_en, th.body_en) AS body_en, COALESCE(w.subject_es, t.subject_es, th.subject_es) \
     AS subject_es, COALESCE(w.body_es, t.body_es, th.body_es) AS body_es \
     FROM survey_invitations i JOIN surveys s ON s.id = i.survey_id JOIN customers c ON c.id = i.customer_id \
     LEFT JOIN invitation_waves w ON w.id = i.wave_id LEFT JOIN survey_triggers t ON t.id = i.trigger_id \
     LEFT JOIN survey_thanks th ON th.survey_id = i.survey_id AND i.kind = 'thanks'";

#[derive(sqlx::FromRow)]
struct DueRow {
    org_id: Id,
    id: Id,
    kind: String,
    survey_id: Id,
    token: String,
    title_en: String,
    title_es: String,
    external_id: String,
    email: Option<String>,
    name: Option<String>,
    language: Option<String>,
    attributes: String,
    subject_en: Option<String>,
    body_en: Option<String>,
    subject_es: Option<String>,
    body_es: Option<String>,
}

impl DueRow {
    fn due(self, reminder: bool) -> Result<DueMail> {
        let attributes: serde_json::Map<String, serde_json::Value> =
            s::from_json("customer attributes", &self.attributes)?;
        let template = match (self.subject_en, self.body_en, self.subject_es, self.body_es) {
            (Some(subject_en), Some(body_en), Some(subject_es), Some(body_es)) => {
                Some(MailTemplate { subject_en, body_en, subject_es, body_es })
            }
            _ => None,
        };
        Ok(DueMail {
            org: self.org_id,
            invitation_id: self.id,
            kind: InvitationKind::parse(&self.kind).ok_or_else(|| s::corrupt(format!("kind {:?}", self.kind)))?,
            reminder,
            survey_id: self.survey_id,
            survey_token: self.token,
            survey_title_en: self.title_en,
            survey_title_es: self.title_es,
            external_id: self.external_id,
            email: self.email,
            name: self.name,
            language: self.language.as_deref().and_then(Lang::parse),
            customer_language: rapport_core::customer::language_attribute(&attributes).map(|l| l.code().to_string()),
            template,
        })
    }
}

pub(crate) async fn due_mails(store: &Backend, now: DateTime<Utc>, limit: i64) -> Result<Vec<DueMail>> {
    let mut c = store.pool.acquire().await?;
    // A wave whose hour is full waits for the next slot without crowding
    // out the others.
    let scheduled: Vec<DueRow> = sqlx::query_as(&format!(
        "{DUE_COLUMNS} WHERE i.status = 'scheduled' AND i.due_at <= $1 AND (w.id IS NULL OR w.slot_start IS NULL \
         OR w.slot_start <= $2 OR w.slot_sent < w.per_hour) ORDER BY i.due_at, i.id LIMIT $3"
    ))
    .bind(now)
    .bind(now - Duration::hours(1))
    .bind(limit.max(0))
    .fetch_all(&mut *c)
    .await?;
    let reminders: Vec<DueRow> =
        sqlx::query_as(&format!("{DUE_COLUMNS} WHERE i.remind_at <= $1 ORDER BY i.remind_at, i.id LIMIT $2"))
            .bind(now)
            .bind(limit.max(0))
            .fetch_all(&mut *c)
            .await?;
    let mut out: Vec<DueMail> = scheduled.into_iter().map(|r| r.due(false)).collect::<Result<_>>()?;
    for r in reminders {
        out.push(r.due(true)?);
    }
    Ok(out)
}

#[derive(sqlx::FromRow)]
struct SendRow {
    kind: String,
    status: String,
    wave_id: Option<Id>,
    customer_id: Id,
    survey_id: Id,
    email: Option<String>,
    remind_at: Option<DateTime<Utc>>,
    fatigue_days: i64,
    per_hour: Option<i64>,
    slot_start: Option<DateTime<Utc>>,
    slot_sent: Option<i64>,
    reminder_days: Option<i64>,
}

/// Adds `by` to a wave's `column` (a fixed name).
async fn bump(c: &mut Conn, wave: Option<Id>, column: &str, by: i64) -> Result<()> {
    if let Some(w) = wave {
        sqlx::query(&format!("UPDATE invitation_waves SET {column} = {column} + $2 WHERE id = $1"))
            .bind(w)
            .bind(by)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Takes one e-mail from the wave's hourly slot; false when it is full.
async fn take_slot(c: &mut Conn, r: &SendRow, now: DateTime<Utc>) -> Result<bool> {
    let (Some(wave), Some(per_hour)) = (r.wave_id, r.per_hour) else { return Ok(true) };
    let (slot, ok) = Throttle { start: r.slot_start, sent: r.slot_sent.unwrap_or(0) }.take(per_hour, now);
    if ok {
        sqlx::query("UPDATE invitation_waves SET slot_start = $2, slot_sent = $3 WHERE id = $1")
            .bind(wave)
            .bind(slot.start)
            .bind(slot.sent)
            .execute(&mut *c)
            .await?;
    }
    Ok(ok)
}

pub(crate) async fn send_mail(
    store: &Backend,
    org: Id,
    invitation: Id,
    reminder: bool,
    now: DateTime<Utc>,
    payload: &serde_json::Value,
) -> Result<SendOutcome> {
    let mut tx = write(store, org).await?;
    let row: Option<SendRow> = sqlx::query_as(
        "SELECT i.kind, i.status, i.wave_id, i.customer_id, i.survey_id, COALESCE(i.email, c.email) AS email, \
         i.remind_at, s.fatigue_days, w.per_hour, w.slot_start, w.slot_sent, w.reminder_days \
         FROM survey_invitations i JOIN customers c ON c.id = i.customer_id JOIN surveys s ON s.id = i.survey_id \
         LEFT JOIN invitation_waves w ON w.id = i.wave_id WHERE i.org_id = $1 AND i.id = $2",
    )
    .bind(org)
    .bind(invitation)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(r) = row else { return Ok(SendOutcome::Gone) };
    let kind = InvitationKind::parse(&r.kind).ok_or_else(|| s::corrupt(format!("kind {:?}", r.kind)))?;
    let still_due = if reminder {
        r.status == InvitationStatus::Sent.key() && r.remind_at.is_some_and(|at| at <= now)
    } else {
        r.status == InvitationStatus::Scheduled.key()
    };
    if !still_due {
        return Ok(SendOutcome::Gone);
    }
    type Flags = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);
    let status: Option<Flags> =
        sqlx::query_as("SELECT unsubscribed_at, bounced_at FROM customer_mail_status WHERE customer_id = $1")
            .bind(r.customer_id)
            .fetch_optional(&mut *tx)
            .await?;
    let (unsubscribed, bounced) = status.map_or((false, false), |(u, b)| (u.is_some(), b.is_some()));
    let fatigue = !reminder && kind != InvitationKind::Thanks;
    let last_answer: Option<DateTime<Utc>> = if fatigue {
        sqlx::query_scalar("SELECT MAX(at) FROM responses WHERE customer_id = $1 AND survey_id = $2")
            .bind(r.customer_id)
            .bind(r.survey_id)
            .fetch_one(&mut *tx)
            .await?
    } else {
        None
    };
    let facts =
        SendFacts { email: r.email.as_deref(), unsubscribed, bounced, last_answer, fatigue_days: r.fatigue_days };
    if let Some(reason) = d::skip_reason(&facts, now, fatigue) {
        if reminder {
            sqlx::query("UPDATE survey_invitations SET remind_at = NULL WHERE id = $1")
                .bind(invitation)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query("UPDATE survey_invitations SET status = 'skipped', skip_reason = $2 WHERE id = $1")
                .bind(invitation)
                .bind(reason.key())
                .execute(&mut *tx)
                .await?;
            bump(&mut tx, r.wave_id, "skipped", 1).await?;
        }
        tx.commit().await?;
        return Ok(SendOutcome::Skipped(reason));
    }
    if !take_slot(&mut tx, &r, now).await? {
        return Ok(SendOutcome::Throttled);
    }
    let event = match (reminder, kind) {
        (true, _) => REMINDER_EVENT,
        (false, InvitationKind::Thanks) => THANKS_EVENT,
        (false, _) => INVITATION_EVENT,
    };
    enqueue_in(&mut tx, org, event, payload).await?;
    if reminder {
        sqlx::query("UPDATE survey_invitations SET reminded_at = $2, remind_at = NULL WHERE id = $1")
            .bind(invitation)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        bump(&mut tx, r.wave_id, "reminded", 1).await?;
    } else {
        let remind_at = r.reminder_days.filter(|d| *d > 0).map(|days| now + Duration::days(days));
        sqlx::query("UPDATE survey_invitations SET status = 'sent', sent_at = $2, remind_at = $3 WHERE id = $1")
            .bind(invitation)
            .bind(now)
            .bind(remind_at)
            .execute(&mut *tx)
            .await?;
        bump(&mut tx, r.wave_id, "sent", 1).await?;
    }
    tx.commit().await?;
    Ok(SendOutcome::Sent)
}

pub(crate) async fn opened(store: &Backend, org: Id, survey: Id, external_id: &str, now: DateTime<Utc>) -> Result<()> {
    const NEWEST_UNOPENED: &str = "SELECT id FROM survey_invitations WHERE customer_id = $1 AND survey_id = $2 \
         AND status = 'sent' AND opened_at IS NULL AND kind <> 'thanks' ORDER BY id DESC LIMIT 1";
    // Read first: most views open nothing new, and need no lock.
    let pending: Option<Id> = {
        let mut c = store.pool.acquire().await?;
        let Some(customer) = customer_id(&mut c, org, external_id).await? else { return Ok(()) };
        sqlx::query_scalar(NEWEST_UNOPENED).bind(customer).bind(survey).fetch_optional(&mut *c).await?
    };
    if pending.is_none() {
        return Ok(());
    }
    let mut tx = write(store, org).await?;
    let Some(customer) = customer_id(&mut tx, org, external_id).await? else { return Ok(()) };
    let found: Option<Id> =
        sqlx::query_scalar(NEWEST_UNOPENED).bind(customer).bind(survey).fetch_optional(&mut *tx).await?;
    if let Some(id) = found {
        let wave: Option<Id> =
            sqlx::query_scalar("UPDATE survey_invitations SET opened_at = $2 WHERE id = $1 RETURNING wave_id")
                .bind(id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
        bump(&mut tx, wave, "opened", 1).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub(crate) async fn bounced(store: &Backend, org: Id, invitation: Id, reason: &str, now: DateTime<Utc>) -> Result<()> {
    let mut tx = write(store, org).await?;
    let row: Option<(Option<Id>, Id, String)> =
        sqlx::query_as("SELECT wave_id, customer_id, status FROM survey_invitations WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(invitation)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((wave, customer, status)) = row else { return Ok(()) };
    let reason: String = reason.chars().take(500).collect();
    if status == InvitationStatus::Sent.key() {
        sqlx::query(
            "UPDATE survey_invitations SET status = 'bounced', bounced_at = $2, remind_at = NULL WHERE id = $1",
        )
        .bind(invitation)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        bump(&mut tx, wave, "sent", -1).await?;
        bump(&mut tx, wave, "bounced", 1).await?;
    }
    sqlx::query(
        "INSERT INTO customer_mail_status (customer_id, org_id, bounced_at, bounce_reason, updated_at) \
         VALUES ($1, $2, $3, $4, $3) ON CONFLICT (customer_id) DO UPDATE SET bounced_at = $3, bounce_reason = $4, \
         updated_at = $3",
    )
    .bind(customer)
    .bind(org)
    .bind(now)
    .bind(&reason)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---- Hooks of ingestion (inside its transaction) ---------------------

/// Marks the sent invitations these responses answer and schedules the
/// surveys' thank-you notes: `(survey, customer, at)` per stored response.
/// Invitations are found by customer in one lookup (index), not by scan.
pub(crate) async fn on_responses(
    c: &mut Conn,
    org: Id,
    answered: &[(Option<Id>, Option<Id>, DateTime<Utc>)],
    now: DateTime<Utc>,
) -> Result<()> {
    let pairs: Vec<(Id, Id, DateTime<Utc>)> =
        answered.iter().filter_map(|(s, c, at)| Some(((*s)?, (*c)?, *at))).collect();
    if pairs.is_empty() {
        return Ok(());
    }
    let customers: Vec<Id> = pairs.iter().map(|p| p.1).collect::<HashSet<_>>().into_iter().collect();
    let open: Vec<(Id, Id, Id, Option<Id>)> = lookup(
        c,
        "SELECT id, customer_id, survey_id, wave_id FROM survey_invitations WHERE status = 'sent' AND answered_at IS NULL \
         AND kind <> 'thanks' AND",
        org,
        "customer_id",
        &customers,
    )
    .await?;
    let by_pair: HashMap<(Id, Id), DateTime<Utc>> = pairs.iter().map(|(s, c, at)| ((*c, *s), *at)).collect();
    for (id, customer, survey, wave) in open {
        if let Some(at) = by_pair.get(&(customer, survey)) {
            sqlx::query("UPDATE survey_invitations SET answered_at = $2, remind_at = NULL WHERE id = $1")
                .bind(id)
                .bind(*at)
                .execute(&mut *c)
                .await?;
            bump(c, wave, "answered", 1).await?;
        }
    }
    let surveys: Vec<Id> = pairs.iter().map(|p| p.0).collect::<HashSet<_>>().into_iter().collect();
    let thanked: Vec<(Id,)> =
        lookup(c, "SELECT survey_id FROM survey_thanks WHERE", org, "survey_id", &surveys).await?;
    let thanked: HashSet<Id> = thanked.into_iter().map(|(s,)| s).collect();
    for (survey, customer, _) in pairs.iter().filter(|p| thanked.contains(&p.0)) {
        // Only customers with an address: the note follows their answer.
        sqlx::query(
            "INSERT INTO survey_invitations (org_id, kind, survey_id, customer_id, status, due_at, created_at) \
             SELECT $1, 'thanks', $2, c.id, 'scheduled', $4, $4 FROM customers c WHERE c.id = $3 \
             AND c.email IS NOT NULL",
        )
        .bind(org)
        .bind(*survey)
        .bind(*customer)
        .bind(now)
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

/// A stored event as the triggers see it: id, customer, touchpoint, when, kind.
pub(crate) type EventFact<'a> = (Id, Option<Id>, Option<Id>, DateTime<Utc>, &'a str);

/// Schedules the triggered surveys of these events: `(event id, customer,
/// touchpoint, at, kind)` per stored event. Unique per rule and event (an
/// index), and at most one per customer and rule within the survey's
/// fatigue window.
pub(crate) async fn on_events(c: &mut Conn, org: Id, events: &[EventFact<'_>], now: DateTime<Utc>) -> Result<()> {
    type Rule = (Id, Id, String, Option<Id>, i64, i64);
    let rules: Vec<Rule> = sqlx::query_as(
        "SELECT t.id, t.survey_id, t.event_kind, t.touchpoint_id, t.delay_hours, s.fatigue_days \
         FROM survey_triggers t JOIN surveys s ON s.id = t.survey_id WHERE t.org_id = $1",
    )
    .bind(org)
    .fetch_all(&mut *c)
    .await?;
    if rules.is_empty() {
        return Ok(());
    }
    for (event, customer, touchpoint, at, kind) in events {
        let Some(customer) = customer else { continue };
        for (rule, survey, rule_kind, rule_tp, delay, fatigue) in &rules {
            if rule_kind != kind || rule_tp.is_some_and(|tp| Some(tp) != *touchpoint) {
                continue;
            }
            let due = d::trigger_due_at(*at, *delay);
            if !d::trigger_fresh(due, now) {
                continue;
            }
            let others: Vec<DateTime<Utc>> = sqlx::query_scalar(
                "SELECT due_at FROM survey_invitations WHERE trigger_id = $1 AND customer_id = $2 AND due_at > $3 \
                 AND due_at < $4",
            )
            .bind(*rule)
            .bind(*customer)
            .bind(due - Duration::days((*fatigue).max(0)))
            .bind(due + Duration::days((*fatigue).max(0)))
            .fetch_all(&mut *c)
            .await?;
            if others.iter().any(|o| d::trigger_repeats(due, *o, *fatigue)) {
                continue;
            }
            sqlx::query(
                "INSERT INTO survey_invitations (org_id, kind, survey_id, trigger_id, event_id, customer_id, status, due_at, \
                 created_at) VALUES ($1, 'trigger', $2, $3, $4, $5, 'scheduled', $6, $7) \
                 ON CONFLICT (trigger_id, event_id) DO NOTHING",
            )
            .bind(org)
            .bind(*survey)
            .bind(*rule)
            .bind(*event)
            .bind(*customer)
            .bind(due)
            .bind(now)
            .execute(&mut *c)
            .await?;
        }
    }
    Ok(())
}
