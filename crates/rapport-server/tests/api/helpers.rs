//! Spawning the app on a fresh database, calling it, and the pieces the
//! stories share: a seeded program, the OpenAPI operations, snapshots.

use rapport_core::org::{NewOrganization, Organization};
use rapport_core::role::Role;
use rapport_core::webhook::RetryPolicy;
use rapport_core::Id;
use rapport_server::auth::secret;
use rapport_server::{Application, Config, Settings};
use rapport_store::Store;
use rapport_store_tests::pg;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server on its own, fresh database.
#[derive(Clone)]
pub struct TestApp {
    pub base: String,
    pub store: Arc<dyn Store>,
    http: reqwest::Client,
    /// Keeps the SQLite directory alive as long as any clone of the app.
    _dir: Arc<tempfile::TempDir>,
}

/// Spawns the app, runs the story, then drops the PostgreSQL database (also
/// when the story panics, whose panic is then passed on).
pub async fn run<F, Fut>(backend: Backend, story: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    run_with(backend, test_config(), story).await
}

/// As [`run`], on a server with `config`.
pub async fn run_with<F, Fut>(backend: Backend, config: Config, story: F)
where
    F: FnOnce(TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (url, drop_database) = match backend {
        Backend::Sqlite => (None, None),
        Backend::Postgres => {
            let Some(server) = pg::server_url() else { return };
            let (url, drop_database) = pg::fresh_database(&server).await;
            (Some(url), Some(drop_database))
        }
    };
    let (test_app, server) = spawn(url, config).await;
    let outcome = tokio::spawn(story(test_app)).await;
    server.stop();
    if let Some(drop_database) = drop_database {
        drop_database.await;
    }
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("story did not finish: {e}"),
        }
    }
}

/// As [`run_with`], handing the story the server's state too (to run its
/// periodic jobs with a later clock).
pub async fn run_with_state<F, Fut>(backend: Backend, config: Config, story: F)
where
    F: FnOnce(TestApp, rapport_server::state::AppState) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (url, drop_database) = match backend {
        Backend::Sqlite => (None, None),
        Backend::Postgres => {
            let Some(server) = pg::server_url() else { return };
            let (url, drop_database) = pg::fresh_database(&server).await;
            (Some(url), Some(drop_database))
        }
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let app = Application::build(settings(url, dir.path(), config)).await.expect("build the application");
    let state = app.state().clone();
    let (store, base) = (app.store().clone(), format!("http://{}", app.address()));
    let server = Server(tokio::spawn(async move { app.run_until(std::future::pending()).await.expect("serve") }));
    let test_app = TestApp { base, store, http: reqwest::Client::new(), _dir: Arc::new(dir) };
    let outcome = tokio::spawn(story(test_app, state)).await;
    server.stop();
    if let Some(drop_database) = drop_database {
        drop_database.await;
    }
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("story did not finish: {e}"),
        }
    }
}

/// The settings of a test server: port 0 on loopback, the database `url`
/// (`None`: SQLite in `data_dir`), `config`.
pub fn settings(url: Option<String>, data_dir: &Path, config: Config) -> Settings {
    Settings {
        bind: "127.0.0.1:0".into(),
        database_url: url,
        data_dir: data_dir.to_path_buf(),
        config,
        ..Settings::default()
    }
}

/// Builds and starts a server as `rapport serve` does ([`Application`]):
/// the store opened from its URL, the background tasks, peer addresses.
pub async fn start(settings: Settings) -> (Arc<dyn Store>, String, Server) {
    let app = Application::build(settings).await.expect("build the application");
    let (store, base) = (app.store().clone(), format!("http://{}", app.address()));
    let task = tokio::spawn(async move { app.run_until(std::future::pending()).await.expect("serve") });
    (store, base, Server(task))
}

/// A server on the database `url` (`None`: SQLite in a fresh directory).
pub async fn spawn(url: Option<String>, config: Config) -> (TestApp, Server) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let (store, base, server) = start(settings(url, dir.path(), config)).await;
    (TestApp { base, store, http: reqwest::Client::new(), _dir: Arc::new(dir) }, server)
}

