//! What the outbox stores and hands to the dispatcher.
//!
//! The outbox is transactional: an event is a row of `outbox_events`
//! written in the same transaction as the change it announces, so it exists
//! if and only if the change committed. The dispatcher then *fans out* each
//! event once into `deliveries` (one per subscribed webhook and one per
//! e-mail recipient), *claims* due deliveries under a lease so that one
//! server sends each attempt, and records the outcome (delivered, retry at,
//! or given up). Delivery is at least once: receivers de-duplicate by the
//! event id.

use chrono::{DateTime, Utc};
use rapport_core::webhook::WebhookFormat;
use rapport_core::Id;
use serde::Serialize;

/// The payload key naming e-mail recipients: an array of addresses.
pub const EMAIL_TO: &str = "email_to";
/// The payload key restricting an event to one webhook (the test button).
pub const ONLY_WEBHOOK: &str = "only_webhook";

/// Where one delivery goes.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    Webhook { webhook_id: Id, url: String, format: WebhookFormat, secret: String },
    Email { to: String },
}

/// A claimed delivery: everything needed to send it.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    pub id: Id,
    pub org_id: Id,
    pub org_slug: String,
    pub event_id: Id,
    pub event: String,
    pub payload: serde_json::Value,
    /// When the event was enqueued.
    pub created_at: DateTime<Utc>,
    pub target: Target,
    /// Attempts made before this one.
    pub attempts: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// Not yet delivered, will be tried (again).
    Pending,
    Delivered,
    /// Given up after the last attempt.
    Failed,
}

/// A delivery as listed for people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeliveryRow {
    pub id: Id,
    pub event_id: Id,
    pub event: String,
    /// `webhook` or `email`.
    pub channel: String,
    pub webhook_id: Option<Id>,
    pub recipient: Option<String>,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub gave_up_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// The e-mail recipients an event's payload names (`"email_to": [...]`);
/// anything that is not a string is ignored.
pub fn email_recipients(payload: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = payload
        .get(EMAIL_TO)
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|v| v.as_str()).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    out.sort();
    out.dedup();
    out
}

/// The one webhook a payload is restricted to, if any.
pub fn only_webhook(payload: &serde_json::Value) -> Option<Id> {
    payload.get(ONLY_WEBHOOK).and_then(|v| v.as_i64())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recipients_and_restriction_from_the_payload() {
        let p = json!({"email_to": ["b@x.io", " a@x.io ", 3, "b@x.io", ""], "only_webhook": 7});
        assert_eq!(email_recipients(&p), vec!["a@x.io", "b@x.io"]);
        assert_eq!(only_webhook(&p), Some(7));
        assert!(email_recipients(&json!({})).is_empty());
        assert_eq!(only_webhook(&json!({"only_webhook": "7"})), None);
    }
}
