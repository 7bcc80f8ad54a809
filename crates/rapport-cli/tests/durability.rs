//! kill -9 durability, against the real binary, on SQLite and PostgreSQL.
//!
//! Each trial starts `rapport serve`, has a few clients send NDJSON batches
//! of responses and events (each item with its idempotency `id`) at once,
//! and SIGKILLs the server at a random moment while requests are in
//! flight. The server is then restarted on the same database and:
//! - every item of every batch answered 2xx is listed (by its `id`), and
//!   the kept totals moved by exactly the number of items listed;
//! - re-sending every batch sent (answered or not) stores nothing again for
//!   the acknowledged items: each comes back `duplicate` with the row id it
//!   was acknowledged with, and afterwards the totals count every item sent
//!   exactly once.
//!
//! The figures are printed per backend (`--nocapture` to see them).

mod common;

use common::{Db, Server};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const TRIALS: usize = 10;
/// Clients sending at the same time, so that several requests are in flight.
const CLIENTS: usize = 4;
/// Items per batch: from 1 to this.
const MAX_BATCH: usize = 250;
/// When the kill comes, after the first acknowledgement of the trial.
const KILL_AFTER_MS: std::ops::Range<u64> = 0..2_000;

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Kind {
    Responses,
    Events,
}

impl Kind {
    fn path(self) -> &'static str {
        match self {
            Kind::Responses => "/api/v1/responses",
            Kind::Events => "/api/v1/events",
        }
    }
}

/// One batch as sent, and what came back.
struct Sent {
    kind: Kind,
    body: String,
    keys: Vec<String>,
    /// Answered 2xx.
    acked: bool,
    /// The stored row ids, when the 2xx answer's body was read whole.
    ids: Option<Vec<i64>>,
}

#[derive(Default)]
struct Figures {
    trials: usize,
    batches: usize,
    acked_batches: usize,
    items_sent: usize,
    items_acked: usize,
    items_found: usize,
    /// Acknowledged items answered `duplicate` when sent again.
    resent_duplicates: usize,
    /// Unacknowledged items stored all the same (committed, answer lost).
    unacked_but_stored: usize,
    in_flight_at_kill: Vec<usize>,
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(60)).build().expect("client")
}

/// A batch of `n` items of `kind` for trial `trial`, as NDJSON. Each trial's
/// items are on a day of their own, so that its list can be read back alone.
fn batch(rng: &mut StdRng, trial: usize, client: usize, seq: usize, kind: Kind, touchpoint: i64) -> Sent {
    let n = rng.gen_range(1..=MAX_BATCH);
    let mut body = String::new();
    let mut keys = Vec::with_capacity(n);
    for i in 0..n {
        let key = format!("t{trial}-c{client}-b{seq}-{}-{i}", if kind == Kind::Events { "e" } else { "r" });
        let at = format!("2024-01-{:02}T{:02}:{:02}:{:02}Z", trial + 1, rng.gen_range(0..24), i % 60, seq % 60);
        let customer = format!("t{trial}-cust{}", rng.gen_range(0..40));
        let item = match kind {
            Kind::Events => {
                let kind = ["purchase", "contact", "renewal"][rng.gen_range(0..3)];
                json!({"id": key, "type": kind, "customer": customer, "at": at, "amount": rng.gen_range(1..500)})
            }
            Kind::Responses => json!({"id": key, "touchpoint": touchpoint, "customer": customer, "at": at,
                "comment": format!("comment {key}"), "channel": "web"}),
        };
        body.push_str(&item.to_string());
        body.push('\n');
        keys.push(key);
    }
    Sent { kind, body, keys, acked: false, ids: None }
}

/// Posts an NDJSON batch; the status and, when it could be read, the report.
async fn post(http: &reqwest::Client, url: &str, token: &str, kind: Kind, body: &str) -> Option<(u16, Option<Value>)> {
    let resp = http
        .post(format!("{url}{}", kind.path()))
        .bearer_auth(token)
        .header("content-type", "application/x-ndjson")
        .body(body.to_string())
        .send()
        .await
        .ok()?;
    let status = resp.status().as_u16();
    let report = resp.bytes().await.ok().and_then(|b| serde_json::from_slice(&b).ok());
    Some((status, report))
}

/// The row id of each item of a batch report, in order, after checking that
/// every item has `status`.
fn report_ids(report: &Value, status: &str, n: usize) -> Vec<i64> {
    let items = report["items"].as_array().unwrap_or_else(|| panic!("a batch report: {report}"));
    assert_eq!(items.len(), n, "one result per item: {report}");
    items
        .iter()
        .map(|i| {
            assert_eq!(i["status"], status, "{i}");
            i["id"].as_i64().expect("a row id")
        })
        .collect()
}

