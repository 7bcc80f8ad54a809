//! Measurement stories: the rollups always equal a recomputation from the
//! raw rows (read back through the ordinary list methods and recomputed here
//! with the core's rules), on random data, through every kind of write that
//! moves them; and a rebuild changes nothing.

use super::{add_stage, add_touchpoint, by, org};
use crate::say;
use chrono::{DateTime, Duration, DurationRound, NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rapport_core::customer::CustomerUpsert;
use rapport_core::feedback::{EventDraft, EventInput};
use rapport_core::measure::items::{item_values, ItemTally};
use rapport_core::measure::score::answer_tallies;
use rapport_core::measure::{Scale, Tally};
use rapport_core::segment::{Combine, Condition, SegmentInput, SegmentRule};
use rapport_core::survey::{SurveyDraft, SurveyStatus};
use rapport_core::Id;
use rapport_store::{BehaviourCounts, CustomerFilter, CustomerList, FeedbackFilter, NewResponse, ScoreFilter, Store};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

const PLANS: [&str; 3] = ["basic", "pro", "team"];
const REGIONS: [&str; 2] = ["eu", "us"];
const KINDS: [&str; 6] = ["purchase", "purchase", "referral", "cancellation", "non_renewal", "touchpoint_visit"];

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
}

fn attributes(rng: &mut StdRng) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("plan".into(), json!(PLANS[rng.gen_range(0..PLANS.len())]));
    if rng.gen_bool(0.7) {
        m.insert("region".into(), json!(REGIONS[rng.gen_range(0..REGIONS.len())]));
    }
    m
}

fn customers(rng: &mut StdRng, n: usize) -> Vec<CustomerUpsert> {
    (0..n)
        .map(|i| CustomerUpsert {
            external_id: format!("c{i}"),
            email: Some(format!("c{i}@example.com")),
            name: None,
            attributes: attributes(rng),
        })
        .collect()
}

fn segment(name: &str, attribute: &str, values: &[&str]) -> SegmentInput {
    SegmentInput {
        name: name.into(),
        description: None,
        rule: SegmentRule {
            combine: Combine::All,
            conditions: vec![Condition::OneOf {
                attribute: attribute.into(),
                values: values.iter().map(|v| v.to_string()).collect(),
            }],
        },
    }
}

/// A survey of every scored type (some optional) on the touchpoint.
async fn scored_survey(s: &dyn Store, org: Id, touchpoint: Id, nps_only: bool) -> Id {
    let mut questions = vec![json!({"key": "nps", "type": "nps", "text": {"en": "NPS", "es": "NPS"}})];
    if !nps_only {
        for (key, kind) in [("sat", "csat"), ("effort", "ces"), ("stars", "rating")] {
            questions.push(
                json!({"key": key, "type": kind, "scale_max": if kind == "rating" { json!(10) } else { Value::Null },
                "text": {"en": key, "es": key}}),
            );
        }
        // Items beyond the scores: a matrix's rows and a slider in half steps.
        questions.push(json!({"key": "grid", "type": "matrix", "not_applicable": true, "text": {"en": "G", "es": "G"},
            "rows": [{"key": "a", "label": {"en": "A", "es": "A"}}, {"key": "b", "label": {"en": "B", "es": "B"}}]}));
        questions.push(json!({"key": "dial", "type": "slider", "min": 0, "max": 10, "step": 0.5,
            "text": {"en": "D", "es": "D"}}));
    }
    let draft: SurveyDraft = serde_json::from_value(json!({
        "touchpoint_id": touchpoint,
        "title": {"en": format!("S{touchpoint}"), "es": format!("S{touchpoint}")},
        "fatigue_days": 0,
        "questions": questions,
    }))
    .unwrap();
    let survey = s.create_survey(org, &draft.validate().unwrap(), &format!("tok-{org}-{touchpoint}")).await.unwrap();
    s.set_survey_status(org, survey.id, SurveyStatus::Published).await.unwrap();
    survey.id
}

