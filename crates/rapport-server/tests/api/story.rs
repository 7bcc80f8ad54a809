//! The program story of issue 2, through HTTP only once the organization and
//! its token exist: people, segments, customers, a journey, experiences;
//! full coverage; someone leaves and coverage drops with exactly their
//! items as gaps; a handover brings it back to 100. Then interaction history,
//! intent versions, the mission and the one-page plan.

use crate::helpers::{id, Client, TestApp};
use rapport_core::role::Role;
use rapport_core::Id;
use serde_json::{json, Value};
use std::collections::BTreeSet;

async fn person(c: &Client, name: &str, department: &str) -> Id {
    let email = format!("{}@example.com", name.to_lowercase());
    id(&c.post("/api/v1/people", json!({"name": name, "email": email, "department": department})).await.expect(201))
}

async fn touchpoint(c: &Client, name: &str, stage: Id, owner: Id, importance: Value) -> Id {
    let body = json!({"name": name, "stage_id": stage, "owner_id": owner, "channel": "web", "importance": importance});
    id(&c.post("/api/v1/touchpoints", body).await.expect(201))
}

async fn coverage(c: &Client) -> Value {
    c.get("/api/v1/coverage").await.expect(200)
}

pub async fn program_story(app: TestApp) {
    let org = app.org("acme").await;
    let c = app.client(org.id, Role::Admin).await;
    assert_eq!(c.get("/api/v1/org").await.expect(200)["slug"], "acme");

    // People.
    let ana = person(&c, "Ana", "CX").await;
    let ben = person(&c, "Ben", "Sales").await;
    let cy = person(&c, "Cy", "Support").await;
    let dee = person(&c, "Dee", "Sales").await;
    assert_eq!(c.get("/api/v1/people").await.expect(200).as_array().unwrap().len(), 4);

    // Segments, and customers to preview them on.
    let rule = json!({"combine": "all", "conditions": [{"op": "equals", "attribute": "plan", "value": "pro"}]});
    let pro = id(&c.post("/api/v1/segments", json!({"name": "Pro", "rule": rule})).await.expect(201));
    let north =
        json!({"name": "Long-standing", "rule": {"conditions": [{"op": "range", "attribute": "tenure", "min": 12}]}});
    let loyal = id(&c.post("/api/v1/segments", north).await.expect(201));
    for (n, plan, tenure) in [(1, "pro", 3), (2, "pro", 20), (3, "free", 30)] {
        let body = json!({"external_id": format!("c{n}"), "attributes": {"plan": plan, "tenure": tenure}});
        c.post("/api/v1/customers", body).await.expect(201);
    }
    // Upserting by external id updates rather than duplicates.
    let c3 = json!({"external_id": "c3", "name": "Third", "attributes": {"plan": "free", "tenure": 31}});
    c.post("/api/v1/customers", c3).await.expect(201);
    assert_eq!(c.get("/api/v1/customers/c3").await.expect(200)["attributes"]["tenure"], 31);
    assert_eq!(c.get("/api/v1/customers").await.expect(200).as_array().unwrap().len(), 3);
    assert_eq!(c.get(&format!("/api/v1/segments/{pro}/preview")).await.expect(200), json!({"matching": 2, "total": 3}));
    assert_eq!(
        c.get(&format!("/api/v1/segments/{loyal}/preview")).await.expect(200),
        json!({"matching": 2, "total": 3})
    );
    let any = json!({"rule": {"combine": "any", "conditions": [
        {"op": "one_of", "attribute": "plan", "values": ["free"]}, {"op": "range", "attribute": "tenure", "max": 5}]}});
    assert_eq!(c.post("/api/v1/segments/preview", any).await.expect(200), json!({"matching": 2, "total": 3}));

    // The journey.
    let discover = id(&c.post("/api/v1/stages", json!({"name": "Discover"})).await.expect(201));
    let buy = id(&c.post("/api/v1/stages", json!({"name": "Buy"})).await.expect(201));
    let support_stage = id(&c.post("/api/v1/stages", json!({"name": "Get help"})).await.expect(201));
    let website = touchpoint(&c, "Website", discover, ben, json!([{"segment_id": pro, "importance": 5}])).await;
    let checkout = touchpoint(&c, "Checkout", buy, ben, json!([])).await;
    let help = touchpoint(&c, "Help desk", support_stage, cy, json!([{"segment_id": loyal, "importance": 2}])).await;
    let tps = c.get("/api/v1/touchpoints").await.expect(200);
    let names: Vec<&str> = tps.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Website", "Checkout", "Help desk"], "designed-path order");
    assert_eq!(c.get(&format!("/api/v1/touchpoints/{website}")).await.expect(200)["importance"][0]["importance"], 5);

    // Experiences with their key interactions.
    let first = json!({"name": "First purchase", "customer_definition": "People buying for the first time",
        "segment_ids": [pro, loyal], "goal_metric": "repeat_purchase_rate", "goal_target": 40, "goal_period": "quarter", "leader_id": ben});
    let first = id(&c.post("/api/v1/experiences", first).await.expect(201));
    let renewal = json!({"name": "Renewal", "goal_metric": "churn_rate", "goal_target": 5, "leader_id": cy});
    let renewal = id(&c.post("/api/v1/experiences", renewal).await.expect(201));
    for tp in [website, checkout, help] {
        c.post(&format!("/api/v1/experiences/{first}/interactions"), json!({"touchpoint_id": tp})).await.expect(201);
    }
    let exp = c
        .post(&format!("/api/v1/experiences/{renewal}/interactions"), json!({"touchpoint_id": help}))
        .await
        .expect(201);
    assert_eq!(exp["interactions"][0]["position"], 1);
    // Adding the same one twice is a conflict.
    c.post(&format!("/api/v1/experiences/{renewal}/interactions"), json!({"touchpoint_id": help})).await.expect_error(
        409,
        "conflict",
        Some("touchpoint_id"),
    );

    // Full coverage.
    let cov = coverage(&c).await;
    assert_eq!(cov["percent"], 100.0, "{cov}");
    assert_eq!(cov["gaps"], json!([]));

    // Ben leaves: the experience he leads and the two touchpoints he owns are gaps.
    let left = c.post(&format!("/api/v1/people/{ben}/deactivate"), json!({"on": "2026-03-01"})).await.expect(200);
    assert_eq!(left["left_on"], "2026-03-01");
    let cov = coverage(&c).await;
    assert_eq!(cov["percent"], 40.0, "2 of 5 covered: {cov}");
    assert_eq!(cov["experiences"], json!({"covered": 1, "total": 2, "percent": 50.0}));
    assert_eq!(cov["touchpoints"], json!({"covered": 1, "total": 3, "percent": 33.3}));
    let gaps: BTreeSet<(String, Id)> = cov["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            assert_eq!(g["reason"], "person_left", "{g}");
            assert_eq!(g["person_id"], ben, "{g}");
            assert_eq!(g["person_name"], "Ben", "{g}");
            (g["kind"].as_str().unwrap().to_string(), g["id"].as_i64().unwrap())
        })
        .collect();
    let expected: BTreeSet<(String, Id)> =
        [("experience".to_string(), first), ("touchpoint".into(), website), ("touchpoint".into(), checkout)].into();
    assert_eq!(gaps, expected);

    // Someone who has left cannot take over, and Ben cannot be deleted while he still owns things.
    c.post(&format!("/api/v1/people/{ana}/handover"), json!({"to": ben})).await.expect_error(
        422,
        "invalid",
        Some("to"),
    );
    c.delete(&format!("/api/v1/people/{ben}")).await.expect_error(409, "conflict", None);

    // One-step handover to Dee.
    let moved = c.post(&format!("/api/v1/people/{ben}/handover"), json!({"to": dee})).await.expect(200);
    assert_eq!(moved, json!({"experiences": 1, "touchpoints": 2}));
    let cov = coverage(&c).await;
    assert_eq!(cov["percent"], 100.0, "{cov}");
    assert_eq!(cov["gaps"], json!([]));
    assert_eq!(c.get(&format!("/api/v1/experiences/{first}")).await.expect(200)["leader_id"], dee);
    c.delete(&format!("/api/v1/people/{ben}")).await.expect(204);

    // Interactions: removing one keeps it in the history.
    c.delete(&format!("/api/v1/experiences/{first}/interactions/{help}")).await.expect(204);
    c.delete(&format!("/api/v1/experiences/{first}/interactions/{help}")).await.expect_error(404, "not_found", None);
    let exp = c.get(&format!("/api/v1/experiences/{first}")).await.expect(200);
    let current: Vec<Id> =
        exp["interactions"].as_array().unwrap().iter().map(|i| i["touchpoint_id"].as_i64().unwrap()).collect();
    assert_eq!(current, [website, checkout]);
    let history = c.get(&format!("/api/v1/experiences/{first}/interactions/history")).await.expect(200);
    let history = history.as_array().unwrap();
    assert_eq!(history.len(), 3, "{history:?}");
    for h in history {
        let removed = h["touchpoint_id"] == help;
        assert_eq!(h["removed_at"].is_string(), removed, "{h}");
    }

    // The mission; a blank one clears it.
    let m = c.put("/api/v1/mission", json!({"mission": "  Make buying simple. "})).await.expect(200);
    assert_eq!(m, json!({"mission": "Make buying simple."}));
    assert_eq!(c.get("/api/v1/mission").await.expect(200), m);
    assert_eq!(c.put("/api/v1/mission", json!({"mission": " "})).await.expect(200), json!({"mission": null}));
    c.put("/api/v1/mission", json!({"mission": "Make buying simple."})).await.expect(200);

    // Intent versions count up; the current one is the newest.
    c.get("/api/v1/intent").await.expect_error(404, "not_found", None);
    let v1 = json!({"statement": "Customers feel known.", "criteria": [
        {"metric": "nps", "comparator": "at_least", "threshold": 20}]});
    assert_eq!(c.post("/api/v1/intent/versions", v1).await.expect(201)["version"], 1);
    let v2 = json!({"statement": "Customers feel known and helped.", "criteria": [
        {"metric": "nps", "scope": {"kind": "organization"}, "comparator": "at_least", "threshold": 30, "margin": 5},
        {"metric": "repeat_purchase_rate", "scope": {"kind": "experience", "id": first}, "comparator": "at_least", "threshold": 40},
        {"metric": "csat", "scope": {"kind": "touchpoint", "id": checkout}, "comparator": "at_least", "threshold": 85},
        {"metric": "ces", "scope": {"kind": "touchpoint", "id": help}, "comparator": "at_most", "threshold": 3},
        {"metric": "churn_rate", "scope": {"kind": "experience", "id": renewal}, "comparator": "at_most", "threshold": 5}]});
    let v2 = c.post("/api/v1/intent/versions", v2).await.expect(201);
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["created_by"], "token:test-admin");
    assert_eq!(c.get("/api/v1/intent").await.expect(200), v2);
    let versions = c.get("/api/v1/intent/versions").await.expect(200);
    let numbers: Vec<i64> = versions.as_array().unwrap().iter().map(|v| v["version"].as_i64().unwrap()).collect();
    assert_eq!(numbers, [2, 1]);

    // The one-page plan.
    let plan = c.get(&format!("/api/v1/experiences/{first}/plan")).await.expect(200);
    assert_eq!(plan["experience"]["name"], "First purchase");
    assert_eq!(plan["experience"]["customer_definition"], "People buying for the first time");
    assert_eq!(plan["goal"], json!({"metric": "repeat_purchase_rate", "target": 40.0, "period": "quarter"}));
    assert_eq!(plan["leader"]["name"], "Dee");
    let segs: BTreeSet<&str> =
        plan["segments"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(segs, ["Long-standing", "Pro"].into());
    let steps: Vec<(i64, &str, &str, &str)> = plan["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["position"].as_i64().unwrap(),
                i["touchpoint"]["name"].as_str().unwrap(),
                i["stage"]["name"].as_str().unwrap(),
                i["owner"]["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(steps, [(1, "Website", "Discover", "Dee"), (2, "Checkout", "Buy", "Dee")]);
    assert_eq!(plan["intent"]["version"], 2);
    assert_eq!(plan["intent"]["statement"], "Customers feel known and helped.");
    let metrics: Vec<&str> =
        plan["intent"]["criteria"].as_array().unwrap().iter().map(|c| c["metric"].as_str().unwrap()).collect();
    assert_eq!(
        metrics,
        ["nps", "repeat_purchase_rate", "csat"],
        "organization, this experience, its current touchpoints"
    );

    // Updates and deletes.
    let renamed = c
        .put(&format!("/api/v1/stages/{support_stage}"), json!({"name": "Get support", "position": 1}))
        .await
        .expect(200);
    assert_eq!(renamed["position"], 1);
    c.delete(&format!("/api/v1/stages/{support_stage}")).await.expect_error(409, "conflict", None);
    let upd = json!({"name": "Help centre", "stage_id": support_stage, "owner_id": cy, "importance": []});
    assert_eq!(c.put(&format!("/api/v1/touchpoints/{help}"), upd).await.expect(200)["name"], "Help centre");
    c.delete(&format!("/api/v1/touchpoints/{help}")).await.expect(204);
    c.delete(&format!("/api/v1/stages/{support_stage}")).await.expect(204);
    let seg = json!({"name": "Pro plan", "rule": rule});
    assert_eq!(c.put(&format!("/api/v1/segments/{pro}"), seg).await.expect(200)["name"], "Pro plan");
    c.delete(&format!("/api/v1/segments/{loyal}")).await.expect(204);
    assert_eq!(c.get(&format!("/api/v1/segments/{loyal}")).await.status, 404);
    assert_eq!(c.get(&format!("/api/v1/experiences/{first}")).await.expect(200)["segment_ids"], json!([pro]));
    let upd = json!({"name": "Renewal", "goal_metric": "churn_rate", "goal_target": 4, "leader_id": ana});
    assert_eq!(c.put(&format!("/api/v1/experiences/{renewal}"), upd).await.expect(200)["leader_id"], ana);
    c.delete(&format!("/api/v1/experiences/{renewal}")).await.expect(204);
    assert_eq!(c.get("/api/v1/experiences").await.expect(200).as_array().unwrap().len(), 1);

    // The audit trail has the handover, the mission, the intent versions and the deletes.
    let audit = app.store.list_audit(org.id, 100).await.unwrap();
    let actions: BTreeSet<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    for action in [
        "person.deactivate",
        "person.handover",
        "person.delete",
        "mission.update",
        "intent.version",
        "experience.interaction.remove",
        "touchpoint.delete",
        "stage.delete",
        "segment.delete",
        "experience.delete",
    ] {
        assert!(actions.contains(action), "{action} not audited: {actions:?}");
    }
    assert!(audit.iter().all(|a| a.actor == "token:test-admin"));
}
