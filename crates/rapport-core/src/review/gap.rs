//! F3. Gap analysis: each touchpoint's performance against the intent and what customers say matters, ranked.
//!
//! Policy (what "the gap" is):
//! - **Targets at a touchpoint** of an experience: the current intent's
//!   criteria scoped to that touchpoint, to the experience or to the whole
//!   organization (evaluated at the touchpoint), and the experience's goal
//!   (at least its target, at most for churn). Per metric one target binds:
//!   the strictest (least clearance at the measured value; without a value,
//!   the most specific scope).
//! - **Shortfall**: how far the value is on the wrong side of the threshold,
//!   in the metric's units (0 when it clears it, at risk included).
//! - **Gap**: the shortfall as a percentage of the metric's range
//!   ([`Metric::range`]: 200 NPS points, 6 CES points, 100 for rates), so
//!   that metrics compare: 0–100.
//! - **Importance weight** (0–1): stated importance (1–5, the segment's, or
//!   for everyone the mean over the segments that rated the touchpoint) ÷ 5;
//!   derived importance (the touchpoint's LMG share of the explained NPS,
//!   from the last key-driver refit) ÷ the largest share in that analysis;
//!   both known: their mean; neither: [`DEFAULT_WEIGHT`] (the stated scale's
//!   midpoint, 3 of 5), so an unrated touchpoint is neither buried nor
//!   favoured.
//! - **Weighted gap** = gap × weight: the ranking key.
//! - **Ranking**: missed targets first by weighted gap (then gap), then at
//!   risk, then met (gap 0); ties keep the designed-path order given. Too
//!   few answers ([`MIN_SAMPLE`]) or no value at all is "not enough data":
//!   listed apart, never ranked as 0.

use crate::experience::Goal;
use crate::intent::{Comparator, Criterion, Scope, Status};
use crate::journey::Importance;
use crate::measure::MIN_SAMPLE;
use crate::metric::Metric;
use crate::validate::FieldErrors;
use crate::Id;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The weight of a touchpoint whose importance nobody stated or derived.
pub const DEFAULT_WEIGHT: f64 = 0.6;
/// The top of the stated-importance scale (1–5).
pub const STATED_MAX: f64 = 5.0;

/// Where a target comes from, most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GapSource {
    /// An intent criterion scoped to this touchpoint.
    Touchpoint,
    /// An intent criterion scoped to the experience.
    Experience,
    /// An intent criterion of the whole organization.
    Organization,
    /// The experience's goal.
    Goal,
}

/// A threshold a touchpoint is measured against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GapTarget {
    pub source: GapSource,
    /// Position of the criterion in the current intent version (none: the goal).
    pub criterion_index: Option<i64>,
    pub metric: Metric,
    pub comparator: Comparator,
    pub threshold: f64,
    pub margin: f64,
}

impl GapTarget {
    fn criterion(&self) -> Criterion {
        Criterion {
            metric: self.metric,
            scope: Scope::Organization,
            comparator: self.comparator,
            threshold: self.threshold,
            margin: self.margin,
            behaviour_id: None,
        }
    }

    /// How far `value` clears the threshold (negative: short of it).
    pub fn clearance(&self, value: f64) -> f64 {
        match self.comparator {
            Comparator::AtLeast => value - self.threshold,
            Comparator::AtMost => self.threshold - value,
        }
    }
}

