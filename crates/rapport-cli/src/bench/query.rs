//! `rapport bench query`: the dashboard's queries through the measurement
//! service (which reads the per-day rollups), against DuckDB running the
//! same queries over the raw rows in memory.
//!
//! The data ([`super::query_data`]) is loaded through the store first; the
//! load is timed and reported apart. Each side then runs the dashboard once
//! untimed (a warm-up that also gives the numbers to compare) and `--runs`
//! timed times; every query's and the whole dashboard's median and p95 are
//! reported. DuckDB runs in `bench/duckdb_query.py` (embedded in the binary
//! and written to the temporary directory), with `$RAPPORT_PYTHON` or
//! `python3`; it loads the CSV export into a table (load time excluded) and
//! prints the aggregates behind every value (counts, promoters and
//! detractors, top-2 counts, sums), from which the values are recomputed
//! here and compared with the service's, bucket by bucket.

use super::query_data::{self as data, Program};
use anyhow::{bail, Context, Result};
use rapport_core::measure::Interval;
use rapport_core::metric::Metric;
use rapport_core::Id;
use rapport_server::measure::{by_touchpoint, series, MetricQuery};
use rapport_store::Store;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::time::Instant;

/// The script, kept in the repository at `bench/duckdb_query.py`.
const SCRIPT: &str = include_str!("../../../../bench/duckdb_query.py");
/// The script's exit code when the `duckdb` module is missing.
const NO_DUCKDB: i32 = 3;
/// Values may differ by rounding only.
const TOLERANCE: f64 = 1e-9;

#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// Responses to load.
    #[arg(long, default_value_t = 10_000_000)]
    pub responses: usize,
    /// Events to load (default: a tenth of the responses).
    #[arg(long)]
    pub events: Option<usize>,
    /// Timed runs of the dashboard on each side.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub runs: u64,
}

/// One of the dashboard's queries: a name shared with the script, and the
/// service calls it takes.
struct DashQuery {
    name: &'static str,
    metric: Metric,
    calls: Vec<MetricQuery>,
    /// One row per touchpoint (the drill-down's table) instead of a series.
    by_touchpoint: bool,
}

fn dashboard(p: &Program) -> Vec<DashQuery> {
    let q = |metric, interval, touchpoint: Option<Id>, segment: Option<Id>| MetricQuery {
        metric,
        experience: None,
        touchpoint,
        segment,
        from: data::first_day(),
        to: data::last_day(),
        interval,
        behaviour: None,
    };
    let one = |name, metric, interval, segment| DashQuery {
        name,
        metric,
        calls: vec![q(metric, interval, None, segment)],
        by_touchpoint: false,
    };
    vec![
        one("nps_by_month", Metric::Nps, Interval::Month, None),
        one("csat_by_month", Metric::Csat, Interval::Month, None),
        one("ces_by_week", Metric::Ces, Interval::Week, None),
        DashQuery {
            name: "nps_by_touchpoint",
            metric: Metric::Nps,
            calls: vec![q(Metric::Nps, Interval::All, None, None)],
            by_touchpoint: true,
        },
        one("nps_by_month_segment", Metric::Nps, Interval::Month, Some(p.segment)),
    ]
}

/// A query's answer: key (bucket start or touchpoint id) → (n, value).
type Rows = BTreeMap<String, (i64, Option<f64>)>;

async fn run_query(store: &dyn Store, org: Id, q: &DashQuery) -> Result<Rows> {
    let mut rows = Rows::new();
    for call in &q.calls {
        let context = || format!("query {}", q.name);
        if q.by_touchpoint {
            let points = by_touchpoint(store, org, call, None).await.with_context(context)?.unwrap_or_default();
            rows.extend(points.into_iter().map(|(t, p)| (t.to_string(), (p.n, p.value))));
        } else {
            let points = series(store, org, call).await.with_context(context)?;
            rows.extend(points.into_iter().map(|p| (p.start.to_string(), (p.n, p.value))));
        }
    }
    Ok(rows)
}