fn random_answers(rng: &mut StdRng, nps_only: bool) -> Map<String, Value> {
    let mut a = Map::new();
    for (key, lo, hi) in [("nps", 0, 10), ("sat", 1, 5), ("effort", 1, 7), ("stars", 1, 10)] {
        if (key == "nps" || !nps_only) && rng.gen_bool(0.8) {
            a.insert(key.into(), json!(rng.gen_range(lo..=hi)));
        }
    }
    if !nps_only {
        let point = |rng: &mut StdRng| if rng.gen_bool(0.2) { json!("na") } else { json!(rng.gen_range(1..=5)) };
        if rng.gen_bool(0.7) {
            a.insert("grid".into(), json!({"a": point(rng), "b": point(rng)}));
        }
        if rng.gen_bool(0.6) {
            a.insert("dial".into(), json!(f64::from(rng.gen_range(0..=20)) / 2.0));
        }
    }
    a
}

/// The program, 3 segments and a first load of random feedback.
struct World {
    org: Id,
    touchpoints: Vec<Id>,
    surveys: Vec<(Id, Id, bool)>,
    segments: Vec<Id>,
    customers: Vec<CustomerUpsert>,
    sent: usize,
}

async fn world(s: &dyn Store, rng: &mut StdRng, slug: &str) -> World {
    let org = org(s, slug).await.id;
    let stage = add_stage(s, org, "Use", None).await;
    let mut touchpoints = Vec::new();
    let mut surveys = Vec::new();
    for (i, name) in ["Order", "Delivery", "Support"].iter().enumerate() {
        let tp = add_touchpoint(s, org, name, stage, None).await;
        touchpoints.push(tp);
        surveys.push((scored_survey(s, org, tp, i == 2).await, tp, i == 2));
    }
    let mut segments = Vec::new();
    for (name, attr, values) in [("Pro", "plan", &["pro", "team"][..]), ("EU", "region", &["eu"][..])] {
        segments.push(s.create_segment(org, &segment(name, attr, values)).await.unwrap().id);
    }
    let customers = customers(rng, 40);
    s.upsert_customers(org, &customers).await.unwrap();
    World { org, touchpoints, surveys, segments, customers, sent: 0 }
}

/// Sends random responses and events in random batches, with some items sent twice.
async fn send(s: &dyn Store, rng: &mut StdRng, w: &mut World, responses: usize, events: usize) {
    let mut items = Vec::new();
    for _ in 0..responses {
        let (survey, touchpoint, nps_only) = w.surveys[rng.gen_range(0..w.surveys.len())];
        w.sent += 1;
        items.push(NewResponse {
            key: Some(format!("r{}", w.sent)),
            survey_id: Some(survey),
            touchpoint_id: touchpoint,
            customer: rng.gen_bool(0.9).then(|| format!("c{}", rng.gen_range(0..w.customers.len() + 5))),
            at: start() + Duration::minutes(rng.gen_range(0..60 * 24 * 60)),
            answers: random_answers(rng, nps_only),
            comment: None,
            channel: None,
            language: None,
        });
    }
    // A few re-sent: they must not count twice.
    let again: Vec<NewResponse> = items.iter().take(responses / 10).cloned().collect();
    items.extend(again);
    while !items.is_empty() {
        let n = rng.gen_range(1..=items.len().min(80));
        let batch: Vec<NewResponse> = items.drain(..n).collect();
        s.ingest_responses(w.org, &batch).await.unwrap();
    }
    let mut evs = Vec::new();
    for _ in 0..events {
        w.sent += 1;
        let draft = EventDraft {
            id: Some(format!("e{}", w.sent)),
            kind: Some(KINDS[rng.gen_range(0..KINDS.len())].into()),
            customer: Some(format!("c{}", rng.gen_range(0..w.customers.len()))),
            at: Some((start() + Duration::minutes(rng.gen_range(0..60 * 24 * 60))).to_rfc3339()),
            touchpoint: rng.gen_bool(0.5).then(|| w.touchpoints[rng.gen_range(0..w.touchpoints.len())]),
            amount: Some(rng.gen_range(1..100) as f64),
            attributes: Map::new(),
        };
        evs.push(draft.validate().unwrap());
    }
    for batch in evs.chunks(50) {
        let batch: Vec<EventInput> = batch.to_vec();
        s.ingest_events(w.org, &batch).await.unwrap();
    }
}

