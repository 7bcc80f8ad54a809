//! The API of distribution, on both backends, with a real SMTP server
//! (aiosmtpd): a wave to a segment sends one e-mail per customer with a
//! personal link that opens, skips the unsubscribed and the recently
//! answered, reminds once after N days; the unsubscribe link works and is
//! honoured; a CSV reports its bad rows and invites the good ones;
//! templates, limits and ids are checked (422 naming the field); viewers
//! read but cannot write.

use crate::helpers::{run_with_state, test_config, Backend, Client, TestApp};
use crate::smtp::SmtpSink;
use crate::webhooks::eventually;
use chrono::{Duration as Days, Utc};
use rapport_core::role::Role;
use rapport_server::auth::secret;
use rapport_server::notify::distribution::tick;
use rapport_server::state::AppState;
use rapport_server::SmtpConfig;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::Duration;

const PUBLIC: &str = "https://cx.example";

/// Runs [`distribution_api`] with aiosmtpd as the SMTP server; skipped
/// without Python's aiosmtpd.
pub async fn with_smtp(backend: Backend) {
    let Some(smtp) = SmtpSink::start("survey distribution test").await else { return };
    let config = rapport_server::Config {
        smtp: Some(SmtpConfig { url: smtp.url(), from: "Rapport <rapport@example.com>".into() }),
        public_url: Some(PUBLIC.into()),
        ..test_config()
    };
    let mail = Mailbox { dir: smtp.maildir.clone(), python: smtp.python.clone() };
    run_with_state(backend, config, move |app, state| distribution_api(app, state, mail)).await;
}

/// The messages aiosmtpd stored, decoded by Python's e-mail package.
struct Mailbox {
    dir: PathBuf,
    python: String,
}

#[derive(Debug, Clone)]
struct Mail {
    to: String,
    subject: String,
    list_unsubscribe: String,
    body: String,
}

const READ_MAILDIR: &str = r#"
import email, email.policy, json, os, sys
out = []
d = os.path.join(sys.argv[1], "new")
for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
    with open(os.path.join(d, name), "rb") as f:
        m = email.message_from_binary_file(f, policy=email.policy.default)
    out.append({"to": str(m["To"]), "subject": str(m["Subject"]),
                "list_unsubscribe": str(m.get("List-Unsubscribe", "")), "body": m.get_content()})
print(json.dumps(out))
"#;

impl Mailbox {
    fn read(&self) -> Vec<Mail> {
        let out = std::process::Command::new(&self.python).args(["-c", READ_MAILDIR]).arg(&self.dir).output().unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{out:?}"));
        v.as_array()
            .unwrap()
            .iter()
            .map(|m| Mail {
                to: m["to"].as_str().unwrap().into(),
                subject: m["subject"].as_str().unwrap().into(),
                list_unsubscribe: m["list_unsubscribe"].as_str().unwrap().into(),
                body: m["body"].as_str().unwrap().into(),
            })
            .collect()
    }

    /// Waits until `n` messages arrived; all of them.
    async fn wait(&self, n: usize) -> Vec<Mail> {
        let got = eventually(&format!("{n} e-mails"), Duration::from_secs(30), || {
            let all = self.read();
            async move { (all.len() >= n).then_some(all) }
        })
        .await;
        assert_eq!(got.len(), n, "{got:#?}");
        got
    }
}

/// The first URL in `text` starting with `prefix`.
fn url_in(text: &str, prefix: &str) -> String {
    let start = text.find(prefix).unwrap_or_else(|| panic!("no {prefix} in {text}"));
    text[start..].split(|c: char| c.is_whitespace() || c == '>').next().unwrap().to_string()
}

async fn customer(c: &Client, id: &str, email: Option<&str>, plan: &str, language: Option<&str>) {
    let mut attributes = json!({"plan": plan});
    if let Some(l) = language {
        attributes["language"] = json!(l);
    }
    let body = json!({"external_id": id, "name": id.to_uppercase(), "email": email, "attributes": attributes});
    c.post("/api/v1/customers", body).await.expect(201);
}

