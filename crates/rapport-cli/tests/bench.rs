//! `rapport bench ingest` with a small load: the JSON it prints, and every
//! item stored through the HTTP batch API.

mod common;

use common::{rapport, text};

#[test]
fn bench_ingest_prints_its_figures() {
    let out = rapport()
        .args(["bench", "ingest", "--responses", "2000", "--events", "500", "--batch", "700"])
        .output()
        .expect("run rapport bench");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "bench failed:\nstdout: {stdout}\nstderr: {stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("JSON ({e}): {stdout}"));
    assert_eq!(v["responses"], 2000, "{v}");
    assert_eq!(v["events"], 500, "{v}");
    assert_eq!(v["stored_responses"], 2000, "{v}");
    assert_eq!(v["stored_events"], 500, "{v}");
    assert_eq!(v["durable"], true, "{v}");
    for field in ["seconds", "items_per_second", "ceiling_items_per_second", "ratio"] {
        assert!(v[field].as_f64().is_some_and(|x| x > 0.0), "{field}: {v}");
    }
    let (x, y, ratio) = (
        v["items_per_second"].as_f64().unwrap(),
        v["ceiling_items_per_second"].as_f64().unwrap(),
        v["ratio"].as_f64().unwrap(),
    );
    assert!((ratio - x / y).abs() < 0.01, "ratio is items_per_second / ceiling: {v}");
}
