//! `rapport bench pages`: every screen and list at a large company's size.
//!
//! Loads the demo's program plus generated customers, responses and events
//! (`pages_data`) into a fresh SQLite file, or the PostgreSQL database of
//! `--database-url`, in a child process (`--load-only`, as `rapport import`
//! runs beside the server), starts the real server in this process on it, and
//! times every route of `pages_routes` warm, `--runs` times each. Prints one
//! JSON object (the load's rate, every route's p50/p95, the server's peak
//! memory while serving) and a one-line summary on stderr.
//!
//! The load is the import figure: items per second through the store's
//! batch ingestion, with its rollups, counters and case rules; its
//! `indexed_ratio` compares it with the bare indexed insert of
//! `rapport bench ingest` run on the same number of items (SQLite only).
//! Timings are figures, never asserted: the machine is shared.

use super::pages_data::{self, Loaded};
use super::pages_routes::{self, Client, Deep, Timing};
use anyhow::{ensure, Context, Result};
use chrono::{Duration, Utc};
use rapport_core::role::Role;
use rapport_server::auth::secret;
use rapport_server::{Application, Config, Settings};
use rapport_store::{CustomerList, FeedbackFilter, Store};
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct PagesArgs {
    /// Responses to generate (with comments), on top of the demo's.
    #[arg(long, default_value_t = 10_000_000)]
    pub responses: usize,
    /// Customers (default: a tenth of the responses, at least the demo's 1,200).
    #[arg(long)]
    pub customers: Option<usize>,
    /// Events (default: as many as responses).
    #[arg(long)]
    pub events: Option<usize>,
    /// Timed requests per route, after one warm-up request.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=1_000))]
    pub runs: u64,
    /// A PostgreSQL database (`postgres://…`) to load and serve from; it
    /// must be empty or hold an earlier load of the same size.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Keep the SQLite file in this directory, and reuse a load of the same
    /// size found there (loading 10 million responses takes a while).
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Time the routes without the refit first (it reads every customer's
    /// history twice: long at a million customers); the model pages then
    /// show the models as stored.
    #[arg(long)]
    pub no_refit: bool,
    /// Only load (into `--data-dir` or `--database-url`) and print what
    /// loading did as JSON: the timed run loads in such a child process.
    #[arg(long, hide = true)]
    pub load_only: bool,
}

pub async fn run(args: &PagesArgs) -> Result<()> {
    if args.load_only {
        let data_dir = args.data_dir.as_deref().context("--load-only needs --data-dir")?;
        let customers = args.customers.context("--load-only needs --customers")?;
        let events = args.events.context("--load-only needs --events")?;
        let loaded = {
            let bulk = rapport_server::storage::open_bulk(args.database_url.as_deref(), data_dir).await?;
            load_once(bulk.as_ref(), args, Utc::now(), customers, events).await?
        };
        println!("{}", serde_json::to_string(&loaded)?);
        return Ok(());
    }
    let result = bench(args).await?;
    eprintln!("{}", result["summary"].as_str().unwrap_or_default());
    println!("{}", serde_json::to_string_pretty(&result)?);
    Ok(())
}

/// The server's peak resident memory (`VmHWM`, MiB); `None` off Linux.
fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: u64 =
        status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kib / 1024)
}

/// Starts the peak over from the current resident memory (Linux: writing
/// 5 to `clear_refs`), so the peak printed is the serving's, not the load's.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The most items the indexed ceiling is measured on.
const CEILING_ITEMS: usize = 1_000_000;

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

