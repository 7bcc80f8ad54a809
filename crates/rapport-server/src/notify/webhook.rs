//! Sending one delivery to a webhook: an HTTP POST.
//!
//! The generic JSON format (`format: json`) is this envelope:
//!
//! ```json
//! {"id": 42, "event": "case.opened", "created_at": "2026-03-01T10:00:00.123456Z",
//!  "organization": "acme", "data": { ...the event's payload... }}
//! ```
//!
//! `id` is the event's id, the same in every retry and for every webhook;
//! `data` is the payload without its routing keys (`email_to`,
//! `only_webhook`). Headers: `Content-Type: application/json`,
//! `X-Rapport-Event: <event>`, `X-Rapport-Delivery: <event id>` (de-duplicate
//! by it), `X-Rapport-Signature: sha256=<hex HMAC-SHA256 of the raw body
//! with the webhook's secret>`. The Slack format posts `{"text": ...}` (see
//! [`super::slack`]) with the same headers.

use super::sign::signature;
use rapport_core::webhook::WebhookFormat;
use rapport_store::outbox::{EMAIL_TO, ONLY_WEBHOOK};
use rapport_store::Delivery;
use serde_json::{json, Value};
use std::time::Duration;

/// How long a receiver may take to answer before the attempt fails.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The client every delivery shares (connection pooling, the timeout).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .user_agent(concat!("Rapport-Webhooks/", env!("CARGO_PKG_VERSION")))
        // A redirect would re-send the signed body elsewhere: treat it as a failure.
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("the HTTP client builds")
}

/// The generic JSON envelope of a delivery.
pub fn envelope(d: &Delivery) -> Value {
    let mut data = d.payload.clone();
    if let Some(map) = data.as_object_mut() {
        map.remove(EMAIL_TO);
        map.remove(ONLY_WEBHOOK);
    }
    json!({
        "id": d.event_id,
        "event": d.event,
        "created_at": d.created_at,
        "organization": d.org_slug,
        "data": data,
    })
}

/// Posts the delivery; `Err` with a short reason on anything but a 2xx.
pub async fn send(
    client: &reqwest::Client,
    d: &Delivery,
    url: &str,
    format: WebhookFormat,
    secret: &str,
    public_url: Option<&str>,
) -> Result<(), String> {
    let body = match format {
        WebhookFormat::Json => envelope(d),
        WebhookFormat::Slack => super::slack::message(&d.event, &d.payload, public_url),
    };
    let body = serde_json::to_vec(&body).map_err(|e| e.to_string())?;
    let answer = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("X-Rapport-Event", &d.event)
        .header("X-Rapport-Delivery", d.event_id.to_string())
        .header("X-Rapport-Signature", signature(secret, &body))
        .body(body)
        .send()
        .await
        .map_err(describe)?;
    let status = answer.status();
    if status.is_success() {
        Ok(())
    } else {
        Err(format!("HTTP {status}"))
    }
}

/// A reqwest error without the URL (which may hold a token, as Slack's do).
fn describe(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    let cause = std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_default();
    let cause: String = cause.chars().take(200).collect();
    if cause.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {cause}")
    }
}
