//! The data of `rapport bench query`: a program (8 touchpoints, one
//! published survey each, 3 segments), customers, responses and events,
//! generated from a fixed seed and loaded through the `Store` trait in
//! chunks of [`CHUNK`] (so the rollups and the activity are kept exactly as
//! production keeps them). The responses are written, as loaded, to a CSV
//! file of raw rows for DuckDB.
//!
//! The CSV columns are `id,day,touchpoint,customer,plan,region,nps,sat,effort`:
//! the stored response id, its UTC day (`YYYY-MM-DD`), the touchpoint id, the
//! customer's external id and attributes (empty for anonymous responses and
//! for customers known only by id), and the three answers (empty when
//! missing). `bench/duckdb_query.py` reads exactly these columns.

use anyhow::{ensure, Context, Result};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rapport_core::customer::CustomerUpsert;
use rapport_core::feedback::{EventInput, EventType};
use rapport_core::journey::{StageDraft, TouchpointDraft};
use rapport_core::org::NewOrganization;
use rapport_core::segment::{Combine, Condition, SegmentDraft, SegmentRule};
use rapport_core::survey::{Localized, Question, QuestionType, SurveyDraft, SurveyStatus};
use rapport_core::Id;
use rapport_server::auth::secret;
use rapport_store::{Ingested, NewResponse, Store};
use serde_json::{json, Map, Value};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

/// Seed of the generated data.
const SEED: u64 = 0xDA5B_0A2D_2026;
/// Items per store call, as the ingestion service sends them.
pub const CHUNK: usize = 5_000;
/// Responses and events fall on the 365 days ending on [`last_day`].
pub const DAYS: i64 = 365;

pub fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 30).expect("a valid date")
}

pub fn first_day() -> NaiveDate {
    last_day() - Duration::days(DAYS - 1)
}

pub const TOUCHPOINTS: [&str; 8] =
    ["Website", "Sign-up", "Onboarding call", "Checkout", "Delivery", "Support chat", "Billing", "Renewal"];
/// How often each touchpoint is surveyed, and how much it lifts the scores.
const TOUCHPOINT_WEIGHT: [u32; 8] = [20, 8, 6, 18, 14, 16, 10, 8];
const TOUCHPOINT_LIFT: [i64; 8] = [2, 3, 4, 2, 1, 0, 1, 3];
const PLANS: [&str; 4] = ["free", "starter", "business", "enterprise"];
const PLAN_WEIGHT: [u32; 4] = [40, 30, 20, 10];
const PLAN_LIFT: [i64; 4] = [0, 1, 2, 3];
const REGIONS: [&str; 5] = ["eu", "uk", "us", "latam", "apac"];
const REGION_WEIGHT: [u32; 5] = [30, 10, 35, 15, 10];
/// Event types and their weights (also `rapport bench pages`'s).
pub(super) const EVENTS: [(EventType, u32); 8] = [
    (EventType::Purchase, 45),
    (EventType::TouchpointVisit, 20),
    (EventType::Contact, 10),
    (EventType::Renewal, 8),
    (EventType::Referral, 6),
    (EventType::Refund, 4),
    (EventType::Cancellation, 4),
    (EventType::NonRenewal, 3),
];

/// The segment the dashboard's segment query reads. `bench/duckdb_query.py`
/// spells its rule in SQL: `region IN ('eu', 'uk')`.
pub const SEGMENT: &str = "Europe";

/// Customers for `responses` responses: about 20 responses each, at most 50,000.
pub fn customers_for(responses: usize) -> usize {
    (responses / 20).clamp(200, 50_000)
}

/// What the loaded program is made of.
pub struct Program {
    pub org: Id,
    /// Touchpoint ids, in the order of [`TOUCHPOINTS`].
    pub touchpoints: Vec<Id>,
    surveys: Vec<Id>,
    /// The id of the segment [`SEGMENT`].
    pub segment: Id,
}

/// What loading did.
pub struct Loaded {
    pub customers: usize,
    pub responses: usize,
    pub events: usize,
    /// Time spent in store calls (generation and the CSV export excluded).
    pub store_seconds: f64,
    /// Wall time of the whole load, generation and export included.
    pub wall_seconds: f64,
}

