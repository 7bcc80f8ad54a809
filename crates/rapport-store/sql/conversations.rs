//! D1/D2. Cases as conversations: messages to and from the customer and
//! internal notes, in the case's thread (policy: `rapport_store::conversations`).

use super::case_flow::{case_event, case_history};
use super::case_setup::load_calendar;
use super::outbox::enqueue_in;
use super::{notify_after, notify_in, write, Conn};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::case::conversation::templates::CaseReplyTemplate;
use rapport_core::case::conversation::{CaseMailStatus, CaseMessage, LatestWords, MessageKind};
use rapport_core::case::resolved::Step;
use rapport_core::lang::Lang;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::conversations::{CaseContact, NewCaseMessage, CUSTOMER_REPLIED_EVENT, REPLY_EVENT};
use rapport_store::listening::NoticeKind;
use rapport_store::rows as s;
use rapport_store::{Result, StoreError};

type ContactRow = (
    Id,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<Id>,
    Option<DateTime<Utc>>,
    Option<String>,
    Option<String>,
);

async fn contact(c: &mut Conn, org: Id, case: Id) -> Result<CaseContact> {
    let row: Option<ContactRow> = sqlx::query_as(
        "SELECT k.id, k.title, cu.external_id, cu.email, cu.name, cu.attributes, k.assignee_id, k.waiting_since, \
         r.language, r.comment \
         FROM cases k LEFT JOIN customers cu ON cu.id = k.customer_id \
         LEFT JOIN responses r ON r.id = (SELECT ci.item_id FROM case_items ci \
             WHERE ci.case_id = k.id AND ci.kind = 'response' ORDER BY ci.at DESC, ci.item_id DESC LIMIT 1) \
         WHERE k.org_id = $1 AND k.id = $2",
    )
    .bind(org)
    .bind(case)
    .fetch_optional(&mut *c)
    .await?;
    let (case_id, title, customer, email, name, attributes, assignee_id, waiting_since, language, comment) =
        row.ok_or(StoreError::NotFound)?;
    let latest = LatestWords { language: language.as_deref().and_then(Lang::parse), comment };
    let attributes = match attributes {
        Some(a) => s::from_json("customer attributes", &a)?,
        None => Default::default(),
    };
    Ok(CaseContact { case_id, title, customer, email, name, attributes, assignee_id, waiting_since, latest })
}

async fn status_of(c: &mut Conn, org: Id, case: Id) -> Result<String> {
    Ok(sqlx::query_scalar("SELECT status FROM cases WHERE org_id = $1 AND id = $2")
        .bind(org)
        .bind(case)
        .fetch_one(&mut *c)
        .await?)
}

#[allow(clippy::too_many_arguments)]
async fn insert_message(
    c: &mut Conn,
    org: Id,
    case: Id,
    kind: MessageKind,
    author: &str,
    subject: Option<&str>,
    body: &str,
    lang: Option<&str>,
    event: Option<Id>,
    now: DateTime<Utc>,
) -> Result<Id> {
    Ok(sqlx::query_scalar(
        "INSERT INTO case_messages (org_id, case_id, kind, author, subject, body, lang, outbox_event_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(org)
    .bind(case)
    .bind(kind.key())
    .bind(author)
    .bind(subject)
    .bind(body)
    .bind(lang)
    .bind(event)
    .bind(now)
    .fetch_one(&mut *c)
    .await?)
}

type MessageRow =
    (Id, Id, String, String, Option<String>, String, Option<String>, DateTime<Utc>, Option<Id>, i64, i64, i64);

async fn messages(c: &mut Conn, org: Id, case: Id, after: Option<Id>, limit: i64) -> Result<Vec<CaseMessage>> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT m.id, m.case_id, m.kind, m.author, m.subject, m.body, m.lang, m.created_at, m.outbox_event_id, \
         (SELECT COUNT(*) FROM deliveries d WHERE d.event_id = m.outbox_event_id AND d.delivered_at IS NOT NULL), \
         (SELECT COUNT(*) FROM deliveries d WHERE d.event_id = m.outbox_event_id AND d.gave_up_at IS NOT NULL), \
         (SELECT COUNT(*) FROM outbox_events e WHERE e.id = m.outbox_event_id) \
         FROM case_messages m WHERE m.org_id = $1 AND m.case_id = $2 AND m.id > $3 ORDER BY m.id LIMIT $4",
    )
    .bind(org)
    .bind(case)
    .bind(after.unwrap_or(0))
    .bind(limit)
    .fetch_all(&mut *c)
    .await?;
    // A kind this version does not know (written by a later one) is left out.
    Ok(rows
        .into_iter()
        .filter_map(|(id, case_id, kind, author, subject, body, lang, created_at, event, delivered, failed, exists)| {
            let kind = MessageKind::parse(&kind)?;
            let delivery = match (event, delivered, failed, exists) {
                (None, ..) => None,
                (_, d, _, _) if d > 0 => Some(CaseMailStatus::Delivered),
                (_, _, f, _) if f > 0 => Some(CaseMailStatus::Failed),
                (_, _, _, e) if e > 0 => Some(CaseMailStatus::Pending),
                _ => None,
            };
            Some(CaseMessage { id, case_id, kind, author, subject, body, lang, created_at, delivery })
        })
        .collect())
}

