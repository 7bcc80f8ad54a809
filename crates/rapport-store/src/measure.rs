//! What the measurement engine reads from storage: rows of the per-day
//! rollups, behaviour counts and customers' daily activity. The rollups are
//! kept by the writes themselves (ingestion, customer upserts, segment
//! changes, erasure) in the same transaction; `Store::rebuild_rollups`
//! recomputes them from the raw rows.

use crate::error::Result;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::intent::Status;
use rapport_core::measure::{Scale, Tally};
use rapport_core::Id;
use serde::Serialize;

/// Which rollup rows to read: one scale, one segment (`None`: every
/// customer), some touchpoints (`None`: all), days `from..=to` (UTC).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreFilter {
    pub scale: Scale,
    pub segment: Option<Id>,
    pub touchpoints: Option<Vec<Id>>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// One day's tally at one touchpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoreRow {
    pub day: NaiveDate,
    pub touchpoint_id: Id,
    pub tally: Tally,
}

/// Whose behaviour counts: the members of a segment (`None`: everyone) who,
/// when `touchpoints` is given, had one of them within the window.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomerFilter {
    pub segment: Option<Id>,
    pub touchpoints: Option<Vec<Id>>,
}

/// Counts behind the behaviour rates over a window `from..=to`, each
/// customer counted once (C1):
/// - repeat-purchase rate = `repeat_purchasers / purchasers`: of the
///   customers who bought in the window, those who had bought at least twice
///   by its end. The look-back is the customer's whole history, so the rate
///   does not depend on how the days are bucketed: a customer who bought in
///   January and again in March is a repeat purchaser in March's month;
/// - referral rate = `referrers / active`: of the customers with any activity
///   (event or response) in the window, those who referred someone in it;
/// - churn rate = `churned / active_at_start`: of the customers active
///   before the window who had not cancelled or declined to renew before it,
///   those who cancelled or did not renew within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct BehaviourCounts {
    /// Customers with at least one purchase in the window.
    pub purchasers: i64,
    /// ... of whom had purchased at least twice by its end (earlier
    /// purchases count, however long ago).
    pub repeat_purchasers: i64,
    /// Customers with any activity (event or response) in the window.
    pub active: i64,
    /// ... of whom referred someone in it.
    pub referrers: i64,
    /// Customers active before the window who had not cancelled or
    /// declined to renew before it.
    pub active_at_start: i64,
    /// ... of whom cancelled or did not renew within it.
    pub churned: i64,
}

impl From<rapport_core::measure::behaviour::WindowCounts> for BehaviourCounts {
    fn from(w: rapport_core::measure::behaviour::WindowCounts) -> Self {
        BehaviourCounts {
            purchasers: w.purchasers,
            repeat_purchasers: w.repeat_purchasers,
            active: w.active,
            referrers: w.referrers,
            active_at_start: w.active_at_start,
            churned: w.churned,
        }
    }
}

/// Behaviour counts per window (see `Measure::behaviour_windows`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BehaviourSeries {
    pub counts: Vec<BehaviourCounts>,
    /// `(customers read, customers they were drawn from)` when the counts
    /// come from a sample; `None` when they are exact.
    pub sample: Option<(i64, i64)>,
}

/// Activity of the customers of a sample (see `Measure::activity`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActivitySample {
    pub rows: Vec<ActivityRow>,
    /// Customers the sample was drawn from (the segment's or everyone).
    pub population: i64,
    /// Customers in the sample: `population` when everyone was read.
    pub sampled: i64,
}

impl ActivitySample {
    pub fn is_sample(&self) -> bool {
        self.sampled < self.population
    }
}

/// What one customer did on one day: an event kind or `response`, at a
/// touchpoint or none, `n` times.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRow {
    pub customer_id: Id,
    pub day: NaiveDate,
    pub kind: String,
    pub touchpoint_id: Option<Id>,
    pub n: i64,
}

/// A survey's numeric item (a score, a matrix row, a slider, a number:
/// `rapport_core::survey::scored_items`) on one day.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemDay {
    pub day: NaiveDate,
    /// The item's key: a question key, or `key.row` for a matrix row.
    pub item: String,
    pub tally: rapport_core::measure::items::ItemTally,
}

