//! `GET /metrics`: the server's figures in the Prometheus text format, for
//! the operator's monitoring.
//!
//! Policy: only operational figures, never personal data or an
//! organization's content. Labels are closed sets: the route *template*
//! (`/api/v1/customers/:external_id`, never the id itself; requests that
//! match no route are `unmatched`), the method, the status, an item kind, a
//! delivery channel, a job name. The figures:
//! - `rapport_http_requests_total{method,route,status}` and
//!   `rapport_http_request_duration_seconds{method,route}` (until the
//!   response head; a stream's life is not its duration);
//! - `rapport_items_total{kind,outcome}`: items ingested through the API
//!   and imports (`accepted`, `duplicate`, `rejected`);
//! - `rapport_outbox_deliveries_total{channel,outcome}` (`delivered`,
//!   `retry`, `gave_up`) and `rapport_outbox_backlog`, the deliveries not
//!   yet delivered nor given up, read when scraped;
//! - `rapport_db_connections{state}` (`idle`, `in_use`) of this server's pool;
//! - `rapport_db_query_duration_seconds{statement}`: every statement's
//!   time, by kind (see `ops::query_time`);
//! - `rapport_stream_subscribers`: open `/api/v1/stream` connections;
//! - `rapport_job_duration_seconds{job}`: background rounds (`refit`,
//!   `escalation`, `purge`, `outbox`).
//!
//! The recorder is process-wide (the `metrics` crate's global), installed
//! once; several applications in one process (the tests) share it, so
//! their counters add up.

use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics::{counter, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::future::Future;
use std::sync::OnceLock;
use std::time::Instant;

/// Latency buckets, in seconds: from a cached page to the 30 s timeout.
const BUCKETS: [f64; 12] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 30.0];

/// The process's recorder, installed on first use.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let handle = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Suffix("duration_seconds".into()), &BUCKETS)
            .expect("the buckets are not empty")
            .install_recorder()
            .expect("no other metrics recorder is installed");
        describe();
        handle
    })
}

fn describe() {
    use metrics::{describe_counter, describe_gauge, describe_histogram, Unit};
    describe_counter!("rapport_http_requests_total", "HTTP requests answered, by route template and status");
    describe_histogram!("rapport_http_request_duration_seconds", Unit::Seconds, "Time to the response head");
    describe_histogram!("rapport_db_query_duration_seconds", Unit::Seconds, "Database statements' time, by kind");
    describe_counter!("rapport_items_total", "Items ingested (API and imports), by kind and outcome");
    describe_counter!("rapport_outbox_deliveries_total", "Outbox delivery attempts, by channel and outcome");
    describe_gauge!("rapport_outbox_backlog", "Deliveries neither delivered nor given up");
    describe_gauge!("rapport_db_connections", "This server's database connections, idle or in use");
    describe_gauge!("rapport_stream_subscribers", "Open live streams (/api/v1/stream)");
    describe_histogram!("rapport_job_duration_seconds", Unit::Seconds, "Background rounds, by job");
}

/// Middleware counting and timing every request by its route template.
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".into(), |m| label(m.as_str()));
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    counter!("rapport_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    histogram!("rapport_http_request_duration_seconds", "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    response
}

/// A route template as a label: `/customers/{id}` → `/customers/:id`.
/// Braces are legal in a label value, but simple parsers of the text
/// format (prometheus-parse among them) end the label set at the first `}`.
fn label(template: &str) -> String {
    template.replace('{', ":").replace('}', "")
}

/// `GET /metrics` alone, for its own listener.
pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/metrics", axum::routing::get(render))
}

/// The scrape: gauges read now, then everything rendered.
pub async fn render(State(state): State<AppState>) -> Response {
    let pool = state.store.pool_use();
    gauge!("rapport_db_connections", "state" => "idle").set(f64::from(pool.idle));
    gauge!("rapport_db_connections", "state" => "in_use").set(f64::from(pool.size.saturating_sub(pool.idle)));
    match state.store.outbox_backlog().await {
        Ok(n) => gauge!("rapport_outbox_backlog").set(n as f64),
        Err(e) => tracing::warn!(error = %crate::error::chain(&e), "outbox backlog for /metrics"),
    }
    let body = handle().render();
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body).into_response()
}

/// Counts one batch of ingested items of `kind` (`responses`, `events`,
/// `customers`).
pub fn items(kind: &'static str, accepted: usize, duplicates: usize, rejected: usize) {
    for (outcome, n) in [("accepted", accepted), ("duplicate", duplicates), ("rejected", rejected)] {
        if n > 0 {
            counter!("rapport_items_total", "kind" => kind, "outcome" => outcome).increment(n as u64);
        }
    }
}

/// Counts one outbox delivery attempt.
pub fn delivery(channel: &'static str, outcome: &'static str) {
    counter!("rapport_outbox_deliveries_total", "channel" => channel, "outcome" => outcome).increment(1);
}

/// Runs one background round of `job`, timing it.
pub async fn job<T>(job: &'static str, round: impl Future<Output = T>) -> T {
    let start = Instant::now();
    let out = round.await;
    histogram!("rapport_job_duration_seconds", "job" => job).record(start.elapsed().as_secs_f64());
    out
}

/// Held by an open live stream: counted while it lives.
pub struct Subscriber(());

impl Subscriber {
    pub fn open() -> Subscriber {
        gauge!("rapport_stream_subscribers").increment(1.0);
        Subscriber(())
    }
}

impl Drop for Subscriber {
    fn drop(&mut self) {
        gauge!("rapport_stream_subscribers").decrement(1.0);
    }
}
