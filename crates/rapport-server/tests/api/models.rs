//! The models over HTTP (C5, C7, C8): a year of purchases, cancellations
//! and survey answers in; a refit asked for and run in the background;
//! scores, the at-risk list, key drivers and ROCE out; refusals that store
//! nothing; erasure that takes a customer's scores with it.

use crate::helpers::{id, nps_question, seed, Client, TestApp};
use chrono::{Duration, Utc};
use rapport_core::role::Role;
use serde_json::{json, Value};

/// A deterministic stream of numbers in [0, 1).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn at(days_ago: f64) -> String {
    (Utc::now() - Duration::minutes((days_ago * 1440.0) as i64)).to_rfc3339()
}

/// `customers` customers over the last year, drawn as BG/NBD assumes
/// (Fader, Hardie & Lee 2005): each buys at a rate λ ~ Gamma(1, 5 weeks)
/// until, after some purchase, they drop out with probability p ~ Beta(1,
/// 3); each has a typical basket; a third of those who drop out cancel,
/// with a reason; and each answers the survey with an NPS that follows
/// their delivery rating four times more than their coffee rating.
async fn a_year(c: &Client, survey: i64, tp: i64, prefix: &str, customers: usize) {
    let mut rng = Lcg(7);
    let (mut events, mut responses) = (Vec::new(), Vec::new());
    for i in 0..customers {
        let cust = format!("{prefix}-{i:03}");
        let rate_per_day = -(1.0 - rng.next()).ln() / 5.0 / 7.0;
        let p_drop = 1.0 - (1.0 - rng.next()).powf(1.0 / 3.0);
        let basket = 15.0 + 60.0 * rng.next();
        // The first purchase some time in the year, then exponential gaps.
        let mut t = 365.0 * rng.next();
        let mut dropped_at = None;
        while t > 0.0 {
            let amount = (basket * (0.6 + 0.8 * rng.next()) * 100.0).round() / 100.0;
            events.push(json!({"type": "purchase", "customer": cust, "at": at(t), "amount": amount}));
            if rng.next() < p_drop {
                dropped_at = Some(t);
                break;
            }
            t -= -(1.0 - rng.next()).ln() / rate_per_day.max(1e-4);
        }
        if let Some(d) = dropped_at.filter(|_| i % 3 == 0) {
            let reason = if i % 2 == 0 { "Too expensive" } else { "Late delivery, twice" };
            events.push(json!({"type": "cancellation", "customer": cust, "at": at((d - 3.0).max(0.5)), "attributes": {"reason": reason}}));
        }
        if i % 10 == 1 {
            events.push(json!({"type": "refund", "customer": cust, "at": at(30.0), "amount": 15.0}));
        }
        let delivery = 1 + (rng.next() * 5.0) as i64 % 5;
        let coffee = 1 + (rng.next() * 5.0) as i64 % 5;
        let nps = ((delivery as f64 * 1.6 + coffee as f64 * 0.4 + 2.0 * rng.next()) as i64).clamp(0, 10);
        responses
            .push(json!({"survey": survey, "touchpoint": tp, "customer": cust, "at": at(20.0 + 100.0 * rng.next()),
            "answers": {"nps": nps, "delivery": delivery, "coffee": coffee}}));
    }
    let lines = |v: Vec<Value>| v.iter().map(Value::to_string).collect::<Vec<_>>().join("\n");
    c.ndjson("/api/v1/events", lines(events)).await.expect(200);
    c.ndjson("/api/v1/responses", lines(responses)).await.expect(200);
}

