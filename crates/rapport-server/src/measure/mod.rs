//! The measurement service: turns a question ("NPS of this experience, for
//! this segment, by month over the last year") into numbers, reading only the
//! rollups (never the raw responses) and computing with `rapport-core`'s
//! measurement engine. The API, the dashboard and the intent monitor all ask
//! here, so they always agree.

pub mod monitor;
pub mod perfect_behaviour;
pub mod survey_results;

use crate::error::AppError;
use chrono::NaiveDate;
use rapport_core::measure::{self, Estimate, Interval, Scale, Tally};
use rapport_core::metric::Metric;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::{CustomerFilter, ScoreFilter, Store};
use serde::Serialize;
use std::collections::BTreeMap;

/// What to measure. Ids are checked against the organization by [`scope`].
#[derive(Debug, Clone, PartialEq)]
pub struct MetricQuery {
    pub metric: Metric,
    pub experience: Option<Id>,
    pub touchpoint: Option<Id>,
    pub segment: Option<Id>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub interval: Interval,
    /// The perfect behaviour measured, with the metric `perfect_behaviour`
    /// (its rate is the whole organization's: scope and segment do not
    /// narrow it).
    pub behaviour: Option<Id>,
}

/// One bucket of a series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Point {
    /// First day of the bucket (UTC; weeks start on Monday).
    pub start: NaiveDate,
    /// NPS points, a percentage for rates, a mean for CES and rating;
    /// `null` without data.
    pub value: Option<f64>,
    pub n: i64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// At least `MIN_SAMPLE` answers or customers behind the value.
    pub sufficient: bool,
}

impl Point {
    fn new(start: NaiveDate, e: Estimate) -> Point {
        Point { start, value: e.value, n: e.n, ci_low: e.ci_low, ci_high: e.ci_high, sufficient: e.sufficient }
    }
}

/// The scale a survey metric is tallied on; `None` for behaviour rates.
pub fn scale_of(metric: Metric) -> Option<Scale> {
    Scale::of_metric(metric)
}

/// The touchpoints the query covers (`None`: all), after checking that every
/// id belongs to the organization (an unknown or foreign id is a 422 naming
/// the field).
pub async fn scope(store: &dyn Store, org: Id, q: &MetricQuery) -> Result<Option<Vec<Id>>, AppError> {
    let mut e = FieldErrors::new();
    let mut touchpoints: Option<Vec<Id>> = None;
    if let Some(id) = q.experience {
        match store.get_experience(org, id).await {
            Ok(x) => touchpoints = Some(x.touchpoint_ids()),
            Err(rapport_store::StoreError::NotFound) => e.add("experience", "unknown", "no such experience"),
            Err(err) => return Err(err.into()),
        }
    }
    if let Some(id) = q.touchpoint {
        match store.get_touchpoint(org, id).await {
            Ok(_) => touchpoints = Some(touchpoints.map_or(vec![id], |t| t.into_iter().filter(|x| *x == id).collect())),
            Err(rapport_store::StoreError::NotFound) => e.add("touchpoint", "unknown", "no such touchpoint"),
            Err(err) => return Err(err.into()),
        }
    }
    if let Some(id) = q.segment {
        match store.get_segment(org, id).await {
            Ok(_) => {}
            Err(rapport_store::StoreError::NotFound) => e.add("segment", "unknown", "no such segment"),
            Err(err) => return Err(err.into()),
        }
    }
    if let Some(id) = q.behaviour {
        match store.behaviour(org, id).await {
            Ok(_) => {}
            Err(rapport_store::StoreError::NotFound) => e.add("behaviour", "unknown", "no such perfect behaviour"),
            Err(err) => return Err(err.into()),
        }
    }
    e.into_result(touchpoints).map_err(AppError::Invalid)
}

