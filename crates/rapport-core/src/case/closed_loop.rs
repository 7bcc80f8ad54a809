//! D1. Closed-loop figures: the share of detractors contacted within the
//! first-response promise, and the time to first response.
//!
//! Over the cases opened in a period (each as a [`ClosedLoopCase`]; the
//! store hands them over counted, as [`ClosedLoopCounts`]):
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

/// Cases alike for the figures, counted together: one row of the store's
/// grouped read (per touchpoint, assignee, kind and promise state).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseTally {
    pub touchpoint_id: Option<Id>,
    pub assignee_id: Option<Id>,
    pub detractor: bool,
    /// The promise is decided at the time the figures are for.
    pub decided: bool,
    pub kept: bool,
    pub cases: i64,
}

/// `cases` first responses, at a touchpoint and by an assignee, that came
/// `minutes` after the case opened (whole minutes, rounded down).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseTime {
    pub touchpoint_id: Option<Id>,
    pub assignee_id: Option<Id>,
    pub minutes: i64,
    pub cases: i64,
}

/// What the figures are made of: counts, so that the store hands over a
/// few hundred grouped rows rather than every case of the period (a
/// million cases read one by one took seconds).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClosedLoopCounts {
    pub tallies: Vec<CaseTally>,
    pub times: Vec<ResponseTime>,
}

impl ClosedLoopCounts {
    /// The counts of `cases`, their promises judged at `now`: the
    /// definition the store's grouped read follows.
    pub fn of(cases: &[ClosedLoopCase], now: DateTime<Utc>) -> ClosedLoopCounts {
        type TallyKey = (Option<Id>, Option<Id>, bool, bool, bool);
        let mut tallies: BTreeMap<TallyKey, i64> = BTreeMap::new();
        let mut times: BTreeMap<(Option<Id>, Option<Id>, i64), i64> = BTreeMap::new();
        for c in cases {
            *tallies.entry((c.touchpoint_id, c.assignee_id, c.detractor, c.decided(now), c.kept())).or_default() += 1;
            if let Some(t) = c.first_responded_at {
                *times.entry((c.touchpoint_id, c.assignee_id, (t - c.opened_at).num_minutes())).or_default() += 1;
            }
        }
        ClosedLoopCounts {
            tallies: tallies
                .into_iter()
                .map(|((touchpoint_id, assignee_id, detractor, decided, kept), cases)| CaseTally {
                    touchpoint_id,
                    assignee_id,
                    detractor,
                    decided,
                    kept,
                    cases,
                })
                .collect(),
            times: times
                .into_iter()
                .map(|((touchpoint_id, assignee_id, minutes), cases)| ResponseTime {
                    touchpoint_id,
                    assignee_id,
                    minutes,
                    cases,
                })
                .collect(),
        }
    }
}

fn figures<'a>(
    tallies: impl IntoIterator<Item = &'a CaseTally>,
    times: impl IntoIterator<Item = &'a ResponseTime>,
) -> ClosedLoopFigures {
    let mut f = ClosedLoopFigures::default();
    for t in tallies {
        let n = t.cases;
        f.cases += n;
        let (decided, kept) = (if t.decided { n } else { 0 }, if t.kept { n } else { 0 });
        f.decided += decided;
        f.in_time += kept;
        if t.detractor {
            f.detractor_cases += n;
            f.detractors_decided += decided;
            f.detractors_in_time += kept;
        }
    }
    // A response before the opening (a clock's skew) counts as at once.
    let mut minutes: Vec<(i64, i64)> = times.into_iter().map(|t| (t.minutes.max(0), t.cases)).collect();
    f.responded = minutes.iter().map(|(_, n)| n).sum();
    f.closed_loop_rate = share(f.detractors_in_time, f.detractors_decided);
    f.within_promise = share(f.in_time, f.decided);
    f.median_first_response_minutes = median(&mut minutes);
    f
}

fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The median of values given as (value, how many times).
fn median(values: &mut [(i64, i64)]) -> Option<i64> {
    let n: i64 = values.iter().map(|(_, k)| k).sum();
    if n <= 0 {
        return None;
    }
    values.sort_unstable();
    // The k-th value (from 0) in sorted order.
    let nth = |k: i64| {
        let mut seen = 0;
        for (v, count) in values.iter() {
            seen += count;
            if seen > k {
                return *v;
            }
        }
        values.last().map_or(0, |(v, _)| *v)
    };
    Some(if n % 2 == 1 { nth(n / 2) } else { (nth(n / 2 - 1) + nth(n / 2)) / 2 })
}