/// The kept total of a list (no filter: the exact counter).
async fn total(server: &Server, token: &str, kind: Kind) -> i64 {
    let body = server.json(&format!("{}?limit=1", kind.path()), token).await;
    assert_eq!(body["total_is_estimate"], false, "{body}");
    body["total"].as_i64().expect("total")
}

/// Every `id` (idempotency key) listed for trial `trial`'s day, and its row id.
async fn listed(server: &Server, token: &str, kind: Kind, trial: usize) -> HashMap<String, i64> {
    let http = client();
    let mut out = HashMap::new();
    let mut after: Option<String> = None;
    loop {
        let mut query = vec![
            ("from", format!("2024-01-{:02}", trial + 1)),
            ("to", format!("2024-01-{:02}", trial + 2)),
            ("limit", "500".to_string()),
        ];
        if let Some(a) = &after {
            query.push(("after", a.clone()));
        }
        let resp = http
            .get(format!("{}{}", server.url, kind.path()))
            .bearer_auth(token)
            .query(&query)
            .send()
            .await
            .expect("list request");
        assert_eq!(resp.status(), 200);
        let page: Value = resp.json().await.expect("a page");
        for item in page["items"].as_array().expect("items") {
            let key = item["key"].as_str().expect("every item was sent with an id").to_string();
            let id = item["id"].as_i64().expect("id");
            assert!(out.insert(key.clone(), id).is_none(), "{key} listed twice");
        }
        match page["next"].as_str() {
            Some(next) => after = Some(next.to_string()),
            None => return out,
        }
    }
}

/// One trial: traffic, a kill, a restart, the checks. Returns the restarted server.
async fn trial(db: &Db, server: Server, token: &str, touchpoint: i64, n: usize, seed: u64, f: &mut Figures) -> Server {
    let url = server.url.clone();
    let before = (total(&server, token, Kind::Responses).await, total(&server, token, Kind::Events).await);
    let sent: Arc<Mutex<Vec<Sent>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let in_flight = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (url, token) = (url.clone(), token.to_string());
            let (sent, stop, in_flight, acked) = (sent.clone(), stop.clone(), in_flight.clone(), acked.clone());
            tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(seed ^ ((n * CLIENTS + c) as u64 + 1));
                let http = client();
                let mut seq = 0;
                while !stop.load(Ordering::SeqCst) {
                    let kind = if (seq + c) % 2 == 0 { Kind::Events } else { Kind::Responses };
                    let mut b = batch(&mut rng, n, c, seq, kind, touchpoint);
                    seq += 1;
                    in_flight.fetch_add(1, Ordering::SeqCst);
                    let answer = post(&http, &url, &token, kind, &b.body).await;
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    let dead = match answer {
                        Some((status, report)) if (200..300).contains(&status) => {
                            b.acked = true;
                            b.ids = report.map(|r| {
                                assert_eq!(
                                    (r["accepted"].as_u64(), r["rejected"].as_u64()),
                                    (Some(b.keys.len() as u64), Some(0)),
                                    "{r}"
                                );
                                report_ids(&r, "accepted", b.keys.len())
                            });
                            acked.fetch_add(1, Ordering::SeqCst);
                            false
                        }
                        Some((status, report)) => panic!("batch answered {status}: {report:?}"),
                        // The server is gone: this batch's fate is unknown.
                        None => true,
                    };
                    sent.lock().unwrap().push(b);
                    if dead {
                        break;
                    }
                }
            })
        })
        .collect();
    // Traffic flows; kill at a random moment with requests in flight.
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5eed ^ n as u64);
    let wait_from = Instant::now();
    while acked.load(Ordering::SeqCst) == 0 {
        assert!(wait_from.elapsed() < Duration::from_secs(30), "no batch acknowledged in 30 s");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(rng.gen_range(KILL_AFTER_MS))).await;
    while in_flight.load(Ordering::SeqCst) < 2 {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    f.in_flight_at_kill.push(in_flight.load(Ordering::SeqCst));
    let pid = server.pid().to_string();
    let killed = std::process::Command::new("kill").args(["-9", &pid]).status().expect("run kill");
    assert!(killed.success(), "kill -9 {pid}");
    stop.store(true, Ordering::SeqCst);
    server.stop(); // Reaps the killed process.
    for c in clients {
        c.await.expect("client task");
    }
    let sent = std::mem::take(&mut *sent.lock().unwrap());

    // Restarted on the same database: every acknowledged item is there.
    let server = db.serve(&[]);
    for kind in [Kind::Responses, Kind::Events] {
        let listed = listed(&server, token, kind, n).await;
        let before = if kind == Kind::Responses { before.0 } else { before.1 };
        assert_eq!(total(&server, token, kind).await - before, listed.len() as i64, "{kind:?}: kept total");
        let sent_keys: HashSet<&str> =
            sent.iter().filter(|b| b.kind == kind).flat_map(|b| &b.keys).map(|k| k.as_str()).collect();
        assert!(listed.keys().all(|k| sent_keys.contains(k.as_str())), "{kind:?}: only items sent are stored");
        for b in sent.iter().filter(|b| b.kind == kind && b.acked) {
            for (i, key) in b.keys.iter().enumerate() {
                let found = listed.get(key).unwrap_or_else(|| panic!("acknowledged {key} ({kind:?}) is lost"));
                if let Some(ids) = &b.ids {
                    assert_eq!(*found, ids[i], "{key}: the row it was acknowledged with");
                }
            }
        }
        f.items_found += listed.len();
        f.unacked_but_stored += sent
            .iter()
            .filter(|b| b.kind == kind && !b.acked)
            .flat_map(|b| &b.keys)
            .filter(|k| listed.contains_key(*k))
            .count();
    }

    // Everything sent again: nothing new for the acknowledged items.
    let http = client();
    for b in &sent {
        let (status, report) = post(&http, &server.url, token, b.kind, &b.body).await.expect("re-send");
        let report = report.expect("a batch report");
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["rejected"], 0, "{report}");
        if b.acked {
            let ids = report_ids(&report, "duplicate", b.keys.len());
            if let Some(acked) = &b.ids {
                assert_eq!(&ids, acked, "duplicates name the rows acknowledged");
            }
            f.resent_duplicates += ids.len();
        }
    }
    let after = (total(&server, token, Kind::Responses).await, total(&server, token, Kind::Events).await);
    let count = |kind| sent.iter().filter(|b| b.kind == kind).map(|b| b.keys.len() as i64).sum::<i64>();
    assert_eq!(after.0 - before.0, count(Kind::Responses), "every response sent is stored once");
    assert_eq!(after.1 - before.1, count(Kind::Events), "every event sent is stored once");

    f.trials += 1;
    f.batches += sent.len();
    f.acked_batches += sent.iter().filter(|b| b.acked).count();
    f.items_sent += sent.iter().map(|b| b.keys.len()).sum::<usize>();
    f.items_acked += sent.iter().filter(|b| b.acked).map(|b| b.keys.len()).sum::<usize>();
    server
}

