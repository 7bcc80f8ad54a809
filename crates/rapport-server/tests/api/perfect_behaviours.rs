//! The API of perfect behaviours (A7), on both backends: CRUD under an
//! experience, each bad field a 422 naming it, the series by month and
//! quarter from events at known days, and a behaviour used as an
//! experience goal and an intent criterion whose status the monitor gives.

use crate::helpers::{id, Body, TestApp};
use chrono::{Duration, Utc};
use rapport_core::role::Role;
use reqwest::Method;
use serde_json::{json, Value};

fn body(owner: i64) -> Value {
    json!({"name": "Buys again within 60 days", "name_es": "Vuelve a comprar en 60 días", "owner_id": owner,
           "target": 40, "event_type": "purchase", "count": 2, "window_days": 60})
}

fn with(owner: i64, field: &str, value: Value) -> Value {
    let mut v = body(owner);
    v[field] = value;
    v
}

pub async fn perfect_behaviours_api(app: TestApp) {
    let org = app.org("behaviours").await;
    let other = app.org("behaviours-other").await;
    let admin = app.client(org.id, Role::Admin).await;
    let viewer = app.client(org.id, Role::Viewer).await;
    let them = app.client(other.id, Role::Admin).await;

    let owner = id(&admin.post("/api/v1/people", json!({"name": "Ana", "email": "ana@example.com"})).await.expect(201));
    let x = id(&admin
        .post("/api/v1/experiences", json!({"name": "Repeat", "goal_metric": "nps", "goal_target": 30}))
        .await
        .expect(201));
    let their_x = id(&them
        .post("/api/v1/experiences", json!({"name": "Theirs", "goal_metric": "nps", "goal_target": 30}))
        .await
        .expect(201));

    // Events: 40 customers buy twice 10 days apart, 10 buy once, all in the
    // last 30 days; 5 bought 100 days ago and again now (too far apart).
    let today = Utc::now().date_naive();
    let at = |days: i64| format!("{}T12:00:00Z", today - Duration::days(days));
    let mut events = Vec::new();
    for i in 0..40 {
        events.push(json!({"id": format!("a{i}"), "type": "purchase", "customer": format!("c{i}"), "at": at(20)}));
        events.push(json!({"id": format!("b{i}"), "type": "purchase", "customer": format!("c{i}"), "at": at(10)}));
    }
    for i in 40..50 {
        events.push(json!({"id": format!("a{i}"), "type": "purchase", "customer": format!("c{i}"), "at": at(5)}));
    }
    for i in 50..55 {
        events.push(json!({"id": format!("a{i}"), "type": "purchase", "customer": format!("c{i}"), "at": at(100)}));
        events.push(json!({"id": format!("b{i}"), "type": "purchase", "customer": format!("c{i}"), "at": at(1)}));
    }
    admin.post("/api/v1/events", Value::Array(events)).await.expect(200);

    // Create (backfilled from the events already there), read, list.
    viewer.post(&format!("/api/v1/experiences/{x}/behaviours"), body(owner)).await.expect(403);
    let b = admin.post(&format!("/api/v1/experiences/{x}/behaviours"), body(owner)).await.expect(201);
    let bid = id(&b);
    assert_eq!(
        (b["count"].as_i64(), b["window_days"].as_i64(), b["base"].as_str()),
        (Some(2), Some(60), Some("matching"))
    );
    assert_eq!((b["current"]["eligible"].as_i64(), b["current"]["shown"].as_i64()), (Some(55), Some(40)), "{b}");
    let got = viewer.get(&format!("/api/v1/behaviours/{bid}")).await.expect(200);
    assert_eq!(got["name_es"], "Vuelve a comprar en 60 días");
    let list = viewer.get(&format!("/api/v1/experiences/{x}/behaviours")).await.expect(200);
    assert_eq!(list.as_array().map(Vec::len), Some(1));

    // Series by month and by quarter: every customer counted once per bucket.
    let from = today - Duration::days(120);
    let series = viewer
        .get(&format!("/api/v1/behaviours/{bid}/series?interval=quarter&from={from}&to={today}"))
        .await
        .expect(200);
    let points = series["points"].as_array().unwrap();
    assert!(points.len() >= 2, "{series}");
    let eligible: i64 = points.iter().map(|p| p["eligible"].as_i64().unwrap()).sum();
    assert!(eligible >= 55, "every purchaser is eligible in some quarter: {series}");
    let whole = viewer.get(&format!("/api/v1/behaviours/{bid}/series?interval=month")).await.expect(200);
    let shown: i64 = whole["points"].as_array().unwrap().iter().map(|p| p["shown"].as_i64().unwrap()).sum();
    assert_eq!(shown, 40, "each repeat buyer shows it in the month of their second purchase: {whole}");

    // Each bad field is a 422 naming it.
    let bad = [
        (with(owner, "count", json!(0)), "count"),
        (with(owner, "count", json!(1001)), "count"),
        (with(owner, "window_days", json!(0)), "window_days"),
        (with(owner, "window_days", json!(3651)), "window_days"),
        (with(owner, "event_type", json!("")), "event_type"),
        (with(owner, "event_type", json!(format!("custom:{}", "a".repeat(100)))), "event_type"),
        (with(owner, "target", json!(101)), "target"),
        (with(owner, "target", json!(-1)), "target"),
        (with(owner, "owner_id", json!(owner + 999)), "owner_id"),
        (with(owner, "touchpoint_id", json!(999_999)), "touchpoint_id"),
        (with(owner, "name", json!(" ")), "name"),
        (with(owner, "base", json!("everyone")), "base"),
    ];
    for (b, field) in bad {
        admin.post(&format!("/api/v1/experiences/{x}/behaviours"), b).await.expect_error(422, "invalid", Some(field));
    }
    admin.get(&format!("/api/v1/behaviours/{bid}/series?interval=week")).await.expect_error(
        422,
        "invalid",
        Some("interval"),
    );
    them.get(&format!("/api/v1/behaviours/{bid}")).await.expect(404);
    them.post(&format!("/api/v1/experiences/{x}/behaviours"), body(owner)).await.expect(404);

    // A change of rule recounts: within 15 days, the 40 still repeat.
    let patch = |b: Value| Body::Json(b);
    let changed = admin
        .send(Method::PATCH, &format!("/api/v1/behaviours/{bid}"), patch(json!({"window_days": 5, "target": 55})))
        .await
        .expect(200);
    assert_eq!((changed["current"]["shown"].as_i64(), changed["target"].as_f64()), (Some(0), Some(55.0)), "{changed}");
    let changed = admin
        .send(Method::PATCH, &format!("/api/v1/behaviours/{bid}"), patch(json!({"window_days": null})))
        .await
        .expect(200);
    assert_eq!((changed["current"]["shown"].as_i64(), changed["window_days"].as_i64()), (Some(45), None), "{changed}");
    admin.send(Method::PATCH, &format!("/api/v1/behaviours/{bid}"), patch(json!({"count": 0}))).await.expect_error(
        422,
        "invalid",
        Some("count"),
    );

    // As an experience goal: required with the metric, refused for another organization's.
    let goal = |b: Value| json!({"name": "Repeat", "goal_metric": "perfect_behaviour", "goal_target": 40, "goal_behaviour_id": b});
    admin.put(&format!("/api/v1/experiences/{x}"), goal(Value::Null)).await.expect_error(
        422,
        "invalid",
        Some("goal_behaviour_id"),
    );
    let their_b = id(&them
        .post(&format!("/api/v1/experiences/{their_x}/behaviours"), {
            let them_owner =
                id(&them.post("/api/v1/people", json!({"name": "T", "email": "t@example.com"})).await.expect(201));
            body(them_owner)
        })
        .await
        .expect(201));
    admin.put(&format!("/api/v1/experiences/{x}"), goal(json!(their_b))).await.expect_error(
        422,
        "invalid",
        Some("goal_behaviour_id"),
    );
    let e = admin.put(&format!("/api/v1/experiences/{x}"), goal(json!(bid))).await.expect(200);
    assert_eq!(
        (e["goal"]["metric"].as_str(), e["goal"]["behaviour_id"].as_i64()),
        (Some("perfect_behaviour"), Some(bid)),
        "{e}"
    );
    admin.delete(&format!("/api/v1/behaviours/{bid}")).await.expect(409);

    // As an intent criterion: refused for another organization's, measured by the monitor.
    let intent = |b: Value, threshold: f64| {
        json!({"statement": "Customers come back.", "criteria": [
            {"metric": "perfect_behaviour", "behaviour_id": b, "comparator": "at_least", "threshold": threshold, "margin": 5}]})
    };
    admin.post("/api/v1/intent/versions", intent(Value::Null, 50.0)).await.expect_error(
        422,
        "invalid",
        Some("criteria[0].behaviour_id"),
    );
    admin.post("/api/v1/intent/versions", intent(json!(their_b), 50.0)).await.expect_error(
        422,
        "invalid",
        Some("criteria[0].behaviour_id"),
    );
    let v = admin.post("/api/v1/intent/versions", intent(json!(bid), 50.0)).await.expect(201);
    assert_eq!(v["criteria"][0]["behaviour_id"].as_i64(), Some(bid), "{v}");
    let status = viewer.get("/api/v1/intent/status").await.expect(200);
    let c = &status["criteria"][0];
    // Last 30 days: 55 purchasers (50 in the window plus the 5 back now), 45 repeated (any time).
    assert_eq!((c["n"].as_i64(), c["status"].as_str()), (Some(55), Some("met")), "{status}");
    let v = admin.post("/api/v1/intent/versions", intent(json!(bid), 90.0)).await.expect(201);
    assert_eq!(v["version"].as_i64(), Some(2));
    let status = viewer.get("/api/v1/intent/status").await.expect(200);
    assert_eq!(status["criteria"][0]["status"].as_str(), Some("missed"), "{status}");
    let m =
        viewer.get(&format!("/api/v1/metrics?metric=perfect_behaviour&behaviour={bid}&interval=all")).await.expect(200);
    assert!(m.to_string().contains("\"n\":55"), "{m}");
    viewer.get("/api/v1/metrics?metric=perfect_behaviour").await.expect_error(422, "invalid", Some("behaviour"));

    // Delete, once the goal no longer names it.
    admin
        .put(&format!("/api/v1/experiences/{x}"), json!({"name": "Repeat", "goal_metric": "nps", "goal_target": 30}))
        .await
        .expect(200);
    viewer.delete(&format!("/api/v1/behaviours/{bid}")).await.expect(403);
    admin.delete(&format!("/api/v1/behaviours/{bid}")).await.expect(204);
    admin.get(&format!("/api/v1/behaviours/{bid}")).await.expect(404);
}
