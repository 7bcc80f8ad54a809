//! Listening through the API (B1-B7, P7): bulk NDJSON ingestion with
//! idempotency and per-line rejection, personal links, feedback lists and
//! their filters, the customer timeline, erasure, survey import and the
//! real-time stream.

use crate::helpers::{id, nps_question, seed, Client, TestApp};
use rapport_core::role::Role;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

/// A stage, a touchpoint and a published survey (NPS + comment) on it.
pub(crate) async fn survey_setup(c: &Client) -> (i64, i64) {
    let stage = id(&c.post("/api/v1/stages", json!({"name": "Buy"})).await.expect(201));
    let tp = id(&c.post("/api/v1/touchpoints", json!({"name": "Checkout", "stage_id": stage})).await.expect(201));
    let survey = json!({"touchpoint_id": tp, "title": {"en": "After checkout", "es": "Tras la compra"},
        "questions": [nps_question(), {"key": "why", "type": "text", "text": {"en": "Why?", "es": "¿Por qué?"}}]});
    let survey = id(&c.post("/api/v1/surveys", survey).await.expect(201));
    c.post(&format!("/api/v1/surveys/{survey}/publish"), json!({})).await.expect(200);
    (tp, survey)
}

fn indexes(report: &Value, status: &str) -> Vec<u64> {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == status)
        .map(|i| i["index"].as_u64().unwrap())
        .collect()
}

pub const BULK: usize = 100_000;
/// Over 4 MB per request: beyond axum's default body limit of 2 MB.
const PER_REQUEST: usize = 25_000;

pub async fn bulk_ndjson_is_idempotent_and_rejects_by_line(app: TestApp) {
    let org = app.org("bulk").await;
    let c = app.client(org.id, Role::Admin).await;
    let (_, survey) = survey_setup(&c).await;
    let line = |i: usize| {
        let at = chrono::DateTime::from_timestamp(1_767_225_600 + i as i64, 0).unwrap().to_rfc3339();
        json!({"id": format!("r{i}"), "survey": survey, "customer": format!("c{}", i % 1000), "at": at,
            "answers": {"nps": i % 11, "why": "fine"}, "channel": "email"})
        .to_string()
    };
    let batches: Vec<String> = (0..BULK / PER_REQUEST)
        .map(|b| (b * PER_REQUEST..(b + 1) * PER_REQUEST).map(line).collect::<Vec<_>>().join("\n"))
        .collect();

    let started = Instant::now();
    for body in &batches {
        let r = c.ndjson("/api/v1/responses", body.clone()).await.expect(200);
        assert_eq!(
            (r["accepted"].as_u64(), r["rejected"].as_u64()),
            (Some(PER_REQUEST as u64), Some(0)),
            "{}",
            r["items"][0]
        );
    }
    let first = started.elapsed();
    assert_eq!(c.get("/api/v1/responses?limit=1").await.expect(200)["total"], BULK);

    let again = Instant::now();
    for body in &batches {
        let r = c.ndjson("/api/v1/responses", body.clone()).await.expect(200);
        assert_eq!((r["accepted"].as_u64(), r["duplicates"].as_u64()), (Some(0), Some(PER_REQUEST as u64)));
    }
    let second = again.elapsed();
    assert_eq!(c.get("/api/v1/responses?limit=1").await.expect(200)["total"], BULK);
    eprintln!(
        "bulk NDJSON on {}: {BULK} responses accepted in {first:.1?}, sent again (all duplicates) in {second:.1?}",
        app.store.backend()
    );

    // Malformed lines are reported by index; the rest is stored.
    let at = "2026-02-01T00:00:00Z";
    let good =
        |k: &str| json!({"id": k, "survey": survey, "customer": "c1", "at": at, "answers": {"nps": 7}}).to_string();
    let lines = [
        good("m0"),
        "{\"id\": \"m1\", \"survey\": ".to_string(),
        good("m2"),
        json!({"id": "m3", "survey": survey, "customer": 5, "at": at}).to_string(),
        json!({"id": "m4", "survey": 987_654_321, "customer": "c1", "at": at, "answers": {"nps": 7}}).to_string(),
        json!({"id": "m5", "survey": survey, "customer": "c1", "at": at, "answers": {"nps": 11}}).to_string(),
        String::new(),
        good("m7"),
        json!({"id": "m8", "survey": survey, "customer": "c1", "at": at, "answers": {"nps": "nine"}}).to_string(),
    ];
    let r = c.ndjson("/api/v1/responses", lines.join("\n")).await.expect(200);
    assert_eq!(indexes(&r, "rejected"), vec![1, 3, 4, 5, 8], "{r}");
    assert_eq!(indexes(&r, "accepted"), vec![0, 2, 7], "{r}");
    let errors =
        |index: u64| r["items"].as_array().unwrap().iter().find(|i| i["index"] == index).unwrap()["errors"].clone();
    assert_eq!(errors(1)["body"]["code"], "malformed");
    assert_eq!(errors(3)["customer"]["code"], "invalid_type");
    assert_eq!(errors(4)["survey"]["code"], "unknown_id");
    assert_eq!(errors(5)["answers.nps"]["code"], "out_of_range");
    assert!(errors(8)["answers.nps"].is_object(), "{r}");
    assert_eq!(c.get("/api/v1/responses?limit=1").await.expect(200)["total"], BULK + 3);
}

