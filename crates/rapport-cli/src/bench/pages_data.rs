//! The data of `rapport bench pages`: the demo organization's program
//! (seeded as `rapport demo` seeds it), then customers, responses with
//! comments and events over the two years ending today, generated from a
//! fixed seed and written straight through the store's batch ingestion
//! (`Store::upsert_customers`, `ingest_responses`, `ingest_events`), in
//! chunks of [`CHUNK`], in time order as live feedback arrives. That is the
//! path `rapport import` and the API end in, minus parsing, so the rollups,
//! counters, behaviour state and case rules are kept exactly as in
//! production; the load's rate is the import figure the benchmark prints.
//!
//! Generation is streamed (one chunk in memory at a time), so a load of
//! 10 million responses needs no more memory than one of 100,000.

use super::query_data::{pick, spread, EVENTS};
use crate::demo;
use anyhow::{ensure, Context, Result};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rapport_core::feedback::{EventInput, EventType};
use rapport_core::lang::Lang;
use rapport_core::survey::{QuestionType, Survey, SurveyStatus};
use rapport_core::Id;
use rapport_store::{NewResponse, Store};
use serde_json::{Map, Value};
use std::time::Instant;

/// Seed of the generated data.
const SEED: u64 = 0xBE7C_9A6E_2026;
/// Items per store call, as `rapport import` sends them.
pub const CHUNK: usize = rapport_server::ingest::BULK_CHUNK;
/// Responses and events fall on the two years ending now.
pub const DAYS: i64 = 730;

/// The demo's organization and what the generated feedback refers to.
pub struct Program {
    pub org: Id,
    surveys: Vec<Survey>,
    touchpoints: Vec<Id>,
}

/// What loading did (handed from the loading child process as JSON).
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Loaded {
    pub customers: usize,
    pub responses: usize,
    pub events: usize,
    /// Seconds per kind spent in store calls (generation excluded).
    pub customer_seconds: f64,
    pub response_seconds: f64,
    pub event_seconds: f64,
}

impl Loaded {
    /// Responses and events per second of store time: the rate the
    /// indexed ceiling is compared with (customers are upserts, not appends).
    pub fn responses_and_events_rate(&self) -> f64 {
        let seconds = self.response_seconds + self.event_seconds;
        if seconds > 0.0 {
            (self.responses + self.events) as f64 / seconds
        } else {
            0.0
        }
    }
}

/// Comments by band, in English and Spanish.
const COMMENTS: [(&str, &str); 8] = [
    ("Fast delivery and the coffee was perfect.", "Entrega rápida y el café perfecto."),
    ("Friendly staff, I will come back.", "Personal amable, volveré."),
    ("Fine, nothing special.", "Bien, nada especial."),
    ("The website was slow at checkout.", "La web iba lenta al pagar."),
    ("My order arrived a week late.", "Mi pedido llegó una semana tarde."),
    ("Nobody answered my e-mail about a refund.", "Nadie contestó mi correo sobre el reembolso."),
    ("Great beans, clumsy subscription page.", "Buen café, la página de suscripción es torpe."),
    ("Not good at all, I cancelled.", "No me gustó nada, he cancelado."),
];

/// Seeds the demo organization as of `now` (nothing happens when it is
/// there) and reads its published surveys and touchpoints.
pub async fn program(store: &dyn Store, now: DateTime<Utc>) -> Result<Program> {
    demo::seed_at(store, now).await.context("cannot seed the demo organization")?;
    let org = store.org_by_slug(demo::ORG_SLUG).await?.context("the demo organization")?.id;
    let surveys: Vec<Survey> =
        store.list_surveys(org).await?.into_iter().filter(|s| s.status == SurveyStatus::Published).collect();
    ensure!(!surveys.is_empty(), "the demo has no published survey");
    let touchpoints = store.list_touchpoints(org).await?.into_iter().map(|t| t.id).collect();
    Ok(Program { org, surveys, touchpoints })
}

/// When the `i`-th of `total` items happened: in time order over [`DAYS`]
/// ending at `now`, with a random offset inside each one's slot.
fn arrival(rng: &mut StdRng, now: DateTime<Utc>, i: usize, total: usize) -> DateTime<Utc> {
    spread(rng, now - Duration::days(DAYS), DAYS, i, total)
}

/// The demo's customers carry on past the demo's own 1,200: same
/// attributes, so every segment keeps its share.
fn customer_id(i: usize) -> String {
    format!("cust-{:04}", i + 1)
}

