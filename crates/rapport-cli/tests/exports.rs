//! A CSV export of 100,000 responses from the real server holds a page at a
//! time. The server's heap (RssAnon) is measured while the client stops
//! reading after the first chunk: a server that built the file, or ran
//! ahead of the client, would hold most of its 70 MiB by then; a streaming
//! one holds a page or two. Over the whole export, SQLite's page cache
//! (64 MiB per connection, bounded whatever the export's size) fills too, so
//! that growth is printed, not asserted.

mod common;

use common::Db;
use serde_json::json;
use std::time::Instant;

const RESPONSES: usize = 100_000;
const BATCH: usize = 10_000;

/// The server's resident anonymous memory (its heap, not mapped files), in bytes.
fn rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("the server's /proc status");
    let kib = status.lines().find_map(|l| l.strip_prefix("RssAnon:")).expect("RssAnon");
    kib.trim().trim_end_matches("kB").trim().parse::<u64>().expect("a number") * 1024
}

#[tokio::test]
async fn exporting_100k_responses_keeps_memory_flat() {
    let db = Db::sqlite();
    db.ok(&["org", "create", "acme", "--name", "Acme"], "");
    let token = db.token("acme", "admin");
    let server = db.serve(&[]);
    let (_, stage) = server.post("/api/v1/stages", Some(&token), json!({"name": "Buy"})).await;
    let (status, tp) =
        server.post("/api/v1/touchpoints", Some(&token), json!({"name": "Checkout", "stage_id": stage["id"]})).await;
    assert_eq!(status, 201, "{tp}");
    // Comments of about 650 characters: the file is far larger than any
    // page, so holding it (or its rows) would show. A sentence and a long
    // reference, in a given language: analysing 100,000 comments of prose
    // took 153 s of this test's 164 s in a debug build, and the analysis is
    // not what it is about.
    let filler = format!("The parcel came late. Reference {}", "0123456789abcdef".repeat(38));
    let started = Instant::now();
    let http = reqwest::Client::new();
    for batch in 0..RESPONSES / BATCH {
        let lines: Vec<String> = (0..BATCH)
            .map(|i| {
                let n = batch * BATCH + i;
                json!({"touchpoint": tp["id"], "customer": format!("c-{}", n % 5_000), "at": "2026-05-01T10:00:00Z",
                    "comment": format!("{n}: {filler}"), "language": "en"})
                .to_string()
            })
            .collect();
        let resp = http
            .post(format!("{}/api/v1/responses", server.url))
            .bearer_auth(&token)
            .header("content-type", "application/x-ndjson")
            .body(lines.join("\n"))
            .send()
            .await
            .expect("ingest");
        assert_eq!(resp.status(), 200);
    }
    println!("ingested {RESPONSES} responses in {:.1} s", started.elapsed().as_secs_f64());

    let pid = server.pid();
    let before = rss(pid);
    let started = Instant::now();
    let mut resp = http
        .get(format!("{}/api/v1/responses?format=csv", server.url))
        .bearer_auth(&token)
        .send()
        .await
        .expect("export");
    assert_eq!(resp.status(), 200);
    let (mut bytes, mut lines, mut peak) = (0usize, 0usize, before);
    let mut paused_growth = None;
    while let Some(chunk) = resp.chunk().await.expect("a chunk") {
        bytes += chunk.len();
        lines += chunk.iter().filter(|b| **b == b'\n').count();
        peak = peak.max(rss(pid));
        if paused_growth.is_none() {
            // The client stops reading: give the server time to run ahead.
            tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
            paused_growth = Some(rss(pid).saturating_sub(before));
        }
    }
    let paused_growth = paused_growth.expect("at least one chunk");
    println!(
        "exported {bytes} bytes ({lines} lines) in {:.1} s; server heap {} MiB before, {} MiB more while the client paused, {} MiB more at the peak",
        started.elapsed().as_secs_f64(),
        before >> 20,
        paused_growth >> 20,
        peak.saturating_sub(before) >> 20
    );
    assert_eq!(lines, RESPONSES + 1, "a header and every response");
    assert!(bytes > 60 << 20, "the file ({bytes} bytes) is far larger than the bound below");
    assert!(paused_growth < 16 << 20, "the server held {} MiB with the client paused", paused_growth >> 20);
}