/// A running server's task: stopping (or dropping) it stops the server and
/// its background tasks.
pub struct Server(tokio::task::JoinHandle<()>);

impl Server {
    pub fn stop(self) {}
}

impl Drop for Server {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The tests' configuration: a fast retry policy for the outbox (100 ms,
/// doubling, at most 400 ms apart, 50 attempts), so failures retry within a test.
pub fn test_config() -> Config {
    // Refits only when a test asks: the schedule would change snapshots.
    Config { retry: fast_retry(), no_refit_schedule: true, ..Config::default() }
}

pub fn fast_retry() -> RetryPolicy {
    RetryPolicy { base: Duration::from_millis(100), cap: Duration::from_millis(400), max_attempts: 50 }
}

impl TestApp {
    pub async fn org(&self, slug: &str) -> Organization {
        let new = NewOrganization::parse(slug, &format!("Org {slug}")).unwrap();
        self.store.create_org(&new).await.expect("create organization")
    }

    /// A client authenticated by a new API token of `org` with `role`.
    pub async fn client(&self, org: Id, role: Role) -> Client {
        let token = secret::generate("rpt_");
        self.store.create_token(org, &format!("test-{role}"), role, &secret::digest(&token)).await.expect("token");
        Client { app: self.clone(), token: Some(token), cookie: None }
    }

    /// A signed-in account with `role`, linked to the person `person`: the
    /// caller's person is then known (votes, acknowledgements, the stream).
    pub async fn person_client(&self, org: Id, person: Id, role: Role) -> Client {
        let user = rapport_store::NewUser {
            email: format!("user{person}.{org}@example.com"),
            role,
            password_hash: "unused".into(),
            person_id: Some(person),
        };
        let user = self.store.create_user(org, &user).await.expect("user");
        let token = secret::generate("");
        let expires = chrono::Utc::now() + chrono::Duration::hours(1);
        self.store.create_session(org, user.id, &secret::digest(&token), expires).await.expect("session");
        let cookie = format!("{}={token}", rapport_server::auth::session::COOKIE);
        Client { app: self.clone(), token: None, cookie: Some(cookie) }
    }

    /// A client with a bearer token made elsewhere (e.g. by the API).
    pub fn with_token(&self, token: &str) -> Client {
        Client { app: self.clone(), token: Some(token.to_string()), cookie: None }
    }

    /// A client with a session cookie (`name=value`) made elsewhere.
    pub fn with_cookie(&self, cookie: &str) -> Client {
        Client { app: self.clone(), token: None, cookie: Some(cookie.to_string()) }
    }

    /// A client without credentials.
    pub fn anonymous(&self) -> Client {
        Client { app: self.clone(), token: None, cookie: None }
    }
}

pub enum Body {
    None,
    Json(Value),
    Raw(&'static str),
    /// A JSON content type over any bytes (invalid UTF-8 included).
    Bytes(Vec<u8>),
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    /// The path of `Link: <URL>; rel="next"`, if the answer has one.
    pub next: Option<String>,
    pub text: String,
    pub json: Value,
    /// The `Content-Disposition` header, if the answer has one.
    pub disposition: Option<String>,
    what: String,
}

impl Resp {
    /// The JSON body, after checking the status.
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(self.status, status, "{}: {}", self.what, self.text);
        self.json
    }

