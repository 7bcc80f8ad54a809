//! Outbox stories: webhooks are scoped and keep their secret; each event is
//! fanned out exactly once even by concurrent callers; a delivery is leased
//! to one caller at a time; failures are retried, then given up.

use super::{by, org};
use chrono::{Duration, Utc};
use rapport_core::webhook::{WebhookFormat, WebhookInput};
use rapport_store::{DeliveryStatus, Store, StoreError, Target};
use serde_json::json;
use std::collections::HashSet;
use std::sync::Arc;

fn hook(name: &str, events: &[&str]) -> WebhookInput {
    WebhookInput {
        name: name.into(),
        url: format!("http://127.0.0.1:9/{name}"),
        format: WebhookFormat::Json,
        events: events.iter().map(|e| e.to_string()).collect(),
        active: true,
    }
}

pub async fn outbox_webhooks(s: &dyn Store) {
    let a = org(s, "hooks-a").await.id;
    let b = org(s, "hooks-b").await.id;
    let h = s.create_webhook(a, &hook("Ops", &["case.opened"]), "s3cret", &by("webhook.create")).await.unwrap();
    assert_eq!(h.events, vec!["case.opened"]);
    assert_eq!(s.webhook_secret(a, h.id).await.unwrap(), "s3cret");
    assert!(matches!(s.get_webhook(b, h.id).await, Err(StoreError::NotFound)));
    assert!(matches!(s.webhook_secret(b, h.id).await, Err(StoreError::NotFound)));
    assert!(matches!(s.update_webhook(b, h.id, &hook("x", &["*"])).await, Err(StoreError::NotFound)));
    assert!(matches!(s.delete_webhook(b, h.id, &by("webhook.delete")).await, Err(StoreError::NotFound)));
    let mut changed = hook("Ops room", &["*"]);
    changed.format = WebhookFormat::Slack;
    changed.active = false;
    let u = s.update_webhook(a, h.id, &changed).await.unwrap();
    assert_eq!(
        (u.name.as_str(), u.format, u.active, u.created_at),
        ("Ops room", WebhookFormat::Slack, false, h.created_at)
    );
    assert_eq!(s.webhook_secret(a, h.id).await.unwrap(), "s3cret", "an update keeps the secret");
    s.create_webhook(a, &hook("alerts", &["*"]), "t", &by("webhook.create")).await.unwrap();
    let names: Vec<String> = s.list_webhooks(a).await.unwrap().into_iter().map(|h| h.name).collect();
    assert_eq!(names, ["alerts", "Ops room"]);
    assert!(s.list_webhooks(b).await.unwrap().is_empty());
    // Deleting drops its pending deliveries.
    s.update_webhook(a, h.id, &hook("Ops", &["*"])).await.unwrap();
    s.enqueue_event(a, "case.opened", &json!({})).await.unwrap();
    s.fan_out(Utc::now(), 10).await.unwrap();
    assert_eq!(s.list_deliveries(a, Some(h.id), 10).await.unwrap().len(), 1);
    s.delete_webhook(a, h.id, &by("webhook.delete")).await.unwrap();
    assert!(s.list_deliveries(a, Some(h.id), 10).await.unwrap().is_empty());
    assert!(matches!(s.get_webhook(a, h.id).await, Err(StoreError::NotFound)));
    assert!(matches!(s.enqueue_event(999_999, "x.y", &json!({})).await, Err(StoreError::NotFound)));
}