/// A scored response: (customer external id, day, touchpoint, tallies).
type Scored = (Option<String>, NaiveDate, Id, Vec<(Scale, Tally)>);

/// Raw rows, read back through the list methods.
struct Raw {
    /// (customer external id, day, touchpoint, tallies)
    scored: Vec<Scored>,
    /// (customer, day, kind, touchpoint)
    activity: Vec<(String, NaiveDate, String, Option<Id>)>,
    /// segment → members' external ids
    members: HashMap<Id, HashSet<String>>,
}

async fn raw(s: &dyn Store, org: Id) -> Raw {
    let all = FeedbackFilter { limit: 1_000_000, ..Default::default() };
    let surveys: HashMap<Id, _> = s.list_surveys(org).await.unwrap().into_iter().map(|x| (x.id, x.questions)).collect();
    let mut scored = Vec::new();
    let mut activity = Vec::new();
    for r in s.list_responses(org, &all).await.unwrap().items {
        let day = r.at.date_naive();
        if let Some(q) = r.survey_id.and_then(|id| surveys.get(&id)) {
            scored.push((r.customer.clone(), day, r.touchpoint_id, answer_tallies(q, &r.answers)));
        }
        if let Some(c) = r.customer {
            activity.push((c, day, "response".to_string(), Some(r.touchpoint_id)));
        }
    }
    for e in s.list_events(org, &all).await.unwrap().items {
        if let Some(c) = e.customer {
            activity.push((c, e.at.date_naive(), e.kind.clone(), e.touchpoint_id));
        }
    }
    let customers = s.list_customers(org).await.unwrap();
    let members = s
        .list_segments(org)
        .await
        .unwrap()
        .into_iter()
        .map(|g| {
            let m = customers.iter().filter(|c| g.rule.matches(&c.attributes)).map(|c| c.external_id.clone());
            (g.id, m.collect())
        })
        .collect();
    Raw { scored, activity, members }
}

fn expected_scores(raw: &Raw, f: &ScoreFilter) -> BTreeMap<(NaiveDate, Id), Tally> {
    let mut out: BTreeMap<(NaiveDate, Id), Tally> = BTreeMap::new();
    for (customer, day, tp, tallies) in &raw.scored {
        let in_segment = match f.segment {
            None => true,
            Some(g) => customer.as_ref().is_some_and(|c| raw.members.get(&g).is_some_and(|m| m.contains(c))),
        };
        let in_tps = f.touchpoints.as_ref().is_none_or(|t| t.contains(tp));
        if !in_segment || !in_tps || *day < f.from || *day > f.to {
            continue;
        }
        for (scale, t) in tallies {
            if *scale == f.scale {
                out.entry((*day, *tp)).or_default().add(t);
            }
        }
    }
    out
}

