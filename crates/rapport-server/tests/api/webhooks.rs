//! The outbox end to end: webhooks through the API, deliveries that survive
//! a receiver being down and Rapport restarting (exactly once per event, by
//! `X-Rapport-Delivery`, each signed), and e-mail through a real SMTP server
//! (Python's aiosmtpd).

use crate::helpers::{fast_retry, settings, start, test_config, Server, TestApp};
use crate::smtp::SmtpSink;
use axum::body::Bytes;
use axum::http::HeaderMap;
use hmac::{Hmac, Mac};
use rapport_core::role::Role;
use rapport_server::auth::secret;
use rapport_server::{Config, SmtpConfig};
use rapport_store::{DeliveryStatus, Store};
use rapport_store_tests::pg;
use serde_json::{json, Value};
use sha2::Sha256;
use std::collections::BTreeMap;
use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What a receiver got: (headers by name, raw body), in order.
type Received = Arc<Mutex<Vec<(BTreeMap<String, String>, Bytes)>>>;

/// Polls `check` every 50 ms until it answers `Some`, or fails naming `what`.
pub async fn eventually<T, F, Fut>(what: &str, limit: Duration, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(start.elapsed() < limit, "gave up after {limit:?} waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A receiver on `addr` recording every POST, answering 200.
async fn receiver(addr: SocketAddr, got: Received) -> tokio::task::JoinHandle<()> {
    let listener = tokio::net::TcpListener::bind(addr).await.expect("bind the receiver's reserved port");
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let got = got.clone();
            async move {
                let h = headers.iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string())).collect();
                got.lock().unwrap().push((h, body));
                "ok"
            }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await.expect("receiver") })
}

fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// One Rapport server, started as `rapport serve` does, on a database; it
/// stops (with its dispatcher) when dropped.
struct Rapport {
    store: Arc<dyn Store>,
    base: String,
    _server: Server,
}

impl Rapport {
    async fn start(url: Option<&str>, dir: &Path, config: Config) -> Rapport {
        let (store, base, server) = start(settings(url.map(str::to_string), dir, config)).await;
        Rapport { store, base, _server: server }
    }
}

/// A port nothing listens on (yet): reserved, then released.
async fn free_addr() -> SocketAddr {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    l.local_addr().unwrap()
}

