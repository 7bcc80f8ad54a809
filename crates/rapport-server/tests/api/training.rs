//! The API of training (E. People), on both backends: a leader writes a
//! module with a quiz for the agents; it is assigned at once; an agent takes
//! the quiz (fail, then pass) but cannot write modules; bad input names its
//! fields; progress and gaps are lists (CSV with `format=csv`); images are
//! uploaded and served to the organization only.

use crate::helpers::{id, TestApp};
use rapport_core::role::Role;
use rapport_core::Id;
use rapport_server::auth::secret;
use serde_json::{json, Value};

async fn token(app: &TestApp, org: Id, role: Role) -> String {
    let token = secret::generate("rpt_");
    app.store.create_token(org, &format!("media-{role}"), role, &secret::digest(&token)).await.unwrap();
    token
}

/// Uploads an image as a multipart form with a bearer token.
async fn upload(app: &TestApp, token: &str, bytes: Vec<u8>) -> (u16, Value) {
    let boundary = "rapportBoundary19";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let resp = reqwest::Client::new()
        .post(format!("{}/api/v1/media", app.base))
        .bearer_auth(token)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

pub async fn training_api(app: TestApp) {
    let org = app.org("training").await;
    let admin = app.client(org.id, Role::Admin).await;
    let person = |name: &str, dept: &str| json!({"name": name, "email": format!("{}@training.example", name.to_lowercase()), "department": dept});
    let rafa = id(&admin.post("/api/v1/people", person("Rafa", "Service")).await.expect(201));
    let lia = id(&admin.post("/api/v1/people", person("Lia", "Service")).await.expect(201));
    let agent = app.person_client(org.id, rafa, Role::Agent).await;
    let leader = app.person_client(org.id, lia, Role::Leader).await;
    let viewer = app.client(org.id, Role::Viewer).await;
    let stage = id(&admin.post("/api/v1/stages", json!({"name": "Receive"})).await.expect(201));
    let tp = json!({"name": "Delivery", "stage_id": stage, "owner_id": lia, "department": "Service"});
    let tp = id(&admin.post("/api/v1/touchpoints", tp).await.expect(201));

    let module = json!({
        "title_en": "Handling a late delivery", "title_es": "Cómo gestionar una entrega tardía",
        "body_en": "## Say sorry\n\n![Map](/media/1)", "body_es": "## Pida disculpas",
        "audience": {"roles": ["agent"], "touchpoints": [tp]},
        "due_days": 7,
        "quiz": {"pass_mark": 100, "questions": [
            {"text_en": "First?", "text_es": "¿Primero?", "choices": [
                {"text_en": "Apologise", "correct": true}, {"text_en": "Blame"}]},
            {"text_en": "Offer?", "multiple": true, "choices": [
                {"text_en": "A new date", "correct": true}, {"text_en": "Refund shipping", "correct": true},
                {"text_en": "Nothing"}]}
        ]}
    });
    // An agent cannot write modules; a viewer cannot take quizzes.
    agent.post("/api/v1/training/modules", module.clone()).await.expect_error(403, "forbidden", None);
    let created = leader.post("/api/v1/training/modules", module.clone()).await.expect(201);
    let mid = id(&created);
    assert_eq!(created["audience"]["touchpoints"], json!([tp]));
    assert_eq!(created["quiz"]["questions"][1]["multiple"], true);

    // 422s name their fields and write nothing.
    let mut bad = module.clone();
    bad["title_en"] = json!("");
    bad["title_es"] = json!(null);
    bad["due_days"] = json!(0);
    bad["audience"] = json!({});
    bad["quiz"]["pass_mark"] = json!(150);
    bad["quiz"]["questions"][0]["choices"][1]["correct"] = json!(true);
    let r = leader.post("/api/v1/training/modules", bad).await;
    for field in ["title_en", "due_days", "audience", "quiz.pass_mark", "quiz.questions[0].choices"] {
        r.expect_error(422, "invalid", Some(field));
    }
    let mut unknown = module.clone();
    unknown["audience"] = json!({"touchpoints": [tp + 9999]});
    leader.post("/api/v1/training/modules", unknown).await.expect_error(
        422,
        "invalid",
        Some("audience.touchpoints[0]"),
    );
    let listed = leader.get("/api/v1/training/modules").await.expect(200);
    assert_eq!(listed.as_array().unwrap().len(), 1, "nothing written by the refusals: {listed}");

    // Assigned at once to the agent (by role) and to Lia (she owns the touchpoint).
    let mine = agent.get("/api/v1/training/assignments").await.expect(200);
    assert_eq!(mine.as_array().unwrap().len(), 1, "{mine}");
    assert_eq!((mine[0]["module_id"].as_i64(), mine[0]["status"].as_str()), (Some(mid), Some("open")));
    assert_eq!(mine[0]["title_es"], "Cómo gestionar una entrega tardía");
    let gaps = leader.get("/api/v1/training/gaps").await.expect(200);
    assert_eq!(gaps.as_array().unwrap().len(), 2, "Lia (owner) and Rafa (department): {gaps}");

    // The agent takes the quiz: fail, then pass; best and last scores kept.
    let attempts = format!("/api/v1/training/modules/{mid}/attempts");
    let fail = agent.post(&attempts, json!({"answers": [[0], [0]]})).await.expect(200);
    assert_eq!((fail["result"]["score"].as_i64(), fail["result"]["passed"].as_bool()), (Some(50), Some(false)));
    assert_eq!(fail["result"]["wrong"], json!([1]));
    let pass = agent.post(&attempts, json!({"answers": [[0], [1, 0]]})).await.expect(200);
    assert_eq!(pass["result"]["passed"], true);
    assert_eq!(
        (pass["assignment"]["attempts"].as_i64(), pass["assignment"]["best_score"].as_i64()),
        (Some(2), Some(100))
    );
    assert_eq!(pass["assignment"]["status"], "completed");
    agent.post(&attempts, json!({"answers": [[5], []]})).await.expect_error(422, "invalid", Some("answers[0]"));
    agent.post(&attempts, json!({"answers": [[0, 1], []]})).await.expect_error(422, "invalid", Some("answers[0]"));
    viewer.post(&attempts, json!({"answers": [[0], [0]]})).await.expect_error(403, "forbidden", None);
    admin.post(&attempts, json!({"answers": [[0], [0]]})).await.expect_error(422, "invalid", Some("person_id"));
    // Another person's assignments need a person of the organization (documented 404).
    admin.get("/api/v1/training/assignments?person_id=0").await.expect_error(404, "not_found", None);
    agent.post(&format!("/api/v1/training/modules/{mid}/acknowledge"), json!({})).await.expect_error(
        422,
        "invalid",
        Some("quiz"),
    );

    // Progress by person, department and touchpoint; a bad `by` is a 422.
    let by_person = leader.get("/api/v1/training/progress").await.expect(200);
    let rafa_row = by_person.as_array().unwrap().iter().find(|r| r["id"] == json!(rafa)).unwrap().clone();
    assert_eq!((rafa_row["assigned"].as_i64(), rafa_row["completed"].as_i64()), (Some(1), Some(1)));
    let by_dept = leader.get("/api/v1/training/progress?by=department").await.expect(200);
    assert_eq!(by_dept[0]["name"], "Service");
    assert_eq!((by_dept[0]["assigned"].as_i64(), by_dept[0]["completion"].as_i64()), (Some(2), Some(50)));
    let by_tp = leader.get("/api/v1/training/progress?by=touchpoint").await.expect(200);
    assert_eq!(by_tp[0]["id"], json!(tp));
    leader.get("/api/v1/training/progress?by=planet").await.expect_error(422, "invalid", Some("by"));
    // Scores per person are for those who write training.
    agent.get("/api/v1/training/progress").await.expect(403);
    agent.get("/api/v1/training/gaps").await.expect(403);
    let csv = leader.get("/api/v1/training/progress?by=department&format=csv").await;
    assert_eq!(csv.status, 200);
    assert!(csv.text.lines().next().unwrap().contains("completion"), "{}", csv.text);
    assert!(csv.text.contains("Service"));

    // Only the leader's role edits; the intent module is generated.
    let mut changed = module.clone();
    changed["due_days"] = json!(10);
    let updated = leader.put(&format!("/api/v1/training/modules/{mid}"), changed).await.expect(200);
    assert_eq!(updated["due_days"], 10);
    admin
        .post("/api/v1/intent/versions", json!({"statement": "We make coffee easy.", "criteria": []}))
        .await
        .expect(201);
    let all = leader.get("/api/v1/training/modules").await.expect(200);
    let intent = all.as_array().unwrap().iter().find(|m| m["kind"] == "intent").expect("the intent module");
    let iid = intent["id"].as_i64().unwrap();
    leader.delete(&format!("/api/v1/training/modules/{iid}")).await.expect_error(409, "conflict", Some("id"));
    let mine = agent.get("/api/v1/training/assignments").await.expect(200);
    assert!(mine.as_array().unwrap().iter().any(|a| a["module_id"] == json!(iid)), "assigned to everyone: {mine}");
    let assigned = leader.post("/api/v1/training/assign", json!({})).await.expect(200);
    assert_eq!(assigned["added"], 0);

    // Images: uploaded (multipart, type from the bytes), served to the organization.
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
    png.extend_from_slice(b"IHDR");
    png.extend_from_slice(&[0; 16]);
    let leader_token = token(&app, org.id, Role::Leader).await;
    let agent_token = token(&app, org.id, Role::Agent).await;
    let (status, up) = upload(&app, &leader_token, png.clone()).await;
    assert_eq!(status, 201, "{up}");
    assert_eq!(up["content_type"], "image/png");
    let url = up["url"].as_str().unwrap().to_string();
    let (status, refused) = upload(&app, &leader_token, b"<svg onload=alert(1)/>".to_vec()).await;
    assert_eq!((status, refused["error"]["fields"]["file"]["code"].as_str()), (422, Some("invalid_image")));
    assert_eq!(upload(&app, &agent_token, png.clone()).await.0, 403);
    let image = agent.get(&url).await;
    assert_eq!(image.status, 200);
    let other = app.org("training-other").await;
    let stranger = app.client(other.id, Role::Admin).await;
    assert_eq!(stranger.get(&url).await.status, 404, "another organization's image");

    // Deleting a module removes its assignments.
    leader.delete(&format!("/api/v1/training/modules/{mid}")).await;
    assert!(agent
        .get("/api/v1/training/assignments")
        .await
        .expect(200)
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["module_id"] != json!(mid)));
}
