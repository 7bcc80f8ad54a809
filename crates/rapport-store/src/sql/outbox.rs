//! The outbox's share of the SQL: webhooks, enqueueing, fan-out, leases.
//!
//! [`__sql_outbox!`](crate::__sql_outbox) is expanded by
//! [`impl_sql_store!`](crate::impl_sql_store) after the measurement part.
//!
//! Safety across servers sharing a database, without `SKIP LOCKED` (which
//! SQLite lacks), by re-checked predicates:
//! - fan-out marks an event (`UPDATE ... SET fanned_out_at WHERE id AND
//!   fanned_out_at IS NULL`) first in its transaction and goes on only if
//!   that changed a row; a concurrent server's same UPDATE waits for the
//!   row lock and, under PostgreSQL READ COMMITTED, re-checks the predicate
//!   on the committed row, so it changes nothing and skips the event;
//!   SQLite serializes writers anyway (`BEGIN IMMEDIATE`);
//! - claiming is one `UPDATE ... WHERE id IN (candidates) AND <due and not
//!   leased> RETURNING id`: the predicate repeated on the outer statement is
//!   re-checked on each locked row, so a row leased meanwhile is skipped.
//!
//! Times are passed in by the caller (never the database's clock), so the
//! servers' clocks must roughly agree; leases are long (a minute) next to
//! the send timeout (seconds) for that reason.

use crate::error::Result;
use crate::outbox::{Delivery, DeliveryRow, DeliveryStatus, Target};
use crate::sql::{corrupt, from_json};
use chrono::{DateTime, Utc};
use rapport_core::webhook::{Webhook, WebhookFormat};
use rapport_core::Id;

pub const WEBHOOK_COLUMNS: &str = "id, name, url, format, events, active, created_at";

/// Columns of a claimed delivery, joined with its event, organization and webhook.
pub const DELIVERY_SELECT: &str = "SELECT d.id, d.org_id, o.slug, d.event_id, e.event, e.payload, e.created_at, \
     d.channel, d.webhook_id, w.url, w.format, w.secret, d.recipient, d.attempts \
     FROM deliveries d JOIN outbox_events e ON e.id = d.event_id JOIN organizations o ON o.id = d.org_id \
     LEFT JOIN webhooks w ON w.id = d.webhook_id WHERE d.id IN ";

/// "Due and not leased at $1", repeated in the claim's subquery and outer statement.
pub const DUE: &str = "delivered_at IS NULL AND gave_up_at IS NULL AND next_attempt_at <= $1 \
     AND (locked_until IS NULL OR locked_until < $1)";

#[derive(sqlx::FromRow)]
pub struct WebhookRow {
    id: Id,
    name: String,
    url: String,
    format: String,
    events: String,
    active: bool,
    created_at: DateTime<Utc>,
}

impl WebhookRow {
    pub fn webhook(self) -> Result<Webhook> {
        Ok(Webhook {
            id: self.id,
            format: format(&self.format)?,
            events: from_json("webhook events", &self.events)?,
            name: self.name,
            url: self.url,
            active: self.active,
            created_at: self.created_at,
        })
    }
}

fn format(text: &str) -> Result<WebhookFormat> {
    WebhookFormat::parse(text).ok_or_else(|| corrupt(format!("webhook format {text:?}")))
}

#[derive(sqlx::FromRow)]
pub struct ClaimedRow {
    id: Id,
    org_id: Id,
    slug: String,
    event_id: Id,
    event: String,
    payload: String,
    created_at: DateTime<Utc>,
    channel: String,
    webhook_id: Option<Id>,
    url: Option<String>,
    format: Option<String>,
    secret: Option<String>,
    recipient: Option<String>,
    attempts: i64,
}

