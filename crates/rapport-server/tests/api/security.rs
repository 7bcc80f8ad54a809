//! Hardening, through HTTP on both backends: API writes with the session
//! cookie from another origin, sign-in throttling, client addresses behind a
//! trusted proxy, the public survey limiter (per address and survey), and
//! the security headers on every response.

use crate::helpers::{self, id, TestApp};
use crate::listening::survey_setup;
use rapport_core::role::Role;
use rapport_core::Id;
use rapport_server::auth::{password, secret, session};
use rapport_server::Config;
use serde_json::{json, Value};

/// Two tests per story, `<name>::sqlite` and `<name>::postgres`, each on a
/// server started with the configuration `$config`.
macro_rules! on_both_backends_with {
    ($($name:ident ($config:expr) => $story:path),* $(,)?) => {
        $(mod $name {
            #[tokio::test]
            async fn sqlite() {
                crate::helpers::run_with(crate::helpers::Backend::Sqlite, $config, $story).await
            }

            #[tokio::test]
            async fn postgres() {
                crate::helpers::run_with(crate::helpers::Backend::Postgres, $config, $story).await
            }
        })*
    };
}

on_both_backends_with! {
    cookie_writes_need_same_origin (crate::helpers::test_config()) => super::cookie_writes_need_same_origin_and_api_content,
    sign_in_throttled (crate::helpers::test_config()) => super::sign_in_is_throttled_per_account_and_address,
    survey_limit_per_survey (crate::helpers::test_config()) => super::one_survey_limit_does_not_block_another,
    security_headers (crate::helpers::test_config()) => super::every_response_has_security_headers,
    security_headers_https (super::https()) => super::hsts_only_behind_https,
    survey_limit_behind_proxy (super::behind_proxy()) => super::trusted_proxy_names_the_client,
    sign_in_throttled_behind_proxy (super::behind_proxy()) => super::sign_in_counts_each_address_apart,
}

/// A server behind a reverse proxy on loopback, where the tests connect from.
fn behind_proxy() -> Config {
    let trusted_proxies = rapport_server::auth::client::parse_ranges("127.0.0.1, ::1").unwrap();
    Config { trusted_proxies, ..helpers::test_config() }
}

/// A server reached over HTTPS (`--secure-cookies`).
fn https() -> Config {
    Config { secure_cookies: true, ..helpers::test_config() }
}

const EVIL: &str = "http://127.0.0.1:9999";
const PASSWORD: &str = "correct horse battery";

/// A client that shows redirects instead of following them.
fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// A signed-in account of `org` (role admin, linked to `person`): the
/// `Cookie` header value of its session.
async fn session_cookie(app: &TestApp, org: Id, person: Option<Id>, email: &str) -> String {
    let user = rapport_store::NewUser {
        email: email.into(),
        role: Role::Admin,
        password_hash: password::hash(PASSWORD),
        person_id: person,
    };
    let user = app.store.create_user(org, &user).await.expect("user");
    let token = secret::generate("");
    let expires = chrono::Utc::now() + chrono::Duration::hours(1);
    app.store.create_session(org, user.id, &secret::digest(&token), expires).await.expect("session");
    format!("{}={token}", session::COOKIE)
}

