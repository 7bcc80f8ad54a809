//! Interaction outcomes (C9): after a customer first meets a touchpoint, do
//! they go on with the company (engaged), pull away (pulled back), or is it
//! too early to tell (pending)?
//!
//! A customer counts once per touchpoint, at their first step there, so a
//! customer who visits daily does not outweigh one who came once. Only the
//! window after that first step is looked at: what happens months later
//! says little about that interaction.

use super::estimate::{proportion, Estimate};
use super::paths::{by_customer, Step, StepKind};
use crate::Id;
use chrono::{Days, NaiveDate};
use std::collections::{BTreeMap, HashSet};

/// What followed customers' first step at one touchpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InteractionOutcome {
    pub touchpoint: Id,
    /// engaged + pulled_back + pending.
    pub customers: i64,
    /// Went on to another touchpoint, or bought, renewed or referred.
    pub engaged: i64,
    /// Cancelled, did not renew or asked for a refund — or did nothing more
    /// in the whole window.
    pub pulled_back: i64,
    /// Nothing decisive yet and the window has not elapsed.
    pub pending: i64,
}

/// How one customer's first interaction at a touchpoint turned out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Engaged,
    PulledBack,
    Pending,
}

impl InteractionOutcome {
    /// Customers whose outcome is known. Shares are taken over these, since
    /// pending customers would otherwise count as neither, pulling every
    /// recent share towards zero.
    pub fn decided(&self) -> i64 {
        self.engaged + self.pulled_back
    }

    /// The engaged share of decided customers, in percent, with its interval.
    pub fn engaged_share(&self) -> Estimate {
        proportion(self.engaged, self.decided())
    }

    /// The pulled-back share of decided customers, in percent, with its interval.
    pub fn pulled_back_share(&self) -> Estimate {
        proportion(self.pulled_back, self.decided())
    }

    fn add(&mut self, o: Outcome) {
        self.customers += 1;
        match o {
            Outcome::Engaged => self.engaged += 1,
            Outcome::PulledBack => self.pulled_back += 1,
            Outcome::Pending => self.pending += 1,
        }
    }
}

/// The outcome of each touchpoint's first interactions, sorted by
/// touchpoint id. `steps` must be sorted by (customer, day); `today` is
/// the last day whose steps are known.
///
/// A step follows the interaction when it comes after it in `steps` and
/// falls within `window_days` days of it (the last day included). So a
/// step later on the same day counts, but one recorded earlier that day
/// does not: the sort by day keeps the order steps were recorded in.
pub fn interaction_outcomes(steps: &[Step], window_days: i64, today: NaiveDate) -> Vec<InteractionOutcome> {
    let window = Days::new(window_days.max(0) as u64);
    let mut out: BTreeMap<Id, InteractionOutcome> = BTreeMap::new();
    for own in by_customer(steps) {
        let mut seen = HashSet::new();
        for (i, step) in own.iter().enumerate() {
            let StepKind::Touchpoint(t) = step.kind else { continue };
            if !seen.insert(t) {
                continue; // not the first step at this touchpoint
            }
            let end = step.day.checked_add_days(window).unwrap_or(NaiveDate::MAX);
            let after = own[i + 1..].iter().take_while(|s| s.day <= end);
            let o = outcome(t, after, end > today);
            out.entry(t).or_insert(InteractionOutcome { touchpoint: t, ..Default::default() }).add(o);
        }
    }
    out.into_values().collect()
}

