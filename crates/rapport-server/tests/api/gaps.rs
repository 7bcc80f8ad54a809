//! The API of gap analysis (F3), on both backends: a café's experience
//! whose counter misses its CSAT criterion and whose pickup meets it; the
//! ranked JSON with every figure; a gap made into an idea and a sprint
//! (twice: one of each); refusals naming the field; another organization's
//! experience is a 404; a viewer reads but makes nothing.

use crate::helpers::{id, TestApp};
use chrono::{Duration, Utc};
use rapport_core::role::Role;
use serde_json::{json, Value};

fn close(v: &Value, expected: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - expected).abs() < 1e-9)
}

pub async fn gaps_api(app: TestApp) {
    let org = app.org("gaps").await;
    let admin = app.client(org.id, Role::Admin).await;
    let viewer = app.client(org.id, Role::Viewer).await;
    let agent = app.client(org.id, Role::Agent).await;

    let lead =
        id(&admin.post("/api/v1/people", json!({"name": "Lucía", "email": "lucia@cafe.test"})).await.expect(201));
    let rule = json!({"conditions": [{"op": "equals", "attribute": "plan", "value": "regular"}]});
    let regulars = id(&admin.post("/api/v1/segments", json!({"name": "Regulars", "rule": rule})).await.expect(201));
    let stage = id(&admin.post("/api/v1/stages", json!({"name": "Visit"})).await.expect(201));
    let mut tps = vec![];
    for (name, importance) in [("Counter", 4), ("Pickup", 2)] {
        let body = json!({"name": name, "stage_id": stage, "owner_id": lead,
            "importance": [{"segment_id": regulars, "importance": importance}]});
        tps.push(id(&admin.post("/api/v1/touchpoints", body).await.expect(201)));
    }
    let (counter, pickup) = (tps[0], tps[1]);
    let exp = json!({"name": "First visit", "segment_ids": [regulars], "goal_metric": "nps", "goal_target": 30, "leader_id": lead});
    let exp = id(&admin.post("/api/v1/experiences", exp).await.expect(201));
    for tp in &tps {
        admin.post(&format!("/api/v1/experiences/{exp}/interactions"), json!({"touchpoint_id": tp})).await.expect(201);
    }
    let intent = json!({"statement": "Every visit feels easy.", "criteria": [
        {"metric": "csat", "scope": {"kind": "experience", "id": exp}, "comparator": "at_least", "threshold": 80}]});
    admin.post("/api/v1/intent/versions", intent).await.expect(201);

    // 40 CSAT answers at each: the counter 60% satisfied, the pickup 80% (at risk: on the threshold).
    let mut responses = vec![];
    for (tp, scores) in [(counter, [5, 4, 2, 5, 1]), (pickup, [5, 5, 5, 5, 3])] {
        let survey = json!({"touchpoint_id": tp, "fatigue_days": 0, "title": {"en": "How was it?", "es": "¿Qué tal?"},
            "questions": [{"key": "sat", "type": "csat", "text": {"en": "Satisfied?", "es": "¿Satisfecho?"}}]});
        let survey = id(&admin.post("/api/v1/surveys", survey).await.expect(201));
        admin.post(&format!("/api/v1/surveys/{survey}/publish"), json!({})).await.expect(200);
        for i in 0..40 {
            let at = (Utc::now() - Duration::hours(1 + i)).to_rfc3339();
            responses.push(json!({"id": format!("r-{tp}-{i}"), "survey": survey, "customer": format!("c{i}"),
                "at": at, "answers": {"sat": scores[i as usize % 5]}}));
        }
    }
    let stored = admin.post("/api/v1/responses", Value::Array(responses)).await.expect(200);
    assert_eq!(stored["accepted"], 80);

    // The ranked list, for everyone: the counter 20 points short of 80
    // (a 0–100 range: gap 20), stated importance 4 → weight 0.8 → 16.
    let r = viewer.get(&format!("/api/v1/experiences/{exp}/gaps")).await.expect(200);
    let ranked = r["ranked"].as_array().unwrap();
    assert_eq!(ranked.len(), 2, "{r}");
    let top = &ranked[0];
    assert_eq!((top["rank"].as_i64(), top["touchpoint_id"].as_i64()), (Some(1), Some(counter)), "{r}");
    assert_eq!((top["target"]["metric"].as_str(), top["status"].as_str()), (Some("csat"), Some("missed")));
    assert_eq!(top["target"]["source"], "experience");
    assert_eq!((top["n"].as_i64(), top["touchpoint_name"].as_str()), (Some(40), Some("Counter")));
    assert!(close(&top["value"], 60.0) && close(&top["shortfall"], 20.0) && close(&top["gap"], 20.0), "{top}");
    assert!(close(&top["stated_importance"], 4.0) && close(&top["weight"], 0.8), "{top}");
    assert!(close(&top["weighted_gap"], 16.0) && top["basis"] == "stated", "{top}");
    assert!(top["derived_importance"].is_null() && top["idea_id"].is_null());
    assert_eq!(
        (ranked[1]["touchpoint_id"].as_i64(), ranked[1]["status"].as_str()),
        (Some(pickup), Some("at_risk")),
        "80% is on the threshold"
    );
    assert!(close(&ranked[1]["gap"], 0.0));
    // NPS, the goal, has no answers: not enough data, never ranked.
    let apart = r["insufficient"].as_array().unwrap();
    assert_eq!(apart.len(), 2);
    assert!(apart
        .iter()
        .all(|g| g["status"] == "insufficient" && g["rank"].is_null() && g["target"]["source"] == "goal"));
    assert_eq!(r["derived_available"], false);
    // For the segment: the answers came from customers outside it.
    let seg = viewer.get(&format!("/api/v1/experiences/{exp}/gaps?segment_id={regulars}")).await.expect(200);
    assert_eq!(seg["segment_id"].as_i64(), Some(regulars));
    assert!(
        seg["ranked"].as_array().unwrap().is_empty() && seg["insufficient"].as_array().unwrap().len() == 4,
        "{seg}"
    );

    // Refusals name the field.
    let url = format!("/api/v1/experiences/{exp}/gaps/idea");
    let bad = [
        (json!({"metric": "csat"}), "touchpoint_id"),
        (json!({"touchpoint_id": counter}), "metric"),
        (json!({"touchpoint_id": counter, "metric": "csat", "segment_id": 0}), "segment_id"),
        (json!({"touchpoint_id": counter, "metric": "csat", "segment_id": 999_999}), "segment_id"),
        (json!({"touchpoint_id": 999_999, "metric": "csat", "author_id": lead}), "touchpoint_id"),
        (json!({"touchpoint_id": counter, "metric": "churn_rate", "author_id": lead}), "metric"),
        (json!({"touchpoint_id": pickup, "metric": "csat", "author_id": lead}), "metric"),
        (json!({"touchpoint_id": counter, "metric": "nps", "author_id": lead}), "metric"),
        (json!({"touchpoint_id": counter, "metric": "csat"}), "author_id"),
    ];
    for (body, field) in bad {
        admin.post(&url, body).await.expect_error(422, "invalid", Some(field));
    }
    admin.get(&format!("/api/v1/experiences/{exp}/gaps?segment_id=x")).await.expect_error(
        422,
        "invalid",
        Some("segment_id"),
    );
    let met = admin.post(&url, json!({"touchpoint_id": pickup, "metric": "csat", "author_id": lead})).await;
    assert_eq!(met.json["error"]["fields"]["metric"]["code"], "met", "{}", met.text);

    // A viewer reads but makes nothing; an agent contributes ideas, not sprints.
    let gap = json!({"touchpoint_id": counter, "metric": "csat", "author_id": lead});
    viewer.post(&url, gap.clone()).await.expect(403);
    viewer.post(&format!("/api/v1/experiences/{exp}/gaps/sprint"), gap.clone()).await.expect(403);
    agent.post(&format!("/api/v1/experiences/{exp}/gaps/sprint"), gap.clone()).await.expect(403);

    // The idea, once.
    let made = agent.post(&url, gap.clone()).await.expect(201);
    assert_eq!((made["kind"].as_str(), made["created"].as_bool()), (Some("idea"), Some(true)));
    let idea = made["id"].as_i64().unwrap();
    assert_eq!(made["url"], format!("/ideas/{idea}"));
    let again = admin.post(&url, gap.clone()).await.expect(200);
    assert_eq!((again["id"].as_i64(), again["created"].as_bool()), (Some(idea), Some(false)));
    let shown = admin.get(&format!("/api/v1/ideas/{idea}")).await.expect(200);
    let title = shown["title"].as_str().unwrap();
    assert!(
        title.contains("Counter") && title.contains("CSAT") && title.contains("60") && title.contains("80"),
        "{title}"
    );
    assert_eq!((shown["touchpoint_id"].as_i64(), shown["experience_id"].as_i64()), (Some(counter), Some(exp)));
    let ideas = admin.get(&format!("/api/v1/ideas?touchpoint_id={counter}")).await.expect(200);
    assert_eq!(ideas.as_array().unwrap().len(), 1, "{ideas}");

    // The sprint, once, led by the touchpoint's owner.
    let sprint_url = format!("/api/v1/experiences/{exp}/gaps/sprint");
    let made = admin.post(&sprint_url, json!({"touchpoint_id": counter, "metric": "csat"})).await.expect(201);
    let sprint = made["id"].as_i64().unwrap();
    let again = admin.post(&sprint_url, json!({"touchpoint_id": counter, "metric": "csat"})).await.expect(200);
    assert_eq!(again["id"].as_i64(), Some(sprint));
    let s = admin.get(&format!("/api/v1/sprints/{sprint}")).await.expect(200);
    assert_eq!((s["leader_id"].as_i64(), s["touchpoint_id"].as_i64()), (Some(lead), Some(counter)), "{s}");
    // From today, or the first workday after it.
    let start: chrono::NaiveDate = s["start"].as_str().unwrap().parse().unwrap();
    let today = Utc::now().date_naive();
    assert!(start >= today && start <= today + Duration::days(7), "{s}");
    let r = viewer.get(&format!("/api/v1/experiences/{exp}/gaps")).await.expect(200);
    assert_eq!((r["ranked"][0]["idea_id"].as_i64(), r["ranked"][0]["sprint_id"].as_i64()), (Some(idea), Some(sprint)));

    // Another organization's experience is not found, to read or to act on.
    let other = app.org("gaps-other").await;
    let outsider = app.client(other.id, Role::Admin).await;
    outsider.get(&format!("/api/v1/experiences/{exp}/gaps")).await.expect_error(404, "not_found", None);
    outsider.post(&url, gap.clone()).await.expect(404);
    outsider.post(&sprint_url, gap).await.expect(404);
    admin.get("/api/v1/experiences/999999/gaps").await.expect(404);
}