/// Median (mean of the middle two for an even count) and nearest-rank p95,
/// of seconds, in milliseconds.
fn stats(seconds: &[f64]) -> Value {
    let mut s: Vec<f64> = seconds.to_vec();
    s.sort_by(f64::total_cmp);
    if s.is_empty() {
        return json!({"median_ms": null, "p95_ms": null});
    }
    let n = s.len();
    let median = if n % 2 == 1 { s[n / 2] } else { (s[n / 2 - 1] + s[n / 2]) / 2.0 };
    let rank = ((0.95 * n as f64).ceil() as usize).clamp(1, n);
    json!({"median_ms": round(median * 1e3, 3), "p95_ms": round(s[rank - 1] * 1e3, 3)})
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// Per-query and total timing figures from per-run seconds.
fn timing(names: &[&str], per_query: &BTreeMap<String, Vec<f64>>, totals: &[f64]) -> Value {
    let mut queries = Map::new();
    for name in names {
        queries.insert(name.to_string(), stats(per_query.get(*name).map_or(&[][..], |v| &v[..])));
    }
    json!({"queries": queries, "total": stats(totals)})
}

pub async fn run(args: &QueryArgs) -> Result<()> {
    let result = bench(args).await?;
    println!("{}", serde_json::to_string_pretty(&result)?);
    Ok(())
}

async fn bench(args: &QueryArgs) -> Result<Value> {
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let store = rapport_server::storage::open(None, &dir.path().join("store")).await?;
    let program = data::program(store.as_ref()).await?;
    let csv = dir.path().join("responses.csv");
    let events = args.events.unwrap_or(args.responses / 10);
    let loaded = data::load(store.as_ref(), &program, args.responses, events, &csv).await?;
    eprintln!(
        "bench query: loaded {} responses, {} events, {} customers in {:.1} s (store {:.1} s); running queries",
        loaded.responses, loaded.events, loaded.customers, loaded.wall_seconds, loaded.store_seconds
    );

    // Rapport: one untimed run for the numbers, then the timed runs.
    let dash = dashboard(&program);
    let names: Vec<&str> = dash.iter().map(|q| q.name).collect();
    let mut answers: BTreeMap<&str, Rows> = BTreeMap::new();
    for q in &dash {
        answers.insert(q.name, run_query(store.as_ref(), program.org, q).await?);
    }
    let mut per_query: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut totals = Vec::new();
    for _ in 0..args.runs {
        let mut total = 0.0;
        for q in &dash {
            let t = Instant::now();
            let rows = run_query(store.as_ref(), program.org, q).await?;
            let s = t.elapsed().as_secs_f64();
            std::hint::black_box(rows);
            per_query.entry(q.name.to_string()).or_default().push(s);
            total += s;
        }
        totals.push(total);
    }
    let rapport = timing(&names, &per_query, &totals);
    let rapport_median = rapport["total"]["median_ms"].as_f64();

    let mut out = json!({
        "responses": loaded.responses,
        "events": loaded.events,
        "customers": loaded.customers,
        "rows_loaded": loaded.responses + loaded.events,
        "load_seconds": round(loaded.store_seconds, 3),
        "load_items_per_second": round((loaded.responses + loaded.events) as f64 / loaded.store_seconds.max(1e-9), 1),
        "load_wall_seconds": round(loaded.wall_seconds, 3),
        "runs": args.runs,
        "from": data::first_day().to_string(),
        "to": data::last_day().to_string(),
        "rapport": rapport,
    });

    eprintln!("bench query: running DuckDB");
    match duckdb(dir.path(), &csv, args.runs).await? {
        Err(why) => {
            out["duckdb"] = json!(format!("not available: {why}"));
            out["speedup"] = Value::Null;
            out["agree"] = Value::Null;
        }
        Ok(d) => {
            let mut per_query: BTreeMap<String, Vec<f64>> = BTreeMap::new();
            for name in &names {
                per_query.insert(name.to_string(), seconds(&d["queries"][*name]["seconds"]));
            }
            let mut figures = timing(&names, &per_query, &seconds(&d["total"]["seconds"]));
            figures["load_seconds"] = d["load_seconds"].clone();
            figures["rows"] = d["rows"].clone();
            figures["version"] = d["duckdb_version"].clone();
            figures["threads"] = d["threads"].clone();
            let duck_median = figures["total"]["median_ms"].as_f64();
            out["speedup"] = match (duck_median, rapport_median) {
                (Some(d), Some(r)) if r > 0.0 => json!(round(d / r, 3)),
                _ => Value::Null,
            };
            out["duckdb"] = figures;
            let mut compared = 0;
            let mut first = None;
            for q in &dash {
                match compare(q, &answers[q.name], &d["queries"][q.name]["rows"]) {
                    Ok(n) => compared += n,
                    Err(e) => {
                        first = Some(e);
                        break;
                    }
                }
            }
            out["values_compared"] = json!(compared);
            let rows_ok = d["rows"].as_u64() == Some(loaded.responses as u64);
            let first = first.or_else(|| {
                (!rows_ok).then(|| json!({"what": "rows", "rapport": loaded.responses, "duckdb": d["rows"]}))
            });
            out["agree"] = json!(first.is_none());
            if let Some(first) = first {
                out["disagreement"] = first;
            }
        }
    }
    drop(store);
    Ok(out)
}

fn seconds(v: &Value) -> Vec<f64> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default()
}

