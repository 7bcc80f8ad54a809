//! A sprint's result: the touchpoint's metrics snapshotted when it starts
//! and again when it ends, each compared with its interval and a test of
//! the change (`measure::estimate` and `measure::compare`).
//!
//! What is stored is the two snapshots of tallies; the estimates, changes
//! and verdicts are always recomputed from them (also when an outcome is
//! read back from JSON), so a stored outcome can never disagree with its
//! own numbers, and a better interval method improves old sprints too.

use crate::measure::{compare, estimate, Change, Estimate, Scale, Tally, MIN_SAMPLE};
use crate::metric::Metric;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The answer metrics a sprint is judged by. Behaviour rates are counted
/// per customer over longer periods and are not part of a 20-day sprint.
pub const SPRINT_METRICS: [Metric; 5] =
    [Metric::Nps, Metric::Csat, Metric::Ces, Metric::Rating, Metric::PositiveFeedbackRate];

/// The scale whose tally a metric is computed from.
pub fn scale_of(metric: Metric) -> Option<Scale> {
    Scale::of_metric(metric)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScaleTally {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub scale: Scale,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub tally: Tally,
}

/// A touchpoint's tallies over a period (the caller picks it, e.g. the 30
/// days before the sprint and its own 20 workdays).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Snapshot {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub tallies: Vec<ScaleTally>,
}

