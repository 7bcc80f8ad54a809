//! Dashboards on a read replica (`--read-database-url`): the server built
//! with a read URL shows the same figures as one without it when both URLs
//! name one database, shows the *read* database's figures when they differ
//! (so the reads really go there), writes to the primary, and refuses a read
//! URL that is not PostgreSQL or whose schema is behind the binary's.
//!
//! A real hot standby is not started here: the read store's sessions are
//! read-only (`default_transaction_read_only`), as a standby's are, so a
//! write sent through it would fail these tests.

use crate::helpers::{id, nps_question, seed, settings, spawn, test_config, TestApp};
use chrono::{Duration, Utc};
use rapport_core::org::NewOrganization;
use rapport_core::role::Role;
use rapport_core::Id;
use rapport_server::{Application, Settings, StartError};
use rapport_store::{Accounts, Store, StoreError};
use rapport_store_postgres::PostgresStore;
use rapport_store_tests::pg;
use serde_json::{json, Value};
use std::future::Future;
use std::sync::Arc;

/// A server built with `read_url` as its read database, serving until dropped.
struct ReplicaServer {
    base: String,
    store: Arc<dyn Store>,
    read_store: Arc<dyn Store>,
    http: reqwest::Client,
    task: tokio::task::JoinHandle<()>,
    _dir: tempfile::TempDir,
}

impl Drop for ReplicaServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ReplicaServer {
    async fn start(primary_url: &str, read_url: &str) -> ReplicaServer {
        let dir = tempfile::tempdir().expect("temporary directory");
        let s = Settings {
            read_database_url: Some(read_url.to_string()),
            ..settings(Some(primary_url.to_string()), dir.path(), test_config())
        };
        let app = Application::build(s).await.expect("build the application with a read database");
        let (store, read_store) = (app.store().clone(), app.read_store().clone());
        let base = format!("http://{}", app.address());
        let task = tokio::spawn(async move { app.run_until(std::future::pending()).await.expect("serve") });
        ReplicaServer { base, store, read_store, http: reqwest::Client::new(), task, _dir: dir }
    }

    async fn send(&self, req: reqwest::RequestBuilder, what: &str) -> (u16, String) {
        let resp = req.send().await.unwrap_or_else(|e| panic!("{what}: {e}"));
        (resp.status().as_u16(), resp.text().await.expect("body"))
    }

    async fn get(&self, token: &str, path: &str) -> (u16, String) {
        self.send(self.http.get(format!("{}{path}", self.base)).bearer_auth(token), path).await
    }

    async fn post(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        let (status, text) =
            self.send(self.http.post(format!("{}{path}", self.base)).bearer_auth(token).json(&body), path).await;
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
}

/// A client's bearer token, to call another server on the same primary.
async fn admin_token(app: &TestApp, org: Id) -> String {
    let token = rapport_server::auth::secret::generate("rpt_");
    let digest = rapport_server::auth::secret::digest(&token);
    app.store.create_token(org, "replica-test", Role::Admin, &digest).await.expect("token");
    token
}

/// Runs `story` with fresh PostgreSQL databases (skipped without
/// PostgreSQL), dropping them afterwards, also when the story panics.
async fn with_databases<F, Fut>(count: usize, story: F)
where
    F: FnOnce(Vec<String>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(server) = pg::server_url() else { return };
    let mut urls = vec![];
    let mut drops = vec![];
    for _ in 0..count {
        let (url, drop_database) = pg::fresh_database(&server).await;
        urls.push(url);
        drops.push(drop_database);
    }
    let outcome = tokio::spawn(story(urls)).await;
    for d in drops {
        d.await;
    }
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("story did not finish: {e}"),
        }
    }
}