/// An answer to every question of `survey`: scores drawn around a mood in
/// 0..=1 (a customer's mood moves all of a response's scores together),
/// a choice, and a comment in the response's language half of the time.
fn answers(rng: &mut StdRng, survey: &Survey, lang: Lang) -> (Map<String, Value>, Option<String>) {
    let mood: f64 = rng.gen::<f64>().max(rng.gen::<f64>());
    let mut out = Map::new();
    let mut comment = None;
    for q in &survey.questions {
        let value = match q.kind {
            QuestionType::Nps | QuestionType::Csat | QuestionType::Ces | QuestionType::Rating => {
                let (lo, hi) = q.kind.bounds(q.scale_max).unwrap_or((1, 5));
                let x = lo as f64 + mood * (hi - lo) as f64 + rng.gen_range(-1.0..1.0);
                Value::from((x.round() as i64).clamp(lo, hi))
            }
            QuestionType::SingleChoice if !q.choices.is_empty() => {
                Value::from(q.choices[rng.gen_range(0..q.choices.len())].key.clone())
            }
            QuestionType::MultipleChoice if !q.choices.is_empty() => {
                Value::from(vec![q.choices[rng.gen_range(0..q.choices.len())].key.clone()])
            }
            QuestionType::Text if rng.gen_bool(0.5) => {
                let band = ((1.0 - mood) * (COMMENTS.len() - 1) as f64).round() as usize;
                let (en, es) = COMMENTS[(band + rng.gen_range(0..2)).min(COMMENTS.len() - 1)];
                let text = if lang == Lang::Es { es } else { en };
                comment.get_or_insert_with(|| text.to_string());
                Value::from(text)
            }
            _ => continue,
        };
        out.insert(q.key.clone(), value);
    }
    (out, comment)
}

/// A progress line on stderr about every 5% of `total`.
fn progress(what: &str, done: usize, total: usize, started: Instant) {
    let step = (total / 20).max(CHUNK);
    if done % step < CHUNK || done == total {
        let secs = started.elapsed().as_secs_f64();
        let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
        eprintln!("bench pages: {what} {done}/{total} loaded ({rate:.0}/s, {secs:.1} s)");
    }
}

/// Loads `customers` customers, `responses` responses and `events` events.
pub async fn load(
    store: &dyn Store,
    p: &Program,
    now: DateTime<Utc>,
    customers: usize,
    responses: usize,
    events: usize,
) -> Result<Loaded> {
    let mut loaded = Loaded { customers, responses, events, ..Loaded::default() };
    let started = Instant::now();
    let mut stream = demo::customer_stream();
    let mut done = 0;
    while done < customers {
        let chunk: Vec<_> = stream.by_ref().take(CHUNK.min(customers - done)).collect();
        let t = Instant::now();
        store.upsert_customers(p.org, &chunk).await.context("cannot store the customers")?;
        loaded.customer_seconds += t.elapsed().as_secs_f64();
        done += chunk.len();
        progress("customers", done, customers, started);
    }

    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut done = 0;
    while done < responses {
        let n = CHUNK.min(responses - done);
        let items: Vec<NewResponse> = (0..n)
            .map(|j| {
                let survey = &p.surveys[rng.gen_range(0..p.surveys.len())];
                let lang = if rng.gen_bool(0.4) { Lang::Es } else { Lang::En };
                let at = arrival(&mut rng, now, done + j, responses);
                let customer = rng.gen_bool(0.97).then(|| customer_id(rng.gen_range(0..customers.max(1))));
                let (answers, comment) = answers(&mut rng, survey, lang);
                NewResponse {
                    key: None,
                    survey_id: Some(survey.id),
                    touchpoint_id: survey.touchpoint_id,
                    customer,
                    at,
                    answers,
                    comment,
                    channel: Some(if rng.gen_bool(0.7) { "email" } else { "web" }.into()),
                    language: Some(lang),
                }
            })
            .collect();
        let t = Instant::now();
        let stored = store.ingest_responses(p.org, &items).await.context("cannot store the responses")?;
        loaded.response_seconds += t.elapsed().as_secs_f64();
        ensure!(stored.iter().all(|s| s.is_stored()), "a generated response was not stored");
        done += n;
        progress("responses", done, responses, started);
    }

    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(SEED ^ 1);
    let weights: Vec<u32> = EVENTS.iter().map(|e| e.1).collect();
    let mut done = 0;
    while done < events {
        let n = CHUNK.min(events - done);
        let items: Vec<EventInput> = (0..n)
            .map(|j| {
                let kind = EVENTS[pick(&mut rng, &weights)].0.clone();
                let amount = matches!(kind, EventType::Purchase | EventType::Renewal | EventType::Refund)
                    .then(|| rng.gen_range(500..9_000) as f64 / 100.0);
                EventInput {
                    key: None,
                    customer: customer_id(rng.gen_range(0..customers.max(1))),
                    at: arrival(&mut rng, now, done + j, events),
                    touchpoint: rng.gen_bool(0.5).then(|| p.touchpoints[rng.gen_range(0..p.touchpoints.len())]),
                    amount,
                    attributes: Map::new(),
                    kind,
                }
            })
            .collect();
        let t = Instant::now();
        let stored = store.ingest_events(p.org, &items).await.context("cannot store the events")?;
        loaded.event_seconds += t.elapsed().as_secs_f64();
        ensure!(stored.iter().all(|s| s.is_stored()), "a generated event was not stored");
        done += n;
        progress("events", done, events, started);
    }
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn arrivals_are_in_time_order_within_two_years() {
        let now = Utc.with_ymd_and_hms(2026, 12, 5, 0, 0, 0).unwrap();
        let mut rng = StdRng::seed_from_u64(1);
        let mut last = now - Duration::days(DAYS);
        for i in 0..1_000 {
            let at = arrival(&mut rng, now, i, 1_000);
            assert!(at >= last && at < now, "{at}");
            last = at;
        }
    }

    #[test]
    fn customers_continue_the_demo_numbering() {
        assert_eq!(customer_id(0), "cust-0001");
        assert_eq!(customer_id(999_999), "cust-1000000");
    }
}
