//! Outgoing webhooks and the retry policy of the outbox (B6 alerts).
//!
//! A webhook subscribes to event names (`case.opened`, `webhook.test`, or
//! `*` for all) and receives each subscribed event as an HTTP POST, either
//! Rapport's generic JSON or a Slack message. Its signing secret is created
//! by the server and is deliberately not part of [`Webhook`], so that no
//! read of a webhook can leak it.
//!
//! Deliveries that fail are retried with exponential backoff
//! ([`RetryPolicy`]): receivers must de-duplicate by event id, since a
//! delivery whose answer was lost is sent again.

use crate::validate::{required_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The wildcard event name: every event.
pub const ALL_EVENTS: &str = "*";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum WebhookFormat {
    /// Rapport's JSON envelope, signed.
    #[default]
    Json,
    /// A Slack incoming-webhook message (`{"text": ...}`).
    Slack,
}

impl WebhookFormat {
    pub fn key(self) -> &'static str {
        match self {
            WebhookFormat::Json => "json",
            WebhookFormat::Slack => "slack",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [WebhookFormat::Json, WebhookFormat::Slack].into_iter().find(|f| f.key() == s)
    }
}

/// A webhook as read back; never carries its secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Webhook {
    pub id: Id,
    pub name: String,
    pub url: String,
    pub format: WebhookFormat,
    /// Event names it receives; `["*"]` for all.
    pub events: Vec<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDraft {
    pub name: Option<String>,
    /// `http://` or `https://` with a host.
    pub url: Option<String>,
    /// `json` (default) or `slack`.
    pub format: Option<WebhookFormat>,
    /// Event names such as `case.opened`, or `*`; default `["*"]`.
    pub events: Option<Vec<String>>,
    /// Default true.
    pub active: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WebhookInput {
    pub name: String,
    pub url: String,
    pub format: WebhookFormat,
    pub events: Vec<String>,
    pub active: bool,
}

impl WebhookDraft {
    pub fn validate(&self) -> Result<WebhookInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", self.name.as_deref(), 120);
        let url = required_text(&mut e, "url", self.url.as_deref(), 2000);
        if e.get("url").is_none() && !is_http_url(&url) {
            e.add("url", "invalid_url", "must be an http:// or https:// URL with a host");
        }
        let events = self.events.clone().unwrap_or_else(|| vec![ALL_EVENTS.to_string()]);
        if events.is_empty() {
            e.add("events", "required", "name at least one event, or \"*\" for all");
        }
        for (i, ev) in events.iter().enumerate() {
            if !is_event_name(ev) {
                e.add(
                    format!("events[{i}]"),
                    "invalid",
                    "must be \"*\" or lowercase words joined by dots, e.g. case.opened",
                );
            }
        }
        e.into_result(WebhookInput {
            name,
            url,
            format: self.format.unwrap_or_default(),
            events,
            active: self.active.unwrap_or(true),
        })
    }
}

/// `http(s)://host[:port][/path...]`, the host non-empty and without spaces.
fn is_http_url(url: &str) -> bool {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or("");
    let host = host.split(':').next().unwrap_or("");
    !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `*`, or two or more dot-separated words of `a-z`, `0-9` and `_`.
pub fn is_event_name(s: &str) -> bool {
    if s == ALL_EVENTS {
        return true;
    }
    let parts: Vec<&str> = s.split('.').collect();
    s.len() <= 80
        && parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
}

/// Whether a webhook subscribed to `events` receives `event`.
pub fn subscribed(events: &[String], event: &str) -> bool {
    !is_personal(event) && events.iter().any(|e| e == ALL_EVENTS || e == event)
}

/// Events for one person's mailbox only, never for webhooks, whatever they
/// subscribe to: `account.*` carry sign-in secrets (password-reset and
/// invitation links), `notification.*` a person's own digest.
pub fn is_personal(event: &str) -> bool {
    event.starts_with("account.") || event.starts_with("notification.")
}

/// When to try a failed delivery again: `base`, doubling each attempt, at
/// most `cap` apart; after `max_attempts` attempts it is given up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub base: Duration,
    pub cap: Duration,
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    /// 5 s, 10 s, 20 s ... capped at an hour; 20 attempts, the last about
    /// ten and a half hours after the first (a receiver down overnight
    /// still gets everything).
    fn default() -> Self {
        RetryPolicy { base: Duration::from_secs(5), cap: Duration::from_secs(3600), max_attempts: 20 }
    }
}

impl RetryPolicy {
    /// The wait before the next attempt once `attempts` have failed
    /// (`attempts` ≥ 1), or `None` to give up.
    pub fn delay_after(&self, attempts: u32) -> Option<Duration> {
        if attempts >= self.max_attempts {
            return None;
        }
        // 2^(attempts-1), without overflowing for large counts.
        let factor = 1u32.checked_shl(attempts.saturating_sub(1)).unwrap_or(u32::MAX);
        Some(self.base.saturating_mul(factor).min(self.cap))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(url: &str, events: Option<Vec<&str>>) -> WebhookDraft {
        WebhookDraft {
            name: Some("Ops".into()),
            url: Some(url.into()),
            events: events.map(|v| v.into_iter().map(String::from).collect()),
            ..Default::default()
        }
    }

    #[test]
    fn validation_defaults_and_refusals() {
        let ok = draft("https://hooks.slack.com/services/T/B/x", None).validate().unwrap();
        assert_eq!((ok.events, ok.active, ok.format), (vec!["*".to_string()], true, WebhookFormat::Json));
        assert!(draft("http://127.0.0.1:8080/hook?x=1", Some(vec!["case.opened", "webhook.test"])).validate().is_ok());
        for url in ["ftp://example.com", "https://", "http://:80/x", "example.com", "https://a b.com"] {
            let e = draft(url, None).validate().unwrap_err();
            assert_eq!(e.get("url").map(|f| f.code), Some("invalid_url"), "{url}");
        }
        let e = draft("https://x.example", Some(vec![])).validate().unwrap_err();
        assert!(e.get("events").is_some());
        let e = draft("https://x.example", Some(vec!["case.opened", "Case.Opened", "case", "a..b"]))
            .validate()
            .unwrap_err();
        assert!(e.get("events[0]").is_none());
        for i in 1..=3 {
            assert!(e.get(&format!("events[{i}]")).is_some(), "{i}");
        }
        let e = WebhookDraft::default().validate().unwrap_err();
        assert!(e.get("name").is_some() && e.get("url").is_some());
    }

    #[test]
    fn subscriptions() {
        let all = vec!["*".to_string()];
        for personal in ["account.password_reset", "account.invitation", "notification.digest"] {
            assert!(is_personal(personal));
            assert!(!subscribed(&all, personal), "{personal} never leaves by webhook");
            assert!(!subscribed(&[personal.to_string()], personal), "not even when named");
        }
        assert!(!is_personal("case.opened") && subscribed(&all, "case.opened"));
        let some = vec!["case.opened".to_string()];
        assert!(subscribed(&all, "anything.at_all"));
        assert!(subscribed(&some, "case.opened"));
        assert!(!subscribed(&some, "case.closed"));
        assert!(!subscribed(&[], "case.opened"));
    }

    #[test]
    fn backoff_doubles_caps_and_gives_up() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_after(1), Some(Duration::from_secs(5)));
        assert_eq!(p.delay_after(2), Some(Duration::from_secs(10)));
        assert_eq!(p.delay_after(4), Some(Duration::from_secs(40)));
        assert_eq!(p.delay_after(12), Some(Duration::from_secs(3600)));
        assert_eq!(p.delay_after(19), Some(Duration::from_secs(3600)));
        assert_eq!(p.delay_after(20), None);
        let huge = RetryPolicy { max_attempts: u32::MAX, ..p };
        assert_eq!(huge.delay_after(200), Some(Duration::from_secs(3600)), "no overflow");
        let total: Duration = (1..20).filter_map(|a| p.delay_after(a)).sum();
        assert!(total > Duration::from_secs(10 * 3600) && total < Duration::from_secs(11 * 3600), "{total:?}");
    }

    #[test]
    fn formats_round_trip() {
        for f in [WebhookFormat::Json, WebhookFormat::Slack] {
            assert_eq!(WebhookFormat::parse(f.key()), Some(f));
        }
        assert_eq!(WebhookFormat::parse("xml"), None);
    }
}