async fn durability(db: Db, backend: &str) {
    let started = Instant::now();
    db.ok(&["org", "create", "acme", "--name", "Acme"], "");
    let token = db.token("acme", "admin");
    let mut server = db.serve(&[]);
    let (status, stage) = server.post("/api/v1/stages", Some(&token), json!({"name": "Buy"})).await;
    assert_eq!(status, 201, "{stage}");
    let tp = json!({"name": "Checkout", "stage_id": stage["id"]});
    let (status, tp) = server.post("/api/v1/touchpoints", Some(&token), tp).await;
    assert_eq!(status, 201, "{tp}");
    let touchpoint = tp["id"].as_i64().expect("touchpoint id");
    let seed: u64 = std::env::var("DURABILITY_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    println!("{backend}: seed {seed} (DURABILITY_SEED={seed} repeats the kill times and batches)");
    let mut f = Figures::default();
    for n in 0..TRIALS {
        server = trial(&db, server, &token, touchpoint, n, seed, &mut f).await;
    }
    server.stop();
    assert_eq!(f.resent_duplicates, f.items_acked);
    println!(
        "{backend}: {} trials in {:.1} s; {} batches sent, {} acknowledged; {} items sent, {} acknowledged, \
         {} found after restart ({} lost, {} stored though unacknowledged); re-send: {} duplicates of the \
         {} acknowledged, 0 stored again; requests in flight at each kill: {:?}",
        f.trials,
        started.elapsed().as_secs_f64(),
        f.batches,
        f.acked_batches,
        f.items_sent,
        f.items_acked,
        f.items_found,
        0,
        f.unacked_but_stored,
        f.resent_duplicates,
        f.items_acked,
        f.in_flight_at_kill,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_items_survive_kill_9_on_sqlite() {
    durability(Db::sqlite(), "sqlite").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_items_survive_kill_9_on_postgres() {
    let Some(db) = Db::postgres().await else { return };
    durability(db, "postgres").await;
}