pub async fn personal_links_are_signed(app: TestApp) {
    let org = app.org("links").await;
    let c = app.client(org.id, Role::Admin).await;
    let p = seed(&c, "links").await;
    let survey = p.first("survey");
    let listed = c.get("/api/v1/surveys").await.expect(200);
    let token = listed[0]["token"].as_str().unwrap().to_string();
    let host = app.base.trim_start_matches("http://");
    assert_eq!(listed[0]["url"], format!("http://{host}/s/{token}"));
    assert_eq!(c.get(&format!("/api/v1/surveys/{survey}")).await.expect(200)["url"], listed[0]["url"]);

    let r = c
        .post(&format!("/api/v1/surveys/{survey}/links"), json!({"customer": "links-c1", "expires_in_days": 7}))
        .await
        .expect(200);
    let url = r["url"].as_str().unwrap();
    let query = url.strip_prefix(&format!("http://{host}/s/{token}?")).unwrap_or_else(|| panic!("{url}"));
    let part = |k: &str| query.split('&').find_map(|kv| kv.strip_prefix(&format!("{k}="))).unwrap().to_string();
    let secret = app.store.installation_secret("unused").await.unwrap();
    let now = chrono::Utc::now();
    let ok = rapport_server::auth::link::verify(secret.as_bytes(), &token, "links-c1", &part("e"), &part("sig"), now)
        .unwrap();
    assert_eq!(part("c"), "links-c1");
    let days = (ok.expires - now).num_hours();
    assert!((7 * 24 - 1..=7 * 24).contains(&days), "{days}");
    // The default is 30 days; another customer's link is another signature.
    let other = c.post(&format!("/api/v1/surveys/{survey}/links"), json!({"customer": "links-c2"})).await.expect(200);
    assert_ne!(other["url"], r["url"]);
    let verify =
        |c: &str| rapport_server::auth::link::verify(secret.as_bytes(), &token, c, &part("e"), &part("sig"), now);
    assert!(verify("links-c2").is_err());
    c.post("/api/v1/surveys/987654321/links", json!({"customer": "x"})).await.expect_error(404, "not_found", None);
    let viewer = app.client(org.id, Role::Viewer).await;
    viewer.post(&format!("/api/v1/surveys/{survey}/links"), json!({"customer": "x"})).await.expect_error(
        403,
        "forbidden",
        None,
    );
}

