//! Journey analytics (C9): the journey customers actually take, set beside
//! the one the company designed.
//!
//! Input is a list of [`Step`]s, sorted by (customer, day) — the order the
//! storage layer reads them in, so grouping by customer is a single pass
//! and ties on one day keep the order things were recorded in. A response
//! given at a touchpoint is a touchpoint step too; the caller builds steps
//! from responses and events alike.

use crate::feedback::EventType;
use crate::Id;
use chrono::NaiveDate;
use std::collections::HashMap;

/// At most this many touchpoints of a customer's path are kept: longer
/// paths are nearly all distinct and would crowd out the common shapes.
pub const PATH_MAX: usize = 8;

/// What happened in one step of a customer's journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum StepKind {
    /// A visit of (or contact or response at) a touchpoint.
    Touchpoint(Id),
    Purchase,
    Renewal,
    Referral,
    Cancellation,
    NonRenewal,
    Refund,
    /// Custom events, and contacts or visits that name no touchpoint.
    Other,
}

impl StepKind {
    /// The step an event of type `kind_key` (see [`EventType::key`]) stands
    /// for. Only visits and contacts are journeys through a touchpoint: a
    /// purchase recorded "at" the shop is still a purchase, so that
    /// behaviour outcomes are never mistaken for moves along the journey.
    pub fn from_event(kind_key: &str, touchpoint: Option<Id>) -> StepKind {
        match (EventType::parse(kind_key), touchpoint) {
            (Some(EventType::TouchpointVisit | EventType::Contact), Some(t)) => StepKind::Touchpoint(t),
            (Some(EventType::Purchase), _) => StepKind::Purchase,
            (Some(EventType::Renewal), _) => StepKind::Renewal,
            (Some(EventType::Referral), _) => StepKind::Referral,
            (Some(EventType::Cancellation), _) => StepKind::Cancellation,
            (Some(EventType::NonRenewal), _) => StepKind::NonRenewal,
            (Some(EventType::Refund), _) => StepKind::Refund,
            _ => StepKind::Other,
        }
    }

    pub fn touchpoint(self) -> Option<Id> {
        match self {
            StepKind::Touchpoint(t) => Some(t),
            _ => None,
        }
    }
}

/// One thing one customer did on one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub customer: Id,
    pub day: NaiveDate,
    pub kind: StepKind,
}

/// The designed journey, one step per designed touchpoint in designed order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Funnel {
    pub steps: Vec<FunnelStep>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunnelStep {
    pub touchpoint: Id,
    /// Customers who went through every designed step up to this one, in order.
    pub reached: i64,
    /// Customers who reached this step but not the next (0 at the last step).
    pub dropped: i64,
}

/// One actual path and how many customers took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathCount {
    pub touchpoints: Vec<Id>,
    pub customers: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JourneyFlow {
    /// Customers with at least one touchpoint step.
    pub customers: i64,
    pub designed: Funnel,
    /// The most frequent actual paths first; ties in path order.
    pub actual: Vec<PathCount>,
}

/// Splits sorted steps into one slice per customer.
pub(crate) fn by_customer(steps: &[Step]) -> impl Iterator<Item = &[Step]> {
    debug_assert!(
        steps.windows(2).all(|w| (w[0].customer, w[0].day) <= (w[1].customer, w[1].day)),
        "steps must be sorted by (customer, day)"
    );
    steps.chunk_by(|a, b| a.customer == b.customer)
}

/// The designed funnel and the `top` most frequent actual paths. `steps`
/// must be sorted by (customer, day).
pub fn journey_flow(steps: &[Step], designed: &[Id], top: usize) -> JourneyFlow {
    let mut customers = 0;
    let mut reached = vec![0i64; designed.len()];
    let mut paths: HashMap<Vec<Id>, i64> = HashMap::new();
    for own in by_customer(steps) {
        let visits: Vec<(Id, NaiveDate)> = own.iter().filter_map(|s| s.kind.touchpoint().map(|t| (t, s.day))).collect();
        if visits.is_empty() {
            continue;
        }
        customers += 1;
        for r in reached.iter_mut().take(funnel_depth(&visits, designed)) {
            *r += 1;
        }
        let mut path: Vec<Id> = Vec::new();
        for &(t, _) in &visits {
            if path.last() != Some(&t) {
                if path.len() == PATH_MAX {
                    break;
                }
                path.push(t);
            }
        }
        *paths.entry(path).or_default() += 1;
    }
    let steps = designed
        .iter()
        .enumerate()
        .map(|(k, &touchpoint)| FunnelStep {
            touchpoint,
            reached: reached[k],
            dropped: reached[k] - reached.get(k + 1).copied().unwrap_or(reached[k]),
        })
        .collect();
    let mut actual: Vec<PathCount> =
        paths.into_iter().map(|(touchpoints, customers)| PathCount { touchpoints, customers }).collect();
    actual.sort_by(|a, b| b.customers.cmp(&a.customers).then_with(|| a.touchpoints.cmp(&b.touchpoints)));
    actual.truncate(top);
    JourneyFlow { customers, designed: Funnel { steps }, actual }
}

