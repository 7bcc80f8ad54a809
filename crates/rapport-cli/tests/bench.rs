//! `rapport bench ingest` with a small load: the JSON it prints, and every
//! item stored through the HTTP batch API. `rapport bench query` with a
//! small load: its JSON, and agreement with DuckDB when the `duckdb` Python
//! module is importable (by `$RAPPORT_PYTHON` or `python3`).

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
    for field in [
        "seconds",
        "items_per_second",
        "ceiling_items_per_second",
        "ratio",
        "indexed_ceiling_items_per_second",
        "indexed_ratio",
    ] {
        assert!(v[field].as_f64().is_some_and(|x| x > 0.0), "{field}: {v}");
    }
    let (x, y, ratio) = (
        v["items_per_second"].as_f64().unwrap(),
        v["ceiling_items_per_second"].as_f64().unwrap(),
        v["ratio"].as_f64().unwrap(),
    );
    assert!((ratio - x / y).abs() < 0.01, "ratio is items_per_second / ceiling: {v}");
    let (z, indexed) = (v["indexed_ceiling_items_per_second"].as_f64().unwrap(), v["indexed_ratio"].as_f64().unwrap());
    assert!((indexed - x / z).abs() < 0.01, "indexed_ratio is items_per_second / indexed ceiling: {v}");
}

const QUERIES: [&str; 5] =
    ["nps_by_month", "csat_by_month", "ces_by_week", "nps_by_touchpoint", "nps_by_month_segment"];

fn bench_query(args: &[&str], python: Option<&str>) -> serde_json::Value {
    let mut cmd = rapport();
    cmd.args(["bench", "query"]).args(args);
    if let Some(p) = python {
        cmd.env("RAPPORT_PYTHON", p);
    }
    let out = cmd.output().expect("run rapport bench query");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "bench query failed:\nstdout: {stdout}\nstderr: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("JSON ({e}): {stdout}\nstderr: {stderr}"))
}

fn assert_timings(v: &serde_json::Value, side: &str) {
    for q in QUERIES.iter().map(|q| &v[side]["queries"][*q]).chain([&v[side]["total"]]) {
        for field in ["median_ms", "p95_ms"] {
            assert!(q[field].as_f64().is_some_and(|x| x >= 0.0), "{side} {field}: {v}");
        }
        assert!(q["median_ms"].as_f64() <= q["p95_ms"].as_f64(), "{side}: median above p95: {v}");
    }
}

#[test]
fn bench_query_agrees_with_duckdb_or_says_it_is_not_available() {
    let v = bench_query(&["--responses", "3000", "--runs", "2"], None);
    assert_eq!(v["responses"], 3000, "{v}");
    assert_eq!(v["events"], 300, "{v}");
    assert_eq!(v["rows_loaded"], 3300, "{v}");
    assert_eq!(v["runs"], 2, "{v}");
    assert!(v["load_seconds"].as_f64().is_some_and(|x| x > 0.0), "{v}");
    assert_timings(&v, "rapport");
    match &v["duckdb"] {
        serde_json::Value::String(s) => {
            assert_eq!(s, "not available: pip install duckdb", "{v}");
            assert!(v["agree"].is_null() && v["speedup"].is_null(), "{v}");
            eprintln!("skipped: the DuckDB comparison (no duckdb module; set RAPPORT_PYTHON to a Python that has it)");
        }
        _ => {
            assert_eq!(v["agree"], true, "Rapport and DuckDB disagree: {}", v["disagreement"]);
            assert_eq!(v["duckdb"]["rows"], 3000, "{v}");
            assert!(v["values_compared"].as_u64().is_some_and(|n| n == 12 + 12 + 53 + 8 + 12), "{v}");
            assert_timings(&v, "duckdb");
            let (r, d) = (v["rapport"]["total"]["median_ms"].as_f64(), v["duckdb"]["total"]["median_ms"].as_f64());
            let speedup = v["speedup"].as_f64().expect("a speedup");
            assert!((speedup - d.unwrap() / r.unwrap()).abs() < 0.01 * speedup.max(1.0), "{v}");
        }
    }

    // Without Python at all the figures are still printed.
    let v = bench_query(&["--responses", "200", "--runs", "1"], Some("/nonexistent/python3"));
    assert_eq!(v["responses"], 200, "{v}");
    assert_timings(&v, "rapport");
    let s = v["duckdb"].as_str().unwrap_or_default();
    assert!(s.starts_with("not available: "), "{v}");
    assert!(v["agree"].is_null(), "{v}");
}

/// `rapport bench pages --responses 100000`, the CI smoke test: the
/// load lands, every route answers 200 and the figures are printed (never
/// asserted: the machine is shared). Two timed runs per route keep it short
/// on a debug build.
#[test]
fn bench_pages_serves_every_route_at_100k_responses() {
    let out = rapport()
        .args(["bench", "pages", "--responses", "100000", "--runs", "2"])
        .output()
        .expect("run rapport bench pages");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "bench pages failed:\nstdout: {stdout}\nstderr: {stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("JSON ({e}): {stdout}"));
    println!("{}", v["summary"].as_str().unwrap_or_default());
    assert!(v["responses"].as_i64().is_some_and(|n| n >= 100_000), "{}", v["summary"]);
    assert!(v["customers"].as_i64().is_some_and(|n| n >= 10_000), "{}", v["summary"]);
    assert!(v["events"].as_i64().is_some_and(|n| n >= 100_000), "{}", v["summary"]);
    assert_eq!(v["not_200"], serde_json::json!([]), "every route answers 200");
    let routes = v["routes"].as_array().expect("routes");
    for path in ["/dashboard", "/dashboard/tiles.json", "/customers", "/api/v1/responses?limit=50"] {
        assert!(routes.iter().any(|r| r["path"] == path), "{path} is timed");
    }
    assert!(routes.iter().any(|r| r["route"] == "/api/v1/responses?after=(deep)"), "a deep cursor is timed");
    assert!(routes.len() > 100, "{} routes", routes.len());
    for field in ["items_per_second", "indexed_ratio"] {
        assert!(v["load"][field].as_f64().is_some_and(|x| x > 0.0), "{field}: {}", v["load"]);
    }
}
