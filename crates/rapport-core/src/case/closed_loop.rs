//! D1. Closed-loop figures: the share of detractors contacted within the
//! first-response promise, and the time to first response.
//!
//! Over the cases opened in a period (each read as a [`ClosedLoopCase`]):
//!
//! - A case's first-response promise is **decided** once the first
//!   response is given, or once its due time has passed without one
//!   (`first_response_due < now`); still-running promises count nowhere.
//!   It is **kept** when `first_responded_at <= first_response_due`.
//! - A **detractor case** is one a case rule opened from a response whose
//!   NPS answer was 0-6 or whose CSAT answer was 1-2 (marked when the case
//!   opens; cases opened by hand or by events are not detractor cases).
//! - **Closed-loop rate** = detractor cases kept / detractor cases decided.
//! - **Within promise** = cases kept / cases decided (all cases).
//! - **Time to first response**: the median of `first_responded_at −
//!   opened_at` (wall-clock minutes) over the cases with a first response;
//!   with an even count, the mean of the two middle values, rounded down.
//!
//! The same figures are given for the whole organization, per touchpoint
//! and per assignee (the agent holding the case now).

use crate::Id;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the figures read of one case (no more than these columns).
#[derive(Debug, Clone, PartialEq)]
pub struct ClosedLoopCase {
    pub touchpoint_id: Option<Id>,
    pub assignee_id: Option<Id>,
    pub detractor: bool,
    pub opened_at: DateTime<Utc>,
    pub first_response_due: DateTime<Utc>,
    pub first_responded_at: Option<DateTime<Utc>>,
}

impl ClosedLoopCase {
    fn decided(&self, now: DateTime<Utc>) -> bool {
        self.first_responded_at.is_some() || self.first_response_due < now
    }

    fn kept(&self) -> bool {
        self.first_responded_at.is_some_and(|t| t <= self.first_response_due)
    }
}

/// The figures of a set of cases (see the module docs for each).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosedLoopFigures {
    /// Cases opened in the period.
    pub cases: i64,
    /// Of them, detractor cases.
    pub detractor_cases: i64,
    /// Detractor cases whose promise is decided.
    pub detractors_decided: i64,
    /// Detractor cases answered within the promise.
    pub detractors_in_time: i64,
    /// `detractors_in_time / detractors_decided`, 0..1; `None` without any decided.
    pub closed_loop_rate: Option<f64>,
    /// Cases whose promise is decided.
    pub decided: i64,
    /// Cases answered within the promise.
    pub in_time: i64,
    /// `in_time / decided`, 0..1.
    pub within_promise: Option<f64>,
    /// Cases with a first response.
    pub responded: i64,
    /// Median minutes from opening to the first response.
    pub median_first_response_minutes: Option<i64>,
}

/// The figures of one touchpoint or one assignee (`id` `None`: none).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosedLoopGroup {
    pub id: Option<Id>,
    #[serde(flatten)]
    pub figures: ClosedLoopFigures,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosedLoopReport {
    pub overall: ClosedLoopFigures,
    /// By touchpoint id (no touchpoint first).
    pub touchpoints: Vec<ClosedLoopGroup>,
    /// By assignee id (nobody first).
    pub agents: Vec<ClosedLoopGroup>,
}

pub fn figures<'a>(cases: impl IntoIterator<Item = &'a ClosedLoopCase>, now: DateTime<Utc>) -> ClosedLoopFigures {
    let mut f = ClosedLoopFigures::default();
    let mut minutes: Vec<i64> = Vec::new();
    for c in cases {
        f.cases += 1;
        let (decided, kept) = (c.decided(now), c.kept());
        f.decided += i64::from(decided);
        f.in_time += i64::from(kept);
        if c.detractor {
            f.detractor_cases += 1;
            f.detractors_decided += i64::from(decided);
            f.detractors_in_time += i64::from(kept);
        }
        if let Some(t) = c.first_responded_at {
            minutes.push((t - c.opened_at).num_minutes().max(0));
        }
    }
    f.responded = minutes.len() as i64;
    f.closed_loop_rate = share(f.detractors_in_time, f.detractors_decided);
    f.within_promise = share(f.in_time, f.decided);
    f.median_first_response_minutes = median(&mut minutes);
    f
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2 })
}

