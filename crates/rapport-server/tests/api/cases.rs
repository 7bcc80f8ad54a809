//! Closing the loop through the API: a detractor's answer opens a case for
//! the touchpoint's owner (streamed at once), a second joins it, the clock
//! passes the promise and the case escalates to the leader, closing early is
//! refused with a clear message, the eight steps close it, and the
//! root-cause report counts it.

use crate::helpers::{id, Client, TestApp};
use crate::listening::{next_event, survey_setup};
use chrono::{DateTime, Duration, Utc};
use rapport_core::role::Role;
use serde_json::{json, Value};

async fn detractor(c: &Client, key: &str, survey: i64, nps: i64) {
    let r = json!({"id": key, "survey": survey, "customer": "ana", "at": Utc::now().to_rfc3339(), "answers": {"nps": nps}, "comment": "Too slow"});
    c.post("/api/v1/responses", r).await.expect(201);
}

pub async fn detractor_case_is_worked_to_closure(app: TestApp) {
    let org = app.org("loop").await;
    let admin = app.client(org.id, Role::Admin).await;
    let agent = app.client(org.id, Role::Agent).await;
    let member = app.client(org.id, Role::Member).await;
    let (tp, survey) = survey_setup(&admin).await;
    let owner =
        id(&admin.post("/api/v1/people", json!({"name": "Olga", "email": "olga@example.com"})).await.expect(201));
    let leader =
        id(&admin.post("/api/v1/people", json!({"name": "Leo", "email": "leo@example.com"})).await.expect(201));
    let stage = admin.get(&format!("/api/v1/touchpoints/{tp}")).await.expect(200)["stage_id"].clone();
    admin
        .put(&format!("/api/v1/touchpoints/{tp}"), json!({"name": "Checkout", "stage_id": stage, "owner_id": owner}))
        .await
        .expect(200);
    let exp = json!({"name": "First purchase", "goal_metric": "nps", "goal_target": 30, "leader_id": leader});
    let exp = id(&admin.post("/api/v1/experiences", exp).await.expect(201));
    admin.post(&format!("/api/v1/experiences/{exp}/interactions"), json!({"touchpoint_id": tp})).await.expect(201);
    let rule = json!({"name": "Detractors", "kind": "score", "scale": "nps", "at_most": 6});
    admin.post("/api/v1/case-rules", rule).await.expect(201);
    admin
        .post("/api/v1/case-rules", json!({"name": "x", "kind": "score", "scale": "ces", "at_most": 9}))
        .await
        .expect_error(422, "invalid", Some("at_most"));
    agent.post("/api/v1/case-rules", json!({"name": "x"})).await.expect_error(403, "forbidden", None);
    let cause =
        id(&admin.post("/api/v1/root-causes", json!({"name": "Late delivery", "preventable": true})).await.expect(201));

    // The detractor's case is streamed and lands with the owner, promised in working hours.
    let mut stream = agent.open_stream("/api/v1/stream").await;
    detractor(&admin, "d1", survey, 2).await;
    let streamed = next_event(&mut stream, "case").await;
    assert_eq!(
        (streamed["assignee_id"].as_i64(), streamed["status"].as_str()),
        (Some(owner), Some("open")),
        "{streamed}"
    );
    let case = streamed["id"].as_i64().unwrap();
    detractor(&admin, "d2", survey, 4).await;
    let queue = agent.get(&format!("/api/v1/cases?assignee={owner}&status=open")).await.expect(200);
    assert_eq!(queue.as_array().unwrap().len(), 1, "the second answer joins the open case: {queue}");
    let got = agent.get(&format!("/api/v1/cases/{case}")).await.expect(200);
    assert_eq!(got["items"].as_array().unwrap().len(), 2);
    assert_eq!((got["overdue"].as_bool(), got["next_step"].as_str()), (Some(false), Some("respond")));
    agent.get("/api/v1/cases?status=pending").await.expect_error(422, "invalid", Some("status"));
    agent.get("/api/v1/cases?assignee=me").await.expect_error(422, "invalid", Some("assignee"));

    // The clock passes the promise: escalated to the experience's leader.
    let due: DateTime<Utc> = got["resolution_due"].as_str().unwrap().parse().unwrap();
    let escalated = app.store.escalate_overdue(due + Duration::minutes(1)).await.unwrap();
    assert!(escalated.iter().any(|e| e.case == case && e.escalated_to == Some(leader)), "{escalated:?}");
    let got = agent.get(&format!("/api/v1/cases/{case}")).await.expect(200);
    assert_eq!((got["escalated_to"].as_i64(), got["overdue"].as_bool()), (Some(leader), Some(true)));

    // Closing early is refused with a clear message; steps go in order.
    let early = agent.post(&format!("/api/v1/cases/{case}/close"), json!({})).await;
    early.expect_error(422, "invalid", Some("status"));
    assert!(early.text.contains("Verify"), "{}", early.text);
    let step = |name: &str, extra: Value| {
        let mut body = extra;
        body["step"] = json!(name);
        body
    };
    agent.post(&format!("/api/v1/cases/{case}/steps"), step("seek", json!({}))).await.expect_error(
        422,
        "invalid",
        Some("step"),
    );
    agent.post(&format!("/api/v1/cases/{case}/steps"), step("resolve", json!({}))).await.expect_error(
        422,
        "invalid",
        Some("step"),
    );
    member.post(&format!("/api/v1/cases/{case}/steps"), step("respond", json!({}))).await.expect_error(
        403,
        "forbidden",
        None,
    );
    for (name, extra) in [
        ("respond", json!({"note": "Called Ana"})),
        ("empathize", json!({"note": "Apologized"})),
        ("seek", json!({})),
        ("open", json!({"proposal": "Free shipping next time"})),
        ("listen", json!({})),
        ("verify", json!({"agreed": true})),
        ("eliminate", json!({"action": "Changed courier"})),
        ("document", json!({"root_cause_id": cause, "root_cause_note": "Courier missed the slot"})),
    ] {
        agent.post(&format!("/api/v1/cases/{case}/steps"), step(name, extra)).await.expect(200);
    }
    let closed = agent.post(&format!("/api/v1/cases/{case}/close"), json!({})).await.expect(200);
    assert_eq!((closed["status"].as_str(), closed["root_cause_id"].as_i64()), (Some("closed"), Some(cause)));
    assert_eq!(closed["steps"].as_array().unwrap().len(), 8);

    // The root-cause report counts it.
    let report = agent.get("/api/v1/root-causes/report?interval=month").await.expect(200);
    assert_eq!((report[0]["name"].as_str(), report[0]["cases"].as_i64()), (Some("Late delivery"), Some(1)), "{report}");
    agent.get("/api/v1/root-causes/report?from=2026-02-01&to=2026-01-01").await.expect_error(
        422,
        "invalid",
        Some("from"),
    );
    admin.delete(&format!("/api/v1/root-causes/{cause}")).await.expect_error(409, "conflict", Some("id"));

    // Reopened with a reason; a case by hand for another touchpoint.
    let reopened =
        agent.post(&format!("/api/v1/cases/{case}/reopen"), json!({"reason": "Still waiting"})).await.expect(200);
    assert_eq!(reopened["status"], "open");
    let manual = json!({"customer": "ana", "title": "Billing question", "assignee_id": leader});
    let manual = agent.post("/api/v1/cases", manual).await.expect(201);
    assert_eq!(manual["assignee_id"].as_i64(), Some(leader));
    agent.post("/api/v1/cases", json!({"customer": "nobody", "title": "x"})).await.expect_error(
        422,
        "invalid",
        Some("customer"),
    );

    // The calendar.
    let cal = agent.get("/api/v1/calendar").await.expect(200);
    assert_eq!((cal["day_start"].as_i64(), cal["day_end"].as_i64()), (Some(540), Some(1020)));
    let bad = json!({"day_start": "18:00", "day_end": "09:00"});
    admin.put("/api/v1/calendar", bad).await.expect_error(422, "invalid", Some("day_end"));
    let good = json!({"utc_offset_minutes": 60, "day_start": "08:30", "workdays": ["mon", "tue", "wed", "thu"], "holidays": [{"day": "2026-12-24", "name": "Nochebuena"}]});
    let saved = admin.put("/api/v1/calendar", good).await.expect(200);
    assert_eq!((saved["day_start"].as_i64(), saved["holidays"][0]["name"].as_str()), (Some(510), Some("Nochebuena")));
}