async fn bench(args: &PagesArgs) -> Result<Value> {
    let temp = tempfile::tempdir().context("cannot create a temporary directory")?;
    let data_dir = args.data_dir.clone().unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
    let settings = Settings {
        bind: "127.0.0.1:0".into(),
        database_url: args.database_url.clone(),
        data_dir,
        // The refit runs below, before the timings, not in the background.
        config: Config { no_refit_schedule: true, ..Config::default() },
        ..Settings::default()
    };
    let backend = if args.database_url.is_some() { "postgresql" } else { "sqlite" };
    let now = Utc::now();
    let customers = args.customers.unwrap_or(args.responses / 10).max(crate::demo::CUSTOMERS);
    let events = args.events.unwrap_or(args.responses);

    let loaded = load_in_child(args, &settings.data_dir, customers, events).await?;
    let app = Application::build(settings).await?;
    let store = app.store().clone();
    let org = store.org_by_slug(crate::demo::ORG_SLUG).await?.context("the demo organization")?.id;
    let all = FeedbackFilter { limit: 1, ..Default::default() };
    let responses_stored = store.list_responses(org, &all).await?.total;
    let events_stored = store.list_events(org, &all).await?.total;
    let customers_stored = store.customer_count(org).await?;

    // A refit of every customer, as the daily schedule runs it, timed.
    let refit_seconds = if args.no_refit { None } else { Some(refit(&store, org).await?) };
    let token = secret::generate("rpt_");
    store.create_token(org, "bench-pages", Role::Admin, &secret::digest(&token)).await?;
    let deep = deep_keys(store.as_ref(), org, now, customers).await?;
    let base = format!("http://{}", app.address());
    let server = tokio::spawn(app.run_until_stopped());
    let cookie =
        pages_routes::sign_in(&base, crate::demo::ORG_SLUG, crate::demo::ADMIN_EMAIL, crate::demo::PASSWORD).await?;
    let client = Client::new(base, token, cookie);

    let routes = pages_routes::routes(&client, &deep).await?;
    reset_peak_rss();
    let mut timings: Vec<Timing> = Vec::with_capacity(routes.len());
    let mut peak = peak_rss_mib();
    for route in &routes {
        let mut t = pages_routes::time(&client, route, args.runs as usize).await?;
        let before = peak;
        peak = peak_rss_mib();
        t.peak_rss_mib = peak;
        let rose = match (before, peak) {
            (Some(b), Some(p)) if p > b => format!("; peak RSS {b} → {p} MiB"),
            _ => String::new(),
        };
        eprintln!("bench pages: {} {} p50 {} ms p95 {} ms{rose}", t.status, t.path, t.p50_ms, t.p95_ms);
        timings.push(t);
    }
    server.abort();

    let failed: Vec<&Timing> = timings.iter().filter(|t| t.status != 200).collect();
    let slowest = timings.iter().max_by(|a, b| a.p95_ms.total_cmp(&b.p95_ms));
    let dashboard = timings.iter().find(|t| t.path == "/dashboard").map(|t| t.p95_ms);
    let over = timings.iter().filter(|t| t.p95_ms > 300.0).count();
    let mut load = load_figures(&loaded);
    if backend == "sqlite" && loaded.responses + loaded.events > 0 {
        // The ceiling on at most a million items: a smaller table takes
        // inserts faster, so the ratio errs low.
        let (r, e) = (loaded.responses.min(CEILING_ITEMS / 2), loaded.events.min(CEILING_ITEMS / 2));
        let ceiling = super::ingest::indexed_ceiling_rate(r, e, pages_data::CHUNK).await?;
        let rate = loaded.responses_and_events_rate();
        load["indexed_ceiling_items_per_second"] = json!(round(ceiling, 1));
        load["indexed_ratio"] = json!(if ceiling > 0.0 { round(rate / ceiling, 3) } else { 0.0 });
    }
    let summary = format!(
        "bench pages ({backend}): {responses_stored} responses, {customers_stored} customers, {events_stored} events; \
         {} routes × {} runs; slowest p95 {} ms ({}); dashboard p95 {} ms; {over} routes over 300 ms; \
         {} answered other than 200; peak RSS while serving {} MiB; load {} items/s, indexed_ratio {}; \
         refit {}",
        timings.len(),
        args.runs,
        slowest.map(|t| t.p95_ms).unwrap_or(0.0),
        slowest.map(|t| t.path.as_str()).unwrap_or("-"),
        dashboard.unwrap_or(0.0),
        failed.len(),
        peak.map(|p| p.to_string()).unwrap_or_else(|| "?".into()),
        load["items_per_second"],
        load.get("indexed_ratio").cloned().unwrap_or(Value::Null),
        refit_seconds.map_or_else(|| "skipped".into(), |s| format!("{s:.1} s")),
    );
    Ok(json!({
        "backend": backend,
        "responses": responses_stored,
        "customers": customers_stored,
        "events": events_stored,
        "runs": args.runs,
        "load": load,
        "peak_rss_mib": peak,
        "routes_over_300_ms": over,
        "refit_seconds": refit_seconds.map(|s| round(s, 1)),
        "not_200": failed.iter().map(|t| json!({"path": t.path, "status": t.status})).collect::<Vec<_>>(),
        "routes": timings,
        "summary": summary,
    }))
}