pub async fn lists_timeline_and_erasure(app: TestApp) {
    let org = app.org("feed").await;
    let c = app.client(org.id, Role::Admin).await;
    let (tp, survey) = survey_setup(&c).await;
    let tp2 = id(&c.get("/api/v1/stages").await.expect(200)[0]);
    let tp2 = id(&c.post("/api/v1/touchpoints", json!({"name": "Delivery", "stage_id": tp2})).await.expect(201));

    // Customers by NDJSON, upserted by external id.
    let customers = [
        json!({"external_id": "ana", "email": "ana.secret@example.com", "name": "Ana Pérez", "attributes": {"plan": "pro"}}),
        json!({"external_id": "bob", "email": "bob@example.com", "attributes": {"plan": "free"}}),
        json!({"external_id": "ana", "email": "ana.secret@example.com", "name": "Ana Pérez", "attributes": {"plan": "pro", "vip": true}}),
        json!({"email": "nobody@example.com"}),
    ];
    let body = customers.iter().map(Value::to_string).collect::<Vec<_>>().join("\n");
    let r = c.ndjson("/api/v1/customers", body).await.expect(200);
    assert_eq!((r["accepted"].as_u64(), r["rejected"].as_u64()), (Some(3), Some(1)), "{r}");
    assert_eq!(indexes(&r, "rejected"), vec![3]);
    assert_eq!(c.get("/api/v1/customers/ana").await.expect(200)["attributes"]["vip"], true);
    assert_eq!(c.get("/api/v1/customers?q=SECRET").await.expect(200).as_array().unwrap().len(), 1);
    assert_eq!(c.get("/api/v1/customers?q=example").await.expect(200).as_array().unwrap().len(), 2);

    // Events by NDJSON.
    let events = [
        json!({"id": "e1", "type": "purchase", "customer": "ana", "at": "2026-03-01T09:00:00Z", "touchpoint": tp, "amount": 20.0, "attributes": {"sku": "ana-sku"}}),
        json!({"id": "e2", "type": "custom:upgrade", "customer": "ana", "at": "2026-03-03T09:00:00Z"}),
        json!({"id": "e3", "type": "refund", "customer": "bob", "at": "2026-03-02T09:00:00Z", "touchpoint": tp2}),
        json!({"id": "e4", "type": "teleport", "customer": "bob", "at": "2026-03-02T09:00:00Z"}),
        json!({"id": "e1", "type": "purchase", "customer": "ana", "at": "2026-03-01T09:00:00Z"}),
    ];
    let body = events.iter().map(Value::to_string).collect::<Vec<_>>().join("\n");
    let r = c.ndjson("/api/v1/events", body).await.expect(200);
    assert_eq!(
        (indexes(&r, "accepted"), indexes(&r, "rejected"), indexes(&r, "duplicate")),
        (vec![0, 1, 2], vec![3], vec![4]),
        "{r}"
    );
    // A single event: 201, then 200 as a duplicate, 422 when invalid.
    let single = json!({"id": "e5", "type": "contact", "customer": "bob", "at": "2026-03-04T09:00:00Z"});
    c.post("/api/v1/events", single.clone()).await.expect(201);
    assert_eq!(c.post("/api/v1/events", single).await.expect(200)["duplicates"], 1);
    c.post("/api/v1/events", json!({"type": "contact", "customer": "bob"})).await.expect_error(
        422,
        "invalid",
        Some("at"),
    );

    // Responses: a JSON array.
    let responses = json!([
        {"id": "r1", "survey": survey, "customer": "ana", "at": "2026-03-02T12:00:00Z", "answers": {"nps": 3, "why": "ana.secret@example.com here"}, "comment": "Call ana"},
        {"id": "r2", "survey": survey, "customer": "bob", "at": "2026-03-05T12:00:00Z", "answers": {"nps": 10}},
        {"id": "r3", "touchpoint": tp2, "customer": "ana", "at": "2026-03-06T12:00:00Z", "comment": "Late delivery"},
    ]);
    assert_eq!(c.post("/api/v1/responses", responses).await.expect(200)["accepted"], 3);

    // Filters and totals.
    let total = |path: String| {
        let c = c.clone();
        async move { c.get(&path).await.expect(200)["total"].as_i64().unwrap() }
    };
    assert_eq!(total("/api/v1/responses".into()).await, 3);
    assert_eq!(total("/api/v1/responses?customer=ana".into()).await, 2);
    assert_eq!(total(format!("/api/v1/responses?touchpoint={tp2}")).await, 1);
    assert_eq!(total(format!("/api/v1/responses?survey={survey}")).await, 2);
    assert_eq!(total("/api/v1/responses?from=2026-03-05".into()).await, 2);
    assert_eq!(total("/api/v1/responses?to=2026-03-05".into()).await, 1);
    assert_eq!(total("/api/v1/responses?from=2026-03-02T12:00:00Z&to=2026-03-06T12:00:00Z".into()).await, 2);
    assert_eq!(total("/api/v1/events?customer=ana".into()).await, 2);
    assert_eq!(total(format!("/api/v1/events?touchpoint={tp}")).await, 1);
    assert_eq!(total("/api/v1/events?from=2026-03-02&to=2026-03-04".into()).await, 2);
    let first = c.get("/api/v1/events?limit=1").await.expect(200);
    let next = first["next"].as_str().unwrap();
    let page = c.get(&format!("/api/v1/events?limit=2&after={next}")).await.expect(200);
    assert_eq!(page["total"].as_i64(), Some(4));
    let keys: Vec<&str> = page["items"].as_array().unwrap().iter().map(|e| e["key"].as_str().unwrap()).collect();
    assert_eq!(keys, vec!["e2", "e3"], "newest first, after the first page: {page}");

    // The timeline: responses and events, newest first.
    let t = c.get("/api/v1/customers/ana/timeline").await.expect(200);
    assert_eq!(t["customer"]["external_id"], "ana");
    let order: Vec<(String, String)> = t["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["kind"].as_str().unwrap().to_string(), i["key"].as_str().unwrap_or("").to_string()))
        .collect();
    let want = [("response", "r3"), ("event", "e2"), ("response", "r1"), ("event", "e1")];
    assert_eq!(order, want.map(|(a, b)| (a.to_string(), b.to_string())), "{t}");
    c.get("/api/v1/customers/nobody/timeline").await.expect_error(404, "not_found", None);

    // Erasure: a viewer may not; then nothing names Ana any more.
    let viewer = app.client(org.id, Role::Viewer).await;
    viewer.delete("/api/v1/customers/ana").await.expect_error(403, "forbidden", None);
    assert_eq!(c.delete("/api/v1/customers/ana").await.status, 204);
    c.get("/api/v1/customers/ana").await.expect_error(404, "not_found", None);
    c.get("/api/v1/customers/ana/timeline").await.expect_error(404, "not_found", None);
    c.delete("/api/v1/customers/ana").await.expect_error(404, "not_found", None);
    for path in ["/api/v1/responses", "/api/v1/events", "/api/v1/customers", "/api/v1/customers?q=ana"] {
        let text = c.get(path).await.text.to_lowercase();
        for personal in ["ana.secret", "\"ana\"", "pérez", "call ana", "ana-sku", "late delivery"] {
            assert!(!text.contains(personal), "{path} still shows {personal}: {text}");
        }
    }
    // Scores are kept anonymously.
    assert_eq!(total("/api/v1/responses".into()).await, 3);
    assert_eq!(total("/api/v1/responses?customer=ana".into()).await, 0);
    let scores = c.get(&format!("/api/v1/responses?survey={survey}")).await.expect(200);
    let mut nps: Vec<i64> =
        scores["items"].as_array().unwrap().iter().map(|r| r["answers"]["nps"].as_i64().unwrap()).collect();
    nps.sort();
    assert_eq!(nps, vec![3, 10]);
}

/// A survey downloads as SurveyJS JSON, and that file imports back to the
/// same questions.
pub async fn survey_exports_as_surveyjs(app: TestApp) {
    let org = app.org("export-sjs").await;
    let c = app.client(org.id, Role::Admin).await;
    let p = seed(&c, "export-sjs").await;
    let tp = p.first("touchpoint");
    let questions = json!([
        {"key": "welcome", "type": "text_block", "text": {"en": "<p>Hello</p>", "es": "<p>Hola</p>"}},
        {"key": "nps", "type": "nps", "text": {"en": "Recommend us?", "es": "¿Nos recomendaría?"}, "required": true},
        {"key": "visit", "type": "matrix", "text": {"en": "Rate your visit", "es": "Valore su visita"}, "scale_min": 1, "scale_max": 5,
         "rows": [{"key": "staff", "label": {"en": "Staff", "es": "Personal"}}], "not_applicable": true},
        {"key": "why", "type": "text", "text": {"en": "Why?", "es": "¿Por qué?"},
         "show_if": {"question": "visit.staff", "op": "lte", "value": 2, "or": {"question": "nps", "op": "lt", "value": 7}}}
    ]);
    let created = c
        .post(
            "/api/v1/surveys",
            json!({"touchpoint_id": tp, "title": {"en": "Visit", "es": "Visita"}, "questions": questions}),
        )
        .await
        .expect(201);
    let id = created["id"].as_i64().unwrap();
    let viewer = app.client(org.id, Role::Viewer).await;
    let r = viewer.get(&format!("/api/v1/surveys/{id}/surveyjs")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.disposition.as_deref().is_some_and(|d| d.starts_with("attachment")), "{:?}", r.disposition);
    assert_eq!(r.json["title"]["es"], "Visita");
    let back = c
        .post("/api/v1/surveys/import", json!({"touchpoint_id": tp, "format": "surveyjs", "source": r.text}))
        .await
        .expect(201);
    assert_eq!(back["survey"]["questions"], created["questions"], "{}", r.text);
    assert_eq!(back["report"], json!([]));
    c.get("/api/v1/surveys/999999/surveyjs").await.expect_error(404, "not_found", None);
}

pub async fn survey_import_reports_what_it_skips(app: TestApp) {
    let org = app.org("import").await;
    let c = app.client(org.id, Role::Admin).await;
    let p = seed(&c, "import").await;
    let tp = p.first("touchpoint");
    let source = json!({
        "title": {"default": "Delivery", "es": "Entrega"},
        "pages": [{"name": "p1", "elements": [
            {"type": "rating", "name": "nps", "title": {"default": "Recommend us?", "es": "¿Nos recomendarías?"}, "rateMin": 0, "rateMax": 10},
            {"type": "radiogroup", "name": "speed", "title": "Was it fast?", "choices": ["yes", "no"]},
            {"type": "comment", "name": "why", "title": {"default": "Why?", "es": "¿Por qué?"}},
            {"type": "file", "name": "photo", "title": "A photo"}
        ]}]
    })
    .to_string();
    let r = c
        .post("/api/v1/surveys/import", json!({"touchpoint_id": tp, "format": "surveyjs", "source": source}))
        .await
        .expect(201);
    let keys: Vec<&str> =
        r["survey"]["questions"].as_array().unwrap().iter().map(|q| q["key"].as_str().unwrap()).collect();
    assert_eq!(keys, vec!["nps", "speed", "why"], "{r}");
    assert_eq!(r["survey"]["status"], "draft");
    assert_eq!(r["survey"]["title"]["es"], "Entrega");
    assert!(r["survey"]["url"].as_str().unwrap().contains("/s/"));
    let report = r["report"].as_array().unwrap();
    assert_eq!(report.len(), 1, "{r}");
    assert_eq!((report[0]["element"].as_str(), report[0]["kind"].as_str()), (Some("photo"), Some("file")));
    let id = r["survey"]["id"].as_i64().unwrap();
    assert_eq!(c.get(&format!("/api/v1/surveys/{id}")).await.expect(200)["questions"].as_array().unwrap().len(), 3);
    // The format is recognised when not given; a broken file names `source`.
    c.post("/api/v1/surveys/import", json!({"touchpoint_id": tp, "source": source})).await.expect(201);
    c.post("/api/v1/surveys/import", json!({"touchpoint_id": tp, "format": "qsf", "source": "{}"})).await.expect_error(
        422,
        "invalid",
        Some("source"),
    );
}

/// Reads the stream until an event named `name` arrives, or a second passes.
pub(crate) async fn next_event(stream: &mut reqwest::Response, name: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut buffer = String::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let chunk = tokio::time::timeout(left, stream.chunk()).await;
        let chunk = chunk.unwrap_or_else(|_| panic!("no `{name}` event within a second; got {buffer:?}"));
        buffer.push_str(&String::from_utf8_lossy(&chunk.expect("stream").expect("stream open")));
        for block in buffer.split("\n\n") {
            let mut lines = block.lines();
            if lines.clone().any(|l| l == format!("event: {name}")) {
                let data = lines.find_map(|l| l.strip_prefix("data: ")).expect("data");
                return serde_json::from_str(data).expect("JSON data");
            }
        }
    }
}