/// An index drawn with the given weights.
pub(super) fn pick(rng: &mut StdRng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = rng.gen_range(0..total);
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// The organization, a stage, the touchpoints with a published
/// nps/sat/effort survey each, and three segments.
pub async fn program(store: &dyn Store) -> Result<Program> {
    let org = store.create_org(&NewOrganization::parse("bench-query", "Query benchmark")?).await?.id;
    let stage = store.create_stage(org, &StageDraft { name: Some("Live".into()), position: None }.validate()?).await?;
    let text = |en: &str| Localized { en: en.into(), es: en.into() };
    let question = |key: &str, kind| Question {
        key: key.into(),
        kind,
        text: text(key),
        required: false,
        choices: Vec::new(),
        scale_max: None,
        show_if: None,
        ..Default::default()
    };
    let (mut touchpoints, mut surveys) = (Vec::new(), Vec::new());
    for name in TOUCHPOINTS {
        let tp = TouchpointDraft {
            name: Some(name.into()),
            stage_id: Some(stage.id),
            channel: Some("web".into()),
            ..Default::default()
        };
        let touchpoint = store.create_touchpoint(org, &tp.validate()?).await?.id;
        let draft = SurveyDraft {
            touchpoint_id: Some(touchpoint),
            title: Some(text(&format!("{name} survey"))),
            intro: None,
            questions: vec![
                question("nps", QuestionType::Nps),
                question("sat", QuestionType::Csat),
                question("effort", QuestionType::Ces),
            ],
            fatigue_days: Some(0),
        };
        let survey = store.create_survey(org, &draft.validate()?, &secret::generate("")[..24]).await?;
        store.set_survey_status(org, survey.id, SurveyStatus::Published).await?;
        touchpoints.push(touchpoint);
        surveys.push(survey.id);
    }
    let one_of = |attribute: &str, values: &[&str]| Condition::OneOf {
        attribute: attribute.into(),
        values: values.iter().map(|v| v.to_string()).collect(),
    };
    let rules = [
        ("Enterprise", Combine::All, vec![Condition::Equals { attribute: "plan".into(), value: "enterprise".into() }]),
        (SEGMENT, Combine::All, vec![one_of("region", &["eu", "uk"])]),
        (
            "Paying Americas",
            Combine::All,
            vec![one_of("plan", &["starter", "business", "enterprise"]), one_of("region", &["us", "latam"])],
        ),
    ];
    let mut segment = 0;
    for (name, combine, conditions) in rules {
        let draft =
            SegmentDraft { name: Some(name.into()), description: None, rule: SegmentRule { combine, conditions } };
        let s = store.create_segment(org, &draft.validate()?).await?;
        if name == SEGMENT {
            segment = s.id;
        }
    }
    Ok(Program { org, touchpoints, surveys, segment })
}

/// Customer `i`'s plan and region (indexes into [`PLANS`], [`REGIONS`]).
fn customer_attributes(count: usize) -> Vec<(usize, usize)> {
    let mut rng = StdRng::seed_from_u64(SEED);
    (0..count).map(|_| (pick(&mut rng, &PLAN_WEIGHT), pick(&mut rng, &REGION_WEIGHT))).collect()
}

/// Who answered: a known customer, one known only by id, or nobody.
enum Who {
    Known(usize),
    WalkIn(usize),
    Anonymous,
}

struct GenResponse {
    touchpoint: usize,
    who: Who,
    at: DateTime<Utc>,
    nps: Option<i64>,
    sat: Option<i64>,
    effort: Option<i64>,
}

/// When the `i`-th of `total` items happened: items arrive in time order, as
/// live feedback does, spread evenly over [`DAYS`] with a random offset
/// inside each one's slot. (Order matters to the load, not to the queries:
/// appends to the time-keyed indexes instead of random inserts.)
fn arrival(rng: &mut StdRng, start: DateTime<Utc>, i: usize, total: usize) -> DateTime<Utc> {
    spread(rng, start, DAYS, i, total)
}

/// As [`arrival`], over `days` days from `start`.
pub(super) fn spread(rng: &mut StdRng, start: DateTime<Utc>, days: i64, i: usize, total: usize) -> DateTime<Utc> {
    let span = days * 86_400;
    let total = total.max(1) as i64;
    let slot = span * i as i64 / total;
    let width = (span / total).max(1);
    start + Duration::seconds((slot + rng.gen_range(0..width)).min(span - 1))
}

fn gen_response(rng: &mut StdRng, customers: &[(usize, usize)], at: DateTime<Utc>) -> GenResponse {
    let touchpoint = pick(rng, &TOUCHPOINT_WEIGHT);
    let who = match rng.gen_range(0..1000) {
        0..=14 => Who::Anonymous,
        15..=29 => Who::WalkIn(rng.gen_range(0..2_000)),
        _ => Who::Known(rng.gen_range(0..customers.len())),
    };
    let plan_lift = match who {
        Who::Known(i) => PLAN_LIFT[customers[i].0],
        _ => 0,
    };
    let lift = TOUCHPOINT_LIFT[touchpoint] + plan_lift;
    let score = rng.gen_range(0..=10i64).max(rng.gen_range(lift.min(10)..=10));
    let nps = rng.gen_bool(0.93).then_some(score);
    let sat = rng.gen_bool(0.8).then(|| ((score + 2) / 3 + rng.gen_range(-1..=1)).clamp(1, 5));
    let effort = rng.gen_bool(0.65).then(|| (score * 7 / 10 + rng.gen_range(-1..=1)).clamp(1, 7));
    GenResponse { touchpoint, who, at, nps, sat, effort }
}

fn external_id(who: &Who) -> Option<String> {
    match who {
        Who::Known(i) => Some(format!("c-{i}")),
        Who::WalkIn(i) => Some(format!("w-{i}")),
        Who::Anonymous => None,
    }
}

/// A progress line on stderr about every 5% of `total`.
struct Progress {
    what: &'static str,
    total: usize,
    step: usize,
    next: usize,
    started: Instant,
}

impl Progress {
    fn new(what: &'static str, total: usize) -> Progress {
        let step = (total / 20).max(CHUNK);
        Progress { what, total, step, next: step, started: Instant::now() }
    }

    fn at(&mut self, done: usize) {
        if done >= self.next || done == self.total {
            let secs = self.started.elapsed().as_secs_f64();
            let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
            eprintln!("bench query: {} {done}/{} loaded ({rate:.0}/s, {secs:.1} s)", self.what, self.total);
            while self.next <= done {
                self.next += self.step;
            }
        }
    }
}

/// Loads customers, `responses` responses and `events` events, writing the
/// responses' raw rows to `csv`.
pub async fn load(store: &dyn Store, p: &Program, responses: usize, events: usize, csv: &Path) -> Result<Loaded> {
    let wall = Instant::now();
    let mut store_seconds = 0.0;
    let start: DateTime<Utc> = Utc
        .with_ymd_and_hms(first_day().year(), first_day().month(), first_day().day(), 0, 0, 0)
        .single()
        .expect("a valid time");

    let customers = customer_attributes(customers_for(responses));
    let mut progress = Progress::new("customers", customers.len());
    for (k, chunk) in customers.chunks(CHUNK).enumerate() {
        let items: Vec<CustomerUpsert> = chunk
            .iter()
            .enumerate()
            .map(|(j, (plan, region))| CustomerUpsert {
                external_id: format!("c-{}", k * CHUNK + j),
                email: None,
                name: None,
                attributes: json!({"plan": PLANS[*plan], "region": REGIONS[*region]})
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect();
        let t = Instant::now();
        store.upsert_customers(p.org, &items).await.context("cannot store the customers")?;
        store_seconds += t.elapsed().as_secs_f64();
        progress.at(k * CHUNK + chunk.len());
    }

    let file = std::fs::File::create(csv).with_context(|| format!("cannot create {}", csv.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    writeln!(out, "id,day,touchpoint,customer,plan,region,nps,sat,effort")?;
    let mut rng = StdRng::seed_from_u64(SEED ^ 1);
    let mut progress = Progress::new("responses", responses);
    let mut done = 0;
    while done < responses {
        let n = CHUNK.min(responses - done);
        let gen: Vec<GenResponse> = (0..n)
            .map(|j| {
                let at = arrival(&mut rng, start, done + j, responses);
                gen_response(&mut rng, &customers, at)
            })
            .collect();
        let items: Vec<NewResponse> = gen
            .iter()
            .enumerate()
            .map(|(j, g)| {
                let mut answers = Map::new();
                for (key, v) in [("nps", g.nps), ("sat", g.sat), ("effort", g.effort)] {
                    if let Some(v) = v {
                        answers.insert(key.into(), Value::from(v));
                    }
                }
                NewResponse {
                    key: Some(format!("bq-r-{:09}", done + j)),
                    survey_id: Some(p.surveys[g.touchpoint]),
                    touchpoint_id: p.touchpoints[g.touchpoint],
                    customer: external_id(&g.who),
                    at: g.at,
                    answers,
                    comment: None,
                    channel: Some("email".into()),
                    language: None,
                }
            })
            .collect();
        let t = Instant::now();
        let stored = store.ingest_responses(p.org, &items).await.context("cannot store the responses")?;
        store_seconds += t.elapsed().as_secs_f64();
        ensure!(stored.len() == n, "the store answered {} of {n} responses", stored.len());
        for (g, s) in gen.iter().zip(&stored) {
            let Ingested::Stored(id) = s else { anyhow::bail!("a generated response was a duplicate: {s:?}") };
            let day = g.at.date_naive();
            let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
            let (customer, plan, region) = match g.who {
                Who::Known(i) => (format!("c-{i}"), PLANS[customers[i].0], REGIONS[customers[i].1]),
                Who::WalkIn(i) => (format!("w-{i}"), "", ""),
                Who::Anonymous => (String::new(), "", ""),
            };
            writeln!(
                out,
                "{id},{:04}-{:02}-{:02},{},{customer},{plan},{region},{},{},{}",
                day.year(),
                day.month(),
                day.day(),
                p.touchpoints[g.touchpoint],
                opt(g.nps),
                opt(g.sat),
                opt(g.effort),
            )?;
        }
        done += n;
        progress.at(done);
    }
    out.flush()?;

    let mut rng = StdRng::seed_from_u64(SEED ^ 2);
    let weights: Vec<u32> = EVENTS.iter().map(|e| e.1).collect();
    let mut progress = Progress::new("events", events);
    let mut done = 0;
    while done < events {
        let n = CHUNK.min(events - done);
        let items: Vec<EventInput> = (0..n)
            .map(|j| {
                let kind = EVENTS[pick(&mut rng, &weights)].0.clone();
                let amount = matches!(kind, EventType::Purchase | EventType::Renewal | EventType::Refund)
                    .then(|| rng.gen_range(500..20_000) as f64 / 100.0);
                EventInput {
                    key: Some(format!("bq-e-{:09}", done + j)),
                    customer: format!("c-{}", rng.gen_range(0..customers.len())),
                    at: arrival(&mut rng, start, done + j, events),
                    touchpoint: rng.gen_bool(0.5).then(|| p.touchpoints[rng.gen_range(0..p.touchpoints.len())]),
                    amount,
                    attributes: Map::new(),
                    kind,
                }
            })
            .collect();
        let t = Instant::now();
        let stored = store.ingest_events(p.org, &items).await.context("cannot store the events")?;
        store_seconds += t.elapsed().as_secs_f64();
        ensure!(stored.iter().all(|s| s.is_stored()), "a generated event was not stored");
        done += n;
        progress.at(done);
    }
    Ok(Loaded {
        customers: customers.len(),
        responses,
        events,
        store_seconds,
        wall_seconds: wall.elapsed().as_secs_f64(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic_and_in_range() {
        let customers = customer_attributes(300);
        assert_eq!(customers, customer_attributes(300));
        let start = Utc.with_ymd_and_hms(2025, 7, 1, 0, 0, 0).unwrap();
        let (mut a, mut b) = (StdRng::seed_from_u64(SEED ^ 1), StdRng::seed_from_u64(SEED ^ 1));
        let mut last = start;
        for i in 0..2_000 {
            let (at, at_b) = (arrival(&mut a, start, i, 2_000), arrival(&mut b, start, i, 2_000));
            assert!(at >= last, "items arrive in time order");
            last = at;
            let (x, y) = (gen_response(&mut a, &customers, at), gen_response(&mut b, &customers, at_b));
            assert_eq!((x.touchpoint, x.at, x.nps, x.sat, x.effort), (y.touchpoint, y.at, y.nps, y.sat, y.effort));
            assert!(x.nps.is_none_or(|v| (0..=10).contains(&v)));
            assert!(x.sat.is_none_or(|v| (1..=5).contains(&v)));
            assert!(x.effort.is_none_or(|v| (1..=7).contains(&v)));
            let day = x.at.date_naive();
            assert!(first_day() <= day && day <= last_day(), "{day}");
        }
        assert_eq!(first_day(), NaiveDate::from_ymd_opt(2025, 7, 1).unwrap());
    }
}