/// A seeded program (see `helpers::seed`) and, over the last days, NPS
/// answers (`promoters` 10s and `detractors` 2s, each from its own customer)
/// and purchases. Returns the organization, the experience and a touchpoint.
async fn program(app: &TestApp, promoters: usize, detractors: usize) -> (Id, Id, Id) {
    let org = app.org("acme").await;
    let c = app.client(org.id, Role::Admin).await;
    let p = seed(&c, "rep").await;
    let tp = p.first("touchpoint");
    let survey = json!({"touchpoint_id": tp, "title": {"en": "NPS", "es": "NPS"}, "questions": [nps_question()], "fatigue_days": 0});
    let survey = id(&c.post("/api/v1/surveys", survey).await.expect(201));
    c.post(&format!("/api/v1/surveys/{survey}/publish"), json!({})).await.expect(200);
    let scores = std::iter::repeat_n(10, promoters).chain(std::iter::repeat_n(2, detractors));
    let lines: Vec<String> = scores
        .enumerate()
        .map(|(i, s)| {
            let at = (Utc::now() - Duration::days(1 + (i % 20) as i64)).to_rfc3339();
            json!({"id": format!("nps-{i}"), "survey": survey, "customer": format!("buyer-{i}"), "at": at, "answers": {"nps": s}})
                .to_string()
        })
        .collect();
    c.ndjson("/api/v1/responses", lines.join("\n")).await.expect(200);
    let events: Vec<String> = (0..12)
        .map(|i| {
            let at = (Utc::now() - Duration::days(2 + (i % 3) as i64)).to_rfc3339();
            json!({"id": format!("buy-{i}"), "type": "purchase", "customer": format!("buyer-{}", i % 8), "at": at, "touchpoint": tp})
                .to_string()
        })
        .collect();
    c.ndjson("/api/v1/events", events.join("\n")).await.expect(200);
    (org.id, p.first("experience"), tp)
}

