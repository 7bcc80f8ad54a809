//! The case queue through the API, on both backends: filters combined and
//! paged by `next` against an independent filter of the whole list, bad
//! filters, limits and cursors as 422 naming the field, bulk changes all
//! or nothing (a viewer's 403), triage, the default queue owner taking a
//! refund that has no touchpoint, and the closed-loop figures.

use crate::helpers::{id, Client, TestApp};
use chrono::{Duration, Utc};
use rapport_core::case::CaseInput;
use rapport_core::customer::CustomerUpsert;
use rapport_core::role::Role;
use serde_json::{json, Map, Value};

/// Every page of `path` (which has a `?`), following `next`.
async fn all_pages(c: &Client, path: &str) -> Vec<i64> {
    let mut out = Vec::new();
    let mut next = Some(path.to_string());
    while let Some(p) = next {
        let r = c.get(&p).await;
        next = r.next.clone();
        out.extend(r.expect(200).as_array().unwrap().iter().map(|c| c["id"].as_i64().unwrap()));
    }
    out
}

fn ids_where(all: &[Value], pred: impl Fn(&Value) -> bool) -> Vec<i64> {
    all.iter().filter(|c| pred(c)).map(|c| c["id"].as_i64().unwrap()).collect()
}

pub async fn case_queue_api(app: TestApp) {
    let org = app.org("queue-api").await;
    let other = app.org("queue-api-other").await;
    let admin = app.client(org.id, Role::Admin).await;
    let agent = app.client(org.id, Role::Agent).await;
    let viewer = app.client(org.id, Role::Viewer).await;
    let stranger = app.client(other.id, Role::Admin).await;
    let person = |name: &str| json!({"name": name, "email": format!("{}@example.com", name.to_lowercase())});
    let tom = id(&admin.post("/api/v1/people", person("Tom")).await.expect(201));
    let emily = id(&admin.post("/api/v1/people", person("Emily")).await.expect(201));
    let zoe = id(&admin.post("/api/v1/people", person("Zoe")).await.expect(201));
    let stage = id(&admin.post("/api/v1/stages", json!({"name": "Buy"})).await.expect(201));
    let tp = json!({"name": "Checkout", "stage_id": stage, "owner_id": tom});
    let tp = id(&admin.post("/api/v1/touchpoints", tp).await.expect(201));
    let now = Utc::now();
    let titles = ["Late parcel", "Refund request", "Broken grinder"];
    let mut cases = Vec::new();
    for i in 0..9usize {
        let ext = format!("cu-{i}");
        let c = CustomerUpsert { external_id: ext.clone(), email: None, name: None, attributes: Map::new() };
        app.store.upsert_customer(org.id, &c).await.unwrap();
        let input = CaseInput {
            customer: ext,
            touchpoint_id: [Some(tp), None][i % 2],
            title: titles[i % 3].into(),
            assignee_id: [None, Some(emily), None][i % 3],
            note: None,
        };
        let at = if i % 4 == 0 { now - Duration::days(20) } else { now };
        cases.push(app.store.open_case(org.id, &input, "user:1", at).await.unwrap().id);
    }
    // Triage through the API: priority and tags; a viewer may not.
    for (i, case) in cases.iter().enumerate() {
        let priority = ["low", "normal", "high", "urgent"][i % 4];
        let tags = if i % 2 == 0 { json!(["VIP", "late delivery"]) } else { json!([]) };
        let body = json!({"priority": priority, "tags": tags});
        agent.put(&format!("/api/v1/cases/{case}/triage"), body).await.expect(200);
    }
    let got = agent.get(&format!("/api/v1/cases/{}", cases[0])).await.expect(200);
    assert_eq!((got["priority"].as_str(), got["tags"].clone()), (Some("low"), json!(["vip", "late-delivery"])));
    viewer.put(&format!("/api/v1/cases/{}/triage", cases[0]), json!({"priority": "high"})).await.expect_error(
        403,
        "forbidden",
        None,
    );
    agent.put(&format!("/api/v1/cases/{}/triage", cases[0]), json!({"priority": "asap"})).await.expect_error(
        422,
        "invalid",
        Some("priority"),
    );
    let many: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
    agent.put(&format!("/api/v1/cases/{}/triage", cases[0]), json!({"tags": many})).await.expect_error(
        422,
        "invalid",
        Some("tags"),
    );
    stranger.put(&format!("/api/v1/cases/{}/triage", cases[0]), json!({"priority": "high"})).await.expect_error(
        404,
        "not_found",
        None,
    );

    // Filters, combined, paged 2 at a time, against the whole list filtered here.
    let all = agent.get("/api/v1/cases?limit=500").await.expect(200);
    let all = all.as_array().unwrap().clone();
    assert_eq!(all.len(), 9);
    let breached = |c: &Value| {
        let due = if c["first_responded_at"].is_null() { &c["first_response_due"] } else { &c["resolution_due"] };
        c["status"] == "open" && due.as_str().unwrap().parse::<chrono::DateTime<Utc>>().unwrap() < Utc::now()
    };
    let tagged = |c: &Value, t: &str| c["tags"].as_array().unwrap().iter().any(|x| x == t);
    let checks: Vec<(String, Vec<i64>)> = vec![
        ("priority=high".into(), ids_where(&all, |c| c["priority"] == "high")),
        (format!("touchpoint={tp}"), ids_where(&all, |c| c["touchpoint_id"] == tp)),
        (format!("assignee={emily}"), ids_where(&all, |c| c["assignee_id"] == emily)),
        ("assignee=unassigned".into(), ids_where(&all, |c| c["assignee_id"].is_null())),
        ("tag=VIP".into(), ids_where(&all, |c| tagged(c, "vip"))),
        ("breached=true".into(), ids_where(&all, breached)),
        ("q=late".into(), ids_where(&all, |c| c["title"] == "Late parcel")),
        ("q=cu-3".into(), ids_where(&all, |c| c["customer"] == "cu-3")),
        (
            format!("status=open&tag=vip&breached=true&touchpoint={tp}"),
            ids_where(&all, |c| tagged(c, "vip") && breached(c) && c["touchpoint_id"] == tp),
        ),
        (
            "assignee=unassigned&q=grinder&priority=urgent".into(),
            ids_where(&all, |c| {
                c["assignee_id"].is_null() && c["title"] == "Broken grinder" && c["priority"] == "urgent"
            }),
        ),
    ];
    for (query, want) in &checks {
        assert_eq!(&all_pages(&agent, &format!("/api/v1/cases?limit=2&{query}")).await, want, "{query}");
    }
    assert!(checks.iter().filter(|(_, w)| !w.is_empty()).count() >= 9, "{checks:?}");

    // Bad filters, limits and cursors name the field.
    for (query, field) in [
        ("priority=asap", "priority"),
        ("tag=!!", "tag"),
        ("breached=maybe", "breached"),
        ("touchpoint=x", "touchpoint"),
        ("assignee=someone", "assignee"),
        ("status=pending", "status"),
        ("q=%21%21", "q"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("after=not-a-cursor", "after"),
    ] {
        let r = agent.get(&format!("/api/v1/cases?{query}")).await;
        assert_eq!(r.status, 422, "{query}: {}", r.text);
        assert!(r.json["error"]["fields"][field].is_object(), "{query}: {}", r.text);
    }
    let long = "a".repeat(201);
    agent.get(&format!("/api/v1/cases?q={long}")).await.expect_error(422, "invalid", Some("q"));

    // Bulk: a viewer may not; an unknown (or another organization's) id changes nothing.
    let pick = vec![cases[0], cases[2], cases[4]];
    let body = json!({"ids": pick, "assignee_id": zoe, "priority": "urgent", "add_tags": ["bulk"]});
    viewer.post("/api/v1/cases/bulk", body.clone()).await.expect_error(403, "forbidden", None);
    let mut bad = body.clone();
    bad["ids"] = json!([cases[0], cases[2], 999_999]);
    agent.post("/api/v1/cases/bulk", bad).await.expect_error(422, "invalid", Some("ids"));
    stranger.post("/api/v1/cases/bulk", body.clone()).await.expect_error(422, "invalid", Some("ids"));
    for case in &pick {
        let c = agent.get(&format!("/api/v1/cases/{case}")).await.expect(200);
        assert_ne!(c["assignee_id"], zoe, "nothing changed: {c}");
    }
    agent.post("/api/v1/cases/bulk", json!({"ids": []})).await.expect_error(422, "invalid", Some("ids"));
    let too_many: Vec<i64> = (1..=501).collect();
    agent.post("/api/v1/cases/bulk", json!({"ids": too_many, "priority": "low"})).await.expect_error(
        422,
        "invalid",
        Some("ids"),
    );
    agent.post("/api/v1/cases/bulk", json!({"ids": pick})).await.expect_error(422, "invalid", Some("assignee_id"));
    let mut unknown_person = body.clone();
    unknown_person["assignee_id"] = json!(999_999);
    agent.post("/api/v1/cases/bulk", unknown_person).await.expect_error(422, "invalid", Some("assignee_id"));
    let done = agent.post("/api/v1/cases/bulk", body).await.expect(200);
    assert_eq!(done["changed"], json!(pick));
    let zoes = all_pages(&agent, &format!("/api/v1/cases?assignee={zoe}&tag=bulk&priority=urgent")).await;
    assert_eq!(zoes.len(), 3);
    let line = agent.get(&format!("/api/v1/cases/{}", cases[0])).await.expect(200);
    assert_eq!(line["assignment_reason"], "manual");

    // The default queue owner takes a refund without a touchpoint.
    agent.put("/api/v1/case-routing/default-owner", json!({"person_id": zoe})).await.expect_error(
        403,
        "forbidden",
        None,
    );
    admin.put("/api/v1/case-routing/default-owner", json!({"person_id": 999_999})).await.expect_error(
        422,
        "invalid",
        Some("person_id"),
    );
    admin.put("/api/v1/case-routing/default-owner", json!({"person_id": zoe})).await.expect(200);
    assert_eq!(viewer.get("/api/v1/case-routing/default-owner").await.expect(200)["person_id"], zoe);
    assert!(stranger.get("/api/v1/case-routing/default-owner").await.expect(200)["person_id"].is_null());
    let rule =
        json!({"name": "Refunds", "kind": "event", "event_types": ["refund"], "priority": "high", "tags": ["money"]});
    admin.post("/api/v1/case-rules", rule).await.expect(201);
    admin
        .post(
            "/api/v1/events",
            json!({"id": "rf-1", "type": "refund", "customer": "cu-0", "at": Utc::now().to_rfc3339()}),
        )
        .await
        .expect(201);
    let opened = agent.get("/api/v1/cases?customer=cu-0&tag=money").await.expect(200);
    let opened = &opened.as_array().unwrap()[0];
    assert_eq!(
        (opened["assignee_id"].as_i64(), opened["assignment_reason"].as_str()),
        (Some(zoe), Some("default_owner"))
    );
    assert_eq!(opened["priority"], "high");

    // Closed-loop figures.
    let figures = viewer.get("/api/v1/cases/closed-loop").await.expect(200);
    assert_eq!(figures["overall"]["cases"], 10, "{figures}");
    assert!(figures["touchpoints"].is_array() && figures["agents"].is_array(), "{figures}");
    viewer.get("/api/v1/cases/closed-loop?from=yesterday").await.expect_error(422, "invalid", Some("from"));
    viewer.get("/api/v1/cases/closed-loop?from=2026-02-01&to=2026-01-01").await.expect_error(
        422,
        "invalid",
        Some("from"),
    );
    let empty = viewer.get("/api/v1/cases/closed-loop?from=2020-01-01&to=2020-01-31").await.expect(200);
    assert_eq!((empty["overall"]["cases"].as_i64(), empty["overall"]["closed_loop_rate"].is_null()), (Some(0), true));
}