/// On one server: a response accepted is streamed to a connected client, and
/// other organizations' are not.
pub async fn stream_delivers_within_a_second(app: TestApp) {
    stream_story(app.clone(), app).await
}

/// Two servers on one PostgreSQL: a client of X hears what Y accepted.
pub async fn stream_across_servers(x: TestApp, y: TestApp) {
    stream_story(x, y).await
}

async fn stream_story(x: TestApp, y: TestApp) {
    let org = y.org("live").await;
    let other = y.org("other").await;
    let on_y = y.client(org.id, Role::Admin).await;
    let other_y = y.client(other.id, Role::Admin).await;
    let on_x = x.client(org.id, Role::Viewer).await;
    let (tp, survey) = survey_setup(&on_y).await;
    let (other_tp, _) = survey_setup(&other_y).await;
    x.anonymous().get("/api/v1/stream").await.expect_error(401, "unauthorized", None);

    let mut stream = on_x.open_stream("/api/v1/stream").await;
    assert_eq!(stream.status(), 200);
    assert!(stream.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    // Another organization's response first: it must not be delivered.
    other_y
        .post(
            "/api/v1/responses",
            json!({"touchpoint": other_tp, "at": "2026-03-01T10:00:00Z", "comment": "not yours"}),
        )
        .await
        .expect(201);
    let sent = Instant::now();
    let r = json!({"id": "live-1", "survey": survey, "customer": "ana", "at": "2026-03-01T10:00:00Z", "answers": {"nps": 8}});
    on_y.post("/api/v1/responses", r).await.expect(201);
    let got = next_event(&mut stream, "response").await;
    assert_eq!((got["key"].as_str(), got["answers"]["nps"].as_i64()), (Some("live-1"), Some(8)), "{got}");
    let event = json!({"type": "purchase", "customer": "ana", "at": "2026-03-01T10:00:00Z", "touchpoint": tp});
    on_y.post("/api/v1/events", event).await.expect(201);
    let got = next_event(&mut stream, "event").await;
    assert_eq!(got["type"], "purchase", "{got}");
    eprintln!("stream on {}: both delivered {:.0?} after the first was sent", y.store.backend(), sent.elapsed());
}

/// The public page of a personal link on this backend: a tampered link
/// answers 400 and stores nothing; a valid answer is stored once, shows up
/// in the customer's timeline, and the fatigue rule then thanks the customer
/// instead of asking again.
pub async fn public_page_links_and_fatigue(app: TestApp) {
    let org = app.org("public").await;
    let c = app.client(org.id, Role::Admin).await;
    let p = seed(&c, "public").await;
    let tp = p.first("touchpoint");
    let survey = json!({"touchpoint_id": tp, "title": {"en": "After delivery", "es": "Tras la entrega"},
        "questions": [nps_question()], "fatigue_days": 30});
    let survey = id(&c.post("/api/v1/surveys", survey).await.expect(201));
    c.post(&format!("/api/v1/surveys/{survey}/publish"), json!({})).await.expect(200);
    let link = c.post(&format!("/api/v1/surveys/{survey}/links"), json!({"customer": "public-c9"})).await.expect(200);
    let url = link["url"].as_str().unwrap().to_string();
    let count = || async { c.get(&format!("/api/v1/responses?survey={survey}")).await.expect(200)["total"].clone() };
    let web = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();

    let page = web.get(format!("{url}&lang=es")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"survey-form\"") && html.contains("lang=\"es\""), "{html}");
    let nonce = html.split("name=\"nonce\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let form = [("nonce", nonce.as_str()), ("shown", "nps"), ("q.nps", "9")];

    let tampered = format!("{}{}", &url[..url.len() - 1], if url.ends_with('0') { '1' } else { '0' });
    assert_eq!(web.get(&tampered).send().await.unwrap().status(), 400);
    assert_eq!(web.post(&tampered).form(&form).send().await.unwrap().status(), 400);
    assert_eq!(count().await, json!(0), "a tampered link stores nothing");

    let posted = web.post(&url).form(&form).send().await.unwrap();
    assert_eq!(posted.status(), 303, "{}", posted.text().await.unwrap());
    let again = web.post(&url).form(&form).send().await.unwrap();
    assert!(again.status().is_success() || again.status().is_redirection(), "{}", again.status());
    assert_eq!(count().await, json!(1), "posted twice, stored once");
    let timeline = c.get("/api/v1/customers/public-c9/timeline").await.expect(200);
    assert_eq!(timeline["items"][0]["answers"]["nps"], json!(9));

    let html = web.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("id=\"survey-already\"") && !html.contains("id=\"survey-form\""), "{html}");
}

