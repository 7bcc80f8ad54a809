//! Lists that scale: every list endpoint honours `limit` (default 50, at
//! most 500) and pages by keyset cursor (`after`), following `next` in the
//! envelopes (responses, events, a timeline) and the `Link: <...>;
//! rel="next"` header everywhere; walking a list page by page reads exactly
//! the whole list, in order. Bad `limit`s and cursors are 422 naming the
//! field. Totals come from kept counters or are absent; the OpenAPI document
//! says all of it; the web customers page pages the same way.

use crate::helpers::{id, nps_question, Client, TestApp};
use rapport_core::role::Role;
use rapport_core::Id;
use rapport_server::auth::secret;
use serde_json::{json, Value};
use std::collections::HashSet;

/// An API caller that also reads the answers' headers.
struct Api {
    base: String,
    token: String,
    http: reqwest::Client,
}

#[derive(Debug)]
struct Got {
    status: u16,
    /// The URL of `Link: <URL>; rel="next"`.
    link: Option<String>,
    /// `X-Total-Count`.
    total: Option<i64>,
    json: Value,
    text: String,
}

impl Api {
    async fn new(app: &TestApp, org: Id) -> Api {
        let token = secret::generate("rpt_");
        app.store.create_token(org, "lists", Role::Admin, &secret::digest(&token)).await.unwrap();
        Api { base: app.base.clone(), token, http: reqwest::Client::new() }
    }

    async fn get(&self, path: &str) -> Got {
        let resp = self.http.get(format!("{}{path}", self.base)).bearer_auth(&self.token).send().await.unwrap();
        let status = resp.status().as_u16();
        let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
        let link = header("link").map(|l| {
            assert!(l.starts_with('<') && l.ends_with(">; rel=\"next\""), "GET {path}: Link {l}");
            l[1..l.len() - ">; rel=\"next\"".len()].to_string()
        });
        let total = header("x-total-count").map(|t| t.parse().unwrap());
        let text = resp.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Got { status, link, total, json, text }
    }
}

/// A list endpoint, and what identifies its items.
struct List {
    path: String,
    key: fn(&Value) -> String,
    /// The total it announces, where it has one.
    total: Option<i64>,
}

fn by_id(v: &Value) -> String {
    id(v).to_string()
}

fn by_external_id(v: &Value) -> String {
    v["external_id"].as_str().unwrap().to_string()
}

fn by_kind_and_id(v: &Value) -> String {
    format!("{}:{}", v["kind"].as_str().unwrap(), id(v))
}

fn list(path: impl Into<String>, key: fn(&Value) -> String, total: Option<i64>) -> List {
    List { path: path.into(), key, total }
}

/// The items of a page: the array, or an envelope's `items`; and the
/// envelope's `next`.
fn items_of(got: &Got) -> (Vec<Value>, Option<Option<String>>) {
    match &got.json {
        Value::Array(items) => (items.clone(), None),
        Value::Object(o) => {
            let next = o.get("next").map(|n| n.as_str().map(str::to_string));
            (o["items"].as_array().unwrap_or_else(|| panic!("no items: {}", got.text)).clone(), next)
        }
        _ => panic!("not a list: {}", got.text),
    }
}

/// Reads `l` with `limit` by following its next links from the first page
/// to the last, and checks the pages against reading the whole list at once.
async fn walk(api: &Api, l: &List, limit: usize) -> Vec<usize> {
    let whole = api.get(&with(&l.path, "limit=500")).await;
    assert_eq!(whole.status, 200, "{}: {}", l.path, whole.text);
    assert!(whole.link.is_none(), "{}: one page holds it all", l.path);
    let want: Vec<String> = items_of(&whole).0.iter().map(l.key).collect();
    let mut url = with(&l.path, &format!("limit={limit}"));
    let (mut seen, mut sizes) = (Vec::new(), Vec::new());
    loop {
        let got = api.get(&url).await;
        assert_eq!(got.status, 200, "GET {url}: {}", got.text);
        assert_eq!(got.total, l.total, "GET {url}: X-Total-Count");
        let (items, next) = items_of(&got);
        if let Some(next) = next {
            // The envelope's `next` is the cursor of the Link.
            match (&next, &got.link) {
                (Some(cursor), Some(link)) => assert!(link.contains(&format!("after={cursor}&")), "{link} {cursor}"),
                (None, None) => {}
                other => panic!("GET {url}: next and Link disagree: {other:?}"),
            }
        }
        sizes.push(items.len());
        seen.extend(items.iter().map(l.key));
        match got.link {
            Some(link) => {
                assert!(link.starts_with(l.path.split('?').next().unwrap()), "{link}");
                assert!(link.ends_with(&format!("&limit={limit}")), "{link}");
                url = link;
            }
            None => break,
        }
        assert!(sizes.len() < 100, "{}: the walk does not end", l.path);
    }
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), seen.len(), "{}: an item twice", l.path);
    assert_eq!(seen, want, "{}: the pages are the whole list, in its order", l.path);
    let mut expected = vec![limit; want.len() / limit];
    if !want.len().is_multiple_of(limit) || want.is_empty() {
        expected.push(want.len() % limit);
    }
    assert_eq!(sizes, expected, "{}: full pages, then the rest", l.path);
    sizes
}

