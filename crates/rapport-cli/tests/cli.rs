//! The `rapport` binary end to end: administration commands, `serve`, the
//! demo, on SQLite and (when `RAPPORT_TEST_DATABASE_URL` is set) PostgreSQL.

mod common;

use common::{with_database, Db};
use serde_json::json;

/// org create/list, user create (password from stdin, or generated), token
/// create, then the token against a running server.
async fn administration_flow(db: &Db) {
    let out = db.ok(&["migrate"], "");
    assert!(out.contains("up to date"), "{out}");
    assert!(!out.contains("@127.0.0.1"), "migrate must not print credentials of the URL: {out}");

    let out = db.ok(&["org", "create", "acme", "--name", "Acme Coffee"], "");
    assert!(out.contains("acme"), "{out}");
    db.ok(&["org", "create", "globex", "--name", "Globex"], "");
    let list = db.ok(&["org", "list"], "");
    assert!(list.contains("acme") && list.contains("Acme Coffee") && list.contains("globex"), "{list}");

    let out = db.ok(
        &["user", "create", "--org", "acme", "--email", "Ana@Acme.example", "--role", "leader"],
        "correct horse battery\n",
    );
    assert!(out.contains("ana@acme.example") && out.contains("leader"), "{out}");
    assert!(!out.contains("correct horse"), "a given password is not echoed: {out}");

    let out = db.ok(&["user", "create", "--org", "acme", "--email", "bo@acme.example", "--role", "viewer"], "");
    let generated = out
        .lines()
        .find_map(|l| l.strip_prefix("Password (shown once, store it now): "))
        .unwrap_or_else(|| panic!("a generated password is printed: {out}"));
    assert!(generated.len() >= 10, "{generated}");

    let err = db.fails(
        &["user", "create", "--org", "acme", "--email", "ana@acme.example", "--role", "admin"],
        "another password\n",
    );
    assert!(err.contains("email"), "duplicate e-mail: {err}");

    let token = db.token("acme", "admin");
    let other = db.token("globex", "admin");
    let server = db.serve(&[]);

    assert_eq!(server.sign_in("acme", "ana@acme.example", "correct horse battery").await, (303, true));
    assert_eq!(server.sign_in("acme", "bo@acme.example", generated).await, (303, true));
    assert_eq!(server.sign_in("acme", "ana@acme.example", "wrong password").await, (401, false));
    assert_eq!(server.sign_in("globex", "ana@acme.example", "correct horse battery").await, (401, false));

    // An administrator sets a password from the command line (no SMTP needed).
    let out = db.ok(&["user", "password", "--org", "acme", "--email", "Ana@acme.example"], "a new stapled horse\n");
    assert!(out.contains("ana@acme.example") && !out.contains("stapled"), "{out}");
    assert_eq!(server.sign_in("acme", "ana@acme.example", "correct horse battery").await, (401, false));
    assert_eq!(server.sign_in("acme", "ana@acme.example", "a new stapled horse").await, (303, true));
    let err = db.fails(&["user", "password", "--org", "acme", "--email", "nobody@acme.example"], "long enough pass\n");
    assert!(err.contains("no account"), "{err}");

    let (status, health) = server.get("/healthz", None).await;
    assert_eq!(status, 200, "{health}");
    assert!(health.is_object(), "/healthz answers JSON: {health}");

    assert_eq!(server.count("/api/v1/people", &token).await, 0);
    let (status, body) = server.get("/api/v1/people", None).await;
    assert_eq!(status, 401, "{body}");
    assert!(body["error"]["code"].is_string(), "JSON error: {body}");
    let (status, _) = server.get("/api/v1/people", Some("rpt_not-a-token")).await;
    assert_eq!(status, 401);

    let (status, person) =
        server.post("/api/v1/people", Some(&token), json!({"name": "Ana López", "email": "ana@acme.example"})).await;
    assert_eq!(status, 201, "{person}");
    assert_eq!(server.count("/api/v1/people", &token).await, 1);
    assert_eq!(server.count("/api/v1/people", &other).await, 0, "organizations are isolated");

    let out = db.ok(&["rollups", "rebuild", "--org", "acme"], "");
    assert!(out.starts_with("acme: 0 responses, 0 events"), "{out}");
    let out = db.ok(&["rollups", "rebuild"], "");
    assert!(out.contains("acme:") && out.contains("globex:"), "{out}");
    let err = db.fails(&["rollups", "rebuild", "--org", "nobody"], "");
    assert!(err.contains("nobody"), "{err}");
}