/// Asks for a refit and waits until it has finished.
async fn refit(c: &Client) -> Value {
    let asked = c.post("/api/v1/models/refits", json!({})).await.expect(202);
    let run = id(&asked);
    for _ in 0..600 {
        let runs = c.get("/api/v1/models/refits").await.expect(200);
        let mine = runs.as_array().unwrap().iter().find(|r| id(r) == run).cloned().unwrap();
        if matches!(mine["status"].as_str(), Some("done" | "failed")) {
            return mine;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    panic!("the refit did not finish in two minutes");
}

pub async fn refit_scores_drivers_and_roce(app: TestApp) {
    let org = app.org("models").await;
    let c = app.client(org.id, Role::Admin).await;
    let p = seed(&c, "md").await;
    let (tp, exp) = (p.first("touchpoint"), p.first("experience"));
    let rating = |key: &str| json!({"key": key, "type": "rating", "scale_max": 5, "text": {"en": key, "es": key}});
    let survey = json!({"touchpoint_id": tp, "title": {"en": "After delivery", "es": "Tras la entrega"},
        "questions": [nps_question(), rating("delivery"), rating("coffee")], "fatigue_days": 0});
    let survey = id(&c.post("/api/v1/surveys", survey).await.expect(201));
    c.post(&format!("/api/v1/surveys/{survey}/publish"), json!({})).await.expect(200);
    a_year(&c, survey, tp, "m", 300).await;
    // A perfect behaviour of the experience: its key drivers come with the fit.
    let behaviour = json!({"name": "Buys twice within a year", "owner_id": p.first("person"), "target": 40,
        "event_type": "purchase", "count": 2, "window_days": 365});
    let behaviour = id(&c.post(&format!("/api/v1/experiences/{exp}/behaviours"), behaviour).await.expect(201));

    let run = refit(&c).await;
    assert_eq!(run["status"], "done", "{run}");
    let s = &run["summary"];
    assert!(s["customers"].as_u64().unwrap() >= 300, "{s}");
    for k in ["r", "alpha", "a", "b"] {
        assert!(s["bgnbd"][k].as_f64().is_some_and(|v| v > 0.0), "{s}");
    }
    assert!(s["churn"].is_object(), "{s}");
    let auc = s["backtest"]["auc"].as_f64().unwrap_or_else(|| panic!("a back-test on the last 90 days: {s}"));
    // Its quality is checked on CDNOW (rapport-core's tests/churn_cdnow.rs);
    // here, that it ran on the organization's own last 90 days.
    assert!((0.0..=1.0).contains(&auc) && s["backtest"]["customers"].as_u64().unwrap() > 100, "{s}");

    // The at-risk list, highest value at risk first, a page at a time.
    let first = c.get("/api/v1/models/at-risk?limit=20").await;
    let next = first.next.clone();
    let page = first.expect(200);
    let values: Vec<f64> = page.as_array().unwrap().iter().map(|r| r["value_at_risk"].as_f64().unwrap()).collect();
    assert_eq!(values.len(), 20);
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
    let more = c.get(&next.expect("another page")).await.expect(200);
    assert!(more[0]["value_at_risk"].as_f64().unwrap() <= values[19]);
    let top = page[0]["external_id"].as_str().unwrap().to_string();
    let risk = c.get(&format!("/api/v1/customers/{top}/risk")).await.expect(200)["score"].clone();
    assert!(risk["churn_risk"].as_f64().unwrap() > 0.0, "{risk}");
    assert!(
        risk["lifetime_value"].as_f64().is_some_and(|v| v > 0.0),
        "{risk} {} {} {}",
        s["spend_error"],
        s["bgnbd"],
        s["gamma_gamma"]
    );
    assert!(!risk["reasons"].as_array().unwrap().is_empty(), "{risk}");

    // Key drivers: delivery weighs four times coffee in the NPS.
    let drivers = c.get(&format!("/api/v1/experiences/{exp}/drivers?limit=500")).await.expect(200);
    let mine = drivers
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["survey_id"] == survey && d["segment_id"].is_null())
        .unwrap_or_else(|| panic!("{drivers}"));
    let report = &mine["analysis"]["report"];
    assert!(report.is_object(), "{mine}");
    let share = |k: &str| {
        report["drivers"].as_array().unwrap().iter().find(|d| d["name"] == k).unwrap()["lmg"]["share"].as_f64().unwrap()
    };
    assert!(share("delivery") > share("coffee"), "{report}");
    assert!(report["r2"].as_f64().unwrap() > 0.3, "{report}");

    // ROCE: the year's facts times the inputs; a bad input names its field.
    let roce = c.get("/api/v1/roce").await.expect(200);
    assert_eq!(roce["inputs_set"], false);
    assert!(roce["report"]["facts"]["cancellations"].as_u64().unwrap() >= 20, "{roce}");
    assert!(roce["report"]["price_share"].as_f64().unwrap() > 0.0, "{roce}");
    // Value at risk by the experience and touchpoint customers met.
    let by =
        |k: &str| roce["report"][k].as_array().unwrap().iter().map(|g| g["id"].as_i64().unwrap()).collect::<Vec<_>>();
    // (The seeded program also bought at its second touchpoint this year.)
    assert_eq!((by("experiences"), by("touchpoints")), (vec![exp], p.ids["touchpoint"].clone()), "{roce}");
    // Key drivers of a behaviour: the touchpoints against buying again.
    let repeat = drivers.as_array().unwrap().iter().filter(|d| d["outcome"] == "repeat_purchase").count();
    assert!(repeat >= 1, "{drivers}");
    // And against the perfect behaviour, named by its id.
    let of_behaviour: Vec<&Value> = drivers
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["outcome"] == "perfect_behaviour" && d["behaviour_id"] == behaviour)
        .collect();
    assert!(!of_behaviour.is_empty(), "{drivers}");
    let analysis = &of_behaviour[0]["analysis"];
    assert!(analysis["report"]["drivers"].as_array().is_some_and(|d| !d.is_empty()), "{analysis}");
    assert!(analysis["outcome"]["en"].as_str().unwrap().starts_with("Buys twice within a year"), "{analysis}");
    c.put("/api/v1/roce/inputs", json!({"margin_rate": 2, "acquisition_cost": 1, "retention_cost": 1, "cost_per_case": 1, "cost_per_contact": 1}))
        .await
        .expect_error(422, "invalid", Some("margin_rate"));
    c.put("/api/v1/roce/inputs", json!({"margin_rate": 0.4, "acquisition_cost": "x", "retention_cost": 1, "cost_per_case": 1, "cost_per_contact": 1}))
        .await
        .expect_error(422, "invalid", Some("acquisition_cost"));
    c.put("/api/v1/roce/inputs", json!({"margin_rate": 0.4, "acquisition_cost": 100, "retention_cost": 20, "cost_per_case": 10, "cost_per_contact": 2}))
        .await
        .expect(200);
    let roce = c.get("/api/v1/roce").await.expect(200);
    assert_eq!(
        (roce["inputs_set"].as_bool(), roce["report"]["acquisition_to_retention"].as_f64()),
        (Some(true), Some(5.0))
    );

    // Erasing a customer erases their scores.
    c.delete(&format!("/api/v1/customers/{top}")).await.expect(204);
    c.get(&format!("/api/v1/customers/{top}/risk")).await.expect_error(404, "not_found", None);
    assert_eq!(
        c.get("/api/v1/models/at-risk?limit=500")
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["external_id"] == top.as_str())
            .count(),
        0
    );

    // A viewer reads but cannot ask for a refit or set the inputs.
    let viewer = app.client(org.id, Role::Viewer).await;
    viewer.get("/api/v1/models/at-risk").await.expect(200);
    viewer.post("/api/v1/models/refits", json!({})).await.expect_error(403, "forbidden", None);
}

pub async fn too_little_data_is_refused_and_stores_nothing(app: TestApp) {
    let org = app.org("thin").await;
    let c = app.client(org.id, Role::Admin).await;
    let lines: Vec<String> = (0..5)
        .map(|i| {
            json!({"type": "purchase", "customer": format!("t-{i}"), "at": at(10.0 + i as f64), "amount": 10})
                .to_string()
        })
        .collect();
    c.ndjson("/api/v1/events", lines.join("\n")).await.expect(200);
    let run = refit(&c).await;
    assert_eq!(run["status"], "failed", "{run}");
    let why = run["error"].as_str().unwrap();
    assert!(why.contains("customers"), "a readable reason: {why}");
    assert_eq!(c.get("/api/v1/models/at-risk").await.expect(200), json!([]));
    assert_eq!(c.get("/api/v1/customers/t-1/risk").await.expect(200)["score"], Value::Null);
}
