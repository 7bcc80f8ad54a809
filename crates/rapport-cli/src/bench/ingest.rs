//! `rapport bench ingest`: ingestion throughput through the real HTTP batch
//! API, against the ceiling of a bare batched insert of the same rows.
//!
//! Both sides run on fresh SQLite files in a temporary directory with the
//! store's durability settings (WAL, `synchronous = FULL`): a 2xx from the API
//! means every accepted item is committed, so the comparison is between
//! durable writes. The data is generated from a fixed seed, so runs compare.

use anyhow::{bail, ensure, Context, Result};
use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rapport_core::journey::{StageDraft, TouchpointDraft};
use rapport_core::org::NewOrganization;
use rapport_core::role::Role;
use rapport_core::survey::{Localized, Question, QuestionType, SurveyDraft, SurveyStatus};
use rapport_core::Id;
use rapport_server::auth::secret;
use rapport_server::{Application, Config, Settings};
use rapport_store::{FeedbackFilter, Store};
use serde_json::{json, Value};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Sqlite};
use std::str::FromStr;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Responses to send.
    #[arg(long, default_value_t = 100_000)]
    pub responses: usize,
    /// Events to send.
    #[arg(long, default_value_t = 0)]
    pub events: usize,
    /// Items per HTTP request (NDJSON lines) and per ceiling transaction.
    #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub batch: u64,
}

pub async fn run(args: &IngestArgs) -> Result<()> {
    let result = ingest(args).await?;
    println!("{}", serde_json::to_string_pretty(&result)?);
    Ok(())
}

/// Seed of the generated data.
const SEED: u64 = 0xBE7C_2026;
const CUSTOMERS: usize = 5_000;

/// One generated response or event, as the API's NDJSON line and as the
/// ceiling's row.
struct Data {
    responses: Vec<Value>,
    events: Vec<Value>,
}

fn generate(responses: usize, events: usize, survey: Id, touchpoint: Id) -> Data {
    let mut rng = StdRng::seed_from_u64(SEED);
    let start: DateTime<Utc> = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().expect("a valid time");
    let comments = ["Fast and friendly.", "The coffee arrived late.", "Great beans, clumsy website.", "Perfect."];
    let at = |rng: &mut StdRng| (start + Duration::seconds(rng.gen_range(0..90 * 86_400))).to_rfc3339();
    let responses = (0..responses)
        .map(|i| {
            let mut r = json!({
                "id": format!("bench-r-{i}"),
                "survey": survey,
                "customer": format!("bench-c-{}", rng.gen_range(0..CUSTOMERS)),
                "at": at(&mut rng),
                "answers": {"nps": rng.gen_range(0..=10)},
                "channel": "email",
                "language": if rng.gen_bool(0.4) { "es" } else { "en" },
            });
            if rng.gen_bool(0.5) {
                let c = comments[rng.gen_range(0..comments.len())];
                r["answers"]["why"] = json!(c);
                r["comment"] = json!(c);
            }
            r
        })
        .collect();
    let kinds = ["purchase", "renewal", "contact", "touchpoint_visit", "refund"];
    let events = (0..events)
        .map(|i| {
            json!({
                "id": format!("bench-e-{i}"),
                "type": kinds[rng.gen_range(0..kinds.len())],
                "customer": format!("bench-c-{}", rng.gen_range(0..CUSTOMERS)),
                "at": at(&mut rng),
                "touchpoint": touchpoint,
                "amount": (rng.gen_range(500..5_000) as f64) / 100.0,
                "attributes": {"source": "bench"},
            })
        })
        .collect();
    Data { responses, events }
}