/// Per-day tallies of a survey metric, all covered touchpoints merged.
pub async fn day_tallies(
    store: &dyn Store,
    org: Id,
    scale: Scale,
    q: &MetricQuery,
    touchpoints: Option<Vec<Id>>,
) -> Result<Vec<(NaiveDate, Tally)>, AppError> {
    let f = ScoreFilter { scale, segment: q.segment, touchpoints, from: q.from, to: q.to };
    Ok(store.score_days(org, &f).await?)
}

/// A survey metric over the whole of `from..=to` for each covered
/// touchpoint with answers (`None` for a behaviour rate, which is not kept
/// per touchpoint), by touchpoint id. One query whatever the number of
/// touchpoints: the dashboard's touchpoint tables.
pub async fn by_touchpoint(
    store: &dyn Store,
    org: Id,
    q: &MetricQuery,
    touchpoints: Option<Vec<Id>>,
) -> Result<Option<BTreeMap<Id, Point>>, AppError> {
    let Some(scale) = scale_of(q.metric) else { return Ok(None) };
    let f = ScoreFilter { scale, segment: q.segment, touchpoints, from: q.from, to: q.to };
    let rows = store.score_touchpoints(org, &f).await?;
    Ok(Some(
        rows.into_iter()
            .filter(|(_, t)| !t.is_empty())
            .map(|(id, t)| (id, Point::new(q.from, measure::estimate(q.metric, &t))))
            .collect(),
    ))
}

/// The most customers whose activity a behaviour rate of an experience or
/// a touchpoint reads: beyond it, a deterministic sample of about this many
/// of the segment's customers (the rate is then an estimate, and `n` counts
/// the sample). Without touchpoints the rates are exact, from the rollups.
pub const BEHAVIOUR_SAMPLE: i64 = 20_000;

/// The metric per bucket from `from` to `to`.
pub async fn series(store: &dyn Store, org: Id, q: &MetricQuery) -> Result<Vec<Point>, AppError> {
    let touchpoints = scope(store, org, q).await?;
    series_in_scope(store, org, q, touchpoints).await
}

/// As [`series`], with the scope already checked.
pub async fn series_in_scope(
    store: &dyn Store,
    org: Id,
    q: &MetricQuery,
    touchpoints: Option<Vec<Id>>,
) -> Result<Vec<Point>, AppError> {
    series_with(&mut BehaviourMemo::default(), store, org, q, touchpoints).await
}

/// Behaviour counts already read, by what they were read for: one read
/// gives every behaviour rate (purchasers, referrers and churn alike), so
/// a page showing several rates over the same windows reads them once.
#[derive(Default)]
pub struct BehaviourMemo(Vec<(BehaviourRead, rapport_store::BehaviourSeries)>);

/// What behaviour counts were read for: the windows and the customers.
type BehaviourRead = (Vec<(NaiveDate, NaiveDate)>, CustomerFilter);

/// As [`series_in_scope`], reusing (and keeping) behaviour counts in `memo`.
pub async fn series_with(
    memo: &mut BehaviourMemo,
    store: &dyn Store,
    org: Id,
    q: &MetricQuery,
    touchpoints: Option<Vec<Id>>,
) -> Result<Vec<Point>, AppError> {
    if let Some(scale) = scale_of(q.metric) {
        let days = day_tallies(store, org, scale, q, touchpoints).await?;
        let buckets = measure::bucket_tallies(&days, q.from, q.to, q.interval);
        return Ok(buckets.into_iter().map(|(start, t)| Point::new(start, measure::estimate(q.metric, &t))).collect());
    }
    if q.metric == Metric::PerfectBehaviour {
        return perfect_behaviour::metric_series(store, org, q).await;
    }
    let customers = CustomerFilter { segment: q.segment, touchpoints };
    let starts = measure::buckets(q.from, q.to, q.interval);
    let windows: Vec<(NaiveDate, NaiveDate)> =
        starts.iter().map(|s| ((*s).max(q.from), measure::bucket_end(*s, q.interval, q.to))).collect();
    let key = (windows, customers);
    let series = match memo.0.iter().find(|(k, _)| *k == key) {
        Some((_, kept)) => kept.clone(),
        None => {
            let read = store.behaviour_windows(org, &key.0, &key.1, BEHAVIOUR_SAMPLE).await?;
            memo.0.push((key, read.clone()));
            read
        }
    };
    Ok(starts
        .into_iter()
        .zip(series.counts)
        .map(|(start, c)| {
            let (hits, n) = match q.metric {
                Metric::RepeatPurchaseRate => (c.repeat_purchasers, c.purchasers),
                Metric::ReferralRate => (c.referrers, c.active),
                _ => (c.churned, c.active_at_start),
            };
            Point::new(start, measure::proportion(hits, n))
        })
        .collect())
}

