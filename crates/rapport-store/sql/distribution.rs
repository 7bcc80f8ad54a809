//! B1/B2. Survey distribution: invitation waves, triggers, thank-you notes
//! and customers' e-mail status. Sending, reminders and the hooks of
//! ingestion, the public page and the dispatcher are in
//! `distribution_send.rs`.
//!
//! A wave's invitations are written with the wave, in one transaction: a
//! segment's with one `INSERT ... SELECT` from its members, a list's in
//! multi-row INSERTs. Counters live on the wave row.

use super::customers::{customer_id, lookup};
use super::ingest::insert_rows;
use super::{check, must_exist, write, Conn, SEGMENT, SURVEY, TOUCHPOINT};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::survey::distribution::csv::RowError;
use rapport_core::survey::distribution::template::MailTemplate;
use rapport_core::survey::distribution::{
    Audience, InvitationKind, InvitationStatus, Rates, SkipReason, TriggerInput, WaveInput,
};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::distribution::{Invitation, MailStatus, Trigger, Wave, WaveCreated};
use rapport_store::rows as s;
use rapport_store::{Result, StoreError};
use std::collections::HashMap;

const WAVE_COLUMNS: &str = "id, survey_id, audience, segment_id, subject_en, body_en, subject_es, body_es, send_at, \
     per_hour, reminder_days, invited, sent, skipped, bounced, opened, answered, reminded, created_at, created_by";

#[derive(sqlx::FromRow)]
struct WaveRow {
    id: Id,
    survey_id: Id,
    audience: String,
    segment_id: Option<Id>,
    subject_en: String,
    body_en: String,
    subject_es: String,
    body_es: String,
    send_at: DateTime<Utc>,
    per_hour: i64,
    reminder_days: i64,
    invited: i64,
    sent: i64,
    skipped: i64,
    bounced: i64,
    opened: i64,
    answered: i64,
    reminded: i64,
    created_at: DateTime<Utc>,
    created_by: Option<String>,
}

impl WaveRow {
    fn wave(self) -> Wave {
        Wave {
            id: self.id,
            survey_id: self.survey_id,
            audience: self.audience,
            segment_id: self.segment_id,
            template: MailTemplate {
                subject_en: self.subject_en,
                body_en: self.body_en,
                subject_es: self.subject_es,
                body_es: self.body_es,
            },
            send_at: self.send_at,
            per_hour: self.per_hour,
            reminder_days: self.reminder_days,
            counts: Rates {
                invited: self.invited,
                sent: self.sent,
                skipped: self.skipped,
                bounced: self.bounced,
                opened: self.opened,
                answered: self.answered,
                reminded: self.reminded,
            },
            created_at: self.created_at,
            created_by: self.created_by,
        }
    }
}

pub(crate) const INVITATION_COLUMNS: &str = "i.id, i.kind, i.survey_id, i.wave_id, i.trigger_id, i.event_id, \
     i.customer_id, c.external_id, i.status, i.skip_reason, i.due_at, i.sent_at, i.reminded_at, i.opened_at, \
     i.answered_at, i.bounced_at FROM survey_invitations i JOIN customers c ON c.id = i.customer_id";

#[derive(sqlx::FromRow)]
pub(crate) struct InvitationRow {
    id: Id,
    kind: String,
    survey_id: Id,
    wave_id: Option<Id>,
    trigger_id: Option<Id>,
    event_id: Option<Id>,
    customer_id: Id,
    external_id: String,
    status: String,
    skip_reason: Option<String>,
    due_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    reminded_at: Option<DateTime<Utc>>,
    opened_at: Option<DateTime<Utc>>,
    answered_at: Option<DateTime<Utc>>,
    bounced_at: Option<DateTime<Utc>>,
}

impl InvitationRow {
    pub(crate) fn invitation(self) -> Result<Invitation> {
        Ok(Invitation {
            id: self.id,
            kind: InvitationKind::parse(&self.kind).ok_or_else(|| s::corrupt(format!("kind {:?}", self.kind)))?,
            survey_id: self.survey_id,
            wave_id: self.wave_id,
            trigger_id: self.trigger_id,
            event_id: self.event_id,
            customer_id: self.customer_id,
            external_id: self.external_id,
            status: InvitationStatus::parse(&self.status)
                .ok_or_else(|| s::corrupt(format!("status {:?}", self.status)))?,
            skip_reason: self.skip_reason.as_deref().and_then(SkipReason::parse),
            due_at: self.due_at,
            sent_at: self.sent_at,
            reminded_at: self.reminded_at,
            opened_at: self.opened_at,
            answered_at: self.answered_at,
            bounced_at: self.bounced_at,
        })
    }
}