#[tokio::test]
async fn administration_on_sqlite() {
    administration_flow(&Db::sqlite()).await;
}

#[tokio::test]
async fn administration_on_postgres() {
    let Some(db) = Db::postgres().await else { return };
    administration_flow(&db).await;
}

#[test]
fn bad_input_fails_with_one_line_per_problem() {
    let db = Db::sqlite();
    db.ok(&["org", "create", "acme", "--name", "Acme"], "");

    let err = db.fails(&["org", "create", "acme", "--name", "Acme again"], "");
    assert!(err.starts_with("error: ") && err.contains("\"acme\"") && err.contains("slug"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");

    let err = db.fails(&["org", "create", "Not A Slug", "--name", " "], "");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines.iter().any(|l| l.contains("name:")) && lines.iter().any(|l| l.contains("slug:")), "{err}");

    let err = db.fails(
        &["user", "create", "--org", "nope", "--email", "a@b.example", "--role", "admin"],
        "long enough password\n",
    );
    assert!(err.contains("no organization") && err.contains("nope"), "{err}");
    let err = db.fails(&["user", "create", "--org", "acme", "--email", "a@b.example", "--role", "admin"], "short\n");
    assert!(err.contains("password:"), "{err}");
    let err = db.fails(
        &["user", "create", "--org", "acme", "--email", "not-an-email", "--role", "admin"],
        "long enough password\n",
    );
    assert!(err.contains("email:"), "{err}");
    let err = db.fails(&["user", "create", "--org", "acme", "--email", "a@b.example", "--role", "king"], "");
    assert!(err.contains("king"), "clap names the bad role: {err}");
    let err = db.fails(&["token", "create", "--org", "acme", "--role", "admin", "--name", "  "], "");
    assert!(err.contains("name:"), "{err}");

    let list = db.ok(&["org", "list"], "");
    assert_eq!(list.lines().count(), 2, "nothing was written by the failures: {list}");

    let out = common::rapport().args(["serve", "--database-url", "mysql://x@y/z"]).output().expect("run");
    assert!(!out.status.success());
    assert!(common::text(&out.stderr).contains("database_url"), "{}", common::text(&out.stderr));
}

async fn demo_counts(server: &common::Server, token: &str) -> [usize; 3] {
    [
        server.count("/api/v1/experiences", token).await,
        server.count("/api/v1/touchpoints", token).await,
        server.count("/api/v1/people", token).await,
    ]
}

/// `serve --demo` seeds a complete program once; a second start leaves it be.
#[tokio::test]
async fn demo_is_complete_and_seeded_once() {
    let db = Db::sqlite();
    let server = db.serve(&["--demo"]);
    for needle in ["organization: demo", "admin@demo.example", "rapport-demo", &format!("{}/sign-in", server.url)] {
        assert!(server.preamble.contains(needle), "sign-in instructions name {needle}: {}", server.preamble);
    }
    let token = db.token("demo", "viewer");
    let coverage = server.json("/api/v1/coverage", &token).await;
    assert_eq!(coverage["percent"].as_f64(), Some(100.0), "{coverage}");
    let counts = demo_counts(&server, &token).await;
    let [experiences, touchpoints, people] = counts;
    assert!(experiences >= 3 && touchpoints >= 12 && people >= 15, "{counts:?}");
    let segments = server.json("/api/v1/segments", &token).await;
    let segments = segments.as_array().expect("a list of segments");
    assert!(segments.len() >= 4, "{segments:?}");
    for segment in segments {
        let preview = server.json(&format!("/api/v1/segments/{}/preview", segment["id"]), &token).await;
        let (matching, total) = (preview["matching"].as_u64().unwrap_or(0), preview["total"].as_u64().unwrap_or(0));
        assert!(total >= 200 && matching > 0 && matching < total, "{}: {preview}", segment["name"]);
    }
    let survey_link = format!("{}/s/", server.url);
    assert!(server.preamble.contains(&survey_link), "an anonymous survey link: {}", server.preamble);
    let surveys = server.json("/api/v1/surveys", &token).await;
    let surveys = surveys.as_array().expect("a list of surveys");
    assert!(surveys.len() >= 3, "a survey per experience: {surveys:?}");
    for survey in surveys {
        assert_eq!(survey["status"], "published", "{survey}");
        let keys: Vec<&str> =
            survey["questions"].as_array().unwrap().iter().filter_map(|q| q["key"].as_str()).collect();
        assert_eq!(keys.first(), Some(&"nps"), "{survey}");
        assert!(keys.contains(&"why"), "every demo survey asks why: {survey}");
        assert!(survey["title"]["es"].as_str().is_some_and(|t| !t.is_empty()), "{survey}");
        assert_eq!(survey["fatigue_days"], 30);
    }
    let responses = server.json("/api/v1/responses?limit=1", &token).await["total"].as_i64().unwrap_or(0);
    let events = server.json("/api/v1/events?limit=1", &token).await["total"].as_i64().unwrap_or(0);
    assert!(responses + events >= 20_000, "a year of data for the dashboard: {responses} responses, {events} events");
    assert!(responses >= 10_000 && events >= 5_000, "{responses} responses, {events} events");
    // Closing the loop: open cases in the agent's queue, and a root-cause ranking.
    let open = server.json("/api/v1/cases?status=open", &token).await;
    let open = open.as_array().expect("a list of cases");
    assert!(open.len() >= 4, "fresh detractors opened cases: {open:?}");
    let report = server.json("/api/v1/root-causes/report", &token).await;
    assert_eq!(report[0]["name"], "Late delivery", "the most frequent root cause: {report}");
    assert!(report[0]["money"].is_number() && report.as_array().is_some_and(|r| r.len() >= 4), "{report}");
    // What customers say: the demo's themes are found in its comments.
    let themes = server.json("/api/v1/text/themes", &token).await;
    let mentioned = themes["themes"].as_array().map_or(0, |t| t.iter().filter(|t| t["n"].as_i64() > Some(0)).count());
    assert!(mentioned >= 3, "the demo's comments mention its themes: {themes}");
    let angry = server.json("/api/v1/responses?flag=anger&limit=1", &token).await;
    assert!(angry["items"].is_array(), "{angry}");
    let log = server.log_text();
    server.stop();

    // Ingestion analysed every comment: a rebuild finds nothing to change.
    let rebuilt = db.ok(&["text", "rebuild", "--org", "demo"], "");
    assert!(rebuilt.starts_with("demo: ") && rebuilt.contains(" 0 changed"), "{rebuilt}");
    let read: u64 = rebuilt.split(' ').nth(1).and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(read >= 1_000, "{rebuilt}");

    let again = db.serve(&["--demo", "--log-format", "json"]);
    assert_eq!(demo_counts(&again, &token).await, counts, "a second --demo adds nothing");
    let again_responses = again.json("/api/v1/responses?limit=1", &token).await["total"].as_i64().unwrap_or(0);
    assert_eq!(again_responses, responses, "a second --demo adds no responses");
    assert_eq!(again.json("/api/v1/coverage", &token).await["percent"].as_f64(), Some(100.0));
    let json_log = again.log_text();
    let first = json_log.lines().next().unwrap_or_default();
    assert!(serde_json::from_str::<serde_json::Value>(first).is_ok(), "--log-format json: {first}");
    for l in [log, json_log] {
        assert!(!l.contains("rapport-demo") && !l.contains(&token), "no secrets in logs:\n{l}");
    }
    let orgs = db.ok(&["org", "list"], "");
    assert_eq!(orgs.matches("demo").count(), 1, "{orgs}");
}

/// Two servers on one PostgreSQL database start together (concurrent
/// migrations and demo seeding) and see each other's writes.
#[tokio::test]
async fn two_servers_share_one_postgres_database() {
    let Some(db) = Db::postgres().await else { return };
    let servers = db.serve_all(&[&["--demo"], &["--demo"]]);
    let (a, b) = (&servers[0], &servers[1]);
    let token = db.token("demo", "admin");
    let counts = demo_counts(a, &token).await;
    assert!(counts[0] >= 3 && counts[1] >= 12 && counts[2] >= 15, "{counts:?}");
    assert_eq!(demo_counts(b, &token).await, counts);
    assert_eq!(b.json("/api/v1/coverage", &token).await["percent"].as_f64(), Some(100.0));

    let (status, body) = a
        .post("/api/v1/people", Some(&token), json!({"name": "Nora Vidal", "email": "nora.vidal@aurora.example"}))
        .await;
    assert_eq!(status, 201, "{body}");
    let people = b.json("/api/v1/people", &token).await;
    assert!(people.as_array().unwrap().iter().any(|p| p["email"] == "nora.vidal@aurora.example"), "{people}");
    let orgs = db.ok(&["org", "list"], "");
    assert_eq!(orgs.matches("demo").count(), 1, "seeded once: {orgs}");
}

#[test]
fn database_name_is_replaced_in_urls() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:55432/postgres", "x"),
        "postgres://postgres@127.0.0.1:55432/x"
    );
    assert_eq!(with_database("postgresql://h:1?sslmode=disable", "x"), "postgresql://h:1/x?sslmode=disable");
}