/// How many designed steps one customer went through in order: step k
/// counts when its touchpoint was visited on or after the day step k−1 was
/// reached. Taking the earliest qualifying visit each time is optimal, as
/// an earlier day only loosens the condition on the steps after it.
fn funnel_depth(visits: &[(Id, NaiveDate)], designed: &[Id]) -> usize {
    let mut since = NaiveDate::MIN;
    for (k, &want) in designed.iter().enumerate() {
        match visits.iter().find(|&&(t, day)| t == want && day >= since) {
            Some(&(_, day)) => since = day,
            None => return k,
        }
    }
    designed.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
    }

    fn tp(customer: Id, day: u32, t: Id) -> Step {
        Step { customer, day: d(day), kind: StepKind::Touchpoint(t) }
    }

    #[test]
    fn events_map_to_steps() {
        assert_eq!(StepKind::from_event("touchpoint_visit", Some(7)), StepKind::Touchpoint(7));
        assert_eq!(StepKind::from_event("contact", Some(7)), StepKind::Touchpoint(7));
        assert_eq!(StepKind::from_event("contact", None), StepKind::Other);
        assert_eq!(StepKind::from_event("touchpoint_visit", None), StepKind::Other);
        assert_eq!(StepKind::from_event("purchase", Some(7)), StepKind::Purchase);
        assert_eq!(StepKind::from_event("renewal", None), StepKind::Renewal);
        assert_eq!(StepKind::from_event("referral", None), StepKind::Referral);
        assert_eq!(StepKind::from_event("cancellation", Some(1)), StepKind::Cancellation);
        assert_eq!(StepKind::from_event("non_renewal", None), StepKind::NonRenewal);
        assert_eq!(StepKind::from_event("refund", None), StepKind::Refund);
        assert_eq!(StepKind::from_event("custom:demo_booked", Some(7)), StepKind::Other);
        assert_eq!(StepKind::from_event("nonsense", Some(7)), StepKind::Other);
    }

    #[test]
    fn empty_input() {
        let f = journey_flow(&[], &[1, 2], 5);
        assert_eq!(f.customers, 0);
        assert!(f.actual.is_empty());
        let steps: Vec<_> = f.designed.steps.iter().map(|s| (s.touchpoint, s.reached, s.dropped)).collect();
        assert_eq!(steps, vec![(1, 0, 0), (2, 0, 0)]);
        assert_eq!(journey_flow(&[tp(1, 1, 1)], &[], 5).designed.steps, vec![]);
    }

    #[test]
    fn customers_without_touchpoints_are_left_out() {
        let steps = [
            Step { customer: 1, day: d(1), kind: StepKind::Purchase },
            Step { customer: 1, day: d(2), kind: StepKind::Other },
            tp(2, 1, 10),
        ];
        let f = journey_flow(&steps, &[10], 5);
        assert_eq!(f.customers, 1);
        assert_eq!(f.actual, vec![PathCount { touchpoints: vec![10], customers: 1 }]);
    }

    #[test]
    fn repeats_collapse_and_paths_stop_at_eight() {
        let mut steps = vec![tp(1, 1, 1), tp(1, 1, 1), tp(1, 2, 2), tp(1, 3, 1)];
        steps.extend((1..=10).map(|i| tp(2, i, i as Id)));
        let f = journey_flow(&steps, &[], 5);
        assert_eq!(f.actual[0].touchpoints, vec![1, 2, 1]);
        assert_eq!(f.actual[1].touchpoints, (1..=8).collect::<Vec<Id>>());
    }

    #[test]
    fn paths_rank_by_customers_then_path() {
        let steps =
            [tp(1, 1, 3), tp(2, 1, 2), tp(2, 2, 5), tp(3, 1, 2), tp(3, 2, 5), tp(4, 1, 2), tp(5, 1, 1), tp(5, 1, 9)];
        let f = journey_flow(&steps, &[], 10);
        let got: Vec<_> = f.actual.iter().map(|p| (p.touchpoints.clone(), p.customers)).collect();
        assert_eq!(got, vec![(vec![2, 5], 2), (vec![1, 9], 1), (vec![2], 1), (vec![3], 1)]);
        assert_eq!(journey_flow(&steps, &[], 2).actual.len(), 2);
        assert_eq!(f.customers, 5);
    }

    #[test]
    fn funnel_follows_designed_order() {
        let steps = [
            // 1: the whole journey, in order (a same-day step counts).
            tp(1, 1, 1),
            tp(1, 1, 2),
            tp(1, 4, 3),
            // 2: visits 2 before 1, then 1 and never 2 again: stops at step 1.
            tp(2, 1, 2),
            tp(2, 2, 1),
            tp(2, 3, 3),
            // 3: never starts the designed journey.
            tp(3, 1, 2),
            tp(3, 2, 3),
            // 4: an early 1, a late 1 is not needed; 2 after the first 1 counts.
            tp(4, 1, 1),
            tp(4, 2, 2),
            tp(4, 2, 1),
        ];
        let f = journey_flow(&steps, &[1, 2, 3], 5);
        let got: Vec<_> = f.designed.steps.iter().map(|s| (s.touchpoint, s.reached, s.dropped)).collect();
        assert_eq!(got, vec![(1, 3, 1), (2, 2, 1), (3, 1, 0)]);
        assert_eq!(f.customers, 4);
    }

    #[test]
    fn funnel_picks_the_earliest_visit_of_each_step() {
        // 1 on day 1 and day 5; 2 on day 3: the day-1 visit reaches step 1, so
        // step 2 (day 3) counts although a later visit of 1 exists.
        let steps = [tp(1, 1, 1), tp(1, 3, 2), tp(1, 5, 1)];
        let f = journey_flow(&steps, &[1, 2], 5);
        assert_eq!(f.designed.steps[1].reached, 1);
        assert_eq!(f.designed.steps[0].dropped, 0);
    }
}
