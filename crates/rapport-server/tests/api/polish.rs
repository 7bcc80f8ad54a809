//! Small fixes found by a new user (issue 20, item 7), through HTTP on both
//! backends: a sprint's start is bounded (2000-01-01 to 2100-12-31, a 422
//! naming `start` otherwise, nothing stored), and an organization with
//! nothing to cover says so instead of "100%".

use crate::helpers::{id, TestApp};
use rapport_core::role::Role;
use serde_json::json;

pub async fn polish_api(app: TestApp) {
    let org = app.org("polish").await;
    let admin = app.client(org.id, Role::Admin).await;

    // Nothing yet: nothing to cover (not full coverage).
    let empty = admin.get("/api/v1/coverage").await.expect(200);
    assert_eq!(empty["nothing_to_cover"], true, "{empty}");
    assert_eq!((empty["experiences"]["total"].as_i64(), empty["touchpoints"]["total"].as_i64()), (Some(0), Some(0)));

    let lead = id(&admin.post("/api/v1/people", json!({"name": "Lea", "email": "lea@example.com"})).await.expect(201));
    let stage = id(&admin.post("/api/v1/stages", json!({"name": "Buy"})).await.expect(201));
    let tp = admin
        .post("/api/v1/touchpoints", json!({"name": "Checkout", "stage_id": stage, "owner_id": lead}))
        .await
        .expect(201);
    let tp = id(&tp);
    let covered = admin.get("/api/v1/coverage").await.expect(200);
    assert_eq!(covered["nothing_to_cover"], false, "{covered}");
    assert_eq!(covered["percent"], 100.0, "{covered}");

    // A start far in the past or the future is refused, naming the field.
    for start in ["0001-01-01", "1999-12-31", "2101-01-01", "9999-12-31"] {
        let sprint = json!({"touchpoint_id": tp, "name": "Slip", "start": start, "leader_id": lead});
        admin.post("/api/v1/sprints", sprint).await.expect_error(422, "invalid", Some("start"));
    }
    let listed = admin.get("/api/v1/sprints").await.expect(200);
    let items = listed.as_array().or_else(|| listed["items"].as_array()).cloned().unwrap_or_default();
    assert!(items.is_empty(), "no refused sprint was stored: {listed}");
    // Within the bounds it is created.
    let sprint = json!({"touchpoint_id": tp, "name": "Checkout sprint", "start": "2026-03-02", "leader_id": lead});
    assert_eq!(admin.post("/api/v1/sprints", sprint).await.expect(201)["end"], "2026-03-27");
}