/// The receiver is down for the first attempts, Rapport restarts in
/// between, then the receiver comes up: every subscribed event arrives
/// exactly once, signed; the others never.
pub async fn delivery_survives_downtime_and_restart(url: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let hook_addr = free_addr().await;
    let first = Rapport::start(url.as_deref(), dir.path(), test_config()).await;
    let org =
        first.store.create_org(&rapport_core::org::NewOrganization::parse("acme", "Acme").unwrap()).await.unwrap();
    let token = secret::generate("rpt_");
    first.store.create_token(org.id, "admin", Role::Admin, &secret::digest(&token)).await.unwrap();
    let created: Value = reqwest::Client::new()
        .post(format!("{}/api/v1/webhooks", first.base))
        .bearer_auth(&token)
        .json(&json!({"name": "Ops", "url": format!("http://{hook_addr}/hook"), "events": ["case.opened"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (hook, key) = (created["id"].as_i64().expect("webhook id"), created["secret"].as_str().unwrap().to_string());

    let mut expected = vec![];
    for n in 0..3 {
        expected.push(first.store.enqueue_event(org.id, "case.opened", &json!({"n": n})).await.unwrap());
    }
    first.store.enqueue_event(org.id, "case.closed", &json!({"n": 99})).await.unwrap();
    let store = first.store.clone();
    eventually("failed attempts while the receiver is down", Duration::from_secs(20), || {
        let store = store.clone();
        async move {
            let rows = store.list_deliveries(org.id, Some(hook), 100).await.unwrap();
            (rows.len() == 3 && rows.iter().all(|r| r.attempts >= 2 && r.last_error.is_some())).then_some(())
        }
    })
    .await;
    drop((first, store));

    // Rapport again, on the same database; more events while the receiver is still down.
    let second = Rapport::start(url.as_deref(), dir.path(), test_config()).await;
    for n in 3..5 {
        expected.push(second.store.enqueue_event(org.id, "case.opened", &json!({"n": n})).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got: Received = Arc::default();
    let _receiver = receiver(hook_addr, got.clone()).await;
    let store = second.store.clone();
    eventually("every delivery recorded as delivered", Duration::from_secs(30), || {
        let store = store.clone();
        async move {
            let rows = store.list_deliveries(org.id, Some(hook), 100).await.unwrap();
            (rows.len() == 5 && rows.iter().all(|r| r.status == DeliveryStatus::Delivered)).then_some(())
        }
    })
    .await;

    let got = got.lock().unwrap().clone();
    let mut seen = BTreeMap::new();
    for (headers, body) in &got {
        let id: i64 = headers["x-rapport-delivery"].parse().expect("X-Rapport-Delivery is the event id");
        *seen.entry(id).or_insert(0) += 1;
        assert_eq!(headers["x-rapport-signature"], signature(&key, body), "signature of event {id}");
        assert_eq!(headers["x-rapport-event"], "case.opened");
        assert_eq!(headers["content-type"], "application/json");
        let v: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(
            (v["id"].as_i64(), v["event"].as_str(), v["organization"].as_str()),
            (Some(id), Some("case.opened"), Some("acme"))
        );
        assert!(v["data"]["n"].as_i64().is_some_and(|n| n < 5) && v["created_at"].is_string(), "{v}");
    }
    expected.sort();
    assert_eq!(seen.keys().copied().collect::<Vec<_>>(), expected, "every subscribed event arrived");
    assert!(seen.values().all(|n| *n == 1), "each event arrived exactly once: {seen:?}");
}

/// The webhook API: the secret is shown once, bad input is refused by
/// field, viewers are refused, the test event arrives, delete works; an
/// e-mail without SMTP configured is given up with a clear error.
pub async fn webhook_api(app: TestApp) {
    let org = app.org("acme").await;
    let admin = app.client(org.id, Role::Admin).await;
    let viewer = app.client(org.id, Role::Viewer).await;
    let addr = free_addr().await;
    let got: Received = Arc::default();
    let _receiver = receiver(addr, got.clone()).await;

    let bad = admin.post("/api/v1/webhooks", json!({"name": "x", "url": "ftp://x", "events": ["Bad Event"]})).await;
    bad.expect_error(422, "invalid", Some("url"));
    bad.expect_error(422, "invalid", Some("events[0]"));
    let created = admin
        .post(
            "/api/v1/webhooks",
            json!({"name": "Room", "url": format!("http://{addr}/hook"), "events": ["case.opened"]}),
        )
        .await
        .expect(201);
    let (id, key) = (created["id"].as_i64().unwrap(), created["secret"].as_str().unwrap().to_string());
    assert_eq!(key.len(), 64);
    let listed = admin.get("/api/v1/webhooks").await.expect(200);
    assert!(!listed.to_string().contains(&key) && listed[0].get("secret").is_none(), "{listed}");
    let read = admin.get(&format!("/api/v1/webhooks/{id}")).await.expect(200);
    assert!(read.get("secret").is_none());
    viewer.get("/api/v1/webhooks").await.expect_error(403, "forbidden", None);
    let body =
        json!({"name": "Room", "url": format!("http://{addr}/hook"), "events": ["case.opened"], "format": "slack"});
    assert_eq!(admin.put(&format!("/api/v1/webhooks/{id}"), body).await.expect(200)["format"], "slack");

    let queued = admin.post(&format!("/api/v1/webhooks/{id}/test"), json!({})).await.expect(202);
    let event_id = queued["event_id"].as_i64().unwrap();
    let message = eventually("the test message", Duration::from_secs(10), || {
        let got = got.clone();
        async move { got.lock().unwrap().first().cloned() }
    })
    .await;
    assert_eq!(message.0["x-rapport-delivery"], event_id.to_string());
    assert_eq!(message.0["x-rapport-signature"], signature(&key, &message.1));
    let slack: Value = serde_json::from_slice(&message.1).unwrap();
    assert!(slack["text"].as_str().is_some_and(|t| t.contains("Test from Rapport")), "{slack}");
    let path = format!("/api/v1/webhooks/{id}/deliveries");
    eventually("the test delivery listed as delivered", Duration::from_secs(10), || {
        let admin = admin.clone();
        let path = path.clone();
        async move {
            let d = admin.get(&path).await.expect(200);
            (d[0]["status"] == "delivered" && d[0]["event"] == "webhook.test" && d[0]["attempts"] == 1).then_some(())
        }
    })
    .await;
    // Sent again: a new delivery of the same event, the first kept.
    let first = admin.get(&path).await.expect(200)[0]["id"].as_i64().unwrap();
    let again = admin.post(&format!("{path}/{first}/redeliver"), json!({})).await.expect(202);
    assert_ne!(again["delivery_id"].as_i64(), Some(first));
    let second = eventually("the message again", Duration::from_secs(10), || {
        let got = got.clone();
        async move { got.lock().unwrap().get(1).cloned() }
    })
    .await;
    assert_eq!(second.0["x-rapport-delivery"], event_id.to_string(), "the same event, for receivers to de-duplicate");
    assert_eq!(second.0["x-rapport-signature"], signature(&key, &second.1));
    admin.post(&format!("{path}/999999/redeliver"), json!({})).await.expect_error(404, "not_found", None);
    viewer.post(&format!("{path}/{first}/redeliver"), json!({})).await.expect_error(403, "forbidden", None);

    app.store.enqueue_event(org.id, "case.opened", &json!({"email_to": ["ops@example.com"]})).await.unwrap();
    let store = app.store.clone();
    let mail = eventually("the e-mail delivery given up", Duration::from_secs(10), || {
        let store = store.clone();
        async move {
            let rows = store.list_deliveries(org.id, None, 10).await.unwrap();
            rows.into_iter().find(|r| r.channel == "email" && r.status == DeliveryStatus::Failed)
        }
    })
    .await;
    assert_eq!(mail.last_error.as_deref(), Some("SMTP is not configured"));

    admin.delete(&format!("/api/v1/webhooks/{id}")).await;
    admin.get(&format!("/api/v1/webhooks/{id}")).await.expect_error(404, "not_found", None);
}

/// An event naming an e-mail recipient arrives through a real SMTP server
/// with the right To, Subject and link.
pub async fn email_through_smtp() {
    let Some(smtp) = SmtpSink::start("SMTP delivery test").await else { return };
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        smtp: Some(SmtpConfig { url: smtp.url(), from: "Rapport <rapport@example.com>".into() }),
        public_url: Some("https://cx.example".into()),
        retry: fast_retry(),
        ..Config::default()
    };
    let rapport = Rapport::start(None, dir.path(), config).await;
    let org =
        rapport.store.create_org(&rapport_core::org::NewOrganization::parse("acme", "Acme").unwrap()).await.unwrap();
    let payload = json!({"email_to": ["ops@example.com"], "title": "Case 7 opened", "summary": "Late delivery for Ana", "url": "/cases/7"});
    rapport.store.enqueue_event(org.id, "case.opened", &payload).await.unwrap();
    let text = eventually("the message in the maildir", Duration::from_secs(20), || {
        let first = smtp.raw().into_iter().next();
        async move { first }
    })
    .await;
    assert!(text.lines().any(|l| l == "To: ops@example.com"), "{text}");
    assert!(text.lines().any(|l| l == "Subject: [Rapport] Case 7 opened"), "{text}");
    assert!(text.contains("https://cx.example/cases/7") && text.contains("Late delivery for Ana"), "{text}");
    let store = rapport.store.clone();
    eventually("the e-mail delivery recorded", Duration::from_secs(10), || {
        let store = store.clone();
        async move {
            let rows = store.list_deliveries(org.id, None, 10).await.unwrap();
            (rows.len() == 1 && rows[0].status == DeliveryStatus::Delivered).then_some(())
        }
    })
    .await;
}

/// Runs the downtime story on a fresh PostgreSQL database; skipped without one.
pub async fn delivery_on_postgres() {
    let Some(server) = pg::server_url() else { return };
    let (url, drop_database) = pg::fresh_database(&server).await;
    let outcome = tokio::spawn(delivery_survives_downtime_and_restart(Some(url))).await;
    drop_database.await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