    /// Checks an error answer: status, code and (if given) a field named.
    #[track_caller]
    pub fn expect_error(&self, status: u16, code: &str, field: Option<&str>) {
        assert_eq!(self.status, status, "{}: {}", self.what, self.text);
        assert_eq!(self.json["error"]["code"], code, "{}: {}", self.what, self.text);
        assert!(self.json["error"]["message"].is_string(), "{}: {}", self.what, self.text);
        if let Some(f) = field {
            assert!(
                self.json["error"]["fields"][f]["code"].is_string(),
                "{}: field {f} not named in {}",
                self.what,
                self.text
            );
        }
    }
}

#[derive(Clone)]
pub struct Client {
    app: TestApp,
    token: Option<String>,
    /// A session cookie (a signed-in account) instead of a token.
    cookie: Option<String>,
}

impl Client {
    pub async fn send(&self, method: Method, path: &str, body: Body) -> Resp {
        let mut req = self.app.http.request(method.clone(), format!("{}{path}", self.app.base));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(c) = &self.cookie {
            // As a browser on Rapport's own pages: cookie writes need it.
            req = req.header("cookie", c).header("origin", &self.app.base);
        }
        req = match body {
            Body::None => req,
            Body::Json(v) => req.json(&v),
            Body::Raw(s) => req.header("content-type", "application/json").body(s),
            Body::Bytes(b) => req.header("content-type", "application/json").body(b),
        };
        let resp = req.send().await.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = resp.status().as_u16();
        let next = resp.headers().get("link").and_then(|l| l.to_str().ok()).and_then(|l| {
            let url = l.strip_prefix('<')?.split_once(">; rel=\"next\"")?.0;
            Some(url.split_once("/api/").map_or(url.to_string(), |(_, rest)| format!("/api/{rest}")))
        });
        let disposition = resp.headers().get("content-disposition").and_then(|d| d.to_str().ok()).map(str::to_string);
        let text = resp.text().await.expect("body");
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp { status, next, text, json, disposition, what: format!("{method} {path}") }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Method::GET, path, Body::None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(Method::POST, path, Body::Json(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.send(Method::PUT, path, Body::Json(body)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.send(Method::DELETE, path, Body::None).await
    }
}

pub fn id(v: &Value) -> Id {
    v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}"))
}

/// The objects of one organization's program, by kind (as in paths:
/// `person`, `segment`, `stage`, `touchpoint`, `experience`, `customer`).
#[derive(Debug, Default, Clone)]
pub struct Program {
    pub ids: BTreeMap<&'static str, Vec<Id>>,
    /// Customers' external ids (`{external_id}` in paths), in order.
    pub external_ids: Vec<String>,
}

impl Program {
    /// The first object of a kind.
    pub fn first(&self, kind: &str) -> Id {
        self.ids.get(kind).and_then(|v| v.first().copied()).unwrap_or_else(|| panic!("no {kind} in the program"))
    }

    pub fn has(&self, kind: &str, id: Id) -> bool {
        self.ids.get(kind).is_some_and(|v| v.contains(&id))
    }

    fn add(&mut self, kind: &'static str, v: &Value) -> Id {
        let i = id(v);
        self.ids.entry(kind).or_default().push(i);
        i
    }
}

/// Creates a small, complete program through the API, every name carrying
/// `marker`: two people, a segment, two stages, two touchpoints, an
/// experience with both as interactions, customers, a mission and an intent.
pub async fn seed(c: &Client, marker: &str) -> Program {
    let mut p = Program::default();
    let lead = c
        .post(
            "/api/v1/people",
            json!({"name": format!("Lead {marker}"), "email": format!("lead.{marker}@example.com")}),
        )
        .await;
    let lead = p.add("person", &lead.expect(201));
    let other = c
        .post(
            "/api/v1/people",
            json!({"name": format!("Other {marker}"), "email": format!("other.{marker}@example.com")}),
        )
        .await;
    p.add("person", &other.expect(201));
    let seg = c
        .post(
            "/api/v1/segments",
            json!({"name": format!("Pro {marker}"), "rule": {"conditions": [{"op": "equals", "attribute": "plan", "value": "pro"}]}}),
        )
        .await;
    let seg = p.add("segment", &seg.expect(201));
    let stage = p.add("stage", &c.post("/api/v1/stages", json!({"name": format!("Buy {marker}")})).await.expect(201));
    p.add("stage", &c.post("/api/v1/stages", json!({"name": format!("Use {marker}")})).await.expect(201));
    let mut tps = vec![];
    for name in ["Checkout", "Receipt"] {
        let body = json!({"name": format!("{name} {marker}"), "stage_id": stage, "owner_id": lead, "channel": "web",
            "importance": [{"segment_id": seg, "importance": 4}]});
        tps.push(p.add("touchpoint", &c.post("/api/v1/touchpoints", body).await.expect(201)));
    }
    let exp = c
        .post(
            "/api/v1/experiences",
            json!({"name": format!("First purchase {marker}"), "customer_definition": format!("New buyers {marker}"),
                "segment_ids": [seg], "goal_metric": "nps", "goal_target": 30, "leader_id": lead}),
        )
        .await;
    let exp = p.add("experience", &exp.expect(201));
    for tp in &tps {
        c.post(&format!("/api/v1/experiences/{exp}/interactions"), json!({"touchpoint_id": tp})).await.expect(201);
    }
    for (n, plan) in [(1, "pro"), (2, "free")] {
        let external_id = format!("{marker}-c{n}");
        let body = json!({"external_id": external_id, "name": format!("Customer {marker}"),
            "email": format!("customer{n}.{marker}@example.com"), "attributes": {"plan": plan}});
        p.add("customer", &c.post("/api/v1/customers", body).await.expect(201)["items"][0]);
        p.external_ids.push(external_id);
    }
    let survey = json!({"touchpoint_id": tps[0], "title": {"en": format!("After checkout {marker}"), "es": format!("Tras la compra {marker}")},
        "questions": [nps_question(), {"key": "why", "type": "text", "text": {"en": "Why?", "es": "¿Por qué?"}}]});
    let survey = p.add("survey", &c.post("/api/v1/surveys", survey).await.expect(201));
    c.post(&format!("/api/v1/surveys/{survey}/publish"), json!({})).await.expect(200);
    let post = json!({"name": format!("Checkout survey {marker}"), "channel": "web", "touchpoint_id": tps[0], "governed_by": lead, "response_hours": 48});
    p.add("listening_post", &c.post("/api/v1/listening-posts", post).await.expect(201));
    let response = json!({"id": format!("{marker}-r1"), "survey": survey, "customer": format!("{marker}-c1"),
        "at": "2026-03-01T10:00:00Z", "answers": {"nps": 9, "why": format!("Quick {marker}")}, "comment": format!("Fine {marker}")});
    c.post("/api/v1/responses", response).await.expect(201);
    let event = json!({"id": format!("{marker}-e1"), "type": "purchase", "customer": format!("{marker}-c1"),
        "at": "2026-03-02T10:00:00Z", "touchpoint": tps[1], "amount": 42.5, "attributes": {"sku": format!("{marker}-sku")}});
    c.post("/api/v1/events", event).await.expect(201);
    // A webhook nobody listens to (port 9, discard); no event is sent to it.
    let hook = json!({"name": format!("Hook {marker}"), "url": format!("http://127.0.0.1:9/{marker}"), "events": ["seed.silent"]});
    p.add("webhook", &c.post("/api/v1/webhooks", hook).await.expect(201));
    // No delivery is made: one would change state (retries) while tests
    // compare snapshots. Paths naming one name an id that does not exist
    // (404; redelivery is tested in `webhooks.rs`).
    p.ids.insert("delivery", vec![i64::from(i32::MAX)]);
    // The second person is invited (an account, pending), and a token made.
    let invited = json!({"person_id": other_person(&p), "role": "member"});
    let account = c.post("/api/v1/invitations", invited).await.expect(201);
    p.add("account", &account);
    p.add("invitation", &account);
    let token = json!({"name": format!("Token {marker}"), "role": "viewer"});
    p.add("token", &c.post("/api/v1/tokens", token).await.expect(201));
    // Closing the loop: a rule, a routing rule, a root cause and a case.
    let rule = json!({"name": format!("Detractors {marker}"), "kind": "score", "scale": "nps", "at_most": 6});
    p.add("case_rule", &c.post("/api/v1/case-rules", rule).await.expect(201));
    let routing =
        json!({"name": format!("Web {marker}"), "channel": "web", "assignee_id": lead, "first_response_hours": 4});
    p.add("routing_rule", &c.post("/api/v1/routing-rules", routing).await.expect(201));
    p.add("root_cause", &c.post("/api/v1/root-causes", json!({"name": format!("Late {marker}")})).await.expect(201));
    let theme = json!({"name": format!("Delivery {marker}"), "keywords_en": ["delivery"], "keywords_es": ["entrega"]});
    p.add("theme", &c.post("/api/v1/themes", theme).await.expect(201));
    // An empathy map, so that its version 1 can be read (A6).
    let map = json!({"entries": [{"quadrant": "pains", "text": format!("Slow checkout {marker}")}]});
    c.put(&format!("/api/v1/touchpoints/{}/empathy", tps[0]), map).await.expect(200);
    let case =
        json!({"customer": format!("{marker}-c1"), "touchpoint_id": tps[0], "title": format!("Call back {marker}")});
    p.add("case", &c.post("/api/v1/cases", case).await.expect(201));
    // The knowledge base: an article linked to the first touchpoint.
    let article = json!({"kind": "faq", "title_en": format!("Refunds {marker}"), "body_en": format!("How {marker}"),
        "touchpoint_ids": [tps[0]]});
    p.add("article", &c.post("/api/v1/knowledge", article).await.expect(201));
    // The improvement loop: an idea with a vote and a comment, a sprint, a
    // comms item; touchpoints added above were announced.
    let idea = json!({"title": format!("Idea {marker}"), "touchpoint_id": tps[0], "author_id": lead});
    let idea = p.add("idea", &c.post("/api/v1/ideas", idea).await.expect(201));
    c.post(&format!("/api/v1/ideas/{idea}/votes"), json!({"person_id": other_person(&p)})).await.expect(200);
    let comment = json!({"body": format!("Comment {marker}"), "author_id": lead});
    c.post(&format!("/api/v1/ideas/{idea}/comments"), comment).await.expect(201);
    let sprint =
        json!({"touchpoint_id": tps[0], "name": format!("Sprint {marker}"), "start": "2026-03-02", "leader_id": lead});
    p.add("sprint", &c.post("/api/v1/sprints", sprint).await.expect(201));
    let comms = json!({"title": format!("Comms {marker}"), "audience": format!("Staff {marker}"), "channel": "email",
        "date": "2026-03-02", "owner_id": lead});
    p.add("comms", &c.post("/api/v1/comms", comms).await.expect(201));
    let feed = c.get("/api/v1/announcements").await.expect(200);
    p.add("announcement", &feed[0]);
    c.put("/api/v1/mission", json!({"mission": format!("Mission of {marker}")})).await.expect(200);
    let intent = json!({"statement": format!("Intent of {marker}"), "criteria": [
        {"metric": "nps", "scope": {"kind": "experience", "id": exp}, "comparator": "at_least", "threshold": 30, "margin": 5}]});
    c.post("/api/v1/intent/versions", intent).await.expect(201);
    let module = json!({"title_en": format!("Module {marker}"), "body_en": "Read me", "audience": {"everyone": true},
        "quiz": {"questions": [{"text_en": "Yes?", "choices": [{"text_en": "Yes", "correct": true}, {"text_en": "No"}]}]}});
    p.add("training_module", &c.post("/api/v1/training/modules", module).await.expect(201));
    // Survey distribution: a wave due in 300 days (nothing is sent while
    // tests compare snapshots) and a triggered survey.
    let send_at = (chrono::Utc::now() + chrono::Duration::days(300)).to_rfc3339();
    let wave = json!({"segment_id": seg, "send_at": send_at});
    p.add("wave", &c.post(&format!("/api/v1/surveys/{survey}/waves"), wave).await.expect(201));
    let trigger = json!({"event_kind": "delivery", "delay_hours": 48});
    p.add("trigger", &c.post(&format!("/api/v1/surveys/{survey}/triggers"), trigger).await.expect(201));
    // The CX council: a member, a meeting (in 300 days) with an agenda
    // item, a decision and an action item.
    p.add("council_member", &c.post("/api/v1/council/members", json!({"person_id": lead})).await.expect(201));
    let starts_at = (chrono::Utc::now() + chrono::Duration::days(300)).to_rfc3339();
    let meeting = json!({"title": format!("Council {marker}"), "starts_at": starts_at});
    let meeting = p.add("meeting", &c.post("/api/v1/council/meetings", meeting).await.expect(201));
    let item = json!({"title": format!("Item {marker}")});
    p.add("agenda_item", &c.post(&format!("/api/v1/council/meetings/{meeting}/agenda"), item).await.expect(201));
    let decision = json!({"text": format!("Decision {marker}"), "idea_id": idea});
    p.add("decision", &c.post(&format!("/api/v1/council/meetings/{meeting}/decisions"), decision).await.expect(201));
    let action = json!({"text": format!("Action {marker}"), "owner_id": lead, "due_on": "2026-03-20"});
    p.add(
        "action_item",
        &c.post(&format!("/api/v1/council/meetings/{meeting}/action-items"), action).await.expect(201),
    );
    // A perfect behaviour of the experience.
    let behaviour = json!({"name": format!("Buys again {marker}"), "owner_id": lead, "target": 40,
        "event_type": "purchase", "count": 2, "window_days": 60});
    p.add("behaviour", &c.post(&format!("/api/v1/experiences/{exp}/behaviours"), behaviour).await.expect(201));
    // A round of the 20-question diagnostic.
    let round = json!({"name": format!("Diagnostic {marker}"), "opened_on": "2026-01-05"});
    p.add("diagnostic_round", &c.post("/api/v1/diagnostic/rounds", round).await.expect(201));
    p
}

fn other_person(p: &Program) -> Id {
    p.ids["person"][1]
}

/// An NPS question keyed `nps`, in both languages.
pub fn nps_question() -> Value {
    json!({"key": "nps", "type": "nps", "required": true,
        "text": {"en": "How likely are you to recommend us?", "es": "¿Nos recomendarías?"}})
}

/// One operation of the OpenAPI document.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Operation {
    pub method: Method,
    pub path: String,
}

impl Operation {
    /// Reads only admins may do (webhooks: their URLs may hold credentials).
    pub fn is_admin_only(&self) -> bool {
        ADMIN_ONLY.iter().any(|p| self.path.starts_with(p))
    }

