//! The write-time state of a behaviour: rows whose range sums are the
//! distinct customers eligible for, and showing, the behaviour in any
//! period.
//!
//! For each customer and [`Part`] (`eligible`: their matching days;
//! `shown`: the days they showed the behaviour) there is one row per such
//! day `(part, day, previous such day)`, the first day's previous day being
//! [`NONE_BEFORE`]. A customer has a day of a part in `[from, to]` exactly
//! when one of their days lies there with its previous day before `from`, so
//!
//! `distinct customers = Σ n of the part's rows with from <= day <= to and prev < from`.
//!
//! The rows of all customers are summed (`n`), so a period's counts are two
//! range sums, whatever the number of customers. A write replaces the
//! touched customers' contributions ([`contribution`] of their matching
//! days before, taken away, and after, added), so back-dated events are
//! counted against the customer's whole history. The same rows are the
//! `eligible` base `matching`; the base `active` reads the activity
//! rollups' distinct active customers instead.

use super::Rule;
use crate::measure::behaviour::NONE_BEFORE;
use crate::Id;
use chrono::{Duration, NaiveDate};
use std::collections::BTreeMap;

/// Which customers a row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// Customers with a matching event.
    Eligible,
    /// Customers who showed the behaviour.
    Shown,
}

impl Part {
    pub const ALL: [Part; 2] = [Part::Eligible, Part::Shown];

    pub fn key(self) -> &'static str {
        match self {
            Part::Eligible => "eligible",
            Part::Shown => "shown",
        }
    }

    pub fn parse(s: &str) -> Option<Part> {
        Part::ALL.into_iter().find(|p| p.key() == s)
    }
}

/// A customer's matching events per day.
pub type Matches = BTreeMap<NaiveDate, i64>;

/// One day of a customer's activity: day, kind, touchpoint, count.
pub type ActivityItem<'a> = (NaiveDate, &'a str, Option<Id>, i64);

/// The customer's matching events per day, from their activity.
pub fn matches<'a>(rule: &Rule, activity: impl IntoIterator<Item = ActivityItem<'a>>) -> Matches {
    let mut out = Matches::new();
    for (day, kind, touchpoint, n) in activity {
        let at_touchpoint = rule.touchpoint_id.is_none() || touchpoint == rule.touchpoint_id;
        if n > 0 && kind == rule.event_type && at_touchpoint {
            *out.entry(day).or_default() += n;
        }
    }
    out
}

/// The days the customer showed the behaviour: matching days where the
/// matching events of that day and the `W − 1` days before (all earlier
/// days without a window) reach `N`. A sliding sum over the matching days.
pub fn shown_days(rule: &Rule, m: &Matches) -> Vec<NaiveDate> {
    let days: Vec<(NaiveDate, i64)> = m.iter().map(|(d, n)| (*d, *n)).collect();
    let mut out = Vec::new();
    let (mut first, mut sum) = (0usize, 0i64);
    for (i, (day, n)) in days.iter().enumerate() {
        sum += n;
        if let Some(w) = rule.window_days {
            let earliest = *day - Duration::days(w - 1);
            while days[first].0 < earliest {
                sum -= days[first].1;
                first += 1;
            }
        }
        debug_assert!(first <= i);
        if sum >= rule.count {
            out.push(*day);
        }
    }
    out
}

/// The rows one customer adds: `(part, day, previous day)`.
pub fn contribution(rule: &Rule, m: &Matches) -> Vec<(Part, NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let chain = |part: Part, days: &mut dyn Iterator<Item = NaiveDate>, out: &mut Vec<_>| {
        let mut prev = NONE_BEFORE;
        for day in days {
            out.push((part, day, prev));
            prev = day;
        }
    };
    chain(Part::Eligible, &mut m.keys().copied(), &mut out);
    chain(Part::Shown, &mut shown_days(rule, m).into_iter(), &mut out);
    out
}

/// Summed row deltas of a batch: `n` per `(part, day, previous day)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DayDeltas(pub BTreeMap<(Part, NaiveDate, NaiveDate), i64>);

impl DayDeltas {
    pub fn add(&mut self, rows: &[(Part, NaiveDate, NaiveDate)], sign: i64) {
        for row in rows {
            *self.0.entry(*row).or_default() += sign;
        }
    }

    /// Replaces a customer's contribution computed from `before` by the one
    /// from `after`.
    pub fn replace(&mut self, rule: &Rule, before: &Matches, after: &Matches) {
        if before == after {
            return;
        }
        self.add(&contribution(rule, before), -1);
        self.add(&contribution(rule, after), 1);
    }

    /// Drops rows that cancelled out (nothing to write).
    pub fn prune(&mut self) {
        self.0.retain(|_, n| *n != 0);
    }
}

/// A period's customers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub eligible: i64,
    pub shown: i64,
}

impl Counts {
    /// Shown ÷ eligible in %, `None` with nobody eligible.
    pub fn rate(&self) -> Option<f64> {
        (self.eligible > 0).then(|| 100.0 * self.shown as f64 / self.eligible as f64)
    }
}

/// The counts of `[from, to]` from summed rows: the reference the store's
/// range sums must agree with.
pub fn window(rows: &DayDeltas, from: NaiveDate, to: NaiveDate) -> Counts {
    let mut c = Counts::default();
    for ((part, day, prev), n) in &rows.0 {
        if *day >= from && *day <= to && *prev < from {
            match part {
                Part::Eligible => c.eligible += n,
                Part::Shown => c.shown += n,
            }
        }
    }
    c
}

#[cfg(test)]
mod tests;