/// Each event fans out once, even with callers racing; then each delivery
/// is leased to exactly one of several racing claimers.
pub async fn outbox_fan_out_once_and_lease(s: Arc<dyn Store>) {
    let a = org(&*s, "fan-a").await.id;
    let b = org(&*s, "fan-b").await.id;
    let all = s.create_webhook(a, &hook("all", &["*"]), "k1", &by("webhook.create")).await.unwrap();
    let cases = s.create_webhook(a, &hook("cases", &["case.opened"]), "k2", &by("webhook.create")).await.unwrap();
    let mut off = hook("off", &["*"]);
    off.active = false;
    let off = s.create_webhook(a, &off, "k3", &by("webhook.create")).await.unwrap();
    s.create_webhook(b, &hook("b", &["*"]), "k4", &by("webhook.create")).await.unwrap();
    let n_events = 20;
    for i in 0..n_events {
        let event = if i % 2 == 0 { "case.opened" } else { "case.closed" };
        let payload = if i == 0 { json!({"email_to": ["x@example.com", "y@example.com"]}) } else { json!({"i": i}) };
        s.enqueue_event(a, event, &payload).await.unwrap();
    }
    s.enqueue_event(a, "webhook.test", &json!({"only_webhook": off.id})).await.unwrap();
    let now = Utc::now();
    let racers: Vec<_> = (0..4)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move { s.fan_out(now, 100).await.unwrap() })
        })
        .collect();
    let mut fanned = 0;
    for r in racers {
        fanned += r.await.unwrap();
    }
    assert_eq!(fanned, n_events + 1, "each event fanned out by exactly one caller");
    assert_eq!(s.fan_out(now, 100).await.unwrap(), 0, "nothing left");
    // 21 to `all`, 10 to `cases`, the test event to the inactive hook only, two e-mails.
    let count = |h| {
        let s = s.clone();
        async move { s.list_deliveries(a, Some(h), 1000).await.unwrap().len() }
    };
    assert_eq!((count(all.id).await, count(cases.id).await, count(off.id).await), (20, 10, 1));
    let every = s.list_deliveries(a, None, 1000).await.unwrap();
    assert_eq!(every.len(), 33);
    assert_eq!(every.iter().filter(|d| d.channel == "email").count(), 2);
    assert!(every.iter().all(|d| d.status == DeliveryStatus::Pending && d.attempts == 0));
    assert!(s.list_deliveries(b, None, 10).await.unwrap().is_empty());

    let lease = now + Duration::seconds(60);
    // Racing claimers may each find fewer than their limit (PostgreSQL
    // re-checks rows another claimer locked first), so claim in rounds.
    let mut seen = HashSet::new();
    loop {
        let claimers: Vec<_> = (0..4)
            .map(|_| {
                let s = s.clone();
                tokio::spawn(async move { s.claim_deliveries(now, lease, 10).await.unwrap() })
            })
            .collect();
        let before = seen.len();
        for c in claimers {
            for d in c.await.unwrap() {
                assert!(seen.insert(d.id), "delivery {} leased twice", d.id);
                assert_eq!((d.org_id, d.org_slug.as_str()), (a, "fan-a"));
                match &d.target {
                    Target::Webhook { secret, .. } => assert!(["k1", "k2", "k3"].contains(&secret.as_str())),
                    Target::Email { to } => assert!(to.ends_with("@example.com")),
                }
            }
        }
        if seen.len() == before {
            break;
        }
    }
    assert_eq!(seen.len(), 33, "every due delivery was leased once");
    assert!(s.claim_deliveries(now, lease, 100).await.unwrap().is_empty(), "all leased");
    // An expired lease is claimable again.
    let later = lease + Duration::seconds(1);
    assert_eq!(s.claim_deliveries(later, later + Duration::seconds(60), 100).await.unwrap().len(), 33);
}

/// A failure is retried when due, then succeeds; another is given up.
pub async fn outbox_retry_and_give_up(s: &dyn Store) {
    let a = org(s, "retry-a").await.id;
    let h = s.create_webhook(a, &hook("r", &["*"]), "k", &by("webhook.create")).await.unwrap();
    let ev = s.enqueue_event(a, "case.opened", &json!({"title": "T", "email_to": ["ops@example.com"]})).await.unwrap();
    let t0 = rapport_store::rows::now();
    s.fan_out(t0, 10).await.unwrap();
    let claimed = s.claim_deliveries(t0, t0 + Duration::seconds(60), 10).await.unwrap();
    assert_eq!(claimed.len(), 2);
    assert!(claimed.iter().all(|d| d.event_id == ev && d.event == "case.opened" && d.payload["title"] == "T"));
    let web = claimed.iter().find(|d| matches!(d.target, Target::Webhook { .. })).unwrap();
    let mail = claimed.iter().find(|d| matches!(d.target, Target::Email { .. })).unwrap();
    let retry = t0 + Duration::seconds(5);
    s.delivery_failed(web.id, t0, "connection refused", Some(retry)).await.unwrap();
    s.delivery_failed(mail.id, t0, "SMTP is not configured", None).await.unwrap();
    assert!(s.claim_deliveries(t0, t0 + Duration::seconds(60), 10).await.unwrap().is_empty(), "not due yet");
    let again = s.claim_deliveries(retry, retry + Duration::seconds(60), 10).await.unwrap();
    assert_eq!(again.iter().map(|d| (d.id, d.attempts)).collect::<Vec<_>>(), vec![(web.id, 1)]);
    s.delivery_succeeded(web.id, retry).await.unwrap();
    // A late failure report of an expired lease cannot undo the delivery.
    s.delivery_failed(web.id, retry, "late", None).await.unwrap();
    let far = retry + Duration::days(2);
    assert!(s.claim_deliveries(far, far + Duration::seconds(60), 10).await.unwrap().is_empty(), "nothing left to send");
    let rows = s.list_deliveries(a, None, 10).await.unwrap();
    let w = rows.iter().find(|r| r.id == web.id).unwrap();
    assert_eq!((w.status, w.attempts, w.webhook_id), (DeliveryStatus::Delivered, 2, Some(h.id)));
    assert_eq!(
        (w.last_error.as_deref(), w.delivered_at, w.next_attempt_at),
        (Some("connection refused"), Some(retry), None)
    );
    let m = rows.iter().find(|r| r.id == mail.id).unwrap();
    assert_eq!((m.status, m.attempts, m.recipient.as_deref()), (DeliveryStatus::Failed, 1, Some("ops@example.com")));
    assert_eq!((m.last_error.as_deref(), m.gave_up_at), (Some("SMTP is not configured"), Some(t0)));
}
