//! The outbox's rows: webhooks and deliveries as read back.

use crate::error::Result;
use crate::outbox::{Delivery, DeliveryRow, DeliveryStatus, Target};
use crate::rows::{corrupt, from_json};
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