async fn ingest(args: &IngestArgs) -> Result<Value> {
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let batch = args.batch as usize;

    // The real server, started as `rapport serve` starts it, on a fresh SQLite file.
    let settings = Settings {
        bind: "127.0.0.1:0".into(),
        database_url: None,
        data_dir: dir.path().join("server"),
        config: Config::default(),
        ..Settings::default()
    };
    let app = Application::build(settings).await?;
    let store = app.store().clone();
    let org = store.create_org(&NewOrganization::parse("bench", "Benchmark")?).await?;
    let (survey, touchpoint) = program(store.as_ref(), org.id).await?;
    let token = secret::generate("rpt_");
    store.create_token(org.id, "bench", Role::Admin, &secret::digest(&token)).await?;
    let base = format!("http://{}", app.address());
    let server = tokio::spawn(app.run_until_stopped());

    let data = generate(args.responses, args.events, survey, touchpoint);
    let client = reqwest::Client::new();
    let started = Instant::now();
    let mut stored = 0usize;
    for (path, items) in [("/api/v1/responses", &data.responses), ("/api/v1/events", &data.events)] {
        for chunk in items.chunks(batch) {
            let mut body = Vec::with_capacity(chunk.len() * 200);
            for item in chunk {
                serde_json::to_writer(&mut body, item)?;
                body.push(b'\n');
            }
            let resp = client
                .post(format!("{base}{path}"))
                .bearer_auth(&token)
                .header(reqwest::header::CONTENT_TYPE, "application/x-ndjson")
                .body(body)
                .send()
                .await
                .with_context(|| format!("POST {path}"))?;
            let status = resp.status();
            let report: Value = resp.json().await.with_context(|| format!("POST {path}: the reply"))?;
            if !status.is_success() {
                bail!("POST {path} answered {status}: {report}");
            }
            let rejected = report["rejected"].as_u64().unwrap_or(0);
            ensure!(rejected == 0, "POST {path} rejected {rejected} generated items: {report}");
            stored += report["accepted"].as_u64().unwrap_or(0) as usize;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    server.abort();
    let all = FeedbackFilter { limit: 1, ..Default::default() };
    let stored_responses = store.list_responses(org.id, &all).await?.total;
    let stored_events = store.list_events(org.id, &all).await?.total;
    let total = args.responses + args.events;
    ensure!(stored == total, "the API accepted {stored} of {total} items");

    let ceiling_seconds = ceiling(&dir.path().join("ceiling.db"), &data, batch, false).await?;
    let indexed_seconds = ceiling(&dir.path().join("indexed.db"), &data, batch, true).await?;
    let rate = |s: f64| if s > 0.0 { total as f64 / s } else { 0.0 };
    let (x, y, z) = (rate(seconds), rate(ceiling_seconds), rate(indexed_seconds));
    Ok(json!({
        "responses": args.responses,
        "events": args.events,
        "batch": batch,
        "seconds": round(seconds, 3),
        "items_per_second": round(x, 1),
        "ceiling_seconds": round(ceiling_seconds, 3),
        "ceiling_items_per_second": round(y, 1),
        "ratio": if y > 0.0 { round(x / y, 3) } else { 0.0 },
        "indexed_ceiling_seconds": round(indexed_seconds, 3),
        "indexed_ceiling_items_per_second": round(z, 1),
        "indexed_ratio": if z > 0.0 { round(x / z, 3) } else { 0.0 },
        "durable": true,
        "stored_responses": stored_responses,
        "stored_events": stored_events,
    }))
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// A stage, a touchpoint and a published NPS + comment survey on it.
async fn program(store: &dyn Store, org: Id) -> Result<(Id, Id)> {
    let stage = store.create_stage(org, &StageDraft { name: Some("Buy".into()), position: None }.validate()?).await?;
    let tp = TouchpointDraft {
        name: Some("Checkout".into()),
        stage_id: Some(stage.id),
        channel: Some("web".into()),
        ..Default::default()
    };
    let touchpoint = store.create_touchpoint(org, &tp.validate()?).await?.id;
    let text = |en: &str, es: &str| Localized { en: en.into(), es: es.into() };
    let question = |key: &str, kind, t: Localized| Question {
        key: key.into(),
        kind,
        text: t,
        required: false,
        choices: Vec::new(),
        scale_max: None,
        show_if: None,
        ..Default::default()
    };
    let draft = SurveyDraft {
        touchpoint_id: Some(touchpoint),
        title: Some(text("Benchmark", "Prueba de rendimiento")),
        intro: None,
        questions: vec![
            question("nps", QuestionType::Nps, text("How likely are you to recommend us?", "¿Nos recomendarías?")),
            question("why", QuestionType::Text, text("Why?", "¿Por qué?")),
        ],
        fatigue_days: Some(0),
    };
    let survey = store.create_survey(org, &draft.validate()?, &secret::generate("")[..24]).await?;
    store.set_survey_status(org, survey.id, SurveyStatus::Published).await?;
    Ok((survey.id, touchpoint))
}

/// Items per second of the bare indexed insert (the ceiling `rapport bench
/// pages` compares its load with) of `responses` responses and `events`
/// events, in transactions of `batch` items, into a fresh SQLite file.
pub(super) async fn indexed_ceiling_rate(responses: usize, events: usize, batch: usize) -> Result<f64> {
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let data = generate(responses, events, 1, 1);
    let seconds = ceiling(&dir.path().join("indexed.db"), &data, batch, true).await?;
    Ok(if seconds > 0.0 { (responses + events) as f64 / seconds } else { 0.0 })
}

/// Rows per INSERT statement: 11 columns stay well under SQLite's limit of
/// bound parameters.
const ROWS_PER_STATEMENT: usize = 500;

/// The store's access-path indexes on responses and events (migration 0002):
/// by time, by touchpoint, by survey, by customer. The lists, filters,
/// timelines and erasure read through them.
const ACCESS_INDEXES: &str = "CREATE INDEX responses_org_at ON responses (org_id, at, id);
    CREATE INDEX responses_touchpoint ON responses (org_id, touchpoint_id, at);
    CREATE INDEX responses_survey ON responses (survey_id, at);
    CREATE INDEX responses_customer ON responses (customer_id, at);
    CREATE INDEX events_org_at ON events (org_id, at, id);
    CREATE INDEX events_touchpoint ON events (org_id, touchpoint_id, at);
    CREATE INDEX events_customer ON events (customer_id, at);";

/// Seconds for a bare batched insert of the same rows into a fresh SQLite
/// file: the store's pragmas, one table per kind with the same columns (and
/// the unique idempotency index), multi-row INSERTs, one transaction per batch.
/// With `indexed`, the tables also carry the store's [`ACCESS_INDEXES`]: the
/// part of the gap to the ceiling that is the cost of the indexes alone.
async fn ceiling(file: &std::path::Path, data: &Data, batch: usize, indexed: bool) -> Result<f64> {
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", file.display()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await?;
    sqlx::raw_sql(
        "CREATE TABLE responses (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL, idempotency_key TEXT, \
         survey_id INTEGER, touchpoint_id INTEGER NOT NULL, customer_id INTEGER, at TEXT NOT NULL, \
         answers TEXT NOT NULL, comment TEXT, channel TEXT, language TEXT, received_at TEXT NOT NULL);
         CREATE UNIQUE INDEX responses_key ON responses (org_id, idempotency_key);
         CREATE TABLE events (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL, idempotency_key TEXT, \
         kind TEXT NOT NULL, customer_id INTEGER, at TEXT NOT NULL, touchpoint_id INTEGER, amount REAL, \
         attributes TEXT NOT NULL, received_at TEXT NOT NULL);
         CREATE UNIQUE INDEX events_key ON events (org_id, idempotency_key);",
    )
    .execute(&pool)
    .await?;
    if indexed {
        sqlx::raw_sql(ACCESS_INDEXES).execute(&pool).await?;
    }
    let customer = |v: &Value| -> i64 {
        v["customer"].as_str().and_then(|c| c.rsplit('-').next()).and_then(|n| n.parse().ok()).unwrap_or(0)
    };
    let now = Utc::now().to_rfc3339();
    let started = Instant::now();
    for chunk in data.responses.chunks(batch) {
        let mut tx = pool.begin().await?;
        for rows in chunk.chunks(ROWS_PER_STATEMENT) {
            let mut q: QueryBuilder<'_, Sqlite> = QueryBuilder::new(
                "INSERT INTO responses (org_id, idempotency_key, survey_id, touchpoint_id, customer_id, at, \
                 answers, comment, channel, language, received_at) ",
            );
            q.push_values(rows, |mut b, r| {
                b.push_bind(1i64)
                    .push_bind(r["id"].as_str().map(String::from))
                    .push_bind(r["survey"].as_i64())
                    .push_bind(r["survey"].as_i64().unwrap_or(0))
                    .push_bind(customer(r))
                    .push_bind(r["at"].as_str().map(String::from))
                    .push_bind(r["answers"].to_string())
                    .push_bind(r["comment"].as_str().map(String::from))
                    .push_bind(r["channel"].as_str().map(String::from))
                    .push_bind(r["language"].as_str().map(String::from))
                    .push_bind(now.clone());
            });
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    for chunk in data.events.chunks(batch) {
        let mut tx = pool.begin().await?;
        for rows in chunk.chunks(ROWS_PER_STATEMENT) {
            let mut q: QueryBuilder<'_, Sqlite> = QueryBuilder::new(
                "INSERT INTO events (org_id, idempotency_key, kind, customer_id, at, touchpoint_id, amount, \
                 attributes, received_at) ",
            );
            q.push_values(rows, |mut b, e| {
                b.push_bind(1i64)
                    .push_bind(e["id"].as_str().map(String::from))
                    .push_bind(e["type"].as_str().map(String::from))
                    .push_bind(customer(e))
                    .push_bind(e["at"].as_str().map(String::from))
                    .push_bind(e["touchpoint"].as_i64())
                    .push_bind(e["amount"].as_f64())
                    .push_bind(e["attributes"].to_string())
                    .push_bind(now.clone());
            });
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    let seconds = started.elapsed().as_secs_f64();
    let (n,): (i64,) = sqlx::query_as("SELECT (SELECT count(*) FROM responses) + (SELECT count(*) FROM events)")
        .fetch_one(&pool)
        .await?;
    ensure!(n as usize == data.responses.len() + data.events.len(), "the ceiling stored {n} rows");
    pool.close().await;
    Ok(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_deterministic() {
        let a = generate(50, 20, 3, 4);
        let b = generate(50, 20, 3, 4);
        assert_eq!(a.responses, b.responses);
        assert_eq!(a.events, b.events);
        assert_eq!(a.responses[7]["id"], "bench-r-7");
        assert_eq!(a.events[0]["touchpoint"], 4);
    }
}