async fn distribution_api(app: TestApp, state: AppState, mail: Mailbox) {
    let org = app.org("dist").await;
    let c = app.client(org.id, Role::Admin).await;
    let viewer = app.client(org.id, Role::Viewer).await;
    let (admin, viewer_token) = (token(&app, org.id, Role::Admin).await, token(&app, org.id, Role::Viewer).await);
    let stage = c.post("/api/v1/stages", json!({"name": "Deliver"})).await.expect(201)["id"].clone();
    let tp = c.post("/api/v1/touchpoints", json!({"name": "Delivery", "stage_id": stage, "channel": "web"})).await;
    let tp = tp.expect(201)["id"].as_i64().unwrap();
    let survey = json!({"touchpoint_id": tp, "title": {"en": "Your delivery", "es": "Su entrega"}, "fatigue_days": 30,
        "questions": [crate::helpers::nps_question()]});
    let survey = c.post("/api/v1/surveys", survey).await.expect(201);
    let (sid, token) = (survey["id"].as_i64().unwrap(), survey["token"].as_str().unwrap().to_string());
    c.post(&format!("/api/v1/surveys/{sid}/publish"), json!({})).await.expect(200);
    let seg = json!({"name": "Pro", "rule": {"conditions": [{"op": "equals", "attribute": "plan", "value": "pro"}]}});
    let seg = c.post("/api/v1/segments", seg).await.expect(201)["id"].as_i64().unwrap();
    customer(&c, "ana", Some("ana@example.com"), "pro", Some("es")).await;
    customer(&c, "ben", Some("ben@example.com"), "pro", None).await;
    customer(&c, "cai", Some("cai@example.com"), "pro", None).await;
    customer(&c, "dan", Some("dan@example.com"), "pro", None).await;
    customer(&c, "dee", None, "free", None).await;
    customer(&c, "fox", Some("fox@example.com"), "free", None).await;
    // Ben unsubscribed (by staff, at his request); Cai answered yesterday.
    let waves = format!("/api/v1/surveys/{sid}/waves");
    viewer.put("/api/v1/customers/ben/mail-status", json!({"unsubscribed": true})).await.expect(403);
    let st = c.put("/api/v1/customers/ben/mail-status", json!({"unsubscribed": true})).await.expect(200);
    assert_eq!(st["unsubscribed"], true);
    let yesterday = (Utc::now() - Days::days(1)).to_rfc3339();
    let answer = json!({"id": "cai-1", "survey": sid, "customer": "cai", "at": yesterday, "answers": {"nps": 8}});
    c.post("/api/v1/responses", answer).await.expect(201);

    // Refusals: a viewer, bad limits, unknown ids, an unknown placeholder.
    viewer.post(&waves, json!({"segment_id": seg})).await.expect(403);
    viewer.get(&waves).await.expect(200);
    c.post(&waves, json!({"segment_id": seg, "per_hour": 0, "reminder_days": 99})).await.expect_error(
        422,
        "invalid",
        Some("per_hour"),
    );
    let r = c.post(&waves, json!({"segment_id": seg, "reminder_days": 99})).await;
    r.expect_error(422, "invalid", Some("reminder_days"));
    c.post(&waves, json!({"segment_id": 999_999})).await.expect_error(422, "invalid", Some("segment_id"));
    c.post(&waves, json!({"customers": ["ana", "nobody"]})).await.expect_error(422, "invalid", Some("customers[1]"));
    c.post(&waves, json!({})).await.expect_error(422, "invalid", Some("segment_id"));
    c.post("/api/v1/surveys/999999/waves", json!({"segment_id": seg})).await.expect(404);
    let mut template = json!({"subject_en": "Hi {{name}}", "body_en": "{{link}}", "subject_es": "Hola",
        "body_es": "Hola {{nombre}}: {{link}}"});
    let r = c.post(&waves, json!({"segment_id": seg, "template": template})).await;
    r.expect_error(422, "invalid", Some("template.body_es"));
    assert!(r.json["error"]["fields"]["template.body_es"]["message"].as_str().unwrap().contains("{{nombre}}"));
    c.get(&format!("{waves}?limit=0")).await.expect_error(422, "invalid", Some("limit"));
    assert!(c.get(&waves).await.expect(200).as_array().unwrap().is_empty(), "nothing half-written");

    // A wave to the segment, with its own template and a 3-day reminder.
    template["body_es"] = json!("Hola {{name}}, {{company}} pregunta: {{link}}\nBaja: {{unsubscribe}}");
    template["body_en"] = json!("Hello {{name}}, {{company}} asks: {{link}}\nUnsubscribe: {{unsubscribe}}");
    let wave = c.post(&waves, json!({"segment_id": seg, "template": template, "reminder_days": 3})).await.expect(201);
    let wid = wave["id"].as_i64().unwrap();
    assert_eq!((wave["counts"]["invited"].as_i64(), wave["audience"].as_str()), (Some(4), Some("segment")));
    let now = Utc::now();
    let round = tick(&state, now).await;
    assert_eq!((round.sent, round.skipped), (2, 2), "{round:?}");
    assert_eq!(tick(&state, now).await.sent, 0, "each invitation goes once");
    let mails = mail.wait(2).await;
    let mut to: Vec<&str> = mails.iter().map(|m| m.to.as_str()).collect();
    to.sort();
    assert_eq!(to, vec!["ana@example.com", "dan@example.com"]);
    let ana = mails.iter().find(|m| m.to == "ana@example.com").unwrap();
    assert_eq!(ana.subject, "Hola");
    assert!(ana.body.starts_with("Hola ANA, Org dist pregunta: "), "{}", ana.body);
    assert!(ana.list_unsubscribe.starts_with(&format!("<{PUBLIC}/api/v1/unsubscribe?")), "{ana:?}");
    let dan = mails.iter().find(|m| m.to == "dan@example.com").unwrap().clone();
    assert!(dan.body.starts_with("Hello DAN, Org dist asks: "), "{}", dan.body);
    // Each personal link opens the survey (and counts as opened).
    for m in &mails {
        let link = url_in(&m.body, &format!("{PUBLIC}/s/{token}?c="));
        let page = app.anonymous().get(&link.replace(PUBLIC, "")).await;
        assert_eq!(page.status, 200, "{link}: {}", page.text);
    }
    let w = c.get(&format!("/api/v1/waves/{wid}")).await.expect(200);
    assert_eq!(w["counts"]["sent"], 2);
    assert_eq!(w["counts"]["skipped"], 2);
    assert_eq!(w["counts"]["opened"], 2);
    assert_eq!(w["opened_rate"], 100.0);
    let skipped = c.get(&format!("/api/v1/waves/{wid}/invitations?status=skipped")).await.expect(200);
    let reasons: Vec<(String, String)> = skipped
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["customer"].as_str().unwrap().into(), i["skip_reason"].as_str().unwrap().into()))
        .collect();
    assert_eq!(reasons, vec![("ben".into(), "unsubscribed".into()), ("cai".into(), "recently_answered".into())]);
    c.get(&format!("/api/v1/waves/{wid}/invitations?status=lost")).await.expect_error(422, "invalid", Some("status"));
    let page = c.get(&format!("/api/v1/waves/{wid}/invitations?limit=3")).await;
    assert_eq!(page.json.as_array().unwrap().len(), 3);
    assert!(page.next.is_some(), "a next page");

    // Ana answers; three days later Dan alone is reminded, once.
    let answer =
        json!({"id": "ana-1", "survey": sid, "customer": "ana", "at": Utc::now().to_rfc3339(), "answers": {"nps": 10}});
    c.post("/api/v1/responses", answer).await.expect(201);
    assert_eq!(tick(&state, now + Days::days(2)).await.reminded, 0, "not yet");
    assert_eq!(tick(&state, now + Days::days(3) + Days::minutes(1)).await.reminded, 1);
    assert_eq!(tick(&state, now + Days::days(9)).await.reminded, 0, "one reminder");
    let mails = mail.wait(3).await;
    let reminder = mails.iter().find(|m| m.subject.starts_with("Reminder: ")).unwrap();
    assert_eq!(reminder.to, "dan@example.com");
    let w = c.get(&format!("/api/v1/waves/{wid}")).await.expect(200);
    assert_eq!((w["counts"]["answered"].as_i64(), w["counts"]["reminded"].as_i64()), (Some(1), Some(1)));
    assert_eq!(w["answered_rate"], 50.0);

    // Dan's unsubscribe link: the page asks, the one-click POST does it; a
    // tampered one is refused.
    let page_url = url_in(&dan.body, &format!("{PUBLIC}/unsubscribe?"));
    let page = app.anonymous().get(&page_url.replace(PUBLIC, "")).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let one_click = dan.list_unsubscribe.trim_matches(['<', '>']).replace(PUBLIC, "");
    let tampered = one_click.replace("c=dan", "c=ana");
    let form = "application/x-www-form-urlencoded";
    assert_eq!(raw(&app, None, &tampered, form, "List-Unsubscribe=One-Click").await.0, 403);
    let done = raw(&app, None, &one_click, form, "List-Unsubscribe=One-Click").await;
    assert_eq!(done.0, 204, "{:?}", done.1);
    let st = c.get("/api/v1/customers/dan/mail-status").await.expect(200);
    assert_eq!((st["unsubscribed"].as_bool(), st["unsubscribed_by"].as_str()), (Some(true), Some("link")));
    assert_eq!(c.get("/api/v1/customers/ana/mail-status").await.expect(200)["unsubscribed"], false);
    // Honoured by the next wave.
    let w2 = c.post(&waves, json!({"customers": ["dan"]})).await.expect(201)["id"].as_i64().unwrap();
    assert_eq!(tick(&state, Utc::now()).await.skipped, 1);
    let inv = c.get(&format!("/api/v1/waves/{w2}/invitations")).await.expect(200);
    assert_eq!(inv[0]["skip_reason"], "unsubscribed");

    // A CSV: each bad row reported (line and reason), the good ones sent,
    // each in its row's language.
    let csv = "external_id,email,name,language\nfox,,Fox,es\n,x@example.com,,\nben,not-an-email,,\nzed,z@example.com,,\nfox,,,\nana,,,\n";
    let r = post_csv(&app, Some(&admin), &format!("{waves}/csv?reminder_days=0"), csv).await;
    assert_eq!(r.0, 201, "{}", r.1);
    let rows: Vec<(i64, String)> = r.1["row_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["line"].as_i64().unwrap(), e["reason"].as_str().unwrap().into()))
        .collect();
    assert_eq!(
        rows,
        vec![
            (3, "missing_external_id".into()),
            (4, "invalid_email".into()),
            (5, "unknown_customer".into()),
            (6, "duplicate".into())
        ]
    );
    assert_eq!(r.1["wave"]["counts"]["invited"], 2);
    assert_eq!(tick(&state, Utc::now()).await.sent, 1, "Ana answered today: skipped");
    let mails = mail.wait(4).await;
    let fox = mails.iter().find(|m| m.to == "fox@example.com").unwrap();
    assert_eq!(fox.subject, "Org dist quiere conocer su opinión", "the row's language");
    let r = post_csv(&app, Some(&admin), &format!("{waves}/csv"), "external_id\n\n,\n").await;
    assert_eq!(r.0, 422, "{}", r.1);
    assert!(r.1["error"]["fields"]["file"].is_object(), "{}", r.1);
    // Rows that name nobody known: no wave at all, the lines said.
    let before = c.get(&waves).await.expect(200).as_array().unwrap().len();
    let r = post_csv(&app, Some(&admin), &format!("{waves}/csv"), "2.220446049250313e-16\nnobody\n").await;
    assert_eq!((r.0, r.1["error"]["fields"]["file"]["code"].as_str()), (422, Some("no_valid_row")), "{}", r.1);
    assert!(r.1["error"]["fields"]["file"]["message"].as_str().unwrap().contains("line 2"), "{}", r.1);
    assert_eq!(c.get(&waves).await.expect(200).as_array().unwrap().len(), before, "no wave stored");
    let r = post_csv(&app, Some(&admin), &format!("{waves}/csv?per_hour=-1"), "fox\n").await;
    assert_eq!((r.0, r.1["error"]["fields"]["per_hour"].is_object()), (422, true), "{}", r.1);
    let r = post_csv(&app, Some(&viewer_token), &format!("{waves}/csv"), "fox\n").await;
    assert_eq!(r.0, 403);

    // Triggered surveys and thank-you notes: checked, then kept.
    let triggers = format!("/api/v1/surveys/{sid}/triggers");
    let r = c.post(&triggers, json!({"event_kind": "no such", "delay_hours": -1})).await;
    r.expect_error(422, "invalid", Some("event_kind"));
    c.post(&triggers, json!({"event_kind": "delivery", "delay_hours": 48, "touchpoint_id": 999_999}))
        .await
        .expect_error(422, "invalid", Some("touchpoint_id"));
    viewer.post(&triggers, json!({"event_kind": "delivery", "delay_hours": 48})).await.expect(403);
    let t = c.post(&triggers, json!({"event_kind": "delivery", "delay_hours": 48})).await.expect(201);
    assert_eq!(t["event_kind"], "custom:delivery");
    let tid = t["id"].as_i64().unwrap();
    let event = json!({"id": "dlv-1", "type": "custom:delivery", "customer": "fox", "at": Utc::now().to_rfc3339()});
    c.post("/api/v1/events", event.clone()).await.expect(201);
    c.post("/api/v1/events", event).await;
    assert_eq!(tick(&state, Utc::now() + Days::hours(47)).await.sent, 0, "not before 48 hours");
    assert_eq!(tick(&state, Utc::now() + Days::hours(49)).await.sent, 1);
    assert_eq!(tick(&state, Utc::now() + Days::hours(50)).await.sent, 0, "once");
    mail.wait(5).await;
    c.put(&format!("/api/v1/triggers/{tid}"), json!({"event_kind": "purchase", "delay_hours": 720})).await.expect(200);
    assert_eq!(c.get(&triggers).await.expect(200)[0]["delay_hours"], 720);
    let thanks = format!("/api/v1/surveys/{sid}/thanks");
    assert_eq!(c.get(&thanks).await.expect(200)["enabled"], false);
    let bad = json!({"template": {"subject_en": "Thanks", "body_en": "{{link}}", "subject_es": "Gracias", "body_es": "Gracias"}});
    c.put(&thanks, bad).await.expect_error(422, "invalid", Some("template.body_en"));
    let good = json!({"template": {"subject_en": "Thanks", "body_en": "Thanks {{name}}", "subject_es": "Gracias",
        "body_es": "Gracias {{name}}"}});
    assert_eq!(c.put(&thanks, good).await.expect(200)["enabled"], true);
    c.delete(&format!("/api/v1/triggers/{tid}")).await.expect(204);
    c.get(&format!("/api/v1/triggers/{tid}")).await.expect(404);

    // Another organization sees nothing of it.
    let other = app.org("dist-other").await;
    let o = app.client(other.id, Role::Admin).await;
    o.get(&format!("/api/v1/waves/{wid}")).await.expect(404);
    o.get(&format!("/api/v1/waves/{wid}/invitations")).await.expect(404);
    o.get("/api/v1/customers/dan/mail-status").await.expect(404);
    o.post(&waves, json!({"segment_id": seg})).await.expect(404);
}

/// Posts a CSV body (`text/csv`): status and JSON.
async fn post_csv(app: &TestApp, token: Option<&str>, path: &str, text: &str) -> (u16, Value) {
    raw(app, token, path, "text/csv", text).await
}

/// A POST of `body` as `content_type`, with a bearer token or none.
async fn raw(app: &TestApp, token: Option<&str>, path: &str, content_type: &str, body: &str) -> (u16, Value) {
    let mut req = reqwest::Client::new().post(format!("{}{path}", app.base)).header("content-type", content_type);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.body(body.to_string()).send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

/// A new API token of `role`.
async fn token(app: &TestApp, org: rapport_core::Id, role: Role) -> String {
    let t = secret::generate("rpt_");
    app.store.create_token(org, "distribution", role, &secret::digest(&t)).await.unwrap();
    t
}