impl ClaimedRow {
    pub fn delivery(self) -> Result<Delivery> {
        let target = match (self.channel.as_str(), self.webhook_id, self.url, self.format, self.secret, self.recipient)
        {
            ("webhook", Some(webhook_id), Some(url), Some(f), Some(secret), _) => {
                Target::Webhook { webhook_id, url, format: format(&f)?, secret }
            }
            ("email", _, _, _, _, Some(to)) => Target::Email { to },
            (channel, ..) => return Err(corrupt(format!("delivery {} of channel {channel:?}", self.id))),
        };
        Ok(Delivery {
            id: self.id,
            org_id: self.org_id,
            org_slug: self.slug,
            event_id: self.event_id,
            event: self.event,
            payload: from_json("event payload", &self.payload)?,
            created_at: self.created_at,
            target,
            attempts: u32::try_from(self.attempts).unwrap_or(u32::MAX),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct ListedRow {
    id: Id,
    event_id: Id,
    event: String,
    channel: String,
    webhook_id: Option<Id>,
    recipient: Option<String>,
    attempts: i64,
    last_error: Option<String>,
    next_attempt_at: DateTime<Utc>,
    delivered_at: Option<DateTime<Utc>>,
    gave_up_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl From<ListedRow> for DeliveryRow {
    fn from(r: ListedRow) -> Self {
        let status = match (r.delivered_at, r.gave_up_at) {
            (Some(_), _) => DeliveryStatus::Delivered,
            (None, Some(_)) => DeliveryStatus::Failed,
            (None, None) => DeliveryStatus::Pending,
        };
        DeliveryRow {
            id: r.id,
            event_id: r.event_id,
            event: r.event,
            channel: r.channel,
            webhook_id: r.webhook_id,
            recipient: r.recipient,
            status,
            attempts: r.attempts,
            last_error: r.last_error,
            next_attempt_at: (status == DeliveryStatus::Pending).then_some(r.next_attempt_at),
            delivered_at: r.delivered_at,
            gave_up_at: r.gave_up_at,
            created_at: r.created_at,
        }
    }
}

/// The outbox methods' bodies; see the module documentation.
#[doc(hidden)]
#[macro_export]
macro_rules! __sql_outbox {
    (store: $store:ty, database: $db:ty, begin_write: $begin:literal $(,)?) => {
        use $crate::outbox::{Delivery, DeliveryRow};
        use $crate::sql::outbox as ob;
        use $crate::sql::__private::serde_json;
        use $crate::sql::__private::rapport_core::webhook::{subscribed, Webhook, WebhookInput};

        async fn webhooks_of(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<Webhook>> {
            let rows: Vec<ob::WebhookRow> = sqlx::query_as(&format!(
                "SELECT {} FROM webhooks WHERE org_id = $1 AND ($2 IS NULL OR id = $2)",
                ob::WEBHOOK_COLUMNS
            ))
            .bind(org)
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
            let mut hooks = rows.into_iter().map(ob::WebhookRow::webhook).collect::<Result<Vec<_>>>()?;
            s::sort_by_name(&mut hooks, |h| (h.name.as_str(), h.id));
            Ok(hooks)
        }

        /// Writes an event to the outbox inside the caller's transaction.
        async fn enqueue_in(c: &mut Conn, org: Id, event: &str, payload: &serde_json::Value) -> Result<Id> {
            let id: Id = sqlx::query_scalar(
                "INSERT INTO outbox_events (org_id, event, payload, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(org)
            .bind(event)
            .bind(s::to_json(payload)?)
            .bind(s::now())
            .fetch_one(&mut *c)
            .await?;
            Ok(id)
        }

        async fn save_webhook(store: &$store, org: Id, id: Option<Id>, h: &WebhookInput, secret: &str) -> Result<Webhook> {
            let mut tx = write(store, org).await?;
            let events = s::to_json(&h.events)?;
            let saved: Option<Id> = match id {
                None => Some(
                    sqlx::query_scalar(
                        "INSERT INTO webhooks (org_id, name, url, format, secret, events, active, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    )
                    .bind(org).bind(&h.name).bind(&h.url).bind(h.format.key()).bind(secret).bind(&events)
                    .bind(h.active).bind(s::now())
                    .fetch_one(&mut *tx)
                    .await?,
                ),
                Some(id) => sqlx::query_scalar(
                    "UPDATE webhooks SET name = $3, url = $4, format = $5, events = $6, active = $7 \
                     WHERE org_id = $1 AND id = $2 RETURNING id",
                )
                .bind(org).bind(id).bind(&h.name).bind(&h.url).bind(h.format.key()).bind(&events).bind(h.active)
                .fetch_optional(&mut *tx)
                .await?,
            };
            let id = saved.ok_or(StoreError::NotFound)?;
            let hook = s::one(webhooks_of(&mut tx, org, Some(id)).await?)?;
            tx.commit().await?;
            Ok(hook)
        }

        async fn delete_webhook(store: &$store, org: Id, id: Id) -> Result<()> {
            let mut tx = write(store, org).await?;
            sqlx::query("DELETE FROM deliveries WHERE org_id = $1 AND webhook_id = $2")
                .bind(org).bind(id).execute(&mut *tx).await?;
            let gone = sqlx::query("DELETE FROM webhooks WHERE org_id = $1 AND id = $2")
                .bind(org).bind(id).execute(&mut *tx).await?;
            if gone.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            tx.commit().await?;
            Ok(())
        }

        /// Fans out one event if nobody has; `true` when this call did.
        async fn fan_out_one(store: &$store, event_id: Id, now: DateTime<Utc>) -> Result<bool> {
            let mut tx = store.pool.begin_with($begin).await?;
            // The mark comes first: it takes the row lock that makes a
            // concurrent fan-out of the same event wait, then skip it.
            let marked: Option<(Id, String, String)> = sqlx::query_as(
                "UPDATE outbox_events SET fanned_out_at = $2 WHERE id = $1 AND fanned_out_at IS NULL \
                 RETURNING org_id, event, payload",
            )
            .bind(event_id)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((org, event, payload)) = marked else { return Ok(false) };
            // A corrupt payload still fans out to webhooks (they get `null`
            // data) rather than blocking the queue forever.
            let payload: serde_json::Value = serde_json::from_str(&payload).unwrap_or(serde_json::Value::Null);
            let only = $crate::outbox::only_webhook(&payload);
            let hooks = webhooks_of(&mut tx, org, only).await?;
            // A test event goes to its one webhook whatever it subscribes to.
            let hooks = hooks.iter().filter(|h| only.is_some() || (h.active && subscribed(&h.events, &event)));
            let insert = "INSERT INTO deliveries (org_id, event_id, channel, webhook_id, recipient, attempts, \
                          next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $6)";
            for h in hooks {
                sqlx::query(insert).bind(org).bind(event_id).bind("webhook").bind(Some(h.id)).bind(None::<String>)
                    .bind(now).execute(&mut *tx).await?;
            }
            for to in $crate::outbox::email_recipients(&payload) {
                sqlx::query(insert).bind(org).bind(event_id).bind("email").bind(None::<Id>).bind(Some(to))
                    .bind(now).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(true)
        }

        async fn fan_out(store: &$store, now: DateTime<Utc>, limit: i64) -> Result<usize> {
            let pending: Vec<Id> =
                sqlx::query_scalar("SELECT id FROM outbox_events WHERE fanned_out_at IS NULL ORDER BY id LIMIT $1")
                    .bind(limit.max(0))
                    .fetch_all(&store.pool)
                    .await?;
            let mut done = 0;
            for id in pending {
                if fan_out_one(store, id, now).await? {
                    done += 1;
                }
            }
            Ok(done)
        }

        async fn claim_deliveries(
            store: &$store,
            now: DateTime<Utc>,
            lease_until: DateTime<Utc>,
            limit: i64,
        ) -> Result<Vec<Delivery>> {
            let sql = format!(
                "UPDATE deliveries SET locked_until = $2 WHERE id IN \
                 (SELECT id FROM deliveries WHERE {due} ORDER BY next_attempt_at, id LIMIT $3) AND {due} RETURNING id",
                due = ob::DUE
            );
            let ids: Vec<Id> = sqlx::query_scalar(&sql)
                .bind(now)
                .bind(lease_until)
                .bind(limit.max(0))
                .fetch_all(&store.pool)
                .await?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            let mut qb = sqlx::QueryBuilder::<$db>::new(ob::DELIVERY_SELECT);
            qb.push("(");
            let mut sep = qb.separated(", ");
            for id in &ids {
                sep.push_bind(*id);
            }
            qb.push(") ORDER BY d.next_attempt_at, d.id");
            let rows: Vec<ob::ClaimedRow> = qb.build_query_as().fetch_all(&store.pool).await?;
            rows.into_iter().map(ob::ClaimedRow::delivery).collect()
        }

        async fn delivery_outcome(
            store: &$store,
            id: Id,
            at: DateTime<Utc>,
            error: Option<&str>,
            retry_at: Option<DateTime<Utc>>,
        ) -> Result<()> {
            // Only an undelivered row changes: a late answer of a lease
            // that expired cannot undo a delivery recorded since.
            let q = match (error, retry_at) {
                (None, _) => sqlx::query(
                    "UPDATE deliveries SET attempts = attempts + 1, delivered_at = $2, locked_until = NULL \
                     WHERE id = $1 AND delivered_at IS NULL",
                )
                .bind(id)
                .bind(at),
                (Some(e), Some(retry)) => sqlx::query(
                    "UPDATE deliveries SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, \
                     locked_until = NULL WHERE id = $1 AND delivered_at IS NULL",
                )
                .bind(id)
                .bind(e)
                .bind(retry),
                (Some(e), None) => sqlx::query(
                    "UPDATE deliveries SET attempts = attempts + 1, last_error = $2, gave_up_at = $3, \
                     locked_until = NULL WHERE id = $1 AND delivered_at IS NULL",
                )
                .bind(id)
                .bind(e)
                .bind(at),
            };
            q.execute(&store.pool).await?;
            Ok(())
        }

        async fn list_deliveries(store: &$store, org: Id, webhook: Option<Id>, limit: i64) -> Result<Vec<DeliveryRow>> {
            let rows: Vec<ob::ListedRow> = sqlx::query_as(
                "SELECT d.id, d.event_id, e.event, d.channel, d.webhook_id, d.recipient, d.attempts, d.last_error, \
                 d.next_attempt_at, d.delivered_at, d.gave_up_at, d.created_at \
                 FROM deliveries d JOIN outbox_events e ON e.id = d.event_id \
                 WHERE d.org_id = $1 AND ($2 IS NULL OR d.webhook_id = $2) ORDER BY d.id DESC LIMIT $3",
            )
            .bind(org)
            .bind(webhook)
            .bind(limit.max(0))
            .fetch_all(&store.pool)
            .await?;
            Ok(rows.into_iter().map(Into::into).collect())
        }
    };
}