async fn message(c: &mut Conn, org: Id, case: Id, id: Id) -> Result<CaseMessage> {
    s::one(messages(c, org, case, Some(id - 1), 1).await?)
}

/// Reopens a closed case with a fresh resolution promise from `now`, as
/// `reopen_case` does; `false` (left closed) when another case of the
/// customer is open at the same touchpoint, which the answer does not
/// belong to.
async fn reopen(c: &mut Conn, org: Id, case: Id, now: DateTime<Utc>) -> Result<bool> {
    let others: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM cases o JOIN cases k ON k.org_id = o.org_id AND k.customer_id = o.customer_id \
         AND COALESCE(k.touchpoint_id, 0) = COALESCE(o.touchpoint_id, 0) \
         WHERE k.org_id = $1 AND k.id = $2 AND o.status = 'open' AND o.id <> k.id",
    )
    .bind(org)
    .bind(case)
    .fetch_one(&mut *c)
    .await?;
    if others > 0 {
        return Ok(false);
    }
    let hours: i64 = sqlx::query_scalar("SELECT resolution_hours FROM cases WHERE org_id = $1 AND id = $2")
        .bind(org)
        .bind(case)
        .fetch_one(&mut *c)
        .await?;
    let due = load_calendar(c, org).await?.add_working_minutes(now, hours * 60);
    sqlx::query(
        "UPDATE cases SET status = 'open', closed_at = NULL, resolution_due = $3, resolution_breached_at = NULL \
         WHERE org_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(case)
    .bind(due)
    .execute(&mut *c)
    .await?;
    Ok(true)
}

#[async_trait]
impl rapport_store::Conversations for Backend {
    async fn case_contact(&self, org: Id, case: Id) -> Result<CaseContact> {
        contact(&mut *self.pool.acquire().await?, org, case).await
    }