/// The server runs as `rapport serve` runs it: each connection's peer
/// address is attached, so the public form's rate limit counts per socket
/// address and a client cannot dodge it by sending a new `X-Forwarded-For`
/// with each post.
pub async fn public_posts_are_limited_by_peer_address(app: TestApp) {
    let org = app.org("limited").await;
    let c = app.client(org.id, Role::Admin).await;
    let (_, survey) = survey_setup(&c).await;
    let token = c.get(&format!("/api/v1/surveys/{survey}")).await.expect(200)["token"].as_str().unwrap().to_string();
    let web = reqwest::Client::new();
    // Unanswered (the NPS question is required): refused with 422 and
    // nothing stored, until the limit answers 429.
    let mut statuses = vec![];
    for n in 1..=100 {
        let status = web
            .post(format!("{}/s/{token}", app.base))
            .header("x-forwarded-for", format!("203.0.113.{n}"))
            .form(&[("shown", "nps"), ("shown", "why")])
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        statuses.push(status);
        if status == 429 {
            break;
        }
    }
    let limited = statuses.len() - 1;
    assert_eq!(statuses.last(), Some(&429), "never limited, though each post came from 127.0.0.1: {statuses:?}");
    assert!(limited >= 1 && statuses[..limited].iter().all(|s| *s == 422), "{statuses:?}");
    let page = web
        .post(format!("{}/s/{token}", app.base))
        .header("x-forwarded-for", "198.51.100.7")
        .form(&[("shown", "nps"), ("shown", "why")])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 429);
    assert!(page.text().await.unwrap().contains("id=\"survey-rate-limited\""));
    assert_eq!(c.get(&format!("/api/v1/responses?survey={survey}")).await.expect(200)["total"], json!(0));
}
