//! `rapport export TABLE --org SLUG` against the real binary, on the demo
//! organization (SQLite, and PostgreSQL when `RAPPORT_TEST_DATABASE_URL` is
//! set): CSV and NDJSON hold the API's rows, only the organization's, with
//! formulas neutralised in CSV and no secret; unknown tables, a missing
//! `--org` and an existing file are refused with a clear message.

mod common;

use common::{Db, Server};
use serde_json::{json, Value};
use std::time::Instant;

const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";

/// CSV records, header first.
fn records(text: &str) -> Vec<csv::StringRecord> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    reader.records().map(|r| r.expect("a CSV record")).collect()
}

/// How many rows the API's own CSV export of `list` holds.
async fn api_rows(server: &Server, list: &str, token: &str) -> usize {
    let resp = reqwest::Client::new()
        .get(format!("{}/api/v1/{list}?format=csv", server.url))
        .bearer_auth(token)
        .send()
        .await
        .expect("the API's CSV");
    assert_eq!(resp.status(), 200);
    records(&resp.text().await.unwrap()).len() - 1
}

async fn exports(db: &Db) {
    let server = db.serve(&["--demo"]);
    let token = db.token("demo", "admin");
    let (status, body) = server
        .post("/api/v1/customers", Some(&token), json!({"external_id": "formula-1", "name": FORMULA, "attributes": {}}))
        .await;
    assert!(status < 300, "{status} {body}");
    db.ok(&["org", "create", "other", "--name", "Other"], "");
    let other = db.token("other", "admin");
    let (status, body) = server
        .post("/api/v1/customers", Some(&other), json!({"external_id": "only-in-other", "name": "Not demo's"}))
        .await;
    assert!(status < 300, "{status} {body}");

    // CSV to a file: the API's rows, the formula neutralised.
    let file = db.dir().join("customers.csv");
    let path = file.to_str().unwrap();
    let said = db.ok(&["export", "customers", "--org", "demo", "--output", path], "");
    assert!(said.starts_with("Exported ") && said.contains("customers"), "{said}");
    let csv = std::fs::read_to_string(&file).unwrap();
    let rows = records(&csv);
    assert_eq!(&rows[0][0], "id");
    assert_eq!(rows.len() - 1, api_rows(&server, "customers", &token).await, "the API's customers");
    assert!(rows.len() > 100, "the demo has customers: {}", rows.len());
    let name = rows[0].iter().position(|c| c == "name").unwrap();
    assert!(rows.iter().any(|r| r[name] == format!("'{FORMULA}")), "the formula is neutralised");
    assert!(!csv.contains("only-in-other") && !csv.contains("Not demo's"), "another organization's rows");
    assert!(!db.dir().join("customers.csv.partial").exists());

    // An existing file is kept unless --force.
    let refused = db.fails(&["export", "people", "--org", "demo", "--output", path], "");
    assert!(refused.contains("exists already") && refused.contains("--force"), "{refused}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), csv);
    db.ok(&["export", "people", "--org", "demo", "--output", path, "--force"], "");
    let people = records(&std::fs::read_to_string(&file).unwrap());
    assert_eq!(people.len() - 1, api_rows(&server, "people", &token).await, "the API's people");

    // NDJSON on stdout: one object per line, JSON columns as values.
    let out = db.ok(&["export", "customers", "--org", "demo", "--format", "ndjson"], "");
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).expect("one JSON object a line")).collect();
    assert_eq!(lines.len(), rows.len() - 1);
    let formula = lines.iter().find(|c| c["external_id"] == "formula-1").expect("the customer posted");
    assert_eq!(formula["name"], FORMULA, "NDJSON keeps the text as it is");
    assert!(lines.iter().all(|c| c["attributes"].is_object()));
    assert!(!out.contains("only-in-other"));

    // Responses, timed: the demo's whole year.
    let started = Instant::now();
    let responses = db.dir().join("responses.ndjson");
    db.ok(&["export", "responses", "--org", "demo", "--output", responses.to_str().unwrap()], "");
    let seconds = started.elapsed().as_secs_f64();
    let n = std::fs::read_to_string(&responses).unwrap().lines().count();
    assert_eq!(n, api_rows(&server, "responses", &token).await, "the API's responses");
    println!("exported {n} responses in {seconds:.2} s ({:.0} rows/s, the process included)", n as f64 / seconds);

    // No secret is ever written, and the secret tables are not tables.
    let users = db.ok(&["export", "users", "--org", "demo"], "");
    let header = users.lines().next().unwrap();
    assert!(header.starts_with("id,email,role"), "{header}");
    assert!(!users.contains("password") && !users.contains("$argon2"), "{users}");
    let tokens = db.ok(&["export", "api_tokens", "--org", "demo"], "");
    assert!(tokens.lines().count() >= 2 && !tokens.contains("token_hash") && !tokens.contains("rpt_"), "{tokens}");
    for secret in ["sessions", "password_resets", "installation_settings"] {
        let refused = db.fails(&["export", secret, "--org", "demo"], "");
        assert!(refused.contains("unknown table") && refused.contains("--list"), "{refused}");
    }
    let refused = db.fails(&["export", "customerz", "--org", "demo"], "");
    assert!(refused.contains("error: unknown table \"customerz\""), "{refused}");
    let refused = db.fails(&["export", "customers"], "");
    assert!(refused.contains("--org"), "{refused}");
    let refused = db.fails(&["export", "customers", "--org", "nobody"], "");
    assert!(refused.contains("no organization with slug"), "{refused}");

    // The list: one name a line, with or without --list.
    let listed = db.ok(&["export", "--list"], "");
    assert_eq!(listed, db.ok(&["export"], ""));
    assert!(listed.lines().any(|l| l == "customers") && listed.lines().any(|l| l == "responses"));
    assert!(!listed.lines().any(|l| l == "sessions"));
}

#[tokio::test]
async fn export_tables_on_sqlite() {
    exports(&Db::sqlite()).await;
}

#[tokio::test]
async fn export_tables_on_postgres() {
    if let Some(db) = Db::postgres().await {
        exports(&db).await;
    }
}
