//! The outbox's sending side: delivers Rapport's events (alerts about
//! customer cases, later announcements) to outgoing webhooks and by e-mail.
//!
//! Policy:
//! - Events are written to `outbox_events` in the transaction of the change
//!   they announce (`Store::enqueue_event`, or `enqueue_in` inside the shared
//!   SQL), so an event exists exactly when its change committed.
//! - [`dispatcher`] (one task per server, every second and when woken) fans
//!   each event out once into deliveries, leases due deliveries for 60 s,
//!   sends them (at most 8 at a time) and records the outcome. Several
//!   servers may share one PostgreSQL database: the store guarantees one
//!   fan-out per event and one lease holder per delivery.
//! - Delivery is **at least once**: a receiver that got a body but whose
//!   answer was lost gets it again, so receivers de-duplicate by the
//!   `X-Rapport-Delivery` header (the event id). A 2xx answer is success;
//!   any other status, a connection error or the 10 s timeout is a failure,
//!   retried with the configured [`RetryPolicy`](rapport_core::webhook::RetryPolicy)
//!   (default: 5 s doubling up to 1 h, given up after 20 attempts).
//! - Webhook bodies ([`webhook`]) are signed with the webhook's secret
//!   ([`sign`]); the secret is never logged nor shown after creation.
//! - E-mail ([`email`]) needs `--smtp-url`; without it e-mail deliveries are
//!   given up at once with "SMTP is not configured", visible in the
//!   deliveries list.

pub mod digest;
pub mod dispatcher;
pub mod distribution;
pub mod email;
pub mod sign;
pub mod slack;
pub mod training;
pub mod webhook;

/// The link of an event: the payload's `url`, made absolute with the
/// public URL when it is a path.
pub fn link(payload: &serde_json::Value, public_url: Option<&str>) -> Option<String> {
    let url = payload.get("url")?.as_str()?;
    if url.starts_with('/') {
        match public_url {
            Some(base) => Some(format!("{}{url}", base.trim_end_matches('/'))),
            None => Some(url.to_string()),
        }
    } else {
        Some(url.to_string())
    }
}

/// The human title of an event: the payload's `title`, else the event name.
pub fn title<'a>(payload: &'a serde_json::Value, event: &'a str) -> &'a str {
    payload.get("title").and_then(|v| v.as_str()).filter(|t| !t.trim().is_empty()).unwrap_or(event)
}

/// The payload's `summary`, if any.
pub fn summary(payload: &serde_json::Value) -> Option<&str> {
    payload.get("summary").and_then(|v| v.as_str()).filter(|t| !t.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn links_titles_and_summaries() {
        let p = json!({"url": "/cases/7", "title": "Case 7", "summary": "Late delivery"});
        assert_eq!(link(&p, Some("https://cx.example/")).as_deref(), Some("https://cx.example/cases/7"));
        assert_eq!(link(&p, None).as_deref(), Some("/cases/7"));
        assert_eq!(
            link(&json!({"url": "https://x.io/a"}), Some("https://cx.example")).as_deref(),
            Some("https://x.io/a")
        );
        assert_eq!(link(&json!({}), None), None);
        assert_eq!((title(&p, "case.opened"), summary(&p)), ("Case 7", Some("Late delivery")));
        assert_eq!((title(&json!({"title": " "}), "case.opened"), summary(&json!({}))), ("case.opened", None));
    }
}
