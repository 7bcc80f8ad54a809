//! A7. A perfect behaviour's figures: its rate per month or quarter and
//! over a recent window, read from the counts kept at write time (the
//! store's `behaviour_counts`; never events per customer).

use crate::error::AppError;
use chrono::{Duration, NaiveDate};
use rapport_core::measure::{bucket_end, buckets, proportion, Interval};
use rapport_core::plan::perfect_behaviour::state::Counts;
use rapport_core::Id;
use rapport_store::Store;
use serde::Serialize;

/// The days the "current" rate looks back over, today included.
pub const CURRENT_DAYS: i64 = 90;

/// One bucket of a behaviour's series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct BehaviourPoint {
    /// First day of the bucket (or of the range, for the first).
    pub start: NaiveDate,
    /// Last day counted (the range's end, for the last).
    pub end: NaiveDate,
    /// Customers eligible in the bucket.
    pub eligible: i64,
    /// Customers who showed the behaviour in the bucket.
    pub shown: i64,
    /// shown ÷ eligible in %; null with nobody eligible.
    pub rate: Option<f64>,
}

impl BehaviourPoint {
    fn new((start, end): (NaiveDate, NaiveDate), c: Counts) -> Self {
        BehaviourPoint { start, end, eligible: c.eligible, shown: c.shown, rate: c.rate() }
    }
}

/// The windows of `[from, to]` cut by `interval`, clipped to the range.
pub fn windows(from: NaiveDate, to: NaiveDate, interval: Interval) -> Vec<(NaiveDate, NaiveDate)> {
    buckets(from, to, interval).into_iter().map(|s| (s.max(from), bucket_end(s, interval, to))).collect()
}

/// The behaviour's series over `[from, to]`.
pub async fn series(
    store: &dyn Store,
    org: Id,
    id: Id,
    from: NaiveDate,
    to: NaiveDate,
    interval: Interval,
) -> Result<Vec<BehaviourPoint>, AppError> {
    let w = windows(from, to, interval);
    let counts = store.perfect_behaviour_counts(org, id, &w).await?;
    Ok(w.into_iter().zip(counts).map(|(w, c)| BehaviourPoint::new(w, c)).collect())
}

/// The last `days` days ending `today`.
pub fn recent(today: NaiveDate, days: i64) -> (NaiveDate, NaiveDate) {
    (today - Duration::days(days - 1), today)
}

/// The behaviour's figures over one window.
pub async fn over(
    store: &dyn Store,
    org: Id,
    id: Id,
    window: (NaiveDate, NaiveDate),
) -> Result<BehaviourPoint, AppError> {
    let counts = store.perfect_behaviour_counts(org, id, &[window]).await?;
    Ok(BehaviourPoint::new(window, counts.first().copied().unwrap_or_default()))
}

/// The metric `perfect_behaviour` as a series of estimates (the rate with
/// its interval): the query's behaviour, per bucket. A query naming no
/// behaviour, or one deleted since, measures nothing.
pub async fn metric_series(store: &dyn Store, org: Id, q: &super::MetricQuery) -> Result<Vec<super::Point>, AppError> {
    let starts = buckets(q.from, q.to, q.interval);
    let w: Vec<(NaiveDate, NaiveDate)> =
        starts.iter().map(|s| ((*s).max(q.from), bucket_end(*s, q.interval, q.to))).collect();
    let counts = match q.behaviour {
        None => vec![Counts::default(); w.len()],
        Some(id) => match store.perfect_behaviour_counts(org, id, &w).await {
            Ok(c) => c,
            Err(rapport_store::StoreError::NotFound) => vec![Counts::default(); w.len()],
            Err(e) => return Err(e.into()),
        },
    };
    Ok(starts
        .into_iter()
        .zip(counts)
        .map(|(start, c)| super::Point::new(start, proportion(c.shown, c.eligible)))
        .collect())
}