/// Loads as `rapport import` loads, on a store opened for it (on SQLite one
/// writer with a 1 GiB cache), in a child process of this binary, as
/// `rapport import` runs beside `rapport serve`. In this process the cache
/// the load freed stayed with the allocator (1.7 GiB at 10M) and counted as
/// the server's memory.
async fn load_in_child(
    args: &PagesArgs,
    data_dir: &std::path::Path,
    customers: usize,
    events: usize,
) -> Result<Loaded> {
    let exe = std::env::current_exe().context("cannot find this program to load in a child process")?;
    let mut command = std::process::Command::new(exe);
    command.args(["bench", "pages", "--load-only"]);
    command.args(["--responses", &args.responses.to_string()]);
    command.args(["--customers", &customers.to_string(), "--events", &events.to_string()]);
    command.arg("--data-dir").arg(data_dir);
    if let Some(url) = &args.database_url {
        command.args(["--database-url", url]);
    }
    command.stderr(std::process::Stdio::inherit());
    let out = tokio::task::spawn_blocking(move || command.output()).await?.context("cannot start the load")?;
    ensure!(out.status.success(), "the load failed ({})", out.status);
    serde_json::from_slice(&out.stdout).context("the load's figures")
}

/// Seeds the demo and loads the generated data into an empty database, or
/// checks that it holds an earlier load of the same size.
async fn load_once(
    store: &dyn Store,
    args: &PagesArgs,
    now: chrono::DateTime<Utc>,
    customers: usize,
    events: usize,
) -> Result<Loaded> {
    let fresh = store.org_by_slug(crate::demo::ORG_SLUG).await?.is_none();
    let program = pages_data::program(store, now).await?;
    if fresh {
        return pages_data::load(store, &program, now, customers, args.responses, events).await;
    }
    let all = FeedbackFilter { limit: 1, ..Default::default() };
    let stored = store.list_responses(program.org, &all).await?.total as usize;
    ensure!(
        stored >= args.responses,
        "the database holds an earlier load of {stored} responses: use an empty one (or the same --responses)"
    );
    eprintln!("bench pages: reusing the {stored} responses already loaded");
    Ok(Loaded::default())
}

/// Refits every customer's models, as the daily schedule does; seconds taken.
async fn refit(store: &std::sync::Arc<dyn Store>, org: rapport_core::Id) -> Result<f64> {
    let started = std::time::Instant::now();
    let refit_state = rapport_server::AppState::new(store.clone(), Config::default());
    let run = rapport_server::model::refit_now(&refit_state, org, "bench").await?;
    let refit_seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "bench pages: refit {} in {refit_seconds:.1} s{}",
        run.status.key(),
        run.error.map(|e| format!(": {e}")).unwrap_or_default()
    );
    Ok(refit_seconds)
}

/// The load's rates (zero when an earlier load was reused).
fn load_figures(l: &Loaded) -> Value {
    let rate = |n: usize, s: f64| if s > 0.0 { round(n as f64 / s, 1) } else { 0.0 };
    let items = l.customers + l.responses + l.events;
    let seconds = l.customer_seconds + l.response_seconds + l.event_seconds;
    json!({
        "seconds": round(seconds, 1),
        "items_per_second": rate(items, seconds),
        "customers_per_second": rate(l.customers, l.customer_seconds),
        "responses_per_second": rate(l.responses, l.response_seconds),
        "events_per_second": rate(l.events, l.event_seconds),
    })
}

/// Keys nine tenths down the long lists (newest first): the newest
/// response and event before the first tenth of the two years, and the
/// customer nine tenths along the external ids.
async fn deep_keys(
    store: &dyn Store,
    org: rapport_core::Id,
    now: chrono::DateTime<Utc>,
    customers: usize,
) -> Result<Deep> {
    let before = now - Duration::days(pages_data::DAYS) + Duration::days(pages_data::DAYS / 10);
    let filter = FeedbackFilter { to: Some(before), limit: 1, count_at_most: Some(1), ..Default::default() };
    let response = store.list_responses(org, &filter).await?.items.first().map(|r| (r.at, r.id));
    let event = store.list_events(org, &filter).await?.items.first().map(|e| (e.at, e.id));
    let list = CustomerList { after: Some(format!("cust-{:04}", customers * 9 / 10)), limit: 1, ..Default::default() };
    let customer = store.page_customers(org, &list).await?.first().map(|c| c.external_id.clone());
    Ok(Deep { response, event, customer })
}