/// Defection anywhere in the window wins over engagement: a customer who
/// looked around and then cancelled was not won by the interaction.
fn outcome<'a>(t: Id, after: impl Iterator<Item = &'a Step>, open: bool) -> Outcome {
    let mut engaged = false;
    for s in after {
        match s.kind {
            StepKind::Cancellation | StepKind::NonRenewal | StepKind::Refund => return Outcome::PulledBack,
            StepKind::Purchase | StepKind::Renewal | StepKind::Referral => engaged = true,
            StepKind::Touchpoint(other) if other != t => engaged = true,
            _ => {}
        }
    }
    match (engaged, open) {
        (true, _) => Outcome::Engaged,
        (false, true) => Outcome::Pending,
        (false, false) => Outcome::PulledBack,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, day).unwrap()
    }

    fn s(customer: Id, day: u32, kind: StepKind) -> Step {
        Step { customer, day: d(day), kind }
    }

    fn tp(customer: Id, day: u32, t: Id) -> Step {
        s(customer, day, StepKind::Touchpoint(t))
    }

    /// (touchpoint, engaged, pulled_back, pending)
    fn run(steps: &[Step], window: i64, today: u32) -> Vec<(Id, i64, i64, i64)> {
        interaction_outcomes(steps, window, d(today))
            .into_iter()
            .inspect(|o| assert_eq!(o.customers, o.engaged + o.pulled_back + o.pending))
            .map(|o| (o.touchpoint, o.engaged, o.pulled_back, o.pending))
            .collect()
    }

    #[test]
    fn empty_input() {
        assert!(interaction_outcomes(&[], 7, d(1)).is_empty());
        assert!(run(&[s(1, 1, StepKind::Purchase)], 7, 30).is_empty());
    }

    #[test]
    fn each_rule() {
        let steps = [
            // 1 at 10 then a purchase: engaged.
            tp(1, 1, 10),
            s(1, 3, StepKind::Purchase),
            // 2 at 10 then touchpoint 20: engaged at 10; 20 has nothing after.
            tp(2, 1, 10),
            tp(2, 2, 20),
            // 3 at 10 then only 10 again: repeats neither engage nor count twice.
            tp(3, 1, 10),
            tp(3, 2, 10),
            s(3, 2, StepKind::Other),
        ];
        // Window elapsed for all (today is day 20).
        assert_eq!(run(&steps, 7, 20), vec![(10, 2, 1, 0), (20, 0, 1, 0)]);
        // Day 8 = 1 + 7: windows from day 1 have closed, the one from day 2 is open.
        assert_eq!(run(&steps, 7, 8), vec![(10, 2, 1, 0), (20, 0, 0, 1)]);
        // Day 7: still open for the quiet customer.
        assert_eq!(run(&steps, 7, 7), vec![(10, 2, 0, 1), (20, 0, 0, 1)]);
    }

    #[test]
    fn defection_wins_over_engagement() {
        for kind in [StepKind::Cancellation, StepKind::NonRenewal, StepKind::Refund] {
            let steps = [tp(1, 1, 10), tp(1, 2, 20), s(1, 3, StepKind::Renewal), s(1, 4, kind)];
            assert_eq!(run(&steps, 7, 5), vec![(10, 0, 1, 0), (20, 0, 1, 0)], "{kind:?}");
        }
    }

    #[test]
    fn window_edges() {
        // A purchase exactly `window` days later counts; one day more does not.
        let on_edge = [tp(1, 1, 10), s(1, 8, StepKind::Purchase)];
        assert_eq!(run(&on_edge, 7, 30), vec![(10, 1, 0, 0)]);
        let past_edge = [tp(1, 1, 10), s(1, 9, StepKind::Purchase)];
        assert_eq!(run(&past_edge, 7, 30), vec![(10, 0, 1, 0)]);
        let late_cancel = [tp(1, 1, 10), s(1, 2, StepKind::Referral), s(1, 9, StepKind::Cancellation)];
        assert_eq!(run(&late_cancel, 7, 30), vec![(10, 1, 0, 0)]);
        // A zero-day window sees only what follows on the same day.
        let same_day = [tp(1, 1, 10), s(1, 1, StepKind::Purchase), s(1, 2, StepKind::Cancellation)];
        assert_eq!(run(&same_day, 0, 30), vec![(10, 1, 0, 0)]);
    }

    #[test]
    fn same_day_steps_count_only_after_in_order() {
        // The purchase is recorded before the visit on the same day.
        let before = [s(1, 1, StepKind::Purchase), tp(1, 1, 10)];
        assert_eq!(run(&before, 7, 30), vec![(10, 0, 1, 0)]);
        let after = [tp(1, 1, 10), s(1, 1, StepKind::Purchase)];
        assert_eq!(run(&after, 7, 30), vec![(10, 1, 0, 0)]);
    }

    #[test]
    fn only_the_first_step_at_a_touchpoint_counts() {
        // First visit on day 1 (nothing follows within 3 days, window
        // elapsed); the second visit on day 10 is followed by a purchase but
        // is not looked at.
        let steps = [tp(1, 1, 10), tp(1, 10, 10), s(1, 11, StepKind::Purchase)];
        assert_eq!(run(&steps, 3, 30), vec![(10, 0, 1, 0)]);
    }

    #[test]
    fn customers_are_kept_apart_and_output_is_sorted() {
        // Customer 1's purchase must not engage customer 2's visit.
        let steps = [tp(1, 1, 30), s(1, 2, StepKind::Purchase), tp(2, 1, 5), tp(2, 1, 30)];
        assert_eq!(run(&steps, 7, 30), vec![(5, 1, 0, 0), (30, 1, 1, 0)]);
        let o = interaction_outcomes(&steps, 7, d(30));
        assert_eq!(o[1].customers, 2);
        assert_eq!(o[1].decided(), 2);
        assert_eq!(o[1].engaged_share().value, Some(50.0));
        assert_eq!(o[1].pulled_back_share().n, 2);
    }

    #[test]
    fn shares_leave_pending_customers_out() {
        let o = InteractionOutcome { touchpoint: 1, customers: 10, engaged: 3, pulled_back: 1, pending: 6 };
        assert_eq!(o.engaged_share().value, Some(75.0));
        assert_eq!(o.pulled_back_share().value, Some(25.0));
        let none = InteractionOutcome { touchpoint: 1, customers: 2, pending: 2, ..Default::default() };
        assert_eq!(none.engaged_share().value, None);
    }
}