    pub fn is_read(&self) -> bool {
        self.method == Method::GET || READ_ONLY_POSTS.contains(&self.path.as_str())
    }

    /// Whether the path names objects (`{id}`, `{touchpoint_id}`, ...).
    /// (`{step}` names a RESOLVED step, the same in every organization.)
    pub fn names_objects(&self) -> bool {
        self.path.contains('{') && !self.path.contains("{step}")
    }

    /// The kind of object a path parameter names: `{id}` takes it from the
    /// resource in the path, `{touchpoint_id}` from its own name.
    pub fn kind_of(&self, param: &str) -> &'static str {
        let key = if param == "id" { self.resource() } else { param.trim_end_matches("_id") };
        kind_named(key).unwrap_or_else(|| {
            panic!("{} {}: no kind of object known for {{{param}}}; teach kind_named", self.method, self.path)
        })
    }

    /// The first segment after `/api/v1/`, e.g. `experiences`.
    fn resource(&self) -> &str {
        self.path.trim_start_matches("/api/v1/").split('/').next().unwrap_or("")
    }

    /// The path with every parameter replaced by the program's object of its kind.
    pub fn url(&self, program: &Program) -> String {
        let mut out = String::new();
        let mut rest = self.path.as_str();
        while let Some(start) = rest.find('{') {
            let end = rest[start..].find('}').expect("closing brace") + start;
            out.push_str(&rest[..start]);
            let param = &rest[start + 1..end];
            if param == "external_id" {
                out.push_str(program.external_ids.first().expect("a customer in the program"));
            } else if param == "step" {
                out.push_str("respond");
            } else if param == "version" {
                // A version number (an empathy map's), not an object.
                out.push('1');
            } else {
                out.push_str(&program.first(self.kind_of(param)).to_string());
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }

    /// The kind of objects a list answer of this operation holds, if any.
    pub fn list_kind(&self) -> Option<&'static str> {
        let rest = self.path.strip_prefix("/api/v1/")?;
        if rest.contains('/') {
            return None;
        }
        kind_named(rest)
    }
}

fn kind_named(key: &str) -> Option<&'static str> {
    Some(match key {
        "people" | "person" => "person",
        "segments" | "segment" => "segment",
        "stages" | "stage" => "stage",
        "touchpoints" | "touchpoint" => "touchpoint",
        "experiences" | "experience" => "experience",
        "behaviours" | "behaviour" => "behaviour",
        "customers" | "customer" => "customer",
        "surveys" | "survey" => "survey",
        "listening-posts" | "listening_post" => "listening_post",
        "webhooks" | "webhook" => "webhook",
        "cases" | "case" => "case",
        "case-rules" | "case_rule" => "case_rule",
        "routing-rules" | "routing_rule" => "routing_rule",
        "root-causes" | "root_cause" => "root_cause",
        "ideas" | "idea" => "idea",
        "sprints" | "sprint" => "sprint",
        "announcements" | "announcement" => "announcement",
        "comms" => "comms",
        "themes" | "theme" => "theme",
        "accounts" | "account" => "account",
        "invitations" | "invitation" => "invitation",
        "tokens" | "token" => "token",
        "delivery" => "delivery",
        "knowledge" | "article" => "article",
        "training" | "training_module" => "training_module",
        "waves" | "wave" => "wave",
        "triggers" | "trigger" => "trigger",
        "council_member" => "council_member",
        "meeting" => "meeting",
        "agenda_item" => "agenda_item",
        "decision" => "decision",
        "action_item" => "action_item",
        "diagnostic" | "diagnostic_round" => "diagnostic_round",
        _ => return None,
    })
}

/// Paths (and those under them) that only admins may read.
/// (The inbound address of ideas by e-mail holds a secret token; the audit
/// log names every account and token; accounts, invitations and tokens
/// grant access; the performance flag is for admins and leaders only, and
/// training progress (scores per person) for those who write training.)
pub const ADMIN_ONLY: [&str; 9] = [
    "/api/v1/webhooks",
    "/api/v1/inbound",
    "/api/v1/audit",
    "/api/v1/accounts",
    "/api/v1/invitations",
    "/api/v1/tokens",
    "/api/v1/recognition/performance",
    "/api/v1/training/progress",
    "/api/v1/training/gaps",
];

/// Paths for signed-in accounts only (an API token has no notification
/// centre: 403 whatever its role); tested on their own (`team.rs`), not by
/// the enumerating tests, whose clients are tokens.
pub const ACCOUNT_ONLY: [&str; 2] = ["/api/v1/notifications", "/api/v1/account/"];

/// Paths open to anyone (asking for and using a password-reset link,
/// throttled per address; a signed one-click unsubscribe); tested on their
/// own (`team.rs`, `distribution.rs`).
pub const PUBLIC: [&str; 2] = ["/api/v1/password-resets", "/api/v1/unsubscribe"];

/// POSTs that only compute an answer and change nothing.
pub const READ_ONLY_POSTS: [&str; 3] =
    ["/api/v1/segments/preview", "/api/v1/text/analyze", "/api/v1/staffing/erlang-c"];

/// Operations that never finish answering (Server-Sent Events): they are
/// tested on their own, not by the enumerating tests.
pub const STREAMS: [&str; 1] = ["/api/v1/stream"];

/// Every operation in `GET /api/openapi.json` but the streams, in a stable order.
pub async fn operations(app: &TestApp) -> Vec<Operation> {
    let doc = app.anonymous().get("/api/openapi.json").await.expect(200);
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")), "not an OpenAPI 3 document");
    let mut ops = vec![];
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let apart = ACCOUNT_ONLY.iter().chain(&PUBLIC).any(|p| path.starts_with(p));
        if STREAMS.contains(&path.as_str()) || apart {
            continue;
        }
        for (method, _) in item.as_object().expect("path item") {
            let method = method.to_uppercase().parse::<Method>().expect("method");
            ops.push(Operation { method, path: path.clone() });
        }
    }
    ops.sort();
    ops
}