fn expected_behaviour(raw: &Raw, from: NaiveDate, to: NaiveDate, f: &CustomerFilter) -> BehaviourCounts {
    let in_window = |d: &NaiveDate| *d >= from && *d <= to;
    // customer → (day, kind, touchpoint)
    type Seen<'a> = Vec<(&'a NaiveDate, &'a str, Option<Id>)>;
    let mut by_customer: BTreeMap<&str, Seen<'_>> = BTreeMap::new();
    for (c, day, kind, tp) in &raw.activity {
        by_customer.entry(c).or_default().push((day, kind, *tp));
    }
    let mut out = BehaviourCounts::default();
    for (c, acts) in by_customer {
        if f.segment.is_some_and(|g| !raw.members.get(&g).is_some_and(|m| m.contains(c))) {
            continue;
        }
        if let Some(tps) = &f.touchpoints {
            if !acts.iter().any(|(d, _, tp)| in_window(d) && tp.is_some_and(|t| tps.contains(&t))) {
                continue;
            }
        }
        let count = |k: &str| acts.iter().filter(|(d, kind, _)| in_window(d) && *kind == k).count();
        let purchases = count("purchase");
        let by_end = acts.iter().filter(|(d, kind, _)| **d <= to && *kind == "purchase").count();
        out.purchasers += (purchases >= 1) as i64;
        out.repeat_purchasers += (purchases >= 1 && by_end >= 2) as i64;
        let active = acts.iter().any(|(d, _, _)| in_window(d));
        out.active += active as i64;
        out.referrers += (count("referral") >= 1) as i64;
        let defects = |k: &str| k == "cancellation" || k == "non_renewal";
        let before = acts.iter().any(|(d, _, _)| **d < from);
        let left_before = acts.iter().any(|(d, k, _)| **d < from && defects(k));
        if before && !left_before {
            out.active_at_start += 1;
            out.churned += acts.iter().any(|(d, k, _)| in_window(d) && defects(k)) as i64;
        }
    }
    out
}

/// Compares rollups with the recomputation on random filters.
/// Tallies added up by key, empty ones left out.
fn summed<K: Ord>(rows: impl IntoIterator<Item = (K, Tally)>) -> BTreeMap<K, Tally> {
    let mut out: BTreeMap<K, Tally> = BTreeMap::new();
    for (k, t) in rows {
        out.entry(k).or_default().add(&t);
    }
    out.retain(|_, t| !t.is_empty());
    out
}

async fn check(s: &dyn Store, rng: &mut StdRng, w: &World, when: &str) {
    let raw = raw(s, w.org).await;
    let segments: Vec<Option<Id>> =
        std::iter::once(None).chain(s.list_segments(w.org).await.unwrap().into_iter().map(|g| Some(g.id))).collect();
    let day0 = start().date_naive();
    for round in 0..40 {
        let from = day0 + Duration::days(rng.gen_range(-5..50));
        let to = from + Duration::days(rng.gen_range(0..40));
        let segment = segments[round % segments.len()];
        let touchpoints = rng.gen_bool(0.5).then(|| vec![w.touchpoints[rng.gen_range(0..w.touchpoints.len())]]);
        for scale in Scale::ALL {
            let f = ScoreFilter { scale, segment, touchpoints: touchpoints.clone(), from, to };
            let got: BTreeMap<(NaiveDate, Id), Tally> = s
                .score_rows(w.org, &f)
                .await
                .unwrap()
                .into_iter()
                .filter(|r| !r.tally.is_empty())
                .map(|r| ((r.day, r.touchpoint_id), r.tally))
                .collect();
            assert_eq!(got, expected_scores(&raw, &f), "{when}: scores for {f:?}");
            let days = summed(s.score_days(w.org, &f).await.unwrap());
            assert_eq!(days, summed(got.iter().map(|((d, _), t)| (*d, *t))), "{when}: per day for {f:?}");
            let tps = summed(s.score_touchpoints(w.org, &f).await.unwrap());
            assert_eq!(tps, summed(got.iter().map(|((_, tp), t)| (*tp, *t))), "{when}: per touchpoint for {f:?}");
        }
        let cf = CustomerFilter { segment, touchpoints };
        let got = s.behaviour_counts(w.org, from, to, &cf).await.unwrap();
        assert_eq!(got, expected_behaviour(&raw, from, to, &cf), "{when}: behaviour {from}..{to} {cf:?}");
        // Everyone: read from the behaviour rollups, never from activity.
        let everyone = CustomerFilter::default();
        let got = s.behaviour_counts(w.org, from, to, &everyone).await.unwrap();
        assert_eq!(got, expected_behaviour(&raw, from, to, &everyone), "{when}: behaviour {from}..{to} of everyone");
        // A series: every window summed by one statement.
        let windows: Vec<(NaiveDate, NaiveDate)> = (0..rng.gen_range(2..9))
            .map(|i| (from + Duration::days(7 * i), from + Duration::days(7 * i + 6)))
            .collect();
        let cf = CustomerFilter { segment, touchpoints: None };
        let series = s.behaviour_windows(w.org, &windows, &cf, i64::MAX).await.unwrap();
        assert_eq!(series.counts.len(), windows.len());
        for ((a, b), got) in windows.iter().zip(&series.counts) {
            assert_eq!(*got, expected_behaviour(&raw, *a, *b, &cf), "{when}: series window {a}..{b} {cf:?}");
        }
    }
    check_items(s, rng, w, when).await;
    check_counts(s, w.org, &raw, when).await;
    check_event_hours(s, w.org, when).await;
}

