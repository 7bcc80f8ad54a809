//! Operations: `/metrics` read as Prometheus reads it, and request ids.

use crate::helpers::TestApp;
use prometheus_parse::{Sample, Scrape, Value as Reading};
use rapport_core::role::Role;
use serde_json::json;

async fn scrape(app: &TestApp) -> Scrape {
    let resp = reqwest::get(format!("{}/metrics", app.base)).await.expect("GET /metrics");
    assert_eq!(resp.status(), 200);
    let kind = resp.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(kind.starts_with("text/plain; version=0.0.4"), "{kind}");
    let text = resp.text().await.unwrap();
    Scrape::parse(text.lines().map(|l| Ok(l.to_owned()))).expect("the Prometheus text format")
}

/// The sum of the samples of `name` carrying every one of `labels`.
fn total(s: &Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    let matches = |x: &&Sample| x.metric == name && labels.iter().all(|(k, v)| x.labels.get(k) == Some(*v));
    s.samples
        .iter()
        .filter(matches)
        .map(|x| match &x.value {
            Reading::Counter(v) | Reading::Gauge(v) | Reading::Untyped(v) => *v,
            Reading::Histogram(buckets) => buckets.iter().map(|b| b.count).fold(0.0, f64::max),
            Reading::Summary(_) => 0.0,
        })
        .sum()
}

pub async fn metrics_parse_and_move(app: TestApp) {
    let org = app.org("ops").await;
    let c = app.client(org.id, Role::Admin).await;
    let before = scrape(&app).await;
    c.get("/api/v1/customers/ana-secret@example.com").await.expect_error(404, "not_found", None);
    let lines = [
        json!({"type": "purchase", "customer": "ana", "at": "2026-03-01T09:00:00Z", "amount": 20.0}),
        json!({"type": "purchase", "customer": "bo", "at": "2026-03-02T09:00:00Z"}),
        json!({"type": "purchase", "customer": "", "at": "2026-03-02T09:00:00Z"}),
    ];
    let body: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    c.ndjson("/api/v1/events", body.join("\n")).await.expect(200);
    let after = scrape(&app).await;

    // Counters move (other tests share the process's recorder: at least).
    let moved = |name: &str, labels: &[(&str, &str)]| total(&after, name, labels) - total(&before, name, labels);
    let route = [("method", "GET"), ("route", "/api/v1/customers/:external_id"), ("status", "404")];
    assert!(moved("rapport_http_requests_total", &route) >= 1.0);
    assert!(moved("rapport_http_request_duration_seconds", &route[..2]) >= 1.0);
    assert!(moved("rapport_items_total", &[("kind", "events"), ("outcome", "accepted")]) >= 2.0);
    assert!(moved("rapport_items_total", &[("kind", "events"), ("outcome", "rejected")]) >= 1.0);
    for gauge in ["rapport_db_connections", "rapport_outbox_backlog"] {
        assert!(after.samples.iter().any(|s| s.metric == gauge), "{gauge} is scraped");
    }
    // Route templates, never what was asked for: no personal data.
    for s in &after.samples {
        assert!(s.labels.values().all(|v| !v.contains("ana-secret")), "{s:?}");
    }
}

pub async fn every_response_has_a_request_id(app: TestApp) {
    let http = reqwest::Client::new();
    let get = |id: Option<&'static str>| {
        let req = http.get(format!("{}/healthz", app.base));
        let req = match id {
            Some(id) => req.header("x-request-id", id),
            None => req,
        };
        async move { req.send().await.unwrap().headers()["x-request-id"].to_str().unwrap().to_owned() }
    };
    let (first, second) = (get(None).await, get(None).await);
    assert_eq!(first.len(), 36, "a UUID: {first}");
    assert_ne!(first, second);
    // A proxy's id is kept, so one id follows the request across services.
    assert_eq!(get(Some("edge-42")).await, "edge-42");
}