/// A body that every request of the API can parse and validate: the union of
/// plausible fields, its references pointing at `program`'s objects.
pub fn plausible_body(program: &Program) -> Value {
    let (person, segment, stage, touchpoint, experience) = (
        program.first("person"),
        program.first("segment"),
        program.first("stage"),
        program.first("touchpoint"),
        program.first("experience"),
    );
    json!({
        "name": "Intruder", "email": "intruder@elsewhere.example", "description": "x", "position": 1,
        "stage_id": stage, "owner_id": person, "leader_id": person, "segment_ids": [segment],
        "importance": [{"segment_id": segment, "importance": 3}], "touchpoint_id": touchpoint, "to": person,
        "goal_metric": "nps", "goal_target": 10, "goal_period": "year", "customer_definition": "x",
        "rule": {"combine": "all", "conditions": [{"op": "equals", "attribute": "plan", "value": "pro"}]},
        "external_id": "intruder-1", "attributes": {"plan": "pro"}, "mission": "Taken over",
        "statement": "Taken over", "on": "2026-01-01", "channel": "web", "customer": "intruder-1", "text": "Taken over", "keywords_en": ["taken"],
        "criteria": [{"metric": "nps", "scope": {"kind": "experience", "id": experience}, "comparator": "at_least", "threshold": 1}],
        "contacts": 100, "interval_minutes": 30, "handle_seconds": 180, "service_level": 0.8, "answer_seconds": 20,
    })
}