/// What the dashboard, its exports and the read APIs answer, by path.
fn read_paths(exp: Id, tp: Id) -> Vec<String> {
    let mut paths: Vec<String> = [
        "/dashboard",
        "/dashboard/tiles.json",
        "/dashboard?format=csv&table=tiles",
        "/dashboard?format=csv&table=criteria",
        "/dashboard?format=csv&table=goals",
        "/dashboard?period=30d&format=csv&table=tiles",
        "/api/v1/metrics?metric=nps&interval=week",
        "/api/v1/metrics?metric=csat&interval=all",
        "/api/v1/metrics?metric=repeat_purchase_rate&interval=month",
        "/api/v1/engagement",
        "/api/v1/root-causes/report",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    for table in ["touchpoints", "series", "outcomes"] {
        paths.push(format!("/dashboard/experiences/{exp}?format=csv&table={table}"));
    }
    paths.push(format!("/dashboard/experiences/{exp}"));
    paths.push(format!("/dashboard/touchpoints/{tp}"));
    paths.push(format!("/dashboard/touchpoints/{tp}?format=csv"));
    paths.push(format!("/api/v1/metrics?metric=nps&experience={exp}&interval=all"));
    paths.push(format!("/api/v1/experiences/{exp}/plan"));
    paths.push(format!("/experiences/{exp}/plan"));
    paths
}

async fn get_text(app: &TestApp, token: &str, path: &str) -> String {
    let r = crate::helpers::Client::with_token(app, token).get(path).await;
    assert_eq!(r.status, 200, "GET {path} without a read URL: {}", r.text);
    r.text
}

/// Both URLs on one database: every figure equals a plain server's; writes
/// (API writes, intent statuses recorded on reading) land on the primary.
async fn same_database(urls: Vec<String>) {
    let url = &urls[0];
    let (plain, _plain_server) = spawn(Some(url.clone()), test_config()).await;
    let (org, exp, tp) = program(&plain, 30, 10).await;
    let token = admin_token(&plain, org).await;
    let replica = ReplicaServer::start(url, url).await;
    assert!(!Arc::ptr_eq(&replica.store, &replica.read_store), "a read URL opens its own store");

    let tiles = get_text(&plain, &token, "/dashboard/tiles.json").await;
    let tiles: Value = serde_json::from_str(&tiles).expect("tiles.json");
    let nps = tiles["tiles"].as_array().and_then(|t| t.iter().find(|t| t["metric"] == "nps")).cloned();
    let n = nps.as_ref().and_then(|t| t["n"].as_i64()).unwrap_or(0);
    assert!(n >= 40, "the figures compared are not empty: {tiles}");
    for path in read_paths(exp, tp) {
        let expected = get_text(&plain, &token, &path).await;
        let (status, text) = replica.get(&token, &path).await;
        assert_eq!(status, 200, "GET {path} with a read URL: {text}");
        assert_eq!(text, expected, "GET {path}: a server with a read URL shows other figures");
    }
    let criteria = |text: &str| serde_json::from_str::<Value>(text).expect("JSON")["criteria"].clone();
    let (status, with_reads) = replica.get(&token, "/api/v1/intent/status").await;
    assert_eq!(status, 200, "{with_reads}");
    assert_eq!(criteria(&with_reads), criteria(&get_text(&plain, &token, "/api/v1/intent/status").await));

    // Writes through the server with a read URL land on the primary.
    let (status, person) =
        replica.post(&token, "/api/v1/people", json!({"name": "Via replica", "email": "via@replica.example"})).await;
    assert_eq!(status, 201, "{person}");
    let people = get_text(&plain, &token, "/api/v1/people").await;
    assert!(people.contains("via@replica.example"), "the new person is on the primary: {people}");
    let surveys = serde_json::from_str::<Value>(&get_text(&plain, &token, "/api/v1/surveys").await).expect("surveys");
    let survey = surveys.as_array().and_then(|s| s.iter().find(|s| s["title"]["en"] == "NPS")).expect("the NPS survey");
    let nps = format!("/api/v1/metrics?metric=nps&experience={exp}&interval=all");
    let before = serde_json::from_str::<Value>(&get_text(&plain, &token, &nps).await).expect("metrics");
    let response = json!({"id": "via-replica", "survey": survey["id"], "customer": "via-replica-c",
        "at": (Utc::now() - Duration::hours(1)).to_rfc3339(), "answers": {"nps": 10}});
    let (status, stored) = replica.post(&token, "/api/v1/responses", response).await;
    assert_eq!(status, 201, "{stored}");
    let (_, after) = replica.get(&token, &nps).await;
    let after: Value = serde_json::from_str(&after).expect("metrics");
    let n = |m: &Value| m["series"][0]["n"].as_i64().unwrap_or(-1);
    assert_eq!(n(&after), n(&before) + 1, "the new answer is counted: {before} then {after}");

    // Reading the intent status records what changed, on the primary: a new
    // version's criteria have no status until someone looks.
    let intent = json!({"statement": "Recommended", "criteria": [
        {"metric": "nps", "scope": {"kind": "organization"}, "comparator": "at_least", "threshold": 10, "margin": 5}]});
    let (status, version) = replica.post(&token, "/api/v1/intent/versions", intent).await;
    assert_eq!(status, 201, "{version}");
    let version = id(&version);
    let (status, monitor) = replica.get(&token, "/api/v1/intent/status").await;
    assert_eq!(status, 200, "{monitor}");
    let history = plain.store.intent_status_history(org, 50).await.expect("history");
    assert!(
        history.iter().any(|h| h.version_id == version && h.criterion == 0),
        "the status was recorded on the primary: {history:?}"
    );

    // The read handle itself refuses writes.
    let refused = replica.read_store.create_org(&NewOrganization::parse("nope", "Nope").unwrap()).await;
    assert!(matches!(refused, Err(StoreError::Internal(_))), "a write through the read store: {refused:?}");
}

/// The read URL names another database with the same schema and other data:
/// the dashboard, tiles.json, the metrics and an export show the *read*
/// database's numbers, while writes go to the primary.
async fn reads_go_to_the_read_database(urls: Vec<String>) {
    let (primary_url, read_url) = (&urls[0], &urls[1]);
    let (primary, _a) = spawn(Some(primary_url.clone()), test_config()).await;
    let (reads, _b) = spawn(Some(read_url.clone()), test_config()).await;
    // The same program in both, with opposite answers.
    let (org, exp, tp) = program(&primary, 40, 0).await;
    let (org_b, exp_b, tp_b) = program(&reads, 0, 40).await;
    assert_eq!((org, exp, tp), (org_b, exp_b, tp_b), "both databases number the program alike");
    let token = admin_token(&primary, org).await;
    let token_b = admin_token(&reads, org).await;
    let replica = ReplicaServer::start(primary_url, read_url).await;

    let nps = "/api/v1/metrics?metric=nps&interval=all";
    let read_nps: Value = serde_json::from_str(&get_text(&reads, &token_b, nps).await).expect("metrics");
    assert!(read_nps["series"][0]["value"].as_f64().is_some_and(|v| v < -90.0), "{read_nps}");
    let paths = [
        nps.to_string(),
        "/dashboard/tiles.json".into(),
        "/dashboard?format=csv&table=tiles".into(),
        format!("/dashboard/experiences/{exp}?format=csv&table=touchpoints"),
        "/dashboard".into(),
    ];
    for path in paths {
        let (status, text) = replica.get(&token, &path).await;
        assert_eq!(status, 200, "GET {path}: {text}");
        assert_eq!(text, get_text(&reads, &token_b, &path).await, "GET {path} shows the read database's figures");
        assert_ne!(text, get_text(&primary, &token, &path).await, "GET {path} does not show the primary's");
    }

    // A write goes to the primary, not to the read database.
    let (status, body) =
        replica.post(&token, "/api/v1/people", json!({"name": "Written", "email": "written@primary.example"})).await;
    assert_eq!(status, 201, "{body}");
    assert!(get_text(&primary, &token, "/api/v1/people").await.contains("written@primary.example"));
    assert!(!get_text(&reads, &token_b, "/api/v1/people").await.contains("written@primary.example"));
}

#[tokio::test]
async fn figures_with_a_read_url_equal_those_without_on_postgres() {
    with_databases(1, same_database).await
}

#[tokio::test]
async fn reads_come_from_the_read_database_on_postgres() {
    with_databases(2, reads_go_to_the_read_database).await
}

fn refusal(e: StartError) -> String {
    match e {
        StartError::ReadStorage(StoreError::Invalid(f)) => f.to_string(),
        other => panic!("expected a refused read database, got {other:?}"),
    }
}

#[tokio::test]
async fn an_sqlite_read_url_is_refused_clearly() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let read = Some(format!("sqlite:{}", dir.path().join("replica.db").display()));
    let s = Settings { read_database_url: read, ..settings(None, dir.path(), test_config()) };
    let e = Application::build(s).await.err().expect("an SQLite read URL is refused");
    assert_eq!(e.to_string(), "cannot open the read database");
    let m = refusal(e);
    assert!(m.contains("read_database_url: a read replica must be a PostgreSQL database"), "{m}");
    assert!(m.contains("SQLite has no replicas"), "{m}");
    assert!(!dir.path().join("rapport.db").exists(), "refused before the primary was opened");

    // A PostgreSQL replica of an SQLite primary makes no sense either.
    let s = Settings {
        read_database_url: Some("postgres://rapport@127.0.0.1:1/rapport".into()),
        ..settings(Some(format!("sqlite:{}", dir.path().join("primary.db").display())), dir.path(), test_config())
    };
    let m = refusal(Application::build(s).await.err().expect("refused"));
    assert!(m.contains("needs a PostgreSQL primary"), "{m}");
}