/// The value the service would give for DuckDB's aggregates of one row.
fn value_of(metric: Metric, row: &Value) -> Option<f64> {
    let n = row["n"].as_i64()? as f64;
    if n <= 0.0 {
        return None;
    }
    let count = |k: &str| row[k].as_i64().map(|x| x as f64);
    Some(match metric {
        Metric::Nps => 100.0 * (count("promoters")? - count("detractors")?) / n,
        Metric::Csat => 100.0 * count("top2")? / n,
        _ => count("sum")? / n,
    })
}

/// How many values (buckets with data) agree, or the first difference
/// between the service's answer and DuckDB's rows.
fn compare(q: &DashQuery, rapport: &Rows, duck_rows: &Value) -> Result<usize, Value> {
    let differ = |key: &str, field: &str, r: Value, d: Value| {
        Err(json!({"query": q.name, "key": key, "field": field, "rapport": r, "duckdb": d}))
    };
    let Some(duck_rows) = duck_rows.as_array() else {
        return differ("", "rows", json!(rapport.len()), duck_rows.clone());
    };
    let duck: BTreeMap<&str, &Value> = duck_rows.iter().filter_map(|r| Some((r["key"].as_str()?, r))).collect();
    let mut compared = 0;
    for (key, (n, value)) in rapport {
        let Some(row) = duck.get(key.as_str()) else {
            if *n == 0 {
                continue;
            }
            return differ(key, "n", json!(n), Value::Null);
        };
        if row["n"].as_i64() != Some(*n) {
            return differ(key, "n", json!(n), row["n"].clone());
        }
        let recomputed = value_of(q.metric, row);
        let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() <= TOLERANCE,
            (None, None) => true,
            _ => false,
        };
        if !close(*value, recomputed) {
            return differ(key, "value", json!(value), json!(recomputed));
        }
        if !close(*value, row["value"].as_f64()) {
            return differ(key, "value (DuckDB's own)", json!(value), row["value"].clone());
        }
        compared += 1;
    }
    match duck.keys().find(|k| !rapport.contains_key(**k)) {
        Some(k) => differ(k, "key", Value::Null, json!(duck[k]["n"])),
        None => Ok(compared),
    }
}

/// Runs the script: its JSON, or why DuckDB is not available (the module
/// is missing, or Python itself).
async fn duckdb(dir: &std::path::Path, csv: &std::path::Path, runs: u64) -> Result<Result<Value, String>> {
    let script = dir.join("duckdb_query.py");
    std::fs::write(&script, SCRIPT).context("cannot write the DuckDB script")?;
    let python = std::env::var("RAPPORT_PYTHON").ok().filter(|p| !p.is_empty()).unwrap_or_else(|| "python3".into());
    let mut cmd = std::process::Command::new(&python);
    cmd.arg(&script).arg(csv).args(["--runs", &runs.to_string()]).args([
        "--from",
        &data::first_day().to_string(),
        "--to",
        &data::last_day().to_string(),
    ]);
    let output = tokio::task::spawn_blocking(move || cmd.output()).await?;
    let output = match output {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("bench query: {python} not found; skipping DuckDB");
            return Ok(Err(format!("{python} not found (set RAPPORT_PYTHON)")));
        }
        Err(e) => return Err(e).with_context(|| format!("cannot run {python}")),
    };
    if output.status.code() == Some(NO_DUCKDB) {
        eprintln!("bench query: the duckdb module is not importable by {python}; skipping DuckDB");
        return Ok(Err("pip install duckdb".into()));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        bail!("{python} bench/duckdb_query.py failed ({}): {stderr}", output.status);
    }
    let v: Value = serde_json::from_slice(&output.stdout)
        .with_context(|| format!("bench/duckdb_query.py printed no JSON; stderr: {stderr}"))?;
    Ok(Ok(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_nearest_rank_p95() {
        let v = stats(&[0.004, 0.001, 0.003, 0.002]);
        assert_eq!(v["median_ms"], 2.5);
        assert_eq!(v["p95_ms"], 4.0);
        let v = stats(&(1..=20).map(|i| i as f64 / 1000.0).collect::<Vec<_>>());
        assert_eq!(v["median_ms"], 10.5);
        assert_eq!(v["p95_ms"], 19.0);
        assert_eq!(stats(&[0.007])["p95_ms"], 7.0);
    }

    #[test]
    fn values_are_recomputed_from_the_aggregates() {
        let row = json!({"n": 8, "promoters": 4, "detractors": 2, "top2": 6, "sum": 20});
        assert_eq!(value_of(Metric::Nps, &row), Some(25.0));
        assert_eq!(value_of(Metric::Csat, &row), Some(75.0));
        assert_eq!(value_of(Metric::Ces, &row), Some(2.5));
        assert_eq!(value_of(Metric::Nps, &json!({"n": 0})), None);
    }
}