/// The staffing rollup (events per touchpoint and UTC hour) equals the
/// events, recounted.
pub async fn check_event_hours(s: &dyn Store, org: Id, when: &str) {
    let all = FeedbackFilter { limit: 1_000_000, ..Default::default() };
    let mut want: BTreeMap<(Id, DateTime<Utc>), i64> = BTreeMap::new();
    for e in s.list_events(org, &all).await.unwrap().items {
        if let Some(tp) = e.touchpoint_id {
            let hour = e.at.duration_trunc(Duration::hours(1)).unwrap();
            *want.entry((tp, hour)).or_default() += 1;
        }
    }
    let (from, to) =
        (Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap(), Utc.with_ymd_and_hms(3000, 1, 1, 0, 0, 0).unwrap());
    let got: BTreeMap<(Id, DateTime<Utc>), i64> = s
        .event_hours(org, None, from, to)
        .await
        .unwrap()
        .into_iter()
        .map(|h| ((h.touchpoint_id, h.hour_start), h.n))
        .collect();
    assert_eq!(got, want, "{when}: events per touchpoint and hour");
}

/// Each survey's item rollup equals the items of its responses, recounted.
async fn check_items(s: &dyn Store, rng: &mut StdRng, w: &World, when: &str) {
    let all = FeedbackFilter { limit: 1_000_000, ..Default::default() };
    let responses = s.list_responses(w.org, &all).await.unwrap().items;
    let day0 = start().date_naive();
    for survey in s.list_surveys(w.org).await.unwrap() {
        let from = day0 + Duration::days(rng.gen_range(-5..30));
        let to = from + Duration::days(rng.gen_range(1..60));
        let mut want: BTreeMap<(NaiveDate, String), ItemTally> = BTreeMap::new();
        for r in responses.iter().filter(|r| r.survey_id == Some(survey.id)) {
            let day = r.at.date_naive();
            if day >= from && day < to {
                for (item, v) in item_values(&survey.questions, &r.answers) {
                    want.entry((day, item)).or_default().add(&ItemTally::of(v));
                }
            }
        }
        let got: BTreeMap<(NaiveDate, String), ItemTally> = s
            .item_days(w.org, survey.id, from, to)
            .await
            .unwrap()
            .into_iter()
            .map(|d| ((d.day, d.item), d.tally))
            .collect();
        assert_eq!(got.keys().collect::<Vec<_>>(), want.keys().collect::<Vec<_>>(), "{when}: items of {}", survey.id);
        for (k, g) in &got {
            let e = &want[k];
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
            assert!(g.n == e.n && close(g.sum, e.sum) && close(g.sum_sq, e.sum_sq), "{when}: {k:?}: {g:?} vs {e:?}");
        }
    }
}