/// What a rebuild went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Rebuilt {
    pub responses: u64,
    pub events: u64,
    pub customers: u64,
}

/// The activity kind of a response.
pub const RESPONSE_KIND: &str = "response";

/// An intent criterion's evaluated status at a moment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntentStatus {
    /// The recorded row (0 before it is recorded).
    pub id: Id,
    pub version_id: Id,
    /// Index of the criterion within its version, from 0.
    pub criterion: i64,
    pub status: Status,
    /// The measured value (`None`: not enough data, which counts as missed
    /// only when there was data before; see the server's monitor).
    pub value: Option<f64>,
    pub n: i64,
    pub at: DateTime<Utc>,
}

/// Measurement: rollups are kept by the writes, in their transaction; these read them (C1-C4, C9).
#[async_trait]
pub trait Measure: Send + Sync {
    /// Rollup rows matching the filter, by day then touchpoint.
    async fn score_rows(&self, org: Id, filter: &ScoreFilter) -> Result<Vec<ScoreRow>>;

    /// The filter's tallies per day, touchpoints summed, by day.
    async fn score_days(&self, org: Id, filter: &ScoreFilter)
        -> Result<Vec<(NaiveDate, rapport_core::measure::Tally)>>;

    /// The filter's tallies per touchpoint, days summed, by touchpoint id.
    async fn score_touchpoints(&self, org: Id, filter: &ScoreFilter)
        -> Result<Vec<(Id, rapport_core::measure::Tally)>>;

    /// Behaviour counts over each of `windows` (in order, not
    /// overlapping) for the filtered customers. Without touchpoints they
    /// are exact, a few range sums over the behaviour rollups per window.
    /// With touchpoints (who used them depends on the window), they are
    /// read from the whole activity of the segment's customers, or of a
    /// deterministic sample of about `sample` of them when there are more
    /// (the same customers on every call): one bounded read per call,
    /// whatever the number of windows or the size of the organization.
    async fn behaviour_windows(
        &self,
        org: Id,
        windows: &[(NaiveDate, NaiveDate)],
        customers: &CustomerFilter,
        sample: i64,
    ) -> Result<BehaviourSeries>;

    /// Behaviour counts over `from..=to` for the filtered customers, exact.
    async fn behaviour_counts(
        &self,
        org: Id,
        from: NaiveDate,
        to: NaiveDate,
        customers: &CustomerFilter,
    ) -> Result<BehaviourCounts> {
        let series = self.behaviour_windows(org, &[(from, to)], customers, i64::MAX).await?;
        Ok(series.counts.into_iter().next().unwrap_or_default())
    }

    /// Known customers' activity over `from..=to`, by customer then day, of
    /// the segment's members (`None`: everyone): all of them while they are
    /// at most `sample`, else a deterministic sample of about `sample`
    /// customers (the same ones on every call), so that journey analytics
    /// read a bounded number of rows whatever the size of the organization.
    async fn activity(
        &self,
        org: Id,
        from: NaiveDate,
        to: NaiveDate,
        segment: Option<Id>,
        sample: i64,
    ) -> Result<ActivitySample>;

    /// A survey's numeric items per day on `from..to` (end excluded), by
    /// day then item, read from the rollup ingestion keeps: one key range,
    /// whatever the number of responses.
    async fn item_days(&self, org: Id, survey: Id, from: NaiveDate, to: NaiveDate) -> Result<Vec<ItemDay>>;

    /// Recomputes segment membership, the score, item and behaviour rollups, the
    /// activity and its histories, the kept list counts and the customer
    /// search index of the organization from its raw rows, in one
    /// transaction.
    async fn rebuild_rollups(&self, org: Id) -> Result<Rebuilt>;

    /// Records a criterion's status when it differs from the last one
    /// recorded for that criterion of that intent version; `true` when it
    /// was recorded (a change), which is then published as a notice.
    async fn record_intent_status(&self, org: Id, status: &IntentStatus) -> Result<bool>;

    /// Recorded statuses, newest first, at most `limit`.
    async fn intent_status_history(&self, org: Id, limit: i64) -> Result<Vec<IntentStatus>>;
}