async fn wave_in(c: &mut Conn, org: Id, id: Id) -> Result<Wave> {
    let row: Option<WaveRow> =
        sqlx::query_as(&format!("SELECT {WAVE_COLUMNS} FROM invitation_waves WHERE org_id = $1 AND id = $2"))
            .bind(org)
            .bind(id)
            .fetch_optional(&mut *c)
            .await?;
    Ok(row.ok_or(StoreError::NotFound)?.wave())
}

/// Inserts the list's invitations; the recipients naming no customer.
async fn invite_list<'a>(
    c: &mut Conn,
    org: Id,
    survey: Id,
    wave: Id,
    rows: &'a [rapport_core::survey::distribution::csv::Recipient],
    now: DateTime<Utc>,
) -> Result<(u64, Vec<&'a rapport_core::survey::distribution::csv::Recipient>)> {
    let ids: Vec<&str> = rows.iter().map(|r| r.external_id.as_str()).collect();
    let found: Vec<(String, Id)> =
        lookup(c, "SELECT external_id, id FROM customers WHERE", org, "external_id", &ids).await?;
    let known: HashMap<String, Id> = found.into_iter().collect();
    let (good, unknown): (Vec<_>, Vec<_>) = rows.iter().partition(|r| known.contains_key(&r.external_id));
    let values: Vec<(Id, &rapport_core::survey::distribution::csv::Recipient)> =
        good.into_iter().map(|r| (known[&r.external_id], r)).collect();
    let head = "INSERT INTO survey_invitations (org_id, kind, survey_id, wave_id, customer_id, email, name, language, \
                status, due_at, created_at) ";
    let inserted = insert_rows(c, head, 11, &values, |b, (customer, r)| {
        b.push_bind(org)
            .push_bind(InvitationKind::Wave.key())
            .push_bind(survey)
            .push_bind(wave)
            .push_bind(*customer)
            .push_bind(r.email.as_deref())
            .push_bind(r.name.as_deref())
            .push_bind(r.language.map(|l| l.code()))
            .push_bind(InvitationStatus::Scheduled.key())
            .push_bind(now)
            .push_bind(now);
    })
    .await?;
    Ok((inserted.len() as u64, unknown))
}

async fn customer_or_404(c: &mut Conn, org: Id, external_id: &str) -> Result<Id> {
    customer_id(c, org, external_id).await?.ok_or(StoreError::NotFound)
}

async fn mail_status_of(c: &mut Conn, customer: Id) -> Result<MailStatus> {
    type StatusRow = (Option<DateTime<Utc>>, Option<String>, Option<DateTime<Utc>>, Option<String>);
    let row: Option<StatusRow> = sqlx::query_as(
        "SELECT unsubscribed_at, unsubscribed_by, bounced_at, bounce_reason FROM customer_mail_status \
         WHERE customer_id = $1",
    )
    .bind(customer)
    .fetch_optional(&mut *c)
    .await?;
    Ok(row
        .map(|r| MailStatus { unsubscribed_at: r.0, unsubscribed_by: r.1, bounced_at: r.2, bounce_reason: r.3 })
        .unwrap_or_default())
}

const TRIGGER_COLUMNS: &str = "id, survey_id, event_kind, touchpoint_id, delay_hours, subject_en, body_en, \
     subject_es, body_es, created_at FROM survey_triggers";

type TriggerRow = (Id, Id, String, Option<Id>, i64, String, String, String, String, DateTime<Utc>);

fn trigger_of(r: TriggerRow) -> Trigger {
    Trigger {
        id: r.0,
        survey_id: r.1,
        event_kind: r.2,
        touchpoint_id: r.3,
        delay_hours: r.4,
        template: MailTemplate { subject_en: r.5, body_en: r.6, subject_es: r.7, body_es: r.8 },
        created_at: r.9,
    }
}