pub fn report(cases: &[ClosedLoopCase], now: DateTime<Utc>) -> ClosedLoopReport {
    let group = |key: fn(&ClosedLoopCase) -> Option<Id>| {
        let mut by: BTreeMap<Option<Id>, Vec<&ClosedLoopCase>> = BTreeMap::new();
        for c in cases {
            by.entry(key(c)).or_default().push(c);
        }
        by.into_iter().map(|(id, cs)| ClosedLoopGroup { id, figures: figures(cs, now) }).collect()
    };
    ClosedLoopReport {
        overall: figures(cases, now),
        touchpoints: group(|c| c.touchpoint_id),
        agents: group(|c| c.assignee_id),
    }
}

/// Whether a response's scores make its case a detractor case: the first
/// NPS answer 0-6 or the first CSAT answer 1-2 (`scores` as the case rules
/// read them: scale key and value).
pub fn is_detractor(scores: &[(&str, i64)]) -> bool {
    scores.iter().any(|(scale, v)| match *scale {
        "nps" => (0..=6).contains(v),
        "csat" => (1..=2).contains(v),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap()
    }

    fn case(
        tp: Option<Id>,
        who: Option<Id>,
        detractor: bool,
        due: (u32, u32),
        answered: Option<(u32, u32)>,
    ) -> ClosedLoopCase {
        ClosedLoopCase {
            touchpoint_id: tp,
            assignee_id: who,
            detractor,
            opened_at: at(9, 0),
            first_response_due: at(due.0, due.1),
            first_responded_at: answered.map(|(h, m)| at(h, m)),
        }
    }

    /// Five cases opened at 09:00, checked at 13:00:
    /// A detractor, due 11:00, answered 10:00 (kept, 60 min);
    /// B detractor, due 11:00, answered 12:00 (late, 180 min);
    /// C detractor, due 12:00, not answered (late, decided);
    /// D detractor, due 17:00, not answered (still running: not decided);
    /// E not a detractor, due 11:00, answered 11:00 exactly (kept, 120 min).
    /// Closed-loop rate = 1 kept / 3 decided; within promise = 2 / 4;
    /// median of 60, 120, 180 = 120 minutes.
    #[test]
    fn a_hand_checked_example() {
        let cases = vec![
            case(Some(1), Some(7), true, (11, 0), Some((10, 0))),
            case(Some(1), Some(8), true, (11, 0), Some((12, 0))),
            case(Some(2), Some(7), true, (12, 0), None),
            case(None, None, true, (17, 0), None),
            case(Some(2), Some(7), false, (11, 0), Some((11, 0))),
        ];
        let r = report(&cases, at(13, 0));
        let o = &r.overall;
        assert_eq!((o.cases, o.detractor_cases, o.detractors_decided, o.detractors_in_time), (5, 4, 3, 1));
        assert_eq!((o.decided, o.in_time, o.responded), (4, 2, 3));
        assert_eq!(o.closed_loop_rate, Some(1.0 / 3.0));
        assert_eq!(o.within_promise, Some(0.5));
        assert_eq!(o.median_first_response_minutes, Some(120));
        let ids: Vec<Option<Id>> = r.touchpoints.iter().map(|g| g.id).collect();
        assert_eq!(ids, vec![None, Some(1), Some(2)]);
        let tp1 = &r.touchpoints[1].figures;
        assert_eq!((tp1.closed_loop_rate, tp1.median_first_response_minutes), (Some(0.5), Some(120)));
        let agent7 = r.agents.iter().find(|g| g.id == Some(7)).unwrap();
        assert_eq!((agent7.figures.cases, agent7.figures.detractors_in_time, agent7.figures.in_time), (3, 1, 2));
        assert_eq!(r.agents[0].figures.closed_loop_rate, None, "nobody's only case is still running");
    }

    #[test]
    fn nothing_is_no_figure() {
        let r = report(&[], at(13, 0));
        assert_eq!(r.overall, ClosedLoopFigures::default());
        assert!(r.touchpoints.is_empty() && r.agents.is_empty());
    }

    #[test]
    fn detractors_by_scale() {
        assert!(is_detractor(&[("nps", 6)]) && is_detractor(&[("csat", 2)]) && is_detractor(&[("nps", 0)]));
        assert!(!is_detractor(&[("nps", 7)]) && !is_detractor(&[("csat", 3)]) && !is_detractor(&[("ces", 1)]));
    }
}
