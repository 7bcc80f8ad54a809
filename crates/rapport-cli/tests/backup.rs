//! `rapport backup` while a server takes writes, and `rapport restore` into
//! an empty database, on SQLite and on PostgreSQL (which needs pg_dump and
//! pg_restore: `.ci/run` installs them with the server).

mod common;

use common::{missing, Db, Server};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// What a leader would compare: the lists' first pages (with their totals
/// where a list has one) and metrics over the demo year.
async fn figures(server: &Server, token: &str) -> Value {
    let mut out = serde_json::Map::new();
    for list in ["responses", "events", "customers", "cases"] {
        let page = server.json(&format!("/api/v1/{list}?limit=500"), token).await;
        assert!(page.is_array() || page["items"].is_array(), "{list}: {page}");
        out.insert(list.into(), page);
    }
    for metric in ["nps", "csat", "repeat_purchase_rate", "churn_rate"] {
        let path = format!("/api/v1/metrics?metric={metric}&from=2025-01-01&to=2026-12-31&interval=quarter");
        out.insert(metric.into(), server.json(&path, token).await);
    }
    Value::Object(out)
}

/// Posts batches of purchases until told to stop; how many batches.
fn writes(server: &Server, token: &str, stop: Arc<AtomicBool>) -> tokio::task::JoinHandle<usize> {
    let (url, token) = (format!("{}/api/v1/events", server.url), token.to_string());
    tokio::spawn(async move {
        let client = reqwest::Client::new();
        let mut batches = 0;
        while !stop.load(Ordering::SeqCst) {
            let events: Vec<Value> = (0..50)
                .map(|i| json!({"type": "purchase", "customer": format!("load-{batches}-{i}"), "at": "2026-11-02T10:00:00Z", "amount": 12.5}))
                .collect();
            let resp = client.post(&url).bearer_auth(&token).json(&events).send().await.expect("post events");
            assert_eq!(resp.status(), 200, "{}", resp.text().await.unwrap_or_default());
            batches += 1;
        }
        batches
    })
}

async fn backup_under_load_restores_equal(db: &Db, fresh: &Db, fresh_under_load: &Db) {
    let server = db.serve(&["--demo"]);
    let token = db.token("demo", "admin");
    let stop = Arc::new(AtomicBool::new(false));
    let writer = writes(&server, &token, stop.clone());
    tokio::time::sleep(Duration::from_millis(500)).await;
    let under_load = db.dir().join("under-load.backup");
    let under_load = under_load.to_str().unwrap();
    db.ok(&["backup", under_load], "");
    stop.store(true, Ordering::SeqCst);
    let batches = writer.await.unwrap();
    assert!(batches >= 1, "the backup ran while events were being written");
    let quiet = db.dir().join("quiet.backup");
    db.ok(&["backup", quiet.to_str().unwrap()], "");
    assert!(db.fails(&["backup", quiet.to_str().unwrap()], "").contains("exists already"));
    let expected = figures(&server, &token).await;
    drop(server);

    // The quiet backup, restored: every figure equal (the token too).
    fresh.ok(&["restore", quiet.to_str().unwrap()], "");
    let restored = fresh.serve(&[]);
    assert_eq!(figures(&restored, &token).await, expected);
    drop(restored);
    let refused = fresh.fails(&["restore", quiet.to_str().unwrap()], "");
    assert!(refused.contains("not empty") && refused.contains("--force"), "{refused}");
    fresh.ok(&["restore", quiet.to_str().unwrap(), "--force"], "");

    // The backup taken under load is one consistent moment: its kept
    // rollups equal a recomputation from its raw rows.
    fresh_under_load.ok(&["restore", under_load], "");
    let server = fresh_under_load.serve(&[]);
    let as_restored = figures(&server, &token).await;
    drop(server);
    fresh_under_load.ok(&["rollups", "rebuild"], "");
    let server = fresh_under_load.serve(&[]);
    assert_eq!(figures(&server, &token).await, as_restored);
    let events = |v: &Value| v["events"]["total"].as_u64().unwrap();
    assert!(events(&as_restored) <= events(&expected), "{as_restored} {expected}");
}

#[tokio::test]
async fn backup_and_restore_on_sqlite() {
    backup_under_load_restores_equal(&Db::sqlite(), &Db::sqlite(), &Db::sqlite()).await;
}

#[tokio::test]
async fn backup_and_restore_on_postgres() {
    let tools =
        ["pg_dump", "pg_restore"].iter().all(|t| std::process::Command::new(t).arg("--version").output().is_ok());
    if !tools {
        missing("pg_dump and pg_restore are not installed");
        return;
    }
    let (Some(db), Some(fresh), Some(again)) = (Db::postgres().await, Db::postgres().await, Db::postgres().await)
    else {
        return;
    };
    backup_under_load_restores_equal(&db, &fresh, &again).await;
}
