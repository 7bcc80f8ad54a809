//! The notification centre: written inside the transactions of the changes
//! it tells of ([`notify_people`]), read and marked by the account.

use super::{write, Conn};
use crate::dialect::{Backend, Db};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::lang::Lang;
use rapport_core::notification::{Delivery, Kind};
use rapport_core::Id;
use rapport_store::rows::listening as l;
use rapport_store::{Notification, PendingDigest, Result, StoreError};
use std::collections::HashMap;

/// An account's delivery for kind `$2`, its default when unset. `u` is the
/// account.
const DELIVERY: &str =
    "COALESCE((SELECT ns.delivery FROM notification_settings ns WHERE ns.user_id = u.id AND ns.kind = $2), 'in_app')";

type Row = (Id, String, String, String, DateTime<Utc>, Option<DateTime<Utc>>);

/// A person's e-mail, and their account's id, e-mail and delivery if any.
type Recipient = (String, Option<Id>, Option<String>, Option<String>);

fn notification((id, kind, title, link, created_at, read_at): Row) -> Result<Notification> {
    let kind =
        Kind::parse(&kind).ok_or_else(|| StoreError::internal(std::io::Error::other(format!("kind {kind:?}"))))?;
    Ok(Notification { id, kind, title, link, created_at, read_at })
}

/// Tells `people` of something: a notification for each one's account
/// (unless they turned the kind off, or they are `actor`, who did it), and
/// the e-mail addresses to write to at once. People without an account
/// are reached by e-mail only, as before accounts had choices; an account
/// is e-mailed only if it asked for it.
pub(crate) async fn notify_people(
    c: &mut Conn,
    org: Id,
    kind: Kind,
    people: &[Id],
    title: &str,
    link: &str,
    actor: Option<&str>,
) -> Result<Vec<String>> {
    let items: Vec<(Id, &str, &str)> = people.iter().map(|p| (*p, title, link)).collect();
    Ok(notify_each(c, org, kind, &items, actor).await?.into_iter().flatten().collect())
}

/// [`notify_people`] for many notices at once, each `(person, title,
/// link)` its own: one read per distinct person and one insert per chunk
/// of notices (a batch of feedback may open thousands of cases). The
/// e-mail addresses to write to, per notice.
pub(crate) async fn notify_each(
    c: &mut Conn,
    org: Id,
    kind: Kind,
    items: &[(Id, &str, &str)],
    actor: Option<&str>,
) -> Result<Vec<Vec<String>>> {
    let now = Utc::now();
    let mut recipients: HashMap<Id, Option<Recipient>> = HashMap::new();
    for (person, ..) in items {
        if recipients.contains_key(person) {
            continue;
        }
        let row: Option<Recipient> = sqlx::query_as(&format!(
            "SELECT p.email, u.id, u.email, {DELIVERY} FROM people p LEFT JOIN users u ON u.person_id = p.id \
             WHERE p.org_id = $1 AND p.id = $3"
        ))
        .bind(org)
        .bind(kind.as_str())
        .bind(*person)
        .fetch_optional(&mut *c)
        .await?;
        recipients.insert(*person, row);
    }
    let mut emails = Vec::with_capacity(items.len());
    // (account, title, link, digested_at)
    let mut rows: Vec<(Id, &str, &str, Option<DateTime<Utc>>)> = Vec::new();
    for (person, title, link) in items {
        let mut to = Vec::new();
        if let Some((person_email, user, user_email, delivery)) = &recipients[person] {
            match user {
                None => to.push(person_email.clone()),
                Some(user) => {
                    let delivery = delivery.as_deref().and_then(Delivery::parse).unwrap_or(Delivery::default_for(kind));
                    let by_actor = user_email.as_deref().is_some_and(|e| Some(e) == actor);
                    if delivery != Delivery::Off && !by_actor {
                        // Only digest items wait for a digest; the rest count as carried.
                        rows.push((*user, title, link, (delivery != Delivery::Digest).then_some(now)));
                        if delivery == Delivery::Email {
                            to.extend(user_email.clone());
                        }
                    }
                }
            }
        }
        emails.push(to);
    }
    for chunk in rows.chunks(l::rows_per_insert(7)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO notifications (org_id, user_id, kind, title, link, created_at, digested_at) ",
        );
        qb.push_values(chunk, |mut b, (user, title, link, digested)| {
            b.push_bind(org).push_bind(*user).push_bind(kind.as_str()).push_bind(*title).push_bind(*link);
            b.push_bind(now).push_bind(*digested);
        });
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(emails)
}