/// The targets that apply at `touchpoint` of `experience`, criteria first
/// in their order, then the goal.
pub fn targets_at(criteria: &[Criterion], goal: &Goal, experience: Id, touchpoint: Id) -> Vec<GapTarget> {
    let mut out: Vec<GapTarget> = criteria
        .iter()
        .enumerate()
        // A perfect behaviour is counted per customer over the whole
        // experience, not per touchpoint: it has no gap at a touchpoint.
        .filter(|(_, c)| c.metric != Metric::PerfectBehaviour)
        .filter_map(|(i, c)| {
            let source = match c.scope {
                Scope::Touchpoint(t) if t == touchpoint => GapSource::Touchpoint,
                Scope::Experience(x) if x == experience => GapSource::Experience,
                Scope::Organization => GapSource::Organization,
                _ => return None,
            };
            Some(GapTarget {
                source,
                criterion_index: Some(i as i64),
                metric: c.metric,
                comparator: c.comparator,
                threshold: c.threshold,
                margin: c.margin,
            })
        })
        .collect();
    if goal.metric == Metric::PerfectBehaviour {
        return out;
    }
    let comparator = if goal.metric.higher_is_better() { Comparator::AtLeast } else { Comparator::AtMost };
    out.push(GapTarget {
        source: GapSource::Goal,
        criterion_index: None,
        metric: goal.metric,
        comparator,
        threshold: goal.target,
        margin: 0.0,
    });
    out
}

/// One binding target per metric, in the order metrics first appear: the
/// strictest at the measured value (`value_of`), else the most specific.
pub fn binding(targets: &[GapTarget], value_of: impl Fn(Metric) -> Option<f64>) -> Vec<GapTarget> {
    let mut out: Vec<GapTarget> = Vec::new();
    for t in targets {
        let Some(kept) = out.iter_mut().find(|k| k.metric == t.metric) else {
            out.push(t.clone());
            continue;
        };
        let stricter = match value_of(t.metric) {
            Some(v) if t.clearance(v) != kept.clearance(v) => t.clearance(v) < kept.clearance(v),
            _ => t.source < kept.source,
        };
        if stricter {
            *kept = t.clone();
        }
    }
    out
}

/// Stated importance (1–5): the segment's, or for everyone (`None`) the
/// mean over the segments that rated the touchpoint.
pub fn stated_importance(importance: &[Importance], segment: Option<Id>) -> Option<f64> {
    let picked: Vec<f64> =
        importance.iter().filter(|i| segment.is_none_or(|s| s == i.segment_id)).map(|i| i.importance as f64).collect();
    (!picked.is_empty()).then(|| picked.iter().sum::<f64>() / picked.len() as f64)
}

/// Derived shares made relative to the largest (the strongest driver is 1);
/// nothing when no share is positive.
pub fn relative_shares(shares: &BTreeMap<Id, f64>) -> BTreeMap<Id, f64> {
    let max = shares.values().copied().filter(|v| v.is_finite()).fold(0.0, f64::max);
    if max <= 0.0 {
        return BTreeMap::new();
    }
    shares.iter().filter(|(_, v)| v.is_finite()).map(|(k, v)| (*k, (v / max).clamp(0.0, 1.0))).collect()
}

/// Which importance the weight came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GapBasis {
    Stated,
    Derived,
    Both,
    /// Neither known: [`DEFAULT_WEIGHT`].
    Default,
}

/// The weight (0–1) from stated importance (1–5) and relative derived
/// importance (0–1).
pub fn weight(stated: Option<f64>, derived_relative: Option<f64>) -> (f64, GapBasis) {
    match (stated.map(|s| (s / STATED_MAX).clamp(0.0, 1.0)), derived_relative.map(|d| d.clamp(0.0, 1.0))) {
        (Some(s), Some(d)) => ((s + d) / 2.0, GapBasis::Both),
        (Some(s), None) => (s, GapBasis::Stated),
        (None, Some(d)) => (d, GapBasis::Derived),
        (None, None) => (DEFAULT_WEIGHT, GapBasis::Default),
    }
}

/// What is known of one touchpoint against one target.
#[derive(Debug, Clone, PartialEq)]
pub struct GapInput {
    pub touchpoint_id: Id,
    pub target: GapTarget,
    pub value: Option<f64>,
    pub n: i64,
    /// Stated importance, 1–5.
    pub stated: Option<f64>,
    /// The touchpoint's derived share of the explained outcome (0–1).
    pub derived_share: Option<f64>,
    /// That share relative to the analysis's largest (0–1).
    pub derived_relative: Option<f64>,
}