/// The change between the last two buckets with data, with its test.
pub async fn last_change(
    store: &dyn Store,
    org: Id,
    q: &MetricQuery,
    touchpoints: Option<Vec<Id>>,
    series: &[Point],
) -> Result<Option<(NaiveDate, NaiveDate, measure::Change)>, AppError> {
    let with_data: Vec<&Point> = series.iter().filter(|p| p.n > 0).collect();
    let [.., before, after] = with_data[..] else { return Ok(None) };
    let (b_end, a_end) =
        (measure::bucket_end(before.start, q.interval, q.to), measure::bucket_end(after.start, q.interval, q.to));
    let window = |from: NaiveDate, to: NaiveDate| MetricQuery { from, to, interval: Interval::All, ..q.clone() };
    let change = if let Some(scale) = scale_of(q.metric) {
        let sum = |days: Vec<(NaiveDate, Tally)>| days.into_iter().map(|d| d.1).sum::<Tally>();
        let b =
            sum(day_tallies(store, org, scale, &window(before.start.max(q.from), b_end), touchpoints.clone()).await?);
        let a = sum(day_tallies(store, org, scale, &window(after.start, a_end), touchpoints).await?);
        measure::compare(q.metric, &b, &a)
    } else {
        // Rates: the points carry hits implicitly; recompute from value and n.
        let hits = |p: &Point| (p.value.unwrap_or(0.0) / 100.0 * p.n as f64).round() as i64;
        measure::compare_proportions(hits(before), before.n, hits(after), after.n)
    };
    Ok(change.map(|c| (before.start, after.start, c)))
}

/// The change of `q`'s metric over its whole window (`from..=to`) from the
/// period of the same length just before it, with its test
/// ([`measure::previous_period`], [`measure::compare`]): the dashboard's
/// period-over-period change. Survey metrics compare the two windows'
/// tallies; behaviour rates their proportions.
pub async fn period_change(
    memo: &mut BehaviourMemo,
    store: &dyn Store,
    org: Id,
    q: &MetricQuery,
    current: &Point,
) -> Result<Option<measure::Change>, AppError> {
    let (from, to) = measure::previous_period(q.from, q.to);
    let before_q = MetricQuery { from, to, interval: Interval::All, ..q.clone() };
    if let Some(scale) = scale_of(q.metric) {
        let now_q = MetricQuery { interval: Interval::All, ..q.clone() };
        let sum = |days: Vec<(NaiveDate, Tally)>| days.into_iter().map(|d| d.1).sum::<Tally>();
        let before = sum(day_tallies(store, org, scale, &before_q, None).await?);
        let after = sum(day_tallies(store, org, scale, &now_q, None).await?);
        return Ok(measure::compare(q.metric, &before, &after));
    }
    let Some(before) = series_with(memo, store, org, &before_q, None).await?.into_iter().next() else {
        return Ok(None);
    };
    // Rates: hits from the value and n, as `last_change` does.
    let hits = |p: &Point| (p.value.unwrap_or(0.0) / 100.0 * p.n as f64).round() as i64;
    Ok(measure::compare_proportions(hits(&before), before.n, hits(current), current.n))
}
