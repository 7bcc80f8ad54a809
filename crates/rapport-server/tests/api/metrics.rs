//! Measurement over HTTP: `/api/v1/metrics` (buckets, intervals, sample
//! flags, filters, refusals) and the intent monitor with its SSE notice.

use crate::helpers::{id, nps_question, seed, TestApp};
use chrono::Utc;
use rapport_core::role::Role;
use serde_json::json;
use std::time::Duration;

/// NPS answers: `promoters` 10s, `passives` 8s, `detractors` 3s, at `at`.
fn nps_batch(survey: i64, prefix: &str, at: &str, promoters: usize, passives: usize, detractors: usize) -> String {
    let scores = std::iter::repeat_n(10, promoters)
        .chain(std::iter::repeat_n(8, passives))
        .chain(std::iter::repeat_n(3, detractors));
    scores
        .enumerate()
        .map(|(i, s)| {
            json!({"id": format!("{prefix}-{i}"), "survey": survey, "customer": format!("{prefix}-c{}", i % 7),
                "at": at, "answers": {"nps": s}})
            .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub async fn metrics_series_and_refusals(app: TestApp) {
    let org = app.org("metrics").await;
    let c = app.client(org.id, Role::Admin).await;
    let p = seed(&c, "m").await;
    let (tp, other_tp) = (p.first("touchpoint"), p.ids["touchpoint"][1]);
    let survey = json!({"touchpoint_id": tp, "title": {"en": "NPS", "es": "NPS"}, "questions": [nps_question()], "fatigue_days": 0});
    let survey = id(&c.post("/api/v1/surveys", survey).await.expect(201));
    c.post(&format!("/api/v1/surveys/{survey}/publish"), json!({})).await.expect(200);
    // Week of Monday 2 March: 20 promoters, 10 passives, 10 detractors → NPS 25.
    c.ndjson("/api/v1/responses", nps_batch(survey, "w1", "2026-03-04T09:00:00Z", 20, 10, 10)).await.expect(200);
    // Week of Monday 9 March: only 10 answers → insufficient.
    c.ndjson("/api/v1/responses", nps_batch(survey, "w2", "2026-03-10T09:00:00Z", 5, 0, 5)).await.expect(200);

    let m = c.get("/api/v1/metrics?metric=nps&from=2026-03-01&to=2026-03-15&interval=week").await.expect(200);
    let series = m["series"].as_array().unwrap();
    let starts: Vec<&str> = series.iter().map(|x| x["start"].as_str().unwrap()).collect();
    // 1 March 2026 is a Sunday: its week starts on Monday 23 February.
    assert_eq!(starts, ["2026-02-23", "2026-03-02", "2026-03-09"], "{m}");
    // The seeded program's one answer (a 9 on Sunday 1 March).
    assert_eq!((series[0]["n"].as_i64(), series[0]["value"].as_f64()), (Some(1), Some(100.0)));
    assert_eq!(series[0]["sufficient"], false);
    let w1 = &series[1];
    assert_eq!(
        (w1["n"].as_i64(), w1["value"].as_f64(), w1["sufficient"].as_bool()),
        (Some(40), Some(25.0), Some(true))
    );
    // By hand: p_P = .5, p_D = .25, variance .5 + .25 − .25² = .6875,
    // SE = 100·√(.6875/40) = 13.1101, 95% interval 25 ± 1.95996·SE.
    let (lo, hi) = (w1["ci_low"].as_f64().unwrap(), w1["ci_high"].as_f64().unwrap());
    assert!((lo - (25.0 - 25.6953)).abs() < 1e-3 && (hi - 50.6953).abs() < 1e-3, "{w1}");
    assert_eq!((series[2]["n"].as_i64(), series[2]["sufficient"].as_bool()), (Some(10), Some(false)));
    assert!(m["change"]["p_value"].as_f64().is_some(), "{m}");
    assert_eq!(m["change"]["significant"], false, "10 answers cannot be significant: {m}");

    // All at once, by touchpoint and by experience.
    let all = c.get("/api/v1/metrics?metric=nps&from=2026-03-01&to=2026-03-31&interval=all").await.expect(200);
    // 26 promoters and 15 detractors of 51.
    let v = all["series"][0]["value"].as_f64().unwrap();
    assert_eq!(all["series"][0]["n"], 51, "{all}");
    assert!((v - 100.0 * 11.0 / 51.0).abs() < 1e-9, "{all}");
    let none = c
        .get(&format!("/api/v1/metrics?metric=nps&touchpoint={other_tp}&from=2026-03-01&to=2026-03-31&interval=all"))
        .await
        .expect(200);
    assert_eq!(none["series"][0]["n"], 0);
    let exp = p.first("experience");
    let by_exp = c
        .get(&format!("/api/v1/metrics?metric=nps&experience={exp}&from=2026-03-01&to=2026-03-31&interval=all"))
        .await
        .expect(200);
    assert_eq!(by_exp["series"][0]["n"], 51);

    // Behaviour: of two purchasers in March one bought twice.
    let events = ["p1", "p2", "p3"].iter().zip(["x1", "x1", "x2"]).map(|(k, cust)| {
        json!({"id": k, "type": "purchase", "customer": cust, "at": "2026-03-05T10:00:00Z"}).to_string()
    });
    c.ndjson("/api/v1/events", events.collect::<Vec<_>>().join("\n")).await.expect(200);
    let rpr = c
        .get("/api/v1/metrics?metric=repeat_purchase_rate&from=2026-03-03&to=2026-03-31&interval=all")
        .await
        .expect(200);
    assert_eq!((rpr["series"][0]["n"].as_i64(), rpr["series"][0]["value"].as_f64()), (Some(2), Some(50.0)), "{rpr}");
    assert_eq!(rpr["series"][0]["sufficient"], false);

    // Refusals name the field; another organization's ids are unknown here.
    let other = app.org("metrics-other").await;
    let oc = app.client(other.id, Role::Admin).await;
    let op = seed(&oc, "o").await;
    for (query, field) in [
        ("metric=bogus".to_string(), "metric"),
        ("interval=fortnight&metric=nps".into(), "interval"),
        ("metric=nps&from=2026-04-01&to=2026-03-01".into(), "from"),
        ("metric=nps&from=yesterday".into(), "from"),
        (format!("metric=nps&experience={}", op.first("experience")), "experience"),
        (format!("metric=nps&touchpoint={}", op.first("touchpoint")), "touchpoint"),
        (format!("metric=nps&segment={}", op.first("segment")), "segment"),
        ("metric=nps&segment=abc".into(), "segment"),
    ] {
        c.get(&format!("/api/v1/metrics?{query}")).await.expect_error(422, "invalid", Some(field));
    }
    assert_eq!(c.get("/api/v1/metrics").await.expect(200)["metric"], "nps", "NPS when no metric is named");
}

pub async fn intent_status_changes_reach_the_stream(app: TestApp) {
    let org = app.org("monitor").await;
    let c = app.client(org.id, Role::Admin).await;
    let p = seed(&c, "mon").await;
    let survey = p.first("survey");
    let intent = json!({"statement": "Customers recommend us.", "criteria": [
        {"metric": "nps", "scope": {"kind": "organization"}, "comparator": "at_least", "threshold": 10, "margin": 5}]});
    c.post("/api/v1/intent/versions", intent).await.expect(201);
    let status = c.get("/api/v1/intent/status").await.expect(200);
    assert_eq!(status["criteria"][0]["status"], "insufficient", "{status}");

    let mut stream = c.open_stream("/api/v1/stream").await;
    let now = Utc::now().to_rfc3339();
    c.ndjson("/api/v1/responses", nps_batch(survey, "today", &now, 20, 10, 10)).await.expect(200);
    // The monitor notices the new answers and publishes the change.
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !seen.contains("event: intent_status") {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk()).await.expect("intent_status within 10 s");
        seen.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
    }
    assert!(seen.contains("\"status\":\"met\""), "{seen}");
    let status = c.get("/api/v1/intent/status").await.expect(200);
    assert_eq!(status["criteria"][0]["status"], "met", "{status}");
    assert_eq!(status["criteria"][0]["value"].as_f64(), Some(25.0));
    // The current version's history (the seed's council meeting drafted its
    // agenda from the monitor, which judged the seed's own version too).
    let version = &status["history"][0]["version_id"];
    let history: Vec<&str> = status["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| &h["version_id"] == version)
        .map(|h| h["status"].as_str().unwrap())
        .collect();
    assert_eq!(history, ["met", "insufficient"], "{status}");
}