async fn trigger_in(c: &mut Conn, org: Id, id: Id) -> Result<Trigger> {
    let row: Option<TriggerRow> = sqlx::query_as(&format!("SELECT {TRIGGER_COLUMNS} WHERE org_id = $1 AND id = $2"))
        .bind(org)
        .bind(id)
        .fetch_optional(&mut *c)
        .await?;
    Ok(trigger_of(row.ok_or(StoreError::NotFound)?))
}

async fn check_touchpoint(c: &mut Conn, org: Id, t: &TriggerInput) -> Result<()> {
    let mut e = FieldErrors::new();
    if let Some(tp) = t.touchpoint_id {
        check(c, &mut e, TOUCHPOINT, org, tp, "touchpoint_id".into()).await?;
    }
    s::invalid_if_any(e)
}

#[async_trait]
impl rapport_store::Distribution for Backend {
    async fn create_wave(
        &self,
        org: Id,
        survey: Id,
        w: &WaveInput,
        csv: bool,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<WaveCreated> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, SURVEY, org, survey).await?;
        let (audience, segment) = match &w.audience {
            Audience::Segment(id) => {
                let mut e = FieldErrors::new();
                check(&mut tx, &mut e, SEGMENT, org, *id, "segment_id".into()).await?;
                s::invalid_if_any(e)?;
                ("segment", Some(*id))
            }
            Audience::List(_) if csv => ("csv", None),
            Audience::List(_) => ("list", None),
        };
        let t = &w.template;
        let wave: Id = sqlx::query_scalar(
            "INSERT INTO invitation_waves (org_id, survey_id, audience, segment_id, subject_en, body_en, subject_es, \
             body_es, send_at, per_hour, reminder_days, invited, sent, skipped, bounced, opened, answered, reminded, \
             slot_sent, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0, 0, 0, 0, 0, 0, 0, 0, $12, $13) RETURNING id",
        )
        .bind(org)
        .bind(survey)
        .bind(audience)
        .bind(segment)
        .bind(&t.subject_en)
        .bind(&t.body_en)
        .bind(&t.subject_es)
        .bind(&t.body_es)
        .bind(w.send_at)
        .bind(w.per_hour)
        .bind(w.reminder_days)
        .bind(now)
        .bind(actor)
        .fetch_one(&mut *tx)
        .await?;
        let mut row_errors = Vec::new();
        let invited = match &w.audience {
            Audience::Segment(id) => sqlx::query(
                "INSERT INTO survey_invitations (org_id, kind, survey_id, wave_id, customer_id, status, due_at, \
                     created_at) SELECT $1, $2, $3, $4, m.customer_id, $5, $6, $7 FROM segment_members m \
                     WHERE m.org_id = $1 AND m.segment_id = $8",
            )
            .bind(org)
            .bind(InvitationKind::Wave.key())
            .bind(survey)
            .bind(wave)
            .bind(InvitationStatus::Scheduled.key())
            .bind(w.send_at)
            .bind(now)
            .bind(*id)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            Audience::List(rows) => {
                let (n, unknown) = invite_list(&mut tx, org, survey, wave, rows, w.send_at).await?;
                if !csv && !unknown.is_empty() {
                    let mut e = FieldErrors::new();
                    for r in unknown {
                        s::unknown(&mut e, format!("customers[{}]", r.line));
                    }
                    return Err(StoreError::Invalid(e));
                }
                if n == 0 {
                    // Nobody to invite: no wave (nothing is stored), and the
                    // upload says which lines named nobody.
                    let lines: Vec<String> = unknown.iter().take(20).map(|r| format!("line {}", r.line)).collect();
                    return Err(StoreError::Invalid(FieldErrors::single(
                        "file",
                        "no_valid_row",
                        format!("no row names a known customer ({}: unknown_customer)", lines.join(", ")),
                    )));
                }
                row_errors =
                    unknown.into_iter().map(|r| RowError { line: r.line, reason: "unknown_customer".into() }).collect();
                n
            }
        };
        sqlx::query("UPDATE invitation_waves SET invited = $2 WHERE id = $1")
            .bind(wave)
            .bind(invited as i64)
            .execute(&mut *tx)
            .await?;
        let wave = wave_in(&mut tx, org, wave).await?;
        tx.commit().await?;
        Ok(WaveCreated { wave, row_errors })
    }

    async fn list_waves(&self, org: Id, survey: Id, after: Option<Id>, limit: i64) -> Result<Vec<Wave>> {
        let rows: Vec<WaveRow> = sqlx::query_as(&format!(
            "SELECT {WAVE_COLUMNS} FROM invitation_waves WHERE org_id = $1 AND survey_id = $2 \
             AND ($3 IS NULL OR id < $3) ORDER BY id DESC LIMIT $4"
        ))
        .bind(org)
        .bind(survey)
        .bind(after)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(WaveRow::wave).collect())
    }

    async fn get_wave(&self, org: Id, id: Id) -> Result<Wave> {
        let mut c = self.pool.acquire().await?;
        wave_in(&mut c, org, id).await
    }

    async fn list_invitations(
        &self,
        org: Id,
        wave: Id,
        status: Option<InvitationStatus>,
        after: Option<Id>,
        limit: i64,
    ) -> Result<Vec<Invitation>> {
        let mut c = self.pool.acquire().await?;
        wave_in(&mut c, org, wave).await?;
        let rows: Vec<InvitationRow> = sqlx::query_as(&format!(
            "SELECT {INVITATION_COLUMNS} WHERE i.wave_id = $1 AND ($2 IS NULL OR i.status = $2) \
             AND ($3 IS NULL OR i.id > $3) ORDER BY i.id LIMIT $4"
        ))
        .bind(wave)
        .bind(status.map(InvitationStatus::key))
        .bind(after)
        .bind(limit.max(0))
        .fetch_all(&mut *c)
        .await?;
        rows.into_iter().map(InvitationRow::invitation).collect()
    }

    async fn customer_invitations(&self, org: Id, external_id: &str, limit: i64) -> Result<Vec<Invitation>> {
        let mut c = self.pool.acquire().await?;
        let customer = customer_or_404(&mut c, org, external_id).await?;
        let rows: Vec<InvitationRow> = sqlx::query_as(&format!(
            "SELECT {INVITATION_COLUMNS} WHERE i.customer_id = $1 ORDER BY i.id DESC LIMIT $2"
        ))
        .bind(customer)
        .bind(limit.max(0))
        .fetch_all(&mut *c)
        .await?;
        rows.into_iter().map(InvitationRow::invitation).collect()
    }

    async fn create_trigger(
        &self,
        org: Id,
        survey: Id,
        t: &TriggerInput,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Trigger> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, SURVEY, org, survey).await?;
        check_touchpoint(&mut tx, org, t).await?;
        let m = &t.template;
        let id: Id = sqlx::query_scalar(
            "INSERT INTO survey_triggers (org_id, survey_id, event_kind, touchpoint_id, delay_hours, subject_en, \
             body_en, subject_es, body_es, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(org)
        .bind(survey)
        .bind(&t.event_kind)
        .bind(t.touchpoint_id)
        .bind(t.delay_hours)
        .bind(&m.subject_en)
        .bind(&m.body_en)
        .bind(&m.subject_es)
        .bind(&m.body_es)
        .bind(now)
        .bind(actor)
        .fetch_one(&mut *tx)
        .await?;
        let out = trigger_in(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn list_triggers(&self, org: Id, survey: Id) -> Result<Vec<Trigger>> {
        let rows: Vec<TriggerRow> =
            sqlx::query_as(&format!("SELECT {TRIGGER_COLUMNS} WHERE org_id = $1 AND survey_id = $2 ORDER BY id"))
                .bind(org)
                .bind(survey)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(trigger_of).collect())
    }

    async fn get_trigger(&self, org: Id, id: Id) -> Result<Trigger> {
        let mut c = self.pool.acquire().await?;
        trigger_in(&mut c, org, id).await
    }

    async fn update_trigger(&self, org: Id, id: Id, t: &TriggerInput) -> Result<Trigger> {
        let mut tx = write(self, org).await?;
        trigger_in(&mut tx, org, id).await?;
        check_touchpoint(&mut tx, org, t).await?;
        let m = &t.template;
        sqlx::query(
            "UPDATE survey_triggers SET event_kind = $3, touchpoint_id = $4, delay_hours = $5, subject_en = $6, \
             body_en = $7, subject_es = $8, body_es = $9 WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id)
        .bind(&t.event_kind)
        .bind(t.touchpoint_id)
        .bind(t.delay_hours)
        .bind(&m.subject_en)
        .bind(&m.body_en)
        .bind(&m.subject_es)
        .bind(&m.body_es)
        .execute(&mut *tx)
        .await?;
        let out = trigger_in(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn delete_trigger(&self, org: Id, id: Id) -> Result<()> {
        let mut tx = write(self, org).await?;
        trigger_in(&mut tx, org, id).await?;
        sqlx::query("DELETE FROM survey_triggers WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_thanks(&self, org: Id, survey: Id) -> Result<Option<MailTemplate>> {
        let mut c = self.pool.acquire().await?;
        must_exist(&mut c, SURVEY, org, survey).await?;
        let row: Option<(String, String, String, String)> = sqlx::query_as(
            "SELECT subject_en, body_en, subject_es, body_es FROM survey_thanks WHERE org_id = $1 AND survey_id = $2",
        )
        .bind(org)
        .bind(survey)
        .fetch_optional(&mut *c)
        .await?;
        Ok(row.map(|r| MailTemplate { subject_en: r.0, body_en: r.1, subject_es: r.2, body_es: r.3 }))
    }

    async fn set_thanks(&self, org: Id, survey: Id, t: Option<&MailTemplate>, now: DateTime<Utc>) -> Result<()> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, SURVEY, org, survey).await?;
        sqlx::query("DELETE FROM survey_thanks WHERE org_id = $1 AND survey_id = $2")
            .bind(org)
            .bind(survey)
            .execute(&mut *tx)
            .await?;
        if let Some(t) = t {
            sqlx::query(
                "INSERT INTO survey_thanks (survey_id, org_id, subject_en, body_en, subject_es, body_es, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(survey)
            .bind(org)
            .bind(&t.subject_en)
            .bind(&t.body_en)
            .bind(&t.subject_es)
            .bind(&t.body_es)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn mail_status(&self, org: Id, external_id: &str) -> Result<MailStatus> {
        let mut c = self.pool.acquire().await?;
        let customer = customer_or_404(&mut c, org, external_id).await?;
        mail_status_of(&mut c, customer).await
    }

    async fn set_unsubscribed(
        &self,
        org: Id,
        external_id: &str,
        unsubscribed: bool,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<MailStatus> {
        let mut tx = write(self, org).await?;
        let customer = customer_or_404(&mut tx, org, external_id).await?;
        let (at, by) = if unsubscribed { (Some(now), Some(by)) } else { (None, None) };
        sqlx::query(
            "INSERT INTO customer_mail_status (customer_id, org_id, unsubscribed_at, unsubscribed_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (customer_id) DO UPDATE SET \
             unsubscribed_at = CASE WHEN customer_mail_status.unsubscribed_at IS NOT NULL AND $3 IS NOT NULL \
             THEN customer_mail_status.unsubscribed_at ELSE $3 END, \
             unsubscribed_by = CASE WHEN customer_mail_status.unsubscribed_at IS NOT NULL AND $3 IS NOT NULL \
             THEN customer_mail_status.unsubscribed_by ELSE $4 END, updated_at = $5",
        )
        .bind(customer)
        .bind(org)
        .bind(at)
        .bind(by)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let out = mail_status_of(&mut tx, customer).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn due_mails(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<rapport_store::distribution::DueMail>> {
        super::distribution_send::due_mails(self, now, limit).await
    }

    async fn send_mail(
        &self,
        org: Id,
        invitation: Id,
        reminder: bool,
        now: DateTime<Utc>,
        payload: &serde_json::Value,
    ) -> Result<rapport_store::distribution::SendOutcome> {
        super::distribution_send::send_mail(self, org, invitation, reminder, now, payload).await
    }

    async fn invitation_opened(&self, org: Id, survey: Id, external_id: &str, now: DateTime<Utc>) -> Result<()> {
        super::distribution_send::opened(self, org, survey, external_id, now).await
    }

    async fn invitation_bounced(&self, org: Id, invitation: Id, reason: &str, now: DateTime<Utc>) -> Result<()> {
        super::distribution_send::bounced(self, org, invitation, reason, now).await
    }
}