/// A read database must already hold this binary's schema: it is never
/// migrated, and one without it is refused, saying so. (The migration-level
/// check is a unit test of `rapport-store-postgres`.)
async fn schema_is_checked_not_migrated(urls: Vec<String>) {
    let (primary_url, empty_url) = (&urls[0], &urls[1]);
    let dir = tempfile::tempdir().expect("temporary directory");
    let s = Settings {
        read_database_url: Some(empty_url.clone()),
        ..settings(Some(primary_url.clone()), dir.path(), test_config())
    };
    let m = refusal(Application::build(s).await.err().expect("an empty read database is refused"));
    assert!(m.starts_with("schema: the read database has no Rapport schema"), "{m}");
    // Still empty: opening it as a read database migrated nothing.
    let again = PostgresStore::connect_read_only(empty_url).await.err().expect("still refused");
    assert!(again.to_string().contains("no Rapport schema"), "{again}");

    // Up to date: opened, read-only.
    let ok = PostgresStore::connect_read_only(primary_url).await.expect("the primary's schema is current");
    let refused = ok.create_org(&NewOrganization::parse("nope", "Nope").unwrap()).await;
    assert!(refused.is_err(), "writes through a read-only store fail");
}

#[tokio::test]
async fn read_database_schema_is_checked_on_postgres() {
    with_databases(2, |urls| async move {
        // The primary's schema, as `rapport serve` would have migrated it.
        drop(PostgresStore::connect(&urls[0]).await.expect("migrate the primary"));
        schema_is_checked_not_migrated(urls).await
    })
    .await
}