/// The kept counts of each segment's members and each survey's responses
/// equal a count of the rows.
async fn check_counts(s: &dyn Store, org: Id, raw: &Raw, when: &str) {
    let sizes = s.segment_sizes(org).await.unwrap();
    let members: BTreeMap<Id, i64> =
        raw.members.iter().filter(|(_, m)| !m.is_empty()).map(|(g, m)| (*g, m.len() as i64)).collect();
    assert_eq!(sizes, members, "{when}: segment sizes");
    let all = FeedbackFilter { limit: 1_000_000, ..Default::default() };
    let mut by_survey: BTreeMap<Id, i64> = BTreeMap::new();
    for r in s.list_responses(org, &all).await.unwrap().items {
        if let Some(id) = r.survey_id {
            *by_survey.entry(id).or_default() += 1;
        }
    }
    for survey in s.list_surveys(org).await.unwrap() {
        let f = FeedbackFilter { survey: Some(survey.id), limit: 1, ..Default::default() };
        let total = s.list_responses(org, &f).await.unwrap().total;
        assert_eq!(total, by_survey.get(&survey.id).copied().unwrap_or(0), "{when}: responses of survey {}", survey.id);
    }
}

/// Everything the rollups hold, for comparing before and after a rebuild.
async fn all_rows(
    s: &dyn Store,
    org: Id,
    segments: &[Option<Id>],
) -> Vec<(Scale, Option<Id>, rapport_store::ScoreRow)> {
    let (from, to) = (NaiveDate::from_ymd_opt(1900, 1, 1).unwrap(), NaiveDate::from_ymd_opt(2100, 1, 1).unwrap());
    let mut out = Vec::new();
    for scale in Scale::ALL {
        for segment in segments {
            let f = ScoreFilter { scale, segment: *segment, touchpoints: None, from, to };
            for r in s.score_rows(org, &f).await.unwrap() {
                if !r.tally.is_empty() {
                    out.push((scale, *segment, r));
                }
            }
        }
    }
    out
}

pub async fn rollups_equal_raw_recomputation(s: &dyn Store) {
    for seed in [1u64, 2, 3] {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut w = world(s, &mut rng, &format!("rollups-{seed}")).await;
        send(s, &mut rng, &mut w, 250, 150).await;
        check(s, &mut rng, &w, "after ingestion").await;

        say("customers change plans; one changes by itself");
        let mut moved: Vec<CustomerUpsert> = w.customers.iter().take(15).cloned().collect();
        for c in &mut moved {
            c.attributes = attributes(&mut rng);
        }
        s.upsert_customers(w.org, &moved).await.unwrap();
        let mut one = w.customers[20].clone();
        one.attributes.insert("plan".into(), json!("team"));
        s.upsert_customer(w.org, &one).await.unwrap();
        check(s, &mut rng, &w, "after attribute changes").await;

        say("a segment is added, one is redefined, one is deleted");
        let us = s.create_segment(w.org, &segment("US", "region", &["us"])).await.unwrap().id;
        s.update_segment(w.org, w.segments[0], &segment("Pro", "plan", &["pro"])).await.unwrap();
        s.delete_segment(w.org, w.segments[1], &by("segment.delete")).await.unwrap();
        send(s, &mut rng, &mut w, 60, 40).await;
        check(s, &mut rng, &w, "after segment changes").await;

        say("a customer is erased");
        s.erase_customer(w.org, "c3", "test").await.unwrap();
        check(s, &mut rng, &w, "after erasure").await;

        say("a rebuild changes nothing");
        let segments = [None, Some(w.segments[0]), Some(us)];
        let before = all_rows(s, w.org, &segments).await;
        assert!(!before.is_empty());
        let customers_before = s.customer_count(w.org).await.unwrap();
        let rebuilt = s.rebuild_rollups(w.org).await.unwrap();
        assert_eq!(s.customer_count(w.org).await.unwrap(), customers_before, "the kept count survives a rebuild");
        assert!(rebuilt.responses > 0 && rebuilt.events > 0, "{rebuilt:?}");
        let after = all_rows(s, w.org, &segments).await;
        let missing: Vec<_> = before.iter().filter(|r| !after.contains(r)).take(5).collect();
        let extra: Vec<_> = after.iter().filter(|r| !before.contains(r)).take(5).collect();
        assert!(missing.is_empty() && extra.is_empty(), "rebuild: lost {missing:?}, gained {extra:?}");
        check(s, &mut rng, &w, "after rebuild").await;
    }
}