fn multipart(fields: &[(&str, &str)]) -> (String, String) {
    let boundary = "rapportBoundary9";
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

struct Answer {
    status: u16,
    json: Value,
    text: String,
    headers: reqwest::header::HeaderMap,
}

async fn answer(req: reqwest::RequestBuilder) -> Answer {
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Answer { status, json, text, headers }
}

/// A session cookie authenticates API writes only from the same origin
/// (`Origin`, else `Sec-Fetch-Site: same-origin`) with the API's content
/// types (JSON, NDJSON, multipart); reads and bearer tokens are unaffected.
pub async fn cookie_writes_need_same_origin_and_api_content(app: TestApp) {
    let org = app.org("csrf").await;
    let c = app.client(org.id, Role::Admin).await;
    let (_, survey) = survey_setup(&c).await;
    let person = id(&c.post("/api/v1/people", json!({"name": "Ana", "email": "ana@csrf.example"})).await.expect(201));
    let cookie = session_cookie(&app, org.id, Some(person), "ana@csrf.example").await;
    let web = http();
    let url = |path: &str| format!("{}{path}", app.base);
    let person_body = |name: &str| json!({"name": name, "email": format!("{}@csrf.example", name.to_lowercase())});
    let response_body = |key: &str| json!({"id": key, "survey": survey, "answers": {"nps": 3}}).to_string();
    let mail = |subject: &str| {
        multipart(&[("from", "Ana <ana@csrf.example>"), ("subject", subject), ("text", "Make it simpler")])
    };

    // The attacks of the issue: another origin, a content type a form or a
    // no-cors fetch may send.
    let refused = [
        (
            "people, text/plain from another origin",
            web.post(url("/api/v1/people"))
                .header("origin", EVIL)
                .header("content-type", "text/plain")
                .body(person_body("Evilone").to_string()),
        ),
        (
            "responses, text/plain from another origin",
            web.post(url("/api/v1/responses"))
                .header("origin", EVIL)
                .header("content-type", "text/plain")
                .body(response_body("evil-1")),
        ),
        ("inbound idea, multipart from another origin", {
            let (ct, body) = mail("Evil idea");
            web.post(url("/api/v1/inbound/ideas")).header("origin", EVIL).header("content-type", ct).body(body)
        }),
        (
            "people, JSON without Origin nor Sec-Fetch-Site",
            web.post(url("/api/v1/people")).json(&person_body("Evilnoorigin")),
        ),
        (
            "people, JSON with Sec-Fetch-Site: cross-site",
            web.post(url("/api/v1/people")).header("sec-fetch-site", "cross-site").json(&person_body("Evilsfs")),
        ),
        (
            "people, JSON with Origin: null",
            web.post(url("/api/v1/people")).header("origin", "null").json(&person_body("Evilnull")),
        ),
        (
            "people, text/plain from the same origin",
            web.post(url("/api/v1/people"))
                .header("origin", &app.base)
                .header("content-type", "text/plain")
                .body(person_body("Eviltext").to_string()),
        ),
        (
            "people, a body without a content type from the same origin",
            web.post(url("/api/v1/people")).header("origin", &app.base).body(person_body("Evilbare").to_string()),
        ),
        (
            "people, form-encoded from the same origin",
            web.post(url("/api/v1/people"))
                .header("origin", &app.base)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(person_body("Evilform").to_string()),
        ),
        ("delete from another origin", web.delete(url(&format!("/api/v1/people/{person}"))).header("origin", EVIL)),
    ];
    for (what, req) in refused {
        let r = answer(req.header("cookie", &cookie)).await;
        assert_eq!(r.status, 403, "{what}: {}", r.text);
        assert_eq!(r.json["error"]["code"], "forbidden", "{what}: {}", r.text);
        assert!(r.json["error"]["message"].is_string(), "{what}: {}", r.text);
    }
    let people = c.get("/api/v1/people").await.expect(200);
    let names: Vec<&str> = people.as_array().unwrap().iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(names, ["Ana"], "nothing refused was written");
    assert_eq!(c.get(&format!("/api/v1/responses?survey={survey}")).await.expect(200)["total"], json!(0));
    assert_eq!(c.get("/api/v1/ideas").await.expect(200).as_array().map_or(0, Vec::len), 0);

    // The same origin, as the browser says it, with the API's content types.
    let allowed = [
        (
            "people, JSON, same Origin",
            web.post(url("/api/v1/people")).header("origin", &app.base).json(&person_body("Bea")),
        ),
        (
            "people, JSON, Sec-Fetch-Site: same-origin",
            web.post(url("/api/v1/people")).header("sec-fetch-site", "same-origin").json(&person_body("Cai")),
        ),
        (
            "responses, NDJSON, same Origin",
            web.post(url("/api/v1/responses"))
                .header("origin", &app.base)
                .header("content-type", "application/x-ndjson")
                .body(response_body("ok-1")),
        ),
        ("inbound idea, multipart, same Origin", {
            let (ct, body) = mail("Good idea");
            web.post(url("/api/v1/inbound/ideas")).header("origin", &app.base).header("content-type", ct).body(body)
        }),
    ];
    for (what, req) in allowed {
        let r = answer(req.header("cookie", &cookie)).await;
        assert!((200..300).contains(&r.status), "{what}: {} {}", r.status, r.text);
    }
    let bea = c.get("/api/v1/people").await.expect(200).as_array().unwrap().iter().find(|p| p["name"] == "Bea").map(id);
    let r = answer(
        web.delete(url(&format!("/api/v1/people/{}", bea.expect("Bea"))))
            .header("origin", &app.base)
            .header("cookie", &cookie),
    )
    .await;
    assert!((200..300).contains(&r.status), "an empty DELETE from the same origin: {} {}", r.status, r.text);

    // Reads with the cookie, and bearer tokens from anywhere, as before.
    let r = answer(web.get(url("/api/v1/people")).header("origin", EVIL).header("cookie", &cookie)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let token = secret::generate("rpt_");
    app.store.create_token(org.id, "crm", Role::Admin, &secret::digest(&token)).await.unwrap();
    let r = answer(
        web.post(url("/api/v1/people"))
            .bearer_auth(&token)
            .header("origin", EVIL)
            .header("content-type", "text/plain")
            .body(person_body("Dee").to_string()),
    )
    .await;
    assert_eq!(r.status, 201, "a bearer token is not a browser's ambient credential: {}", r.text);

    // The web forms refuse a cross-site post told by Sec-Fetch-Site alone.
    let r = answer(
        web.post(url("/language"))
            .header("cookie", &cookie)
            .header("sec-fetch-site", "cross-site")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("lang=es&next=/"),
    )
    .await;
    assert_eq!(r.status, 403, "{}", r.text);
}

async fn sign_in(web: &reqwest::Client, app: &TestApp, org: &str, email: &str, pass: &str, lang: &str) -> Answer {
    sign_in_from(web, app, org, email, pass, lang, None).await
}

async fn sign_in_from(
    web: &reqwest::Client,
    app: &TestApp,
    org: &str,
    email: &str,
    pass: &str,
    lang: &str,
    forwarded_for: Option<&str>,
) -> Answer {
    let mut req = web.post(format!("{}/sign-in?lang={lang}", app.base)).form(&[
        ("org", org),
        ("email", email),
        ("password", pass),
        ("next", "/"),
    ]);
    if let Some(xff) = forwarded_for {
        req = req.header("x-forwarded-for", xff);
    }
    answer(req).await
}

async fn account(app: &TestApp, slug: &str, email: &str) {
    let org = app.org(slug).await;
    let user = rapport_store::NewUser {
        email: email.into(),
        role: Role::Admin,
        password_hash: password::hash(PASSWORD),
        person_id: None,
    };
    app.store.create_user(org.id, &user).await.expect("user");
}

fn retry_after(a: &Answer) -> u64 {
    let v = a.headers.get("retry-after").unwrap_or_else(|| panic!("no Retry-After: {}", a.status));
    v.to_str().unwrap().parse().expect("Retry-After in seconds")
}

/// Five wrong passwords for one account from one address, then the account
/// is locked for that address (429, Retry-After, in the page's language),
/// even for the right password; another account is not.
pub async fn sign_in_is_throttled_per_account_and_address(app: TestApp) {
    account(&app, "throttle", "ana@throttle.example").await;
    account(&app, "other", "bo@other.example").await;
    let web = http();
    for n in 1..=5 {
        let r = sign_in(&web, &app, "throttle", "ana@throttle.example", &format!("guess {n}"), "en").await;
        assert_eq!(r.status, 401, "guess {n}");
    }
    let r = sign_in(&web, &app, "throttle", "ana@throttle.example", "guess 6", "en").await;
    assert_eq!(r.status, 429, "the sixth guess in a row: {}", r.text);
    let wait = retry_after(&r);
    assert!((1..=15 * 60).contains(&wait), "Retry-After {wait}");
    assert!(r.text.contains("id=\"sign-in-throttled\""), "{}", r.text);
    assert!(r.text.contains("Too many attempts to sign in"), "{}", r.text);
    let r = sign_in(&web, &app, "throttle", "ana@throttle.example", PASSWORD, "es").await;
    assert_eq!(r.status, 429, "the right password is refused too while locked");
    assert!(r.headers.get("set-cookie").is_none());
    assert!(r.text.contains("Demasiados intentos"), "{}", r.text);
    retry_after(&r);
    // The address is not locked out of other accounts.
    let r = sign_in(&web, &app, "other", "bo@other.example", "wrong", "en").await;
    assert_eq!(r.status, 401);
    let r = sign_in(&web, &app, "other", "BO@other.example ", PASSWORD, "en").await;
    assert_eq!(r.status, 303, "{}", r.text);
    // The account is one account whatever the case of its e-mail.
    let r = sign_in(&web, &app, " THROTTLE", "Ana@Throttle.example", PASSWORD, "en").await;
    assert_eq!(r.status, 429);
}

/// Posts `count` unanswered forms (422) to the survey `token`, then one more
/// expected to be limited; `forwarded_for` is sent as `X-Forwarded-For`.
async fn post_survey(app: &TestApp, token: &str, forwarded_for: Option<&str>) -> u16 {
    let mut req = http().post(format!("{}/s/{token}", app.base)).form(&[("shown", "nps"), ("shown", "why")]);
    if let Some(xff) = forwarded_for {
        req = req.header("x-forwarded-for", xff);
    }
    req.send().await.expect("post").status().as_u16()
}

/// A published survey of the client's organization (its first one also
/// creates the stage and touchpoint it is on); its public token.
async fn published_token(c: &crate::helpers::Client) -> String {
    let touchpoints = c.get("/api/v1/touchpoints").await.expect(200);
    let survey = match touchpoints.as_array().and_then(|t| t.first()) {
        None => survey_setup(c).await.1,
        Some(tp) => {
            let survey = json!({"touchpoint_id": id(tp), "title": {"en": "Another", "es": "Otra"},
                "questions": [crate::helpers::nps_question()]});
            let survey = id(&c.post("/api/v1/surveys", survey).await.expect(201));
            c.post(&format!("/api/v1/surveys/{survey}/publish"), json!({})).await.expect(200);
            survey
        }
    };
    c.get(&format!("/api/v1/surveys/{survey}")).await.expect(200)["token"].as_str().unwrap().to_string()
}

/// Posts until the limit answers 429 (all before it 422); returns how many
/// were let through.
async fn exhaust(app: &TestApp, token: &str, forwarded_for: Option<&str>) -> usize {
    let mut statuses = vec![];
    for _ in 0..100 {
        let s = post_survey(app, token, forwarded_for).await;
        statuses.push(s);
        if s == 429 {
            break;
        }
    }
    let through = statuses.len() - 1;
    assert_eq!(statuses.last(), Some(&429), "never limited: {statuses:?}");
    assert!(through >= 1 && statuses[..through].iter().all(|s| *s == 422), "{statuses:?}");
    through
}

/// The public survey limit counts per client address and survey: one
/// survey's posts do not block another survey (of this or another
/// organization).
pub async fn one_survey_limit_does_not_block_another(app: TestApp) {
    let org = app.org("surveys-a").await;
    let c = app.client(org.id, Role::Admin).await;
    let first = published_token(&c).await;
    let second = published_token(&c).await;
    let other_org = app.org("surveys-b").await;
    let other = published_token(&app.client(other_org.id, Role::Admin).await).await;
    exhaust(&app, &first, None).await;
    assert_eq!(post_survey(&app, &first, None).await, 429);
    assert_eq!(post_survey(&app, &second, None).await, 422, "another survey of the organization");
    assert_eq!(post_survey(&app, &other, None).await, 422, "a survey of another organization");
}

fn assert_security_headers(what: &str, a: &Answer, hsts: bool) {
    let h = |name: &str| a.headers.get(name).map(|v| v.to_str().unwrap().to_string());
    let csp = h("content-security-policy").unwrap_or_else(|| panic!("{what}: no Content-Security-Policy"));
    let directive = |name: &str| {
        csp.split(';').map(str::trim).find(|d| d.split_whitespace().next() == Some(name)).map(str::to_string)
    };
    assert_eq!(directive("frame-ancestors").as_deref(), Some("frame-ancestors 'none'"), "{what}: {csp}");
    assert_eq!(directive("default-src").as_deref(), Some("default-src 'self'"), "{what}: {csp}");
    for d in ["script-src", "style-src"] {
        let v = directive(d).unwrap_or_else(|| panic!("{what}: no {d} in {csp}"));
        assert!(!v.contains("unsafe-inline") && !v.contains("unsafe-eval") && !v.contains('*'), "{what}: {v}");
    }
    assert_eq!(directive("object-src").as_deref(), Some("object-src 'none'"), "{what}: {csp}");
    assert_eq!(h("x-frame-options").as_deref(), Some("DENY"), "{what}");
    assert_eq!(h("x-content-type-options").as_deref(), Some("nosniff"), "{what}");
    assert!(
        matches!(h("referrer-policy").as_deref(), Some("same-origin" | "strict-origin-when-cross-origin")),
        "{what}: {:?}",
        h("referrer-policy")
    );
    match h("strict-transport-security") {
        Some(v) => {
            assert!(hsts, "{what}: HSTS without --secure-cookies");
            assert!(
                v.starts_with("max-age=")
                    && v["max-age=".len()..].split(';').next().unwrap().parse::<u64>().unwrap() > 0
            );
        }
        None => assert!(!hsts, "{what}: no HSTS with --secure-cookies"),
    }
}

async fn check_headers_everywhere(app: &TestApp, hsts: bool) {
    let org = app.org(if hsts { "headers-tls" } else { "headers" }).await;
    let c = app.client(org.id, Role::Admin).await;
    let token = published_token(&c).await;
    let bearer = secret::generate("rpt_");
    app.store.create_token(org.id, "reader", Role::Admin, &secret::digest(&bearer)).await.unwrap();
    let web = http();
    let get = |path: &str| web.get(format!("{}{path}", app.base));
    let requests = [
        ("sign-in page", get("/sign-in")),
        ("signed-out redirect", get("/people")),
        ("page not found", get("/no-such-page")),
        ("stylesheet", get("/assets/app.css")),
        ("script", get("/assets/wall.js")),
        ("print script", get("/assets/print.js")),
        ("icon", get("/assets/icon.svg")),
        ("public survey", get(&format!("/s/{token}"))),
        ("API read", get("/api/v1/people").bearer_auth(&bearer)),
        ("API 401", get("/api/v1/people")),
        ("API 404", get("/api/v1/nothing-here").bearer_auth(&bearer)),
        ("OpenAPI", get("/api/openapi.json")),
        ("health", get("/healthz")),
        ("method not allowed", web.delete(format!("{}/healthz", app.base))),
        (
            "sign-in post",
            web.post(format!("{}/sign-in", app.base)).form(&[("org", "x"), ("email", "y"), ("password", "z")]),
        ),
    ];
    for (what, req) in requests {
        let a = answer(req).await;
        assert_security_headers(what, &a, hsts);
    }
}

/// Pages, the API, assets and errors all carry the security headers; HSTS
/// only behind HTTPS (`--secure-cookies`).
pub async fn every_response_has_security_headers(app: TestApp) {
    check_headers_everywhere(&app, false).await;
}

/// The templates and scripts satisfy the Content-Security-Policy: no inline
/// scripts, event-handler attributes, `javascript:` links or inline styles.
#[test]
fn templates_have_nothing_inline_for_the_csp_to_block() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![];
    let mut dirs = vec![root.join("templates"), root.join("assets")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "html" || e == "svg" || e == "js") {
                files.push(path);
            }
        }
    }
    assert!(files.len() > 20, "{files:?}");
    let mut found = vec![];
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let lower = text.to_ascii_lowercase();
        let is_js = path.extension().is_some_and(|e| e == "js");
        for (n, line) in lower.lines().enumerate() {
            let at = format!("{}:{}", path.strip_prefix(root).unwrap().display(), n + 1);
            if !is_js {
                if line.contains("<script") && !line.contains(" src=") {
                    found.push(format!("{at}: inline <script>"));
                }
                if line.contains("<style") || line.contains(" style=") {
                    found.push(format!("{at}: inline style"));
                }
                let handler = line.match_indices(" on").any(|(i, _)| {
                    let rest = &line[i + 3..];
                    let name_len = rest.bytes().take_while(u8::is_ascii_lowercase).count();
                    name_len > 0 && rest[name_len..].starts_with('=')
                });
                if handler {
                    found.push(format!("{at}: event-handler attribute"));
                }
            }
            if line.contains("javascript:") {
                found.push(format!("{at}: javascript: URL"));
            }
            if is_js && (line.contains("eval(") || line.contains("new function(") || line.contains(".style.cssText")) {
                found.push(format!("{at}: code the CSP blocks"));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// Pages, the API and assets behind HTTPS also get HSTS.
pub async fn hsts_only_behind_https(app: TestApp) {
    check_headers_everywhere(&app, true).await;
}

/// Behind a trusted proxy, `X-Forwarded-For` names the client: its
/// right-most hop (what the proxy appended), not what the client wrote.
pub async fn trusted_proxy_names_the_client(app: TestApp) {
    let org = app.org("proxied").await;
    let c = app.client(org.id, Role::Admin).await;
    let token = published_token(&c).await;
    exhaust(&app, &token, Some("203.0.113.1")).await;
    assert_eq!(post_survey(&app, &token, Some("203.0.113.2")).await, 422, "another client behind the proxy");
    assert_eq!(post_survey(&app, &token, None).await, 422, "the proxy itself");
    // A client cannot pass for another by writing hops on the left.
    assert_eq!(post_survey(&app, &token, Some("198.51.100.9, 203.0.113.1")).await, 429);
    assert_eq!(post_survey(&app, &token, Some("203.0.113.1, 198.51.100.9")).await, 422);
}

/// Behind a trusted proxy each client address has its own budget for an
/// account; a success clears only its own; one address may fail 50 times
/// in all, over any accounts.
pub async fn sign_in_counts_each_address_apart(app: TestApp) {
    account(&app, "proxied", "ana@proxied.example").await;
    let web = http();
    let (home, cafe, bot) = (Some("203.0.113.1"), Some("203.0.113.2"), Some("198.51.100.66"));
    let try_as = |pass: &'static str, from: Option<&'static str>| {
        let (web, app) = (web.clone(), app.clone());
        async move { sign_in_from(&web, &app, "proxied", "ana@proxied.example", pass, "en", from).await.status }
    };
    for _ in 0..5 {
        assert_eq!(try_as("wrong", home).await, 401);
    }
    assert_eq!(try_as(PASSWORD, home).await, 429, "home is locked");
    for _ in 0..4 {
        assert_eq!(try_as("wrong", cafe).await, 401);
    }
    assert_eq!(try_as(PASSWORD, cafe).await, 303, "the café is not locked by home's failures");
    assert_eq!(try_as(PASSWORD, home).await, 429, "the café's success does not unlock home");
    for n in 1..=5 {
        assert_eq!(try_as("wrong", cafe).await, 401, "the café starts afresh: failure {n}");
    }
    assert_eq!(try_as("wrong", cafe).await, 429);
    // Fifty failures from one address over as many accounts lock it out of
    // every account, and no other address.
    for n in 0..50 {
        let email = format!("nobody{n}@proxied.example");
        assert_eq!(sign_in_from(&web, &app, "proxied", &email, "guess", "en", bot).await.status, 401, "{email}");
    }
    let r = sign_in_from(&web, &app, "proxied", "someone.else@proxied.example", "guess", "en", bot).await;
    assert_eq!(r.status, 429);
    retry_after(&r);
    let r =
        sign_in_from(&web, &app, "proxied", "someone.else@proxied.example", "guess", "en", Some("198.51.100.67")).await;
    assert_eq!(r.status, 401);
}