/// A JSON answer without tokens' `last_used_at`: using a token, even for a
/// refused write, records its use (a read of the snapshot is a use too).
fn without_last_use(mut v: Value) -> Value {
    match &mut v {
        Value::Array(items) => items.iter_mut().for_each(|i| *i = without_last_use(i.take())),
        Value::Object(map) => {
            map.remove("last_used_at");
            map.values_mut().for_each(|i| *i = without_last_use(i.take()));
        }
        _ => {}
    }
    v
}

/// The text of every read operation's answer for `c`'s organization, to
/// compare byte for byte.
pub async fn snapshot(c: &Client, ops: &[Operation], program: &Program) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for op in ops.iter().filter(|o| o.method == Method::GET) {
        let url = op.url(program);
        let r = c.get(&url).await;
        assert_eq!(r.status, 200, "GET {url}: {}", r.text);
        out.insert(url, without_last_use(r.json).to_string());
    }
    assert!(out.len() >= 10, "too few reads to compare: {out:?}");
    out
}

/// Two servers on one fresh PostgreSQL database (as several `rapport serve`
/// processes would share it); skipped without PostgreSQL.
pub async fn run_two_on_postgres<F, Fut>(story: F)
where
    F: FnOnce(TestApp, TestApp) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(server) = pg::server_url() else { return };
    let (url, drop_database) = pg::fresh_database(&server).await;
    let mut apps = vec![];
    let mut servers = vec![];
    for _ in 0..2 {
        let (app, server) = spawn(Some(url.clone()), test_config()).await;
        apps.push(app);
        servers.push(server);
    }
    let (y, x) = (apps.pop().unwrap(), apps.pop().unwrap());
    let outcome = tokio::spawn(story(x, y)).await;
    drop(servers);
    drop_database.await;
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("story did not finish: {e}"),
        }
    }
}

