//! The outbox: webhooks, enqueueing, fan-out, leases.
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

use super::accounts::{write_audit, write_audit_opt};
use super::{write, Conn};
use crate::dialect::{Backend, Db, BEGIN_WRITE};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::webhook::{subscribed, Webhook, WebhookInput};
use rapport_core::Id;
use rapport_store::outbox::{Delivery, DeliveryRow, OutboxPurged};
use rapport_store::rows as s;
use rapport_store::rows::outbox as ob;
use rapport_store::{Audit, Result, StoreError};

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
pub(crate) async fn enqueue_in(c: &mut Conn, org: Id, event: &str, payload: &serde_json::Value) -> Result<Id> {
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

/// Writes many events of one kind to the outbox inside the caller's
/// transaction, one statement per chunk (a batch of feedback may open
/// thousands of cases).
pub(crate) async fn enqueue_each(c: &mut Conn, org: Id, event: &str, payloads: &[serde_json::Value]) -> Result<()> {
    let now = s::now();
    let texts = payloads.iter().map(s::to_json).collect::<Result<Vec<String>>>()?;
    for chunk in texts.chunks(rapport_store::rows::listening::rows_per_insert(4)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new("INSERT INTO outbox_events (org_id, event, payload, created_at) ");
        qb.push_values(chunk, |mut b, payload| {
            b.push_bind(org).push_bind(event).push_bind(payload.as_str()).push_bind(now);
        });
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

async fn save_webhook(
    store: &Backend,
    org: Id,
    id: Option<Id>,
    h: &WebhookInput,
    secret: &str,
    audit: Option<&Audit<'_>>,
) -> Result<Webhook> {
    let mut tx = write(store, org).await?;
    let events = s::to_json(&h.events)?;
    let saved: Option<Id> = match id {
        None => Some(
            sqlx::query_scalar(
                "INSERT INTO webhooks (org_id, name, url, format, secret, events, active, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(org)
            .bind(&h.name)
            .bind(&h.url)
            .bind(h.format.key())
            .bind(secret)
            .bind(&events)
            .bind(h.active)
            .bind(s::now())
            .fetch_one(&mut *tx)
            .await?,
        ),
        Some(id) => {
            sqlx::query_scalar(
                "UPDATE webhooks SET name = $3, url = $4, format = $5, events = $6, active = $7 \
             WHERE org_id = $1 AND id = $2 RETURNING id",
            )
            .bind(org)
            .bind(id)
            .bind(&h.name)
            .bind(&h.url)
            .bind(h.format.key())
            .bind(&events)
            .bind(h.active)
            .fetch_optional(&mut *tx)
            .await?
        }
    };
    let id = saved.ok_or(StoreError::NotFound)?;
    let hook = s::one(webhooks_of(&mut tx, org, Some(id)).await?)?;
    write_audit_opt(&mut tx, org, audit, Some(id)).await?;
    tx.commit().await?;
    Ok(hook)
}

/// Fans out one event if nobody has; `true` when this call did.
async fn fan_out_one(store: &Backend, event_id: Id, now: DateTime<Utc>) -> Result<bool> {
    let mut tx = store.pool.begin_with(BEGIN_WRITE).await?;
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
    let only = rapport_store::outbox::only_webhook(&payload);
    let hooks = webhooks_of(&mut tx, org, only).await?;
    // A test event goes to its one webhook whatever it subscribes to.
    let hooks = hooks.iter().filter(|h| only.is_some() || (h.active && subscribed(&h.events, &event)));
    let insert = "INSERT INTO deliveries (org_id, event_id, channel, webhook_id, recipient, attempts, \
                  next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $6)";
    for h in hooks {
        sqlx::query(insert)
            .bind(org)
            .bind(event_id)
            .bind("webhook")
            .bind(Some(h.id))
            .bind(None::<String>)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    for to in rapport_store::outbox::email_recipients(&payload) {
        sqlx::query(insert)
            .bind(org)
            .bind(event_id)
            .bind("email")
            .bind(None::<Id>)
            .bind(Some(to))
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(true)
}

async fn delivery_outcome(
    store: &Backend,
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

#[async_trait]
impl rapport_store::Outbox for Backend {
    async fn list_webhooks(&self, org: Id) -> Result<Vec<Webhook>> {
        let mut c = self.pool.acquire().await?;
        webhooks_of(&mut c, org, None).await
    }

    async fn get_webhook(&self, org: Id, id: Id) -> Result<Webhook> {
        let mut c = self.pool.acquire().await?;
        s::one(webhooks_of(&mut c, org, Some(id)).await?)
    }

    async fn create_webhook(&self, org: Id, hook: &WebhookInput, secret: &str, audit: &Audit<'_>) -> Result<Webhook> {
        save_webhook(self, org, None, hook, secret, Some(audit)).await
    }

    async fn update_webhook(&self, org: Id, id: Id, hook: &WebhookInput) -> Result<Webhook> {
        save_webhook(self, org, Some(id), hook, "", None).await
    }

    async fn delete_webhook(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()> {
        let mut tx = write(self, org).await?;
        sqlx::query("DELETE FROM deliveries WHERE org_id = $1 AND webhook_id = $2")
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let gone = sqlx::query("DELETE FROM webhooks WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if gone.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        write_audit(&mut tx, org, audit, None).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn webhook_secret(&self, org: Id, id: Id) -> Result<String> {
        let secret: Option<String> = sqlx::query_scalar("SELECT secret FROM webhooks WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        secret.ok_or(StoreError::NotFound)
    }

    async fn enqueue_event(&self, org: Id, event: &str, payload: &serde_json::Value) -> Result<Id> {
        let mut tx = write(self, org).await?;
        let id = enqueue_in(&mut tx, org, event, payload).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn fan_out(&self, now: DateTime<Utc>, limit: i64) -> Result<usize> {
        let pending: Vec<Id> =
            sqlx::query_scalar("SELECT id FROM outbox_events WHERE fanned_out_at IS NULL ORDER BY id LIMIT $1")
                .bind(limit.max(0))
                .fetch_all(&self.pool)
                .await?;
        let mut done = 0;
        for id in pending {
            if fan_out_one(self, id, now).await? {
                done += 1;
            }
        }
        Ok(done)
    }

    async fn outbox_backlog(&self) -> Result<i64> {
        // The condition of the partial index `deliveries_due`, which it reads.
        let sql = "SELECT COUNT(*) FROM deliveries WHERE delivered_at IS NULL AND gave_up_at IS NULL";
        Ok(sqlx::query_scalar(sql).fetch_one(&self.pool).await?)
    }

    async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Delivery>> {
        let sql = format!(
            "UPDATE deliveries SET locked_until = $2 WHERE id IN \
             (SELECT id FROM deliveries WHERE {due} ORDER BY next_attempt_at, id LIMIT $3) AND {due} RETURNING id",
            due = ob::DUE
        );
        let ids: Vec<Id> =
            sqlx::query_scalar(&sql).bind(now).bind(lease_until).bind(limit.max(0)).fetch_all(&self.pool).await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb = sqlx::QueryBuilder::<Db>::new(ob::DELIVERY_SELECT);
        qb.push("(");
        let mut sep = qb.separated(", ");
        for id in &ids {
            sep.push_bind(*id);
        }
        qb.push(") ORDER BY d.next_attempt_at, d.id");
        let rows: Vec<ob::ClaimedRow> = qb.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter().map(ob::ClaimedRow::delivery).collect()
    }

    async fn delivery_succeeded(&self, id: Id, at: DateTime<Utc>) -> Result<()> {
        delivery_outcome(self, id, at, None, None).await
    }

    async fn delivery_failed(
        &self,
        id: Id,
        at: DateTime<Utc>,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        delivery_outcome(self, id, at, Some(error), retry_at).await
    }

    async fn purge_outbox(&self, before: DateTime<Utc>, limit: i64) -> Result<OutboxPurged> {
        // Two statements, each committed on its own and bounded by `limit`,
        // so a purge never holds the write lock for long. Rows are taken
        // oldest first along the primary key; an event goes only once no
        // delivery refers to it (`deliveries_event`), and never before it
        // was fanned out, so nothing still to send is lost (deliveries are
        // only ever added by the fan-out that marks the event). Two servers
        // purging at once delete disjoint rows (a row deleted meanwhile is
        // skipped). SQLite compares the times as text, which orders them as
        // times: every one is written from a `DateTime<Utc>`.
        let deliveries = sqlx::query(
            "DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries \
             WHERE delivered_at < $1 OR gave_up_at < $1 ORDER BY id LIMIT $2)",
        )
        .bind(before)
        .bind(limit.max(0))
        .execute(&self.pool)
        .await?
        .rows_affected();
        let events = sqlx::query(
            "DELETE FROM outbox_events WHERE id IN (SELECT e.id FROM outbox_events e \
             WHERE e.fanned_out_at < $1 AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = e.id) \
             ORDER BY e.id LIMIT $2)",
        )
        .bind(before)
        .bind(limit.max(0))
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(OutboxPurged { deliveries, events })
    }

    async fn page_deliveries(
        &self,
        org: Id,
        webhook: Option<Id>,
        after: Option<Id>,
        limit: i64,
    ) -> Result<Vec<DeliveryRow>> {
        // Read along (org_id, webhook_id, id) from `after` down.
        let rows: Vec<ob::ListedRow> = sqlx::query_as(
            "SELECT d.id, d.event_id, e.event, d.channel, d.webhook_id, d.recipient, d.attempts, d.last_error, \
             d.next_attempt_at, d.delivered_at, d.gave_up_at, d.created_at \
             FROM deliveries d JOIN outbox_events e ON e.id = d.event_id \
             WHERE d.org_id = $1 AND ($2 IS NULL OR d.webhook_id = $2) AND ($4 IS NULL OR d.id < $4) \
             ORDER BY d.id DESC LIMIT $3",
        )
        .bind(org)
        .bind(webhook)
        .bind(limit.max(0))
        .bind(after)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn redeliver(&self, org: Id, delivery: Id, now: DateTime<Utc>) -> Result<Id> {
        let mut tx = write(self, org).await?;
        let id: Option<Id> = sqlx::query_scalar(
            "INSERT INTO deliveries (org_id, event_id, channel, webhook_id, recipient, attempts, next_attempt_at, created_at) \
             SELECT d.org_id, d.event_id, d.channel, d.webhook_id, NULL, 0, $3, $3 FROM deliveries d \
             JOIN webhooks w ON w.id = d.webhook_id \
             WHERE d.org_id = $1 AND d.id = $2 AND d.channel = 'webhook' RETURNING id",
        )
        .bind(org)
        .bind(delivery)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let id = id.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(id)
    }
}
