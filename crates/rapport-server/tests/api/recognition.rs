//! The API of recognition (E. People), on both backends: kudos given by a
//! signed-in person and a token, 422s naming the field, the feed and its
//! CSV, the monthly summary, who leads, and the performance flag: 403 for
//! an agent, an owner or a viewer, 200 for a leader, with its CSV.

use crate::helpers::TestApp;
use rapport_core::person::PersonInput;
use rapport_core::role::Role;
use serde_json::json;

async fn person(app: &TestApp, org: i64, name: &str, department: &str) -> i64 {
    let p = PersonInput {
        name: name.into(),
        email: format!("{}@example.com", name.to_lowercase().replace(' ', ".")),
        department: Some(department.into()),
        role: None,
        joined_on: chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
    };
    app.store.create_person(org, &p).await.unwrap().id
}

pub async fn recognition_api(app: TestApp) {
    let org = app.org("recognition").await.id;
    let other = app.org("recognition-other").await.id;
    let ana = person(&app, org, "Ana Ruiz", "Support").await;
    let lola = person(&app, org, "Lola Lead", "Stores").await;
    let otto = person(&app, other, "Otto Other", "Support").await;
    let leader = app.person_client(org, lola, Role::Leader).await;
    let agent = app.person_client(org, ana, Role::Agent).await;
    let viewer = app.client(org, Role::Viewer).await;
    let owner = app.client(org, Role::Owner).await;

    // Kudos from the leader to Ana, then from Ana to the Stores team.
    let k1 = leader.post("/api/v1/kudos", json!({"person_id": ana, "reason": "Stayed late for a customer"})).await;
    let k1 = k1.expect(201);
    assert_eq!((k1["person_id"].as_i64(), k1["giver_id"].as_i64()), (Some(ana), Some(lola)));
    assert_eq!(k1["department"], "Support");
    let k2 = agent.post("/api/v1/kudos", json!({"department": "Stores", "reason": "Quick restock"})).await.expect(201);
    assert_eq!(k2["person_id"], serde_json::Value::Null);

    // 422s naming the field; viewers may not give.
    let bad = [
        (json!({"reason": "x"}), "person_id"),
        (json!({"person_id": ana}), "reason"),
        (json!({"person_id": ana, "department": "Support", "reason": "x"}), "department"),
        (json!({"person_id": ana, "reason": "x".repeat(1001)}), "reason"),
        (json!({"person_id": ana, "reason": "x", "evidence_kind": "idea", "evidence_id": 1}), "evidence_kind"),
        (json!({"person_id": ana, "reason": "x", "evidence_kind": "case"}), "evidence_id"),
        (json!({"person_id": ana, "reason": "x", "evidence_kind": "case", "evidence_id": 999999}), "evidence_id"),
        (json!({"person_id": otto, "reason": "another organization's person"}), "person_id"),
        (json!({"person_id": ana, "reason": "to myself"}), "person_id"),
    ];
    for (body, field) in bad {
        let who = if field == "person_id" && body["reason"] == "to myself" { &agent } else { &leader };
        let r = who.post("/api/v1/kudos", body.clone()).await;
        assert_eq!(r.status, 422, "{body}: {}", r.text);
        assert!(r.text.contains(&format!("\"{field}\"")), "{body}: {}", r.text);
    }
    viewer.post("/api/v1/kudos", json!({"person_id": ana, "reason": "x"})).await.expect_error(403, "forbidden", None);

    // The feed: newest first, filtered, paged, as CSV.
    let feed = viewer.get("/api/v1/kudos").await.expect(200);
    let ids: Vec<i64> = feed.as_array().unwrap().iter().map(|k| k["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![k2["id"].as_i64().unwrap(), k1["id"].as_i64().unwrap()]);
    let anas = viewer.get(&format!("/api/v1/kudos?person_id={ana}")).await.expect(200);
    assert_eq!(anas.as_array().unwrap().len(), 1);
    let stores = viewer.get("/api/v1/kudos?department=Stores&limit=1").await.expect(200);
    assert_eq!(stores.as_array().unwrap().len(), 1);
    viewer.get("/api/v1/kudos?person_id=abc").await.expect_error(422, "invalid", Some("person_id"));
    let csv = viewer.get("/api/v1/kudos?format=csv").await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.text.lines().count(), 3, "{}", csv.text);
    assert!(csv.text.contains("Stayed late for a customer"));

    // The monthly summary and who leads.
    let summary = viewer.get("/api/v1/recognition/summary").await.expect(200);
    let rows: Vec<(String, i64, i64)> = summary["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["department"].as_str().unwrap().to_string(),
                r["received"].as_i64().unwrap(),
                r["given"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows, vec![("Stores".into(), 1, 1), ("Support".into(), 1, 1)]);
    assert_eq!(viewer.get("/api/v1/recognition/summary?format=csv").await.status, 200);
    let leaders = viewer.get("/api/v1/recognition/leaders").await.expect(200);
    assert_eq!(leaders["items"][0]["person_id"].as_i64(), Some(ana));
    assert_eq!(leaders["items"][0]["kudos_received"], 1);
    let trend = viewer.get("/api/v1/recognition/leaders/trend").await.expect(200);
    let received: Vec<(&str, i64)> = trend["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["department"].as_str().unwrap(), t["kudos_received"].as_i64().unwrap()))
        .collect();
    assert_eq!(received, vec![("Stores", 1), ("Support", 1)], "{trend}");
    assert_eq!(viewer.get("/api/v1/kudos/suggestions").await.expect(200), json!({"items": []}));

    // The flag: leaders and admins only.
    for c in [&agent, &viewer, &owner] {
        c.get("/api/v1/recognition/performance?period=2026-11").await.expect_error(403, "forbidden", None);
        c.get("/api/v1/recognition/performance?format=csv").await.expect_error(403, "forbidden", None);
    }
    let report = leader.get("/api/v1/recognition/performance?period=2026-Q4").await.expect(200);
    assert_eq!(report["period"], "2026-Q4");
    assert_eq!((report["min_cases"].as_i64(), report["window_days"].as_i64()), (Some(5), Some(14)));
    assert_eq!(report["items"], json!([]));
    leader.get("/api/v1/recognition/performance?period=2026-13").await.expect_error(422, "invalid", Some("period"));
    let csv = leader.get("/api/v1/recognition/performance?format=csv").await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    let admin = app.client(org, Role::Admin).await;
    assert_eq!(admin.get("/api/v1/recognition/performance").await.status, 200);

    // Another organization sees none of it.
    let theirs = app.client(other, Role::Admin).await;
    assert_eq!(theirs.get("/api/v1/kudos").await.expect(200), json!([]));
    assert_eq!(theirs.get("/api/v1/recognition/summary").await.expect(200), json!({"items": []}));
}
