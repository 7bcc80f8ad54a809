//! The API of the CX council (A8), on both backends: a meeting's agenda
//! is drafted from the program (a missed intent criterion and an idea
//! awaiting review are on it, with their links); the `.ics` file reads
//! back with the right DTSTART and attendees; every bad field is a 422
//! naming it; planners set the council up, viewers read, an action item's
//! owner ticks it (nobody else but a planner); the pages render.

use crate::helpers::{id, nps_question, TestApp};
use chrono::{Duration, Utc};
use rapport_core::plan::council::ics::{property, unfold, LINE_OCTETS};
use rapport_core::role::Role;
use serde_json::{json, Value};

fn kinds(meeting: &Value) -> Vec<(String, String, String)> {
    meeting["agenda"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["kind"].as_str().unwrap().to_string(),
                a["title"].as_str().unwrap().to_string(),
                a["link"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

pub async fn council_api(app: TestApp) {
    let org = app.org("council").await;
    let other = app.org("council-other").await;
    let admin = app.client(org.id, Role::Admin).await;
    let viewer = app.client(org.id, Role::Viewer).await;
    let theirs = app.client(other.id, Role::Admin).await;

    let person = |name: &str, dept: &str| json!({"name": name, "email": format!("{}@roastery.example", name.to_lowercase()), "department": dept});
    let ana = id(&admin.post("/api/v1/people", person("Ana", "Operations")).await.expect(201));
    let ben = id(&admin.post("/api/v1/people", person("Ben", "Marketing")).await.expect(201));
    admin.post("/api/v1/people", person("Fay", "Finance")).await.expect(201);
    let zed = id(&theirs.post("/api/v1/people", person("Zed", "Operations")).await.expect(201));

    // Members and coverage.
    admin.post("/api/v1/council/members", json!({"person_id": ana, "role": "chair"})).await.expect(201);
    let ben_member = admin.post("/api/v1/council/members", json!({"person_id": ben})).await.expect(201);
    assert_eq!((ben_member["role"].as_str(), ben_member["department"].as_str()), (Some("member"), Some("Marketing")));
    admin.post("/api/v1/council/members", json!({"person_id": ben})).await.expect_error(
        409,
        "conflict",
        Some("person_id"),
    );
    admin.post("/api/v1/council/members", json!({"person_id": zed})).await.expect_error(
        422,
        "invalid",
        Some("person_id"),
    );
    admin.post("/api/v1/council/members", json!({"person_id": ana, "role": "boss"})).await.expect_error(
        422,
        "invalid",
        Some("role"),
    );
    let cov = viewer.get("/api/v1/council/coverage").await.expect(200);
    assert_eq!((cov["covered_count"].as_i64(), cov["total"].as_i64()), (Some(2), Some(3)), "{cov}");
    assert_eq!(cov["missing"], json!(["Finance"]));
    viewer.post("/api/v1/council/members", json!({"person_id": ana})).await.expect_error(403, "forbidden", None);

    // The program: an NPS criterion on the organization, missed by 40
    // detractors in the last days, and an idea awaiting review.
    let stage = id(&admin.post("/api/v1/stages", json!({"name": "Counter"})).await.expect(201));
    let tp =
        id(&admin.post("/api/v1/touchpoints", json!({"name": "Espresso bar", "stage_id": stage})).await.expect(201));
    let survey = json!({"touchpoint_id": tp, "title": {"en": "Coffee", "es": "Café"}, "questions": [nps_question()]});
    let survey = id(&admin.post("/api/v1/surveys", survey).await.expect(201));
    admin.post(&format!("/api/v1/surveys/{survey}/publish"), json!({})).await.expect(200);
    let at = (Utc::now() - Duration::days(2)).to_rfc3339();
    let responses: Vec<Value> =
        (0..40).map(|i| json!({"id": format!("r{i}"), "survey": survey, "at": at, "answers": {"nps": 2}})).collect();
    let stored = admin.post("/api/v1/responses", Value::Array(responses)).await;
    assert_eq!(stored.json["accepted"], 40, "{}", stored.text);
    let intent = json!({"statement": "Warm and quick", "criteria": [
        {"metric": "nps", "scope": {"kind": "organization"}, "comparator": "at_least", "threshold": 30, "margin": 5}]});
    admin.post("/api/v1/intent/versions", intent).await.expect(201);
    let idea = id(&admin
        .post("/api/v1/ideas", json!({"title": "Oat milk at no charge", "author_id": ben, "touchpoint_id": tp}))
        .await
        .expect(201));

    // A meeting: its agenda is drafted from that state.
    let start = (Utc::now() + Duration::days(7)).date_naive().and_hms_opt(9, 30, 0).unwrap().and_utc();
    let body = json!({"title": "December council", "starts_at": start.to_rfc3339(), "duration_minutes": 90,
        "location": "Roastery, room 2"});
    let m = admin.post("/api/v1/council/meetings", body.clone()).await.expect(201);
    let meeting = id(&m);
    let agenda = kinds(&m);
    assert_eq!(agenda[0].0, "criterion_missed", "{agenda:?}");
    assert!(agenda[0].1.starts_with("NPS ≥ 30"), "{agenda:?}");
    assert_eq!(agenda[0].2, "/intent");
    assert!(
        agenda.contains(&("idea_awaiting_review".into(), "Oat milk at no charge".into(), format!("/ideas/{idea}"))),
        "{agenda:?}"
    );
    // Announcements of the touchpoint wait for acknowledgement too (none
    // has a recipient here, so none is on the agenda).
    assert!(agenda.iter().all(|a| a.0 != "announcement"), "{agenda:?}");

    // Edited: an item of our own at the top, one moved, one removed.
    let mine = admin
        .post(&format!("/api/v1/council/meetings/{meeting}/agenda"), json!({"title": "Welcome", "position": 0}))
        .await
        .expect(201);
    assert_eq!((mine["kind"].as_str(), mine["position"].as_i64()), (Some("custom"), Some(0)));
    let first = m["agenda"][0]["id"].as_i64().unwrap();
    admin
        .put(&format!("/api/v1/council/agenda-items/{first}"), json!({"title": "NPS below 30", "position": 5}))
        .await
        .expect(200);
    let now = admin.get(&format!("/api/v1/council/meetings/{meeting}/agenda")).await.expect(200);
    let last = now.as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["title"].as_str(), last["kind"].as_str()), (Some("NPS below 30"), Some("criterion_missed")));
    admin.delete(&format!("/api/v1/council/agenda-items/{}", id(&mine))).await.expect(204);

    // The calendar file.
    let ics = viewer.get(&format!("/api/v1/council/meetings/{meeting}/ics")).await;
    assert_eq!(ics.status, 200, "{}", ics.text);
    assert!(ics.text.starts_with("BEGIN:VCALENDAR\r\n") && ics.text.ends_with("END:VCALENDAR\r\n"));
    assert!(ics.text.split("\r\n").all(|l| l.len() <= LINE_OCTETS));
    assert_eq!(property(&ics.text, "DTSTART"), Some(start.format("%Y%m%dT%H%M%SZ").to_string()));
    let end = start + Duration::minutes(90);
    assert_eq!(property(&ics.text, "DTEND"), Some(end.format("%Y%m%dT%H%M%SZ").to_string()));
    assert_eq!(property(&ics.text, "SUMMARY").as_deref(), Some("December council"));
    assert_eq!(property(&ics.text, "LOCATION").as_deref(), Some("Roastery, room 2"));
    assert!(property(&ics.text, "DESCRIPTION").unwrap().contains("Idea awaiting review: Oat milk at no charge"));
    let attendees: Vec<String> = unfold(&ics.text).into_iter().filter(|l| l.starts_with("ATTENDEE")).collect();
    assert_eq!(attendees.len(), 2, "{attendees:?}");
    assert!(attendees.iter().any(|a| a.ends_with(":mailto:ana@roastery.example")));
    theirs.get(&format!("/api/v1/council/meetings/{meeting}/ics")).await.expect_error(404, "not_found", None);

    // 422s naming the field.
    let bad = [
        (json!({"title": "x", "starts_at": start.to_rfc3339(), "duration_minutes": 4}), "duration_minutes"),
        (json!({"title": "x", "starts_at": start.to_rfc3339(), "duration_minutes": 601}), "duration_minutes"),
        (json!({"title": "x", "starts_at": "soon"}), "starts_at"),
        (json!({"title": "x", "starts_at": "9999-01-01T00:00:00Z"}), "starts_at"),
        (json!({"starts_at": start.to_rfc3339()}), "title"),
        (json!({"title": "x", "starts_at": start.to_rfc3339(), "status": "maybe"}), "status"),
    ];
    for (body, field) in bad {
        admin.post("/api/v1/council/meetings", body).await.expect_error(422, "invalid", Some(field));
    }
    let agenda_path = format!("/api/v1/council/meetings/{meeting}/agenda");
    admin.post(&agenda_path, json!({"title": "x", "link": "javascript:alert(1)"})).await.expect_error(
        422,
        "invalid",
        Some("link"),
    );
    admin.post(&agenda_path, json!({"title": "x", "position": 50})).await.expect_error(
        422,
        "invalid",
        Some("position"),
    );

    // Decisions: linked to our idea; another organization's idea refused.
    let their_stage = id(&theirs.post("/api/v1/stages", json!({"name": "Shop"})).await.expect(201));
    let their_tp = json!({"name": "Their bar", "stage_id": their_stage});
    let their_tp = id(&theirs.post("/api/v1/touchpoints", their_tp).await.expect(201));
    let their_idea = json!({"title": "Theirs", "author_id": zed, "touchpoint_id": their_tp});
    let their_idea = id(&theirs.post("/api/v1/ideas", their_idea).await.expect(201));
    let decisions = format!("/api/v1/council/meetings/{meeting}/decisions");
    let d = admin.post(&decisions, json!({"text": "Trial oat milk", "idea_id": idea})).await.expect(201);
    assert_eq!(d["idea_id"].as_i64(), Some(idea));
    admin.post(&decisions, json!({"text": "No", "idea_id": their_idea})).await.expect_error(
        422,
        "invalid",
        Some("idea_id"),
    );
    admin.post(&decisions, json!({"text": "No", "sprint_id": 999999})).await.expect_error(
        422,
        "invalid",
        Some("sprint_id"),
    );
    admin.post(&decisions, json!({"text": ""})).await.expect_error(422, "invalid", Some("text"));
    assert_eq!(viewer.get(&decisions).await.expect(200).as_array().unwrap().len(), 1);

    // Action items, and who may tick them.
    let actions = format!("/api/v1/council/meetings/{meeting}/action-items");
    let due = (Utc::now() + Duration::days(10)).date_naive().to_string();
    let a1 =
        id(&admin.post(&actions, json!({"text": "Price oat milk", "owner_id": ben, "due_on": due})).await.expect(201));
    let a2 =
        id(&admin.post(&actions, json!({"text": "Brief baristas", "owner_id": ana, "due_on": due})).await.expect(201));
    admin.post(&actions, json!({"text": "x", "owner_id": zed, "due_on": due})).await.expect_error(
        422,
        "invalid",
        Some("owner_id"),
    );
    admin.post(&actions, json!({"text": "x", "owner_id": ben, "due_on": "0001-01-01"})).await.expect_error(
        422,
        "invalid",
        Some("due_on"),
    );
    admin.post(&actions, json!({"text": "x", "owner_id": ben})).await.expect_error(422, "invalid", Some("due_on"));
    let bens = viewer.get(&format!("/api/v1/council/action-items?owner_id={ben}&open=true")).await.expect(200);
    assert_eq!(bens.as_array().unwrap().iter().map(id).collect::<Vec<_>>(), vec![a1]);
    viewer.get("/api/v1/council/action-items?open=maybe").await.expect_error(422, "invalid", Some("open"));

    let ben_web = app.person_client(org.id, ben, Role::Member).await;
    let ana_web = app.person_client(org.id, ana, Role::Member).await;
    ana_web.post(&format!("/api/v1/council/action-items/{a1}/done"), json!({"done": true})).await.expect_error(
        403,
        "forbidden",
        None,
    );
    viewer.post(&format!("/api/v1/council/action-items/{a1}/done"), json!({"done": true})).await.expect_error(
        403,
        "forbidden",
        None,
    );
    ben_web
        .post(
            &format!("/api/v1/council/meetings/{meeting}/action-items"),
            json!({"text": "x", "owner_id": ben, "due_on": due}),
        )
        .await
        .expect_error(403, "forbidden", None);
    let ticked =
        ben_web.post(&format!("/api/v1/council/action-items/{a1}/done"), json!({"done": true})).await.expect(200);
    assert_eq!(ticked["done"], true);
    let open = viewer.get(&format!("/api/v1/council/action-items?owner_id={ben}&open=true")).await.expect(200);
    assert!(open.as_array().unwrap().is_empty());
    admin.post(&format!("/api/v1/council/action-items/{a2}/done"), json!({"done": true})).await.expect(200);
    theirs.post(&format!("/api/v1/council/action-items/{a2}/done"), json!({"done": false})).await.expect_error(
        404,
        "not_found",
        None,
    );

    // Minutes, rendered on the page; the pages render for a member.
    admin
        .put(
            &format!("/api/v1/council/meetings/{meeting}/minutes"),
            json!({"minutes": "# Notes\n\n**Agreed** to trial."}),
        )
        .await
        .expect(200);
    let index = ben_web.get("/council").await;
    assert_eq!(index.status, 200, "{}", index.text);
    assert!(index.text.contains("Missing: Finance"), "the missing department is named");
    let page = ben_web.get(&format!("/council/meetings/{meeting}")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("<strong>Agreed</strong>") && page.text.contains("Oat milk at no charge"));
    assert!(page.text.contains(&format!("/council/meetings/{meeting}/ics")));
}