/// One touchpoint against one target, with every figure. (`GapFigures`
/// in the OpenAPI document: `coverage::Gap` is a listening gap.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = GapFigures))]
pub struct Gap {
    /// 1 for the largest gap; none for "not enough data".
    pub rank: Option<i64>,
    pub touchpoint_id: Id,
    pub target: GapTarget,
    /// The value over the window; none without answers.
    pub value: Option<f64>,
    /// Answers (or customers, for rates) behind the value.
    pub n: i64,
    pub status: Status,
    /// How far the value is on the wrong side of the threshold, in the metric's units.
    pub shortfall: f64,
    /// The shortfall as a percentage of the metric's range (0–100).
    pub gap: f64,
    /// Stated importance, 1–5.
    pub stated_importance: Option<f64>,
    /// Derived importance: the touchpoint's share of the explained NPS (0–1).
    pub derived_importance: Option<f64>,
    /// 0–1, see the module's policy.
    pub weight: f64,
    pub basis: GapBasis,
    /// `gap × weight`, the ranking key (0–100).
    pub weighted_gap: f64,
}

/// The gap of one input, unranked.
pub fn assess(i: &GapInput) -> Gap {
    let status = match i.value {
        Some(v) if v.is_finite() && i.n >= MIN_SAMPLE => i.target.criterion().evaluate(v),
        _ => Status::Insufficient,
    };
    let shortfall = match (status, i.value) {
        (Status::Missed, Some(v)) => (-i.target.clearance(v)).max(0.0),
        _ => 0.0,
    };
    let (lo, hi) = i.target.metric.range();
    let gap = shortfall / (hi - lo) * 100.0;
    let (weight, basis) = weight(i.stated, i.derived_relative);
    Gap {
        rank: None,
        touchpoint_id: i.touchpoint_id,
        target: i.target.clone(),
        value: i.value,
        n: i.n,
        status,
        shortfall,
        gap,
        stated_importance: i.stated,
        derived_importance: i.derived_share,
        weight,
        basis,
        weighted_gap: gap * weight,
    }
}

/// Gaps ranked, and those without enough data apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ranking {
    pub ranked: Vec<Gap>,
    pub insufficient: Vec<Gap>,
}

fn class(s: Status) -> u8 {
    match s {
        Status::Missed => 0,
        Status::AtRisk => 1,
        _ => 2,
    }
}

/// Ranks `gaps` (given in designed-path order) by the module's policy.
pub fn rank(gaps: Vec<Gap>) -> Ranking {
    let (mut ranked, insufficient): (Vec<Gap>, Vec<Gap>) =
        gaps.into_iter().partition(|g| g.status != Status::Insufficient);
    // A stable sort: equal gaps keep the designed path's order.
    ranked.sort_by(|a, b| {
        class(a.status)
            .cmp(&class(b.status))
            .then(b.weighted_gap.total_cmp(&a.weighted_gap))
            .then(b.gap.total_cmp(&a.gap))
    });
    for (i, g) in ranked.iter_mut().enumerate() {
        g.rank = Some(i as i64 + 1);
    }
    Ranking { ranked, insufficient }
}

/// Which gap to act on: a touchpoint's metric for a segment (none: everyone).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GapActionDraft {
    pub touchpoint_id: Option<Id>,
    pub metric: Option<Metric>,
    pub segment_id: Option<Id>,
}

/// A gap's identity within an experience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapKey {
    pub touchpoint_id: Id,
    pub metric: Metric,
    pub segment_id: Option<Id>,
}

impl GapActionDraft {
    pub fn validate(&self) -> Result<GapKey, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.touchpoint_id.is_none_or(|t| t < 1) {
            e.add("touchpoint_id", "required", "choose the touchpoint of the gap");
        }
        if self.metric.is_none() {
            e.add("metric", "required", "choose the metric of the gap");
        }
        if self.segment_id.is_some_and(|s| s < 1) {
            e.add("segment_id", "unknown", "no such segment");
        }
        e.into_result(GapKey {
            touchpoint_id: self.touchpoint_id.unwrap_or_default(),
            metric: self.metric.unwrap_or(Metric::Nps),
            segment_id: self.segment_id,
        })
    }
}

#[cfg(test)]
mod tests;