#[async_trait]
impl rapport_store::Notifications for Backend {
    async fn list_notifications(&self, org: Id, user: Id, after: Option<Id>, limit: i64) -> Result<Vec<Notification>> {
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, kind, title, link, created_at, read_at FROM notifications \
             WHERE org_id = $1 AND user_id = $2 AND ($3 IS NULL OR id < $3) ORDER BY id DESC LIMIT $4",
        )
        .bind(org)
        .bind(user)
        .bind(after)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(notification).collect()
    }

    async fn unread_notifications(&self, org: Id, user: Id, cap: i64) -> Result<i64> {
        // Counted through the partial index, and no further than shown.
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM (SELECT 1 FROM notifications \
             WHERE user_id = $2 AND read_at IS NULL AND org_id = $1 LIMIT $3) unread",
        )
        .bind(org)
        .bind(user)
        .bind(cap.max(0))
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }

    async fn mark_notifications_read(&self, org: Id, user: Id, id: Option<Id>, now: DateTime<Utc>) -> Result<()> {
        // The account's own rows only, under no organization lock: marking
        // read races with nothing that matters.
        let done = sqlx::query(
            "UPDATE notifications SET read_at = $4 \
             WHERE org_id = $1 AND user_id = $2 AND ($3 IS NULL OR id = $3) AND read_at IS NULL",
        )
        .bind(org)
        .bind(user)
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        if let (Some(id), 0) = (id, done.rows_affected()) {
            let mine: Option<Id> =
                sqlx::query_scalar("SELECT id FROM notifications WHERE org_id = $1 AND user_id = $2 AND id = $3")
                    .bind(org)
                    .bind(user)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
            if mine.is_none() {
                return Err(StoreError::NotFound);
            }
        }
        Ok(())
    }

    async fn notification_settings(&self, org: Id, user: Id) -> Result<Vec<(Kind, Delivery)>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT kind, delivery FROM notification_settings WHERE org_id = $1 AND user_id = $2")
                .bind(org)
                .bind(user)
                .fetch_all(&self.pool)
                .await?;
        Ok(Kind::ALL
            .into_iter()
            .map(|k| {
                let chosen = rows.iter().find(|(kind, _)| kind == k.as_str()).and_then(|(_, d)| Delivery::parse(d));
                (k, chosen.unwrap_or(Delivery::default_for(k)))
            })
            .collect())
    }

    async fn set_notification_setting(&self, org: Id, user: Id, kind: Kind, delivery: Delivery) -> Result<()> {
        let mut tx = write(self, org).await?;
        super::must_exist(&mut tx, super::USER, org, user).await?;
        sqlx::query(
            "INSERT INTO notification_settings (org_id, user_id, kind, delivery) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, kind) DO UPDATE SET delivery = excluded.delivery",
        )
        .bind(org)
        .bind(user)
        .bind(kind.as_str())
        .bind(delivery.as_str())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn pending_digests(&self, before: DateTime<Utc>, limit: i64, items: i64) -> Result<Vec<PendingDigest>> {
        let due: Vec<(Id, Id, String, Option<String>)> = sqlx::query_as(
            "SELECT n.org_id, n.user_id, u.email, u.language FROM notifications n JOIN users u ON u.id = n.user_id \
             WHERE n.digested_at IS NULL GROUP BY n.org_id, n.user_id, u.email, u.language \
             HAVING min(n.created_at) < $1 ORDER BY n.user_id LIMIT $2",
        )
        .bind(before)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(due.len());
        for (org, user, email, language) in due {
            let rows: Vec<Row> = sqlx::query_as(
                "SELECT id, kind, title, link, created_at, read_at FROM notifications \
                 WHERE org_id = $1 AND user_id = $2 AND digested_at IS NULL ORDER BY id LIMIT $3",
            )
            .bind(org)
            .bind(user)
            .bind(items.max(1))
            .fetch_all(&self.pool)
            .await?;
            let items = rows.into_iter().map(notification).collect::<Result<Vec<_>>>()?;
            out.push(PendingDigest { org, user, email, language: language.as_deref().and_then(Lang::parse), items });
        }
        Ok(out)
    }

    async fn send_digest(&self, org: Id, user: Id, through: Id, payload: &serde_json::Value) -> Result<bool> {
        let mut tx = write(self, org).await?;
        let done = sqlx::query(
            "UPDATE notifications SET digested_at = $4 \
             WHERE org_id = $1 AND user_id = $2 AND id <= $3 AND digested_at IS NULL",
        )
        .bind(org)
        .bind(user)
        .bind(through)
        .bind(Utc::now())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        super::outbox::enqueue_in(&mut tx, org, "notification.digest", payload).await?;
        tx.commit().await?;
        Ok(true)
    }
}