    async fn add_case_message(
        &self,
        org: Id,
        case: Id,
        m: &NewCaseMessage,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<CaseMessage> {
        let mut tx = write(self, org).await?;
        let who = contact(&mut tx, org, case).await?;
        let mut event = None;
        if m.kind == MessageKind::Reply {
            if status_of(&mut tx, org, case).await? != "open" {
                return Err(StoreError::conflict("status", "closed", "the case is closed: reopen it first"));
            }
            let Some(email) = who.email.filter(|e| !e.trim().is_empty()) else {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "kind",
                    "customer_without_email",
                    "the customer has no e-mail address: write a note instead",
                )));
            };
            let mut payload = m.payload.clone().unwrap_or_else(|| serde_json::json!({}));
            if let Some(p) = payload.as_object_mut() {
                p.insert("email_to".into(), serde_json::json!([email]));
                p.insert("case_id".into(), serde_json::json!(case));
            }
            event = Some(enqueue_in(&mut tx, org, REPLY_EVENT, &payload).await?);
        }
        let kind = match m.kind {
            MessageKind::Reply => MessageKind::Reply,
            _ => MessageKind::Note,
        };
        let subject = m.subject.as_deref().filter(|_| kind == MessageKind::Reply);
        let id =
            insert_message(&mut tx, org, case, kind, actor, subject, &m.body, m.lang.as_deref(), event, now).await?;
        if kind == MessageKind::Reply {
            // The first reply stops the first-response clock, once.
            sqlx::query(
                "UPDATE cases SET first_responded_at = COALESCE(first_responded_at, $3), waiting_since = $3 \
                 WHERE org_id = $1 AND id = $2",
            )
            .bind(org)
            .bind(case)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        case_history(&mut tx, org, case, now, actor, kind.history_action(), None).await?;
        let out = message(&mut tx, org, case, id).await?;
        notify_in(&mut tx, org, NoticeKind::Case, &[case]).await?;
        tx.commit().await?;
        notify_after(self, org, NoticeKind::Case, &[case]);
        Ok(out)
    }

    async fn receive_customer_reply(
        &self,
        org: Id,
        case: Id,
        from: &str,
        subject: Option<&str>,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<CaseMessage> {
        let mut tx = write(self, org).await?;
        let who = contact(&mut tx, org, case).await?;
        let sender = from.trim();
        if !who.email.as_deref().is_some_and(|e| e.trim().eq_ignore_ascii_case(sender)) {
            return Err(StoreError::Invalid(FieldErrors::single(
                "from",
                "not_the_customer",
                "the sender is not the e-mail address of the case's customer",
            )));
        }
        let id =
            insert_message(&mut tx, org, case, MessageKind::Customer, sender, subject, body, None, None, now).await?;
        sqlx::query("UPDATE cases SET waiting_since = NULL WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(case)
            .execute(&mut *tx)
            .await?;
        case_history(&mut tx, org, case, now, "customer", "customer_replied", None).await?;
        if status_of(&mut tx, org, case).await? != "open" && reopen(&mut tx, org, case, now).await? {
            case_history(&mut tx, org, case, now, "customer", "reopened_by_customer", None).await?;
        }
        let to: Vec<Id> = who.assignee_id.into_iter().collect();
        case_event(&mut tx, org, CUSTOMER_REPLIED_EVENT, case, &to, "The customer answered by e-mail.".into()).await?;
        let out = message(&mut tx, org, case, id).await?;
        notify_in(&mut tx, org, NoticeKind::Case, &[case]).await?;
        tx.commit().await?;
        notify_after(self, org, NoticeKind::Case, &[case]);
        Ok(out)
    }

    async fn list_case_messages(&self, org: Id, case: Id, after: Option<Id>, limit: i64) -> Result<Vec<CaseMessage>> {
        let mut c = self.pool.acquire().await?;
        let exists: Option<Id> = sqlx::query_scalar("SELECT id FROM cases WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(case)
            .fetch_optional(&mut *c)
            .await?;
        exists.ok_or(StoreError::NotFound)?;
        messages(&mut c, org, case, after, limit).await
    }

    async fn list_reply_templates(&self, org: Id) -> Result<Vec<CaseReplyTemplate>> {
        let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT step, subject_en, body_en, subject_es, body_es FROM case_reply_templates WHERE org_id = $1",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<CaseReplyTemplate> = rows
            .into_iter()
            .filter_map(|(step, subject_en, body_en, subject_es, body_es)| {
                let step = Step::parse(&step)?;
                Some(CaseReplyTemplate { step, subject_en, body_en, subject_es, body_es, custom: true })
            })
            .collect();
        out.sort_by_key(|t| t.step);
        Ok(out)
    }

    async fn save_reply_template(
        &self,
        org: Id,
        t: &CaseReplyTemplate,
        now: DateTime<Utc>,
    ) -> Result<CaseReplyTemplate> {
        let mut tx = write(self, org).await?;
        sqlx::query(
            "INSERT INTO case_reply_templates (org_id, step, subject_en, body_en, subject_es, body_es, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, step) DO UPDATE SET \
             subject_en = excluded.subject_en, body_en = excluded.body_en, subject_es = excluded.subject_es, \
             body_es = excluded.body_es, updated_at = excluded.updated_at",
        )
        .bind(org)
        .bind(t.step.key())
        .bind(&t.subject_en)
        .bind(&t.body_en)
        .bind(&t.subject_es)
        .bind(&t.body_es)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(CaseReplyTemplate { custom: true, ..t.clone() })
    }

    async fn reset_reply_template(&self, org: Id, step: Step) -> Result<()> {
        let mut tx = write(self, org).await?;
        sqlx::query("DELETE FROM case_reply_templates WHERE org_id = $1 AND step = $2")
            .bind(org)
            .bind(step.key())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