/// `rapport text analyze`: a JSON line per stdin line, no database; a bad
/// language is one error line.
#[test]
fn text_analyze_reads_lines_and_prints_json_lines() {
    use std::io::Write;
    use std::process::Stdio;
    let run = |args: &[&str], input: &str| {
        let mut child = common::rapport()
            .args(["text", "analyze"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run rapport");
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
        child.wait_with_output().expect("wait")
    };
    let out = run(&[], "Terrible service, never again!!!\nMe encantó, gracias\n\n");
    assert!(out.status.success(), "{}", common::text(&out.stderr));
    let lines: Vec<serde_json::Value> =
        common::text(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!((lines[0]["label"].as_str(), lines[0]["language"].as_str()), (Some("negative"), Some("en")));
    assert_eq!((lines[1]["label"].as_str(), lines[1]["language"].as_str()), (Some("positive"), Some("es")));
    assert_eq!(lines[2]["label"], "neutral", "an empty line is neutral");
    let given = run(&["--language", "es"], "ok\n");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(common::text(&given.stdout).trim()).unwrap()["detected"],
        false
    );
    let bad = run(&["--language", "fr"], "x\n");
    assert!(!bad.status.success());
    assert_eq!(common::text(&bad.stderr).lines().count(), 1, "{}", common::text(&bad.stderr));
}

#[tokio::test]
async fn metrics_can_have_their_own_address() {
    let db = Db::sqlite();
    let port = common::free_port();
    let server = db.serve(&["--metrics-bind", &format!("127.0.0.1:{port}")]);
    let (status, _) = server.get("/metrics", None).await;
    assert_eq!(status, 404, "not on the users' address");
    assert_eq!(server.get("/healthz", None).await.0, 200);
    // The listener is bound before the server says it listens.
    let text = reqwest::get(format!("http://127.0.0.1:{port}/metrics")).await.unwrap().text().await.unwrap();
    assert!(text.contains("rapport_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"}"), "{text}");
    // Statements' times, by kind only (the health check runs a SELECT).
    assert!(text.contains("rapport_db_query_duration_seconds_count{statement=\"select\"}"), "{text}");
    assert!(!text.contains("FROM "), "no SQL in labels");
}

/// A token revoked on the command line is refused at once by a server
/// running on the same database; the list shows its use and revocation.
#[tokio::test]
async fn a_token_revoked_on_the_command_line_stops_at_once() {
    let db = Db::sqlite();
    db.ok(&["org", "create", "acme", "--name", "Acme"], "");
    let token = db.token("acme", "admin");
    let server = db.serve(&[]);
    assert_eq!(server.get("/api/v1/org", Some(&token)).await.0, 200);
    let list = db.ok(&["token", "list", "--org", "acme"], "");
    let row: Vec<&str> = list.lines().nth(1).expect("one token").split('\t').collect();
    assert_eq!(&row[1..3], ["tests", "admin"], "{list}");
    assert_ne!(row[4], "-", "its use is shown: {list}");
    assert_eq!(row[5], "-", "not revoked yet: {list}");
    db.ok(&["token", "revoke", "--org", "acme", "--id", row[0]], "");
    assert_eq!(server.get("/api/v1/org", Some(&token)).await.0, 401, "refused at once");
    let list = db.ok(&["token", "list", "--org", "acme"], "");
    assert_ne!(list.lines().nth(1).unwrap().split('\t').nth(5), Some("-"), "{list}");
    let err = db.fails(&["token", "revoke", "--org", "acme", "--id", "999999"], "");
    assert!(err.contains("999999") && err.contains("not found"), "{err}");
}