/// The figures overall, per touchpoint and per assignee.
pub fn report(counts: &ClosedLoopCounts) -> ClosedLoopReport {
    type Parts<'a> = (Vec<&'a CaseTally>, Vec<&'a ResponseTime>);
    let group = |tally_key: fn(&CaseTally) -> Option<Id>, time_key: fn(&ResponseTime) -> Option<Id>| {
        let mut by: BTreeMap<Option<Id>, Parts<'_>> = BTreeMap::new();
        for t in &counts.tallies {
            by.entry(tally_key(t)).or_default().0.push(t);
        }
        for t in &counts.times {
            by.entry(time_key(t)).or_default().1.push(t);
        }
        by.into_iter().map(|(id, (tallies, times))| ClosedLoopGroup { id, figures: figures(tallies, times) }).collect()
    };
    ClosedLoopReport {
        overall: figures(&counts.tallies, &counts.times),
        touchpoints: group(|t| t.touchpoint_id, |t| t.touchpoint_id),
        agents: group(|t| t.assignee_id, |t| t.assignee_id),
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
        let r = report(&ClosedLoopCounts::of(&cases, at(13, 0)));
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

    /// The figures as first written, case by case: the counted figures
    /// must equal them.
    fn case_by_case(cases: &[&ClosedLoopCase], now: DateTime<Utc>) -> ClosedLoopFigures {
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
        minutes.sort_unstable();
        let n = minutes.len();
        f.median_first_response_minutes =
            (n > 0).then(|| if n % 2 == 1 { minutes[n / 2] } else { (minutes[n / 2 - 1] + minutes[n / 2]) / 2 });
        f
    }

    fn any_case() -> impl proptest::strategy::Strategy<Value = ClosedLoopCase> {
        use proptest::prelude::*;
        let id = prop::option::of(1i64..4);
        (id.clone(), id, any::<bool>(), 0i64..600, 0i64..600, prop::option::of(-30i64..900)).prop_map(
            |(tp, who, detractor, opened, due, answered)| {
                let base = at(0, 0);
                ClosedLoopCase {
                    touchpoint_id: tp,
                    assignee_id: who,
                    detractor,
                    opened_at: base + chrono::Duration::minutes(opened),
                    first_response_due: base + chrono::Duration::minutes(opened + due),
                    // Seconds too, so whole minutes are rounded down.
                    first_responded_at: answered
                        .map(|a| base + chrono::Duration::minutes(opened) + chrono::Duration::seconds(a * 37)),
                }
            },
        )
    }

    proptest::proptest! {
        #[test]
        fn counted_figures_equal_the_case_by_case_ones(
            cases in proptest::collection::vec(any_case(), 0..60),
            now in 0i64..1500,
        ) {
            let now = at(0, 0) + chrono::Duration::minutes(now);
            let r = report(&ClosedLoopCounts::of(&cases, now));
            let all: Vec<&ClosedLoopCase> = cases.iter().collect();
            proptest::prop_assert_eq!(&r.overall, &case_by_case(&all, now));
            for g in &r.touchpoints {
                let of: Vec<&ClosedLoopCase> = cases.iter().filter(|c| c.touchpoint_id == g.id).collect();
                proptest::prop_assert_eq!(&g.figures, &case_by_case(&of, now));
            }
            for g in &r.agents {
                let of: Vec<&ClosedLoopCase> = cases.iter().filter(|c| c.assignee_id == g.id).collect();
                proptest::prop_assert_eq!(&g.figures, &case_by_case(&of, now));
            }
            let groups: usize = r.touchpoints.iter().map(|g| g.figures.cases as usize).sum();
            proptest::prop_assert_eq!(groups, cases.len());
        }
    }

    #[test]
    fn nothing_is_no_figure() {
        let r = report(&ClosedLoopCounts::of(&[], at(13, 0)));
        assert_eq!(r.overall, ClosedLoopFigures::default());
        assert!(r.touchpoints.is_empty() && r.agents.is_empty());
    }

    #[test]
    fn detractors_by_scale() {
        assert!(is_detractor(&[("nps", 6)]) && is_detractor(&[("csat", 2)]) && is_detractor(&[("nps", 0)]));
        assert!(!is_detractor(&[("nps", 7)]) && !is_detractor(&[("csat", 3)]) && !is_detractor(&[("ces", 1)]));
    }
}
