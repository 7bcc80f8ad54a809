//! The improvement loop through HTTP: an idea by e-mail (the signed inbound
//! URL, multipart form) is voted by signed-in people, reviewed, filed and
//! approved; a 20-workday sprint takes it up; its leader approves the
//! proposal, which reaches the stream of an agent of the touchpoint within a
//! second (and not the stream of someone who does not deliver it); the
//! recipients acknowledge; the sprint's before/after is stored.

use crate::helpers::{id, nps_question, TestApp};
use crate::listening::next_event;
use rapport_core::role::Role;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

async fn post_mail(app: &TestApp, url: &str, fields: &[(&str, &str)]) -> (u16, Value) {
    let boundary = "rapportBoundary7";
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let resp = reqwest::Client::new()
        .post(format!("{}{url}", app.base))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .expect("inbound post");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Reads the stream for `wait`; fails if an event `name` arrives.
async fn no_event(stream: &mut reqwest::Response, name: &str, wait: Duration) {
    let deadline = Instant::now() + wait;
    let mut buffer = String::new();
    while let Ok(chunk) = tokio::time::timeout(deadline.saturating_duration_since(Instant::now()), stream.chunk()).await
    {
        let Some(chunk) = chunk.expect("stream") else { break };
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        assert!(!buffer.contains(&format!("event: {name}")), "unexpected `{name}` event: {buffer}");
    }
}

pub async fn idea_to_announcement(app: TestApp) {
    let org = app.org("improve").await;
    let admin = app.client(org.id, Role::Admin).await;
    let person = |name: &str, department: &str| json!({"name": name, "email": format!("{}@example.com", name.to_lowercase()), "department": department});
    let mut people = std::collections::BTreeMap::new();
    for (name, dept) in [("Olga", "Service"), ("Rafa", "Field"), ("Nina", "Sales"), ("Ana", "Sales"), ("Leo", "Sales")]
    {
        people.insert(name, id(&admin.post("/api/v1/people", person(name, dept)).await.expect(201)));
    }
    let (owner, agent, outsider, author, leader) =
        (people["Olga"], people["Rafa"], people["Nina"], people["Ana"], people["Leo"]);
    let stage = id(&admin.post("/api/v1/stages", json!({"name": "Buy"})).await.expect(201));
    let tp = json!({"name": "Checkout", "stage_id": stage, "owner_id": owner, "department": "Service"});
    let tp = id(&admin.post("/api/v1/touchpoints", tp).await.expect(201));
    let rule = json!({"name": "Checkout", "touchpoint_id": tp, "assignee_id": agent});
    admin.post("/api/v1/routing-rules", rule).await.expect(201);
    admin.put("/api/v1/calendar", json!({"holidays": [{"day": "2025-03-17", "name": "Holiday"}]})).await.expect(200);
    let survey = json!({"touchpoint_id": tp, "title": {"en": "After checkout", "es": "Tras la compra"}, "questions": [nps_question()]});
    let survey = id(&admin.post("/api/v1/surveys", survey).await.expect(201));
    admin.post(&format!("/api/v1/surveys/{survey}/publish"), json!({})).await.expect(200);
    for (i, (at, nps)) in
        [("2025-02-10", 3), ("2025-02-11", 5), ("2025-03-05", 9), ("2025-03-06", 10)].iter().enumerate()
    {
        let r =
            json!({"id": format!("r{i}"), "survey": survey, "at": format!("{at}T10:00:00Z"), "answers": {"nps": nps}});
        admin.post("/api/v1/responses", r).await.expect(201);
    }

    let agent_c = app.person_client(org.id, agent, Role::Agent).await;
    let outsider_c = app.person_client(org.id, outsider, Role::Member).await;
    let owner_c = app.person_client(org.id, owner, Role::Owner).await;
    let leader_c = app.person_client(org.id, leader, Role::Leader).await;

    // An idea by e-mail, to the signed inbound URL.
    let url = admin.get("/api/v1/inbound/ideas/url").await.expect(200)["url"].as_str().unwrap().to_string();
    let mail = [("from", "Ana <ANA@example.com>"), ("subject", "Fwd: One-page checkout"), ("text", "All on one page.")];
    let (status, _) = post_mail(&app, "/api/v1/inbound/ideas", &mail).await;
    assert_eq!(status, 401, "no token");
    let (status, _) = post_mail(&app, &url.replace("token=", "token=00"), &mail).await;
    assert_eq!(status, 401, "a forged token");
    let (status, body) = post_mail(&app, &url, &[("from", "stranger@elsewhere.example"), ("subject", "x")]).await;
    assert_eq!((status, body["error"]["fields"]["from"]["code"].as_str()), (422, Some("unknown_sender")), "{body}");
    let (status, idea) = post_mail(&app, &url, &mail).await;
    assert_eq!(status, 201, "{idea}");
    assert_eq!((idea["title"].as_str(), idea["source"].as_str()), (Some("One-page checkout"), Some("email")));
    assert_eq!(idea["author_id"], author);
    let idea = id(&idea);

    // Votes by signed-in people: one each.
    let votes = format!("/api/v1/ideas/{idea}/votes");
    agent_c.post(&votes, json!({})).await.expect(200);
    agent_c.post(&votes, json!({})).await.expect_error(409, "conflict", Some("person_id"));
    assert_eq!(outsider_c.post(&votes, json!({})).await.expect(200)["votes"], 2);
    admin.post(&votes, json!({})).await.expect_error(422, "invalid", Some("person_id"));
    outsider_c.post(&format!("/api/v1/ideas/{idea}/comments"), json!({"body": "Yes!"})).await.expect(201);
    assert_eq!(admin.get("/api/v1/ideas/today").await.expect(200)["id"], idea);

    // Review: reject needs a reason; filing before approving.
    let status = format!("/api/v1/ideas/{idea}/status");
    outsider_c.post(&status, json!({"status": "under_review"})).await.expect_error(403, "forbidden", None);
    admin.post(&status, json!({"status": "under_review"})).await.expect(200);
    admin.post(&status, json!({"status": "rejected"})).await.expect_error(422, "invalid", Some("reason"));
    admin.post(&status, json!({"status": "approved"})).await.expect_error(422, "invalid", Some("touchpoint_id"));
    admin.put(&format!("/api/v1/ideas/{idea}/filing"), json!({"touchpoint_id": tp})).await.expect(200);
    assert_eq!(admin.post(&status, json!({"status": "approved"})).await.expect(200)["status"], "approved");

    // A sprint of exactly 20 workdays (a holiday inside), taking the idea up.
    let sprint = json!({"touchpoint_id": tp, "name": "Checkout redesign", "start": "2025-03-03", "leader_id": leader,
        "team_ids": [owner], "idea_ids": [idea]});
    let sprint = admin.post("/api/v1/sprints", sprint).await.expect(201);
    assert_eq!(sprint["end"], "2025-03-31", "{sprint}");
    assert_eq!(sprint["baseline"]["tallies"][0]["tally"]["n"], 2, "{sprint}");
    let sid = id(&sprint);
    let path = format!("/api/v1/sprints/{sid}");
    admin.put(&path, json!({"end": "2025-04-30"})).await.expect_error(422, "invalid", Some("end"));
    assert_eq!(admin.get(&format!("/api/v1/ideas/{idea}")).await.expect(200)["status"], "in_sprint");

    // The proposal; only the leader approves.
    admin.post(&format!("{path}/proposal"), json!({"document": "One page.", "person_id": leader})).await.expect(200);
    admin.post(&format!("{path}/approve"), json!({"person_id": owner})).await.expect_error(
        422,
        "invalid",
        Some("approver"),
    );
    agent_c.post(&format!("{path}/approve"), json!({})).await.expect_error(403, "forbidden", None);
    let mut agent_stream = agent_c.open_stream("/api/v1/stream").await;
    let mut outsider_stream = outsider_c.open_stream("/api/v1/stream").await;
    assert_eq!(agent_stream.status(), 200);
    let sent = Instant::now();
    leader_c.post(&format!("{path}/approve"), json!({})).await.expect(200);
    let got = next_event(&mut agent_stream, "announcement").await;
    eprintln!("announcement streamed {:.0?} after the approval was sent", sent.elapsed());
    assert_eq!((got["kind"].as_str(), got["subject_id"].as_i64()), (Some("proposal_approved"), Some(sid)), "{got}");
    assert_eq!(got["pending"], json!([owner, agent]));
    no_event(&mut outsider_stream, "announcement", Duration::from_secs(1)).await;
    let ann = id(&got);

    // The feed and acknowledgements.
    let feed = agent_c.get("/api/v1/announcements").await.expect(200);
    assert!(feed.as_array().unwrap().iter().any(|a| a["id"] == ann));
    let feed = outsider_c.get("/api/v1/announcements").await.expect(200);
    assert!(feed.as_array().unwrap().iter().all(|a| a["id"] != ann));
    let ack = format!("/api/v1/announcements/{ann}/acknowledge");
    outsider_c.post(&ack, json!({})).await.expect_error(422, "invalid", Some("person_id"));
    assert_eq!(agent_c.post(&ack, json!({})).await.expect(200)["pending"], json!([owner]));
    agent_c.post(&ack, json!({})).await.expect_error(409, "conflict", Some("person_id"));
    assert_eq!(owner_c.post(&ack, json!({})).await.expect(200)["pending"], json!([]));

    // Finished: the before/after comparison is stored on the sprint.
    let done = admin.post(&format!("{path}/finish"), json!({})).await.expect(200);
    assert_eq!(done["outcome"]["before"]["tallies"][0]["tally"]["n"], 2, "{done}");
    assert_eq!(done["outcome"]["after"]["tallies"][0]["tally"]["n"], 2, "{done}");
    assert_eq!(done["outcome"]["metrics"][0]["metric"], "nps", "{done}");
    assert_eq!(admin.get(&path).await.expect(200)["outcome"], done["outcome"]);
    assert_eq!(admin.post(&status, json!({"status": "implemented"})).await.expect(200)["status"], "implemented");

    // The comms plan and engagement.
    let today = chrono::Utc::now().date_naive().to_string();
    let item = json!({"title": "New checkout", "audience": "Store staff", "channel": "intranet", "date": today, "owner_id": owner});
    let item = id(&admin.post("/api/v1/comms", item).await.expect(201));
    let due = admin.get("/api/v1/comms/due").await.expect(200);
    assert_eq!(due["today"][0]["id"], item, "{due}");
    admin.get("/api/v1/comms/calendar").await.expect(200);
    let engagement = admin.get("/api/v1/engagement").await.expect(200);
    let ana = engagement["people"].as_array().unwrap().iter().find(|p| p["person_id"] == author).cloned();
    assert_eq!(
        ana.map(|a| (a["submitted"].clone(), a["implemented"].clone())),
        Some((json!(1), json!(1))),
        "{engagement}"
    );

    // From a root cause: an idea linked to its (here: no) closed cases.
    let cause = id(&admin.post("/api/v1/root-causes", json!({"name": "Slow page"})).await.expect(201));
    let made = admin
        .post(
            &format!("/api/v1/root-causes/{cause}/idea"),
            json!({"title": "Faster page", "touchpoint_id": tp, "author_id": owner}),
        )
        .await
        .expect(201);
    assert_eq!((made["root_cause_id"].as_i64(), made["case_ids"].clone()), (Some(cause), json!([])));
}