impl Snapshot {
    /// The tally of a scale; repeated entries add up, a missing one is empty.
    pub fn tally(&self, scale: Scale) -> Tally {
        let mut t = Tally::default();
        self.tallies.iter().filter(|x| x.scale == scale).for_each(|x| t.add(&x.tally));
        t
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A significant change in the good direction.
    Improved,
    /// A significant change in the bad direction.
    Worsened,
    /// Enough answers, but the difference may be noise.
    NotSignificant,
    /// Fewer than `MIN_SAMPLE` answers on a side: too few to tell.
    InsufficientSample,
    /// The test is undefined (no spread on either side).
    Undetermined,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MetricOutcome {
    pub metric: Metric,
    pub before: Estimate,
    pub after: Estimate,
    pub change: Option<Change>,
    pub verdict: Verdict,
}

/// Before, after, and the comparison of every metric with answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(from = "StoredOutcome")]
pub struct Outcome {
    pub before: Snapshot,
    pub after: Snapshot,
    /// Derived; ignored when read back.
    pub metrics: Vec<MetricOutcome>,
}

/// What an outcome is read back from.
#[derive(Deserialize)]
struct StoredOutcome {
    before: Snapshot,
    after: Snapshot,
}

impl From<StoredOutcome> for Outcome {
    fn from(s: StoredOutcome) -> Outcome {
        outcome(s.before, s.after)
    }
}

/// Compares two snapshots. Metrics without answers on either side are left
/// out (the touchpoint has no such survey).
pub fn outcome(before: Snapshot, after: Snapshot) -> Outcome {
    let metrics = SPRINT_METRICS
        .into_iter()
        .filter_map(|metric| {
            let scale = scale_of(metric)?;
            let (b, a) = (before.tally(scale), after.tally(scale));
            (b.n > 0 || a.n > 0).then(|| metric_outcome(metric, &b, &a))
        })
        .collect();
    Outcome { before, after, metrics }
}

pub fn metric_outcome(metric: Metric, before: &Tally, after: &Tally) -> MetricOutcome {
    let change = compare(metric, before, after);
    let verdict = match change {
        _ if before.n < MIN_SAMPLE || after.n < MIN_SAMPLE => Verdict::InsufficientSample,
        None => Verdict::Undetermined,
        Some(c) if !c.significant => Verdict::NotSignificant,
        Some(c) if (c.delta > 0.0) == metric.higher_is_better() => Verdict::Improved,
        Some(_) => Verdict::Worsened,
    };
    MetricOutcome { metric, before: estimate(metric, before), after: estimate(metric, after), change, verdict }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(tallies: &[(Scale, Tally)]) -> Snapshot {
        Snapshot {
            from: "2026-10-05".parse().unwrap(),
            to: "2026-10-30".parse().unwrap(),
            tallies: tallies.iter().map(|(scale, tally)| ScaleTally { scale: *scale, tally: *tally }).collect(),
        }
    }

    fn nps(n: i64, promoters: i64, detractors: i64) -> Tally {
        Tally { n, sum: 0, sum_sq: 0, high: promoters, low: detractors }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// By hand: before, 40 promoters and 30 detractors of 100: NPS = 10,
    /// variance = p + d − (p − d)² = 0.7 − 0.01 = 0.69, se = 100·√(0.69/100)
    /// ≈ 8.3066. After, 60 and 10 of 100: NPS = 50, variance = 0.7 − 0.25 =
    /// 0.45, se = 100·√0.0045 ≈ 6.7082.
    /// Change = 40 points, z = 40 / √(69 + 45) = 40 / √114 ≈ 3.746.
    #[test]
    fn nps_by_hand() {
        let o = outcome(snap(&[(Scale::Nps, nps(100, 40, 30))]), snap(&[(Scale::Nps, nps(100, 60, 10))]));
        assert_eq!(o.metrics.len(), 1, "only metrics with answers");
        let m = o.metrics[0];
        assert_eq!(m.metric, Metric::Nps);
        assert!(close(m.before.value.unwrap(), 10.0) && close(m.after.value.unwrap(), 50.0));
        assert!(close(m.before.std_error.unwrap(), 100.0 * 0.0069f64.sqrt()));
        assert!(close(m.after.std_error.unwrap(), 100.0 * 0.0045f64.sqrt()));
        let half = crate::measure::Z95 * 100.0 * 0.0069f64.sqrt();
        assert!(close(m.before.ci_low.unwrap(), 10.0 - half) && close(m.before.ci_high.unwrap(), 10.0 + half));
        let c = m.change.unwrap();
        assert!(close(c.delta, 40.0));
        assert!(close(c.statistic, 40.0 / 114f64.sqrt()));
        assert!(c.p_value < 0.001 && c.significant);
        assert_eq!(m.verdict, Verdict::Improved);
    }

    #[test]
    fn verdicts() {
        let v = |m: Metric, b: Tally, a: Tally| metric_outcome(m, &b, &a).verdict;
        assert_eq!(v(Metric::Nps, nps(100, 60, 10), nps(100, 40, 30)), Verdict::Worsened);
        assert_eq!(v(Metric::Nps, nps(100, 40, 30), nps(100, 42, 30)), Verdict::NotSignificant);
        assert_eq!(v(Metric::Nps, nps(20, 4, 10), nps(20, 18, 0)), Verdict::InsufficientSample);
        assert_eq!(v(Metric::Nps, nps(40, 40, 0), nps(40, 40, 0)), Verdict::Undetermined);
        let csat = |n, high| Tally { n, high, ..Tally::default() };
        assert_eq!(v(Metric::Csat, csat(100, 50), csat(100, 80)), Verdict::Improved);
        assert_eq!(v(Metric::Csat, Tally::default(), csat(100, 80)), Verdict::InsufficientSample);
    }

    #[test]
    fn metrics_come_from_their_scales() {
        let csat = Tally { n: 50, sum: 200, sum_sq: 850, high: 40, low: 3 };
        let feedback = Tally { n: 80, sum: 60, sum_sq: 60, high: 60, low: 20 };
        let before = snap(&[(Scale::Csat, csat), (Scale::Feedback, feedback), (Scale::Csat, csat)]);
        let o = outcome(before, snap(&[(Scale::Feedback, feedback)]));
        let metrics: Vec<Metric> = o.metrics.iter().map(|m| m.metric).collect();
        assert_eq!(metrics, vec![Metric::Csat, Metric::PositiveFeedbackRate]);
        assert_eq!(o.metrics[0].before.n, 100, "repeated entries add up");
        assert_eq!(o.metrics[0].after.n, 0);
        assert_eq!(o.metrics[1].change.unwrap().delta, 0.0);
        assert_eq!(scale_of(Metric::ChurnRate), None);
    }

    #[test]
    fn stored_as_tallies_and_recomputed_when_read() {
        let o = outcome(snap(&[(Scale::Nps, nps(100, 40, 30))]), snap(&[(Scale::Nps, nps(100, 60, 10))]));
        let mut json = serde_json::to_value(&o).unwrap();
        assert_eq!(json["metrics"][0]["metric"], "nps");
        assert_eq!(json["metrics"][0]["verdict"], "improved");
        json["metrics"] = serde_json::json!([]);
        let back: Outcome = serde_json::from_value(json).unwrap();
        assert_eq!(back, o);
    }
}