fn with(path: &str, param: &str) -> String {
    format!("{path}{}{param}", if path.contains('?') { '&' } else { '?' })
}

const N: usize = 120;
/// Items of each configuration list (small by nature; the same rules).
const SMALL: usize = 12;

/// The program: N customers, responses, events, cases and ideas; SMALL of
/// everything else. Answers the experience and the deliveries' path.
async fn fill(c: &Client, app: &TestApp) -> (Id, String) {
    let customers: Vec<Value> = (0..N)
        .map(
            |i| json!({"external_id": format!("c-{i:03}"), "name": format!("Name {i}"), "attributes": {"plan": "pro"}}),
        )
        .collect();
    assert_eq!(c.post("/api/v1/customers", json!(customers)).await.expect(200)["accepted"], N);
    let mut people = vec![];
    for i in 0..SMALL {
        let p = json!({"name": format!("Person {:02}", SMALL - i), "email": format!("p{i}@example.com")});
        people.push(id(&c.post("/api/v1/people", p).await.expect(201)));
        let seg = json!({"name": format!("Segment {i}"), "rule": {"conditions": [{"op": "equals", "attribute": "plan", "value": "pro"}]}});
        c.post("/api/v1/segments", seg).await.expect(201);
    }
    let mut stages = vec![];
    for i in 0..SMALL {
        stages.push(id(&c.post("/api/v1/stages", json!({"name": format!("Stage {i}")})).await.expect(201)));
    }
    let exp = json!({"name": "Experience 0", "goal_metric": "nps", "goal_target": 30, "leader_id": people[0]});
    let exp = id(&c.post("/api/v1/experiences", exp).await.expect(201));
    let mut tps = vec![];
    for i in 0..SMALL {
        // Stages in reverse, so that the map order is not the order of ids.
        let tp = json!({"name": format!("Touchpoint {i}"), "stage_id": stages[SMALL - 1 - i], "owner_id": people[0]});
        let tp = id(&c.post("/api/v1/touchpoints", tp).await.expect(201));
        tps.push(tp);
        c.post(&format!("/api/v1/experiences/{exp}/interactions"), json!({"touchpoint_id": tp})).await.expect(201);
    }
    for i in 1..SMALL {
        let e = json!({"name": format!("experience {i}"), "goal_metric": "csat", "goal_target": 4});
        c.post("/api/v1/experiences", e).await.expect(201);
    }
    let (mut survey, mut cause) = (0, 0);
    for i in 0..SMALL {
        let body = json!({"touchpoint_id": tps[0], "title": {"en": format!("Survey {i}"), "es": format!("Encuesta {i}")},
            "questions": [nps_question()]});
        survey = id(&c.post("/api/v1/surveys", body).await.expect(201));
        let post =
            json!({"name": format!("Post {i}"), "channel": "web", "touchpoint_id": tps[i], "priority": 1 + i % 5});
        c.post("/api/v1/listening-posts", post).await.expect(201);
        let rule = json!({"name": format!("Rule {i}"), "kind": "score", "scale": "nps", "at_most": 0});
        c.post("/api/v1/case-rules", rule).await.expect(201);
        let routing = json!({"name": format!("Routing {i}"), "channel": format!("ch{i}"), "assignee_id": people[0]});
        c.post("/api/v1/routing-rules", routing).await.expect(201);
        cause = id(&c.post("/api/v1/root-causes", json!({"name": format!("cause {}", SMALL - i)})).await.expect(201));
        let hook =
            json!({"name": format!("Hook {i}"), "url": format!("http://127.0.0.1:9/{i}"), "events": ["none.ever"]});
        c.post("/api/v1/webhooks", hook).await.expect(201);
        let comms = json!({"title": format!("Comms {i}"), "audience": "Staff", "channel": "email",
            "date": format!("2026-03-{:02}", 20 - i % 5), "owner_id": people[0]});
        c.post("/api/v1/comms", comms).await.expect(201);
        let sprint = json!({"touchpoint_id": tps[i], "name": format!("Sprint {i}"),
            "start": format!("2026-0{}-02", 1 + i % 6), "leader_id": people[0]});
        c.post("/api/v1/sprints", sprint).await.expect(201);
        c.post("/api/v1/intent/versions", json!({"statement": format!("Intent {i}"), "criteria": []}))
            .await
            .expect(201);
    }
    c.post(&format!("/api/v1/surveys/{survey}/publish"), json!({})).await.expect(200);
    // Responses and events at a few instants only (ties in the sort key);
    // customer c-001 has some of each for the timeline.
    let responses: Vec<Value> = (0..N)
        .map(|i| {
            json!({"id": format!("r{i}"), "survey": survey, "customer": format!("c-{:03}", i % 7),
                "at": format!("2026-03-0{}T10:00:00Z", 1 + i % 4), "answers": {"nps": 9}})
        })
        .collect();
    assert_eq!(c.post("/api/v1/responses", json!(responses)).await.expect(200)["accepted"], N);
    let events: Vec<Value> = (0..N)
        .map(|i| {
            json!({"id": format!("e{i}"), "type": "purchase", "customer": format!("c-{:03}", i % 5),
                "at": format!("2026-03-0{}T10:00:00Z", 1 + i % 3)})
        })
        .collect();
    assert_eq!(c.post("/api/v1/events", json!(events)).await.expect(200)["accepted"], N);
    for i in 0..N {
        let case = json!({"customer": format!("c-{i:03}"), "touchpoint_id": tps[i % 2], "title": format!("Case {i}")});
        let case = id(&c.post("/api/v1/cases", case).await.expect(201));
        if i % 17 == 3 {
            // Some closed: the queue lists them after the open ones.
            close_case(c, case, cause).await;
        }
        let idea = json!({"title": format!("Idea {i}"), "author_id": people[i % SMALL], "touchpoint_id": tps[0]});
        c.post("/api/v1/ideas", idea).await.expect(201);
    }
    // Deliveries of one webhook: test events, fanned out.
    let hook = json!({"name": "Tested", "url": "http://127.0.0.1:9/tested", "events": ["none.ever"]});
    let hook = id(&c.post("/api/v1/webhooks", hook).await.expect(201));
    for _ in 0..SMALL {
        c.post(&format!("/api/v1/webhooks/{hook}/test"), json!({})).await.expect(202);
    }
    let deliveries = format!("/api/v1/webhooks/{hook}/deliveries");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        app.store.fan_out(chrono::Utc::now(), 100).await.unwrap();
        let got = c.get(&with(&deliveries, "limit=500")).await.expect(200);
        if got.as_array().unwrap().len() == SMALL {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "deliveries: {got}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    (exp, deliveries)
}

/// Works a case through the eight RESOLVED steps and closes it.
async fn close_case(c: &Client, case: i64, cause: i64) {
    for (step, extra) in [
        ("respond", json!({"note": "Called"})),
        ("empathize", json!({"note": "Apologized"})),
        ("seek", json!({})),
        ("open", json!({"proposal": "A refund"})),
        ("listen", json!({})),
        ("verify", json!({"agreed": true})),
        ("eliminate", json!({"action": "Fixed"})),
        ("document", json!({"root_cause_id": cause, "root_cause_note": "Found it"})),
    ] {
        let mut body = extra;
        body["step"] = json!(step);
        c.post(&format!("/api/v1/cases/{case}/steps"), body).await.expect(200);
    }
    c.post(&format!("/api/v1/cases/{case}/close"), json!({})).await.expect(200);
}

pub async fn every_list_pages_by_keyset(app: TestApp) {
    let org = app.org("lists").await;
    let c = app.client(org.id, Role::Admin).await;
    let api = Api::new(&app, org.id).await;
    let (exp, deliveries) = fill(&c, &app).await;
    let small = Some(SMALL as i64);
    let c001_since_2 = (0..N).filter(|i| i % 7 == 1 && i % 4 != 0).count() as i64;
    let closed = (0..N).filter(|i| i % 17 == 3).count() as i64;
    let lists = [
        list("/api/v1/responses", by_id, Some(N as i64)),
        list("/api/v1/events", by_id, Some(N as i64)),
        list("/api/v1/responses?customer=c-001&from=2026-03-02", by_id, Some(c001_since_2)),
        list("/api/v1/events?customer=c-001", by_id, Some(24)),
        list("/api/v1/customers", by_external_id, Some(N as i64)),
        list("/api/v1/customers?q=NAME%201", by_external_id, None),
        list("/api/v1/customers/c-001/timeline", by_kind_and_id, None),
        list("/api/v1/cases", by_id, Some(N as i64)),
        list("/api/v1/cases?status=open&touchpoint=", by_id, Some(N as i64 - closed)),
        list("/api/v1/cases?status=closed", by_id, Some(closed)),
        list("/api/v1/cases?q=case&priority=normal&breached=false", by_id, Some(N as i64)),
        list("/api/v1/ideas", by_id, None),
        list("/api/v1/announcements", by_id, None),
        list(deliveries, by_id, None),
        list("/api/v1/people", by_id, small),
        list("/api/v1/segments", by_id, small),
        list("/api/v1/stages", by_id, small),
        list("/api/v1/touchpoints", by_id, small),
        list("/api/v1/experiences", by_id, small),
        list("/api/v1/surveys", by_id, small),
        list("/api/v1/listening-posts", by_id, small),
        list("/api/v1/case-rules", by_id, small),
        list("/api/v1/routing-rules", by_id, small),
        list("/api/v1/root-causes", by_id, small),
        list("/api/v1/webhooks", by_id, Some(SMALL as i64 + 1)),
        list("/api/v1/comms", by_id, small),
        list("/api/v1/sprints", by_id, small),
        list("/api/v1/intent/versions", by_id, small),
        list(format!("/api/v1/experiences/{exp}/interactions/history"), |v| v["touchpoint_id"].to_string(), small),
        list("/api/v1/listening-posts/gaps", by_id, Some(0)),
    ];
    // The lists that grow: 120 items, 50 a page.
    for l in &lists[..2] {
        assert_eq!(walk(&api, l, 50).await, [50, 50, 20], "{}", l.path);
    }
    for path in ["/api/v1/customers", "/api/v1/cases", "/api/v1/ideas"] {
        let l = lists.iter().find(|l| l.path == path).unwrap();
        assert_eq!(walk(&api, l, 50).await, [50, 50, 20], "{path}");
    }
    // Every list, in small pages (ties of the sort keys fall across pages).
    for l in &lists {
        walk(&api, l, 5).await;
    }
    // Without `limit`: 50.
    for path in ["/api/v1/responses", "/api/v1/customers", "/api/v1/cases"] {
        let got = api.get(path).await;
        assert_eq!(items_of(&got).0.len(), 50, "{path}");
        assert!(got.link.unwrap().ends_with("&limit=50"));
    }
    // The envelope: items, next, total.
    let page = api.get("/api/v1/responses?limit=2").await.json;
    assert_eq!(page["total"], N);
    assert_eq!(page["total_is_estimate"], false);
    assert!(page["next"].is_string() && page.get("offset").is_none() && page.get("limit").is_none(), "{page}");
    let last = api.get("/api/v1/responses?limit=500").await.json;
    assert!(last["next"].is_null(), "no next on the last page: {last}");
    // Filters stay in the next page's link.
    let got = api.get("/api/v1/events?customer=c-001&limit=3").await;
    assert!(got.link.unwrap().starts_with("/api/v1/events?customer=c-001&after="));

    // Bad limits and cursors: 422 naming the field, on every list.
    let foreign = api.get("/api/v1/customers?limit=1").await.link.unwrap();
    let foreign = foreign.split("after=").nth(1).unwrap().split('&').next().unwrap().to_string();
    let ours = api.get("/api/v1/responses?limit=1").await.json["next"].as_str().unwrap().to_string();
    for l in &lists {
        for bad in ["limit=0", "limit=501", "limit=-1", "limit=abc", "limit=2.5"] {
            let got = api.get(&with(&l.path, bad)).await;
            assert_eq!(got.status, 422, "{} {bad}: {}", l.path, got.text);
            assert_eq!(got.json["error"]["code"], "invalid", "{}", got.text);
            assert!(got.json["error"]["fields"]["limit"]["code"].is_string(), "{} {bad}: {}", l.path, got.text);
        }
        let another =
            if l.path.starts_with("/api/v1/customers?") || l.path == "/api/v1/customers" { &ours } else { &foreign };
        for bad in ["after=garbage!", "after=AAAA", "after=WzFd", &format!("after={another}")] {
            let got = api.get(&with(&l.path, bad)).await;
            assert_eq!(got.status, 422, "{} {bad}: {}", l.path, got.text);
            assert!(got.json["error"]["fields"]["after"]["code"].is_string(), "{} {bad}: {}", l.path, got.text);
        }
    }
    let got = api.get("/api/v1/responses?offset=100").await;
    assert_eq!(got.status, 422, "offset paging is gone: {}", got.text);
    assert!(got.json["error"]["fields"]["offset"]["message"].as_str().unwrap().contains("after"));

    // Totals are kept, not counted: erasing a customer takes one away.
    c.delete("/api/v1/customers/c-119").await.expect(204);
    assert_eq!(api.get("/api/v1/customers?limit=1").await.total, Some(N as i64 - 1));

    // The web page of customers pages the same way, with its search.
    let person = id(&c.get("/api/v1/people?limit=1").await.expect(200)[0]);
    let web = app.person_client(org.id, person, Role::Viewer).await;
    let mut page = web.get("/customers?q=name").await;
    let mut shown = vec![];
    loop {
        assert_eq!(page.status, 200, "{}", page.text);
        shown.extend(page.text.split("href=\"/customers/").skip(1).map(|r| r.split('"').next().unwrap().to_string()));
        let Some(at) = page.text.find("id=\"customers-next\"") else { break };
        let href = page.text[at..].split("href=\"").nth(1).unwrap().split('"').next().unwrap();
        page = web.get(&href.replace("&#x2f;", "/").replace("&amp;", "&")).await;
    }
    let want: Vec<String> = (0..N - 1).map(|i| format!("c-{i:03}")).collect();
    assert_eq!(shown, want, "every customer once, in order, 50 a page");
}

/// The document says how every list pages: `limit` and `after`, the 422,
/// and the `Link` header (and `next` where there is an envelope).
pub async fn lists_are_documented(app: TestApp) {
    let doc = app.anonymous().get("/api/openapi.json").await.expect(200);
    let (mut lists, mut missing) = (0, vec![]);
    for (path, item) in doc["paths"].as_object().unwrap() {
        let Some(op) = item.get("get") else { continue };
        let params: Vec<&str> =
            op["parameters"].as_array().into_iter().flatten().filter_map(|p| p["name"].as_str()).collect();
        let ok = &op["responses"]["200"];
        let is_list = ok["content"]["application/json"]["schema"]["type"] == "array" || params.contains(&"after");
        // A report, not a list: one row per root cause (bounded by the
        // taxonomy), ordered by what the period counted.
        if !is_list || path == "/api/v1/root-causes/report" {
            continue;
        }
        lists += 1;
        for p in ["limit", "after"] {
            if !params.contains(&p) {
                missing.push(format!("GET {path}: `{p}`"));
            }
        }
        let limit = op["parameters"].as_array().into_iter().flatten().find(|p| p["name"] == "limit");
        if let Some(limit) = limit {
            let range = (limit["schema"]["minimum"].as_i64(), limit["schema"]["maximum"].as_i64());
            assert_eq!(range, (Some(1), Some(500)), "GET {path}");
        }
        if !op["responses"]["422"].is_object() {
            missing.push(format!("GET {path}: the 422"));
        }
        if !ok["headers"]["Link"].is_object() {
            missing.push(format!("GET {path}: the Link header"));
        }
    }
    assert!(missing.is_empty(), "lists that do not document their paging:\n{}", missing.join("\n"));
    assert!(lists >= 24, "only {lists} lists documented");
    for page in ["ResponsePage", "EventPage", "Timeline"] {
        assert!(doc["components"]["schemas"][page]["properties"]["next"].is_object(), "{page} has no next");
    }
}