/// The statements of a migration that fill the behaviour rollups from
/// `activity` (what an existing installation gets when it upgrades).
pub fn backfill_statements(migration: &str) -> Vec<String> {
    let code: String = migration.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n");
    code.split(';').map(str::trim).filter(|s| s.starts_with("INSERT INTO behaviour")).map(str::to_string).collect()
}

/// The statements of migration 0012 that fill the activity histories and
/// the kept survey and segment counts from existing rows.
pub fn histories_backfill_statements(migration: &str) -> Vec<String> {
    let code: String = migration.lines().filter(|l| !l.trim_start().starts_with("--")).collect::<Vec<_>>().join("\n");
    let fills = |s: &&str| s.starts_with("INSERT INTO activity_histories") || s.starts_with("INSERT INTO row_counts");
    code.split(';').map(str::trim).filter(fills).map(str::to_string).collect()
}

/// What the refill of [`behaviour_backfill_equals_the_writes`] empties
/// before running the backfills.
pub const BACKFILLED: [&str; 6] = [
    "DELETE FROM behaviour_days",
    "DELETE FROM behaviour_spans",
    "DELETE FROM behaviour_totals",
    "DELETE FROM activity_histories",
    "DELETE FROM row_counts WHERE kind LIKE 'survey:%' OR kind LIKE 'segment:%'",
    "DELETE FROM customer_terms",
];

/// The migration's backfill of the behaviour rollups gives the rows the
/// writes keep. `refill` empties both tables and runs the backfill.
pub async fn behaviour_backfill_equals_the_writes<F, Fut>(s: &dyn Store, refill: F)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut rng = StdRng::seed_from_u64(7);
    let mut w = world(s, &mut rng, "backfill").await;
    send(s, &mut rng, &mut w, 200, 200).await;
    s.erase_customer(w.org, "c3", "test").await.unwrap();
    let day0 = start().date_naive();
    let windows: Vec<(NaiveDate, NaiveDate)> = (0..30)
        .map(|_| {
            let from = day0 + Duration::days(rng.gen_range(-5..50));
            (from, from + Duration::days(rng.gen_range(0..40)))
        })
        .collect();
    let filters: Vec<CustomerFilter> = std::iter::once(None)
        .chain(w.segments.iter().map(|g| Some(*g)))
        .flat_map(|segment| {
            // Without touchpoints from the rollups, with them from the
            // activity histories.
            [None, Some(w.touchpoints[..2].to_vec())].map(|touchpoints| CustomerFilter { segment, touchpoints })
        })
        .collect();
    let mut kept = Vec::new();
    for f in &filters {
        for (from, to) in &windows {
            kept.push(s.behaviour_counts(w.org, *from, *to, f).await.unwrap());
        }
    }
    assert!(kept.iter().any(|c| c.purchasers > 0 && c.churned > 0), "the data exercises the rates: {kept:?}");
    let search = CustomerList { text: Some("C13".into()), ..Default::default() };
    let found = s.page_customers(w.org, &search).await.unwrap();
    assert!(!found.is_empty());
    refill().await;
    // Customers from before the search index are found by a scan until a
    // rebuild indexes them.
    assert_eq!(s.page_customers(w.org, &search).await.unwrap(), found, "search before the rebuild");
    let mut before = kept.into_iter();
    for f in &filters {
        for (from, to) in &windows {
            let after = s.behaviour_counts(w.org, *from, *to, f).await.unwrap();
            assert_eq!(Some(after), before.next(), "backfill vs writes over {from}..{to} for {f:?}");
        }
    }
    check_counts(s, w.org, &raw(s, w.org).await, "after the backfill").await;
    s.rebuild_rollups(w.org).await.unwrap();
    assert_eq!(s.page_customers(w.org, &search).await.unwrap(), found, "search after the rebuild");
}