impl Client {
    /// Sends `body` as NDJSON.
    pub async fn ndjson(&self, path: &str, body: String) -> Resp {
        let mut req =
            self.app.http.post(format!("{}{path}", self.app.base)).header("content-type", "application/x-ndjson");
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let resp = req.body(body).send().await.unwrap_or_else(|e| panic!("POST {path}: {e}"));
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp { status, next: None, text, json, disposition: None, what: format!("POST {path} (NDJSON)") }
    }

    /// A GET with an `Accept` header; the body as text (and JSON if it is).
    pub async fn get_accepting(&self, path: &str, accept: &str) -> Resp {
        let mut req = self.app.http.get(format!("{}{path}", self.app.base)).header("accept", accept);
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = resp.status().as_u16();
        let text = resp.text().await.expect("body");
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Resp { status, next: None, text, json, disposition: None, what: format!("GET {path} (Accept: {accept})") }
    }

    /// Opens a streaming GET (Server-Sent Events); read it with `chunk()`.
    pub async fn open_stream(&self, path: &str) -> reqwest::Response {
        let mut req = self.app.http.get(format!("{}{path}", self.app.base));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(c) = &self.cookie {
            req = req.header("cookie", c);
        }
        req.send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// A client sending an arbitrary bearer token.
    pub fn with_token(app: &TestApp, token: &str) -> Client {
        Client { app: app.clone(), token: Some(token.to_string()), cookie: None }
    }
}