/// Journey analytics read a bounded, stable sample of customers, each with
/// all their activity in the window.
pub async fn activity_samples(s: &dyn Store) {
    let mut rng = StdRng::seed_from_u64(11);
    let mut w = world(s, &mut rng, "samples").await;
    send(s, &mut rng, &mut w, 150, 150).await;
    let (from, to) = (start().date_naive(), start().date_naive() + Duration::days(60));
    for segment in [None, Some(w.segments[0])] {
        let all = s.activity(w.org, from, to, segment, 100_000).await.unwrap();
        assert!(!all.is_sample() && all.sampled == all.population && all.population > 10, "{segment:?}: {all:?}");
        let few = s.activity(w.org, from, to, segment, 10).await.unwrap();
        assert!(few.is_sample(), "{segment:?}");
        assert_eq!(few.population, all.population);
        assert!(few.sampled >= 1 && few.sampled <= 10, "{segment:?}: {}", few.sampled);
        let picked: BTreeSet<Id> = few.rows.iter().map(|r| r.customer_id).collect();
        assert!(picked.len() as i64 <= few.sampled, "{segment:?}");
        let theirs: Vec<_> = all.rows.iter().filter(|r| picked.contains(&r.customer_id)).cloned().collect();
        assert_eq!(few.rows, theirs, "{segment:?}: a sampled customer's whole activity");
        assert_eq!(s.activity(w.org, from, to, segment, 10).await.unwrap(), few, "{segment:?}: the same sample");
    }
}

/// Behaviour rates filtered by touchpoints, for a series of windows: one
/// read whatever the number of windows, exact while the customers are at
/// most the sample, else a stable sample that says so.
pub async fn behaviour_samples(s: &dyn Store) {
    let mut rng = StdRng::seed_from_u64(13);
    let mut w = world(s, &mut rng, "behaviour-samples").await;
    send(s, &mut rng, &mut w, 200, 300).await;
    let day0 = start().date_naive();
    let windows: Vec<(NaiveDate, NaiveDate)> =
        (0..4).map(|i| (day0 + Duration::days(15 * i), day0 + Duration::days(15 * i + 14))).collect();
    for segment in [None, Some(w.segments[0])] {
        let f = CustomerFilter { segment, touchpoints: Some(w.touchpoints[..2].to_vec()) };
        let exact = s.behaviour_windows(w.org, &windows, &f, 100_000).await.unwrap();
        assert_eq!(exact.sample, None, "{f:?}");
        for ((from, to), got) in windows.iter().zip(&exact.counts) {
            assert_eq!(*got, s.behaviour_counts(w.org, *from, *to, &f).await.unwrap(), "{from}..{to} {f:?}");
        }
        assert!(exact.counts.iter().any(|c| c.active > 0), "the data exercises the filter: {exact:?}");
        let few = s.behaviour_windows(w.org, &windows, &f, 5).await.unwrap();
        let (read, population) = few.sample.expect("a sample says so");
        assert!((1..=5).contains(&read) && population > 5, "{read} of {population}");
        for (small, all) in few.counts.iter().zip(&exact.counts) {
            assert!(small.active <= all.active && small.purchasers <= all.purchasers, "{small:?} within {all:?}");
            assert!(small.active <= read, "{small:?}: at most the customers read");
        }
        assert_eq!(s.behaviour_windows(w.org, &windows, &f, 5).await.unwrap(), few, "the same sample");
    }
}
