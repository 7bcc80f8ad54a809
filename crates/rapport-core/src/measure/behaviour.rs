//! The behaviour rates (C1) as additive counts, kept at write time so that a
//! dashboard never groups raw activity per customer.
//!
//! Each rate counts *customers* over a window `from..=to` (see
//! `rapport_store::BehaviourCounts` for the definitions). Distinct customers
//! do not add up day by day, so each customer's history is turned into rows
//! that do, and a window's count is a sum over a range of rows:
//! - **days** `(family, day, previous day)`: one per day the customer had
//!   that family of activity, with the previous such day ([`NONE_BEFORE`]
//!   for the first). A customer had the family in the window exactly when
//!   one of their days lies in it with its previous day before `from`, so
//!   `distinct customers = Σ rows with from <= day <= to and prev < from`;
//! - **spans** `(kind, start, end)`: one per customer. `Repeat` runs from
//!   the first purchase to the day the customer's purchases reach two
//!   ([`NEVER`] if not yet); `Tenure` from the first activity to the first
//!   cancellation or non-renewal ([`NEVER`] if none).
//!
//! Then, for a window: purchasers, active customers and referrers are day
//! sums; first-time-only purchasers are the `Repeat` spans starting in the
//! window and ending after it; customers active at the start are the
//! `Tenure` spans starting before it and not ended before it (read as the
//! `TenureStart` rows before it less the `TenureEnd` rows before it, which
//! hold a row per day, not per customer), and churned ones those of them
//! that end inside it. Late or back-dated activity is
//! handled by replacing a customer's whole contribution ([`contribution`]
//! before and after), which is what the store does at each write.

use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// The "previous day" of a customer's first day of a family: before any
/// window. A real date both databases store and order (not `NaiveDate::MIN`).
pub const NONE_BEFORE: NaiveDate = match NaiveDate::from_ymd_opt(1, 1, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};
/// The end of a span that has not ended: after any window.
pub const NEVER: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// The activity kinds that end a customer's tenure.
pub const DEFECTIONS: [&str; 2] = ["cancellation", "non_renewal"];

/// Which days a `days` row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    /// Any event or response.
    Any,
    Purchase,
    Referral,
}

impl Family {
    pub const ALL: [Family; 3] = [Family::Any, Family::Purchase, Family::Referral];

    pub fn key(self) -> &'static str {
        match self {
            Family::Any => "any",
            Family::Purchase => "purchase",
            Family::Referral => "referral",
        }
    }

    pub fn parse(s: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.key() == s)
    }

    fn counts(self, kind: &str) -> bool {
        match self {
            Family::Any => true,
            Family::Purchase => kind == "purchase",
            Family::Referral => kind == "referral",
        }
    }
}

/// Which span a `spans` row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Span {
    /// First purchase → the day purchases reach two.
    Repeat,
    /// First activity → first cancellation or non-renewal.
    Tenure,
    /// The start of a `Tenure` span alone (`start` = its first day, `end` =
    /// [`NEVER`]), so that the rows of one day add up to one row.
    TenureStart,
    /// The end of an ended `Tenure` span alone (`start` = the day it
    /// ended, `end` = [`NEVER`]).
    TenureEnd,
}

impl Span {
    pub const ALL: [Span; 4] = [Span::Repeat, Span::Tenure, Span::TenureStart, Span::TenureEnd];

    pub fn key(self) -> &'static str {
        match self {
            Span::Repeat => "repeat",
            Span::Tenure => "tenure",
            Span::TenureStart => "tenure_start",
            Span::TenureEnd => "tenure_end",
        }
    }

    pub fn parse(s: &str) -> Option<Span> {
        Span::ALL.into_iter().find(|f| f.key() == s)
    }
}

/// One day of a customer's activity: the kind and how many times.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity<'a> {
    pub day: NaiveDate,
    pub kind: &'a str,
    pub n: i64,
}

/// What one customer's history adds to the rollups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contribution {
    pub days: Vec<(Family, NaiveDate, NaiveDate)>,
    pub spans: Vec<(Span, NaiveDate, NaiveDate)>,
}

/// The rows one customer's history (in any order) contributes. A customer
/// with no activity contributes nothing.
pub fn contribution(history: &[Activity<'_>]) -> Contribution {
    let mut out = Contribution::default();
    if history.iter().all(|a| a.n <= 0) {
        return out;
    }
    for family in Family::ALL {
        let days: BTreeSet<NaiveDate> =
            history.iter().filter(|a| a.n > 0 && family.counts(a.kind)).map(|a| a.day).collect();
        let mut prev = NONE_BEFORE;
        for day in days {
            out.days.push((family, day, prev));
            prev = day;
        }
    }
    let mut purchases: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for a in history.iter().filter(|a| a.kind == "purchase" && a.n > 0) {
        *purchases.entry(a.day).or_default() += a.n;
    }
    if let Some(first) = purchases.keys().next().copied() {
        let mut total = 0;
        let second = purchases
            .iter()
            .find(|(_, n)| {
                total += **n;
                total >= 2
            })
            .map_or(NEVER, |(d, _)| *d);
        out.spans.push((Span::Repeat, first, second));
    }
    let active = history.iter().filter(|a| a.n > 0);
    if let Some(first) = active.clone().map(|a| a.day).min() {
        let left = active.filter(|a| DEFECTIONS.contains(&a.kind)).map(|a| a.day).min().unwrap_or(NEVER);
        out.spans.push((Span::Tenure, first, left));
        // Customers active when a window starts are the tenures begun and
        // not ended before it: (starts before) - (ends before), two sums
        // over at most a row per day, where the `Tenure` rows (one per
        // first day and end) would be read by the million.
        out.spans.push((Span::TenureStart, first, NEVER));
        if left != NEVER {
            out.spans.push((Span::TenureEnd, left, NEVER));
        }
    }
    out
}

/// Summed changes to the rollups, by row.
/// The rows that differ between two contributions, each with +1 (only in
/// the new one) or −1 (only in the old). Ingestion replaces a customer's
/// contribution by one that differs in a few rows out of dozens: adding
/// only those, rather than every row of both, keeps the work per item
/// constant as histories grow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pub days: Vec<((Family, NaiveDate, NaiveDate), i64)>,
    pub spans: Vec<((Span, NaiveDate, NaiveDate), i64)>,
}

impl Change {
    pub fn between(before: &Contribution, after: &Contribution) -> Change {
        Change { days: differences(&before.days, &after.days), spans: differences(&before.spans, &after.spans) }
    }

    pub fn is_empty(&self) -> bool {
        self.days.is_empty() && self.spans.is_empty()
    }
}

/// The multiset difference `after − before`, by a merge of the two sorted.
fn differences<K: Ord + Copy>(before: &[K], after: &[K]) -> Vec<(K, i64)> {
    let (mut b, mut a) = (before.to_vec(), after.to_vec());
    b.sort_unstable();
    a.sort_unstable();
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    while i < b.len() || j < a.len() {
        match (b.get(i), a.get(j)) {
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                out.push((*x, -1));
                i += 1;
            }
            (Some(x), None) => {
                out.push((*x, -1));
                i += 1;
            }
            (_, Some(y)) => {
                out.push((*y, 1));
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BehaviourDeltas {
    pub days: BTreeMap<(Family, NaiveDate, NaiveDate), i64>,
    pub spans: BTreeMap<(Span, NaiveDate, NaiveDate), i64>,
}

impl BehaviourDeltas {
    /// Adds (`sign` 1) or takes away (−1) a customer's contribution.
    pub fn add(&mut self, c: &Contribution, sign: i64) {
        for row in &c.days {
            *self.days.entry(*row).or_default() += sign;
        }
        for row in &c.spans {
            *self.spans.entry(*row).or_default() += sign;
        }
    }

    /// Replaces `before` by `after`: what changed when a customer's history did.
    pub fn replace(&mut self, before: &Contribution, after: &Contribution) {
        self.apply(&Change::between(before, after));
    }

    /// Adds a change worked out once (for a customer counted in several
    /// segments).
    pub fn apply(&mut self, change: &Change) {
        for (row, n) in &change.days {
            *self.days.entry(*row).or_default() += n;
        }
        for (row, n) in &change.spans {
            *self.spans.entry(*row).or_default() += n;
        }
    }

    /// Drops rows that cancelled out.
    pub fn prune(&mut self) {
        self.days.retain(|_, n| *n != 0);
        self.spans.retain(|_, n| *n != 0);
    }

    pub fn is_empty(&self) -> bool {
        self.days.is_empty() && self.spans.is_empty()
    }
}

/// The counts of a window read from summed rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WindowCounts {
    pub purchasers: i64,
    pub repeat_purchasers: i64,
    pub active: i64,
    pub referrers: i64,
    pub active_at_start: i64,
    pub churned: i64,
}

/// Evaluates a window over rows in memory: the reference the SQL reads of
/// the store must agree with (and what the tests check them against).
pub fn window(deltas: &BehaviourDeltas, from: NaiveDate, to: NaiveDate) -> WindowCounts {
    let day_sum = |family: Family| -> i64 {
        deltas
            .days
            .iter()
            .filter(|((f, d, p), _)| *f == family && *d >= from && *d <= to && *p < from)
            .map(|(_, n)| n)
            .sum()
    };
    let span_sum = |span: Span, keep: &dyn Fn(NaiveDate, NaiveDate) -> bool| -> i64 {
        deltas.spans.iter().filter(|((s, a, b), _)| *s == span && keep(*a, *b)).map(|(_, n)| n).sum()
    };
    let purchasers = day_sum(Family::Purchase);
    let first_time_only = span_sum(Span::Repeat, &|a, b| a >= from && a <= to && b > to);
    WindowCounts {
        purchasers,
        repeat_purchasers: purchasers - first_time_only,
        active: day_sum(Family::Any),
        referrers: day_sum(Family::Referral),
        // Read as the store reads it: tenures begun before `from` less those
        // ended before it (an end is never before its start).
        active_at_start: span_sum(Span::TenureStart, &|a, _| a < from) - span_sum(Span::TenureEnd, &|a, _| a < from),
        churned: span_sum(Span::Tenure, &|a, b| a < from && b >= from && b <= to),
    }
}

/// One day of a customer's activity with where it happened: what the
/// touchpoint-filtered rates read.
#[derive(Debug, Clone, PartialEq)]
pub struct Touch<'a> {
    pub day: NaiveDate,
    pub kind: &'a str,
    pub touchpoint: Option<crate::Id>,
    pub n: i64,
}

/// One customer's counts (each 0 or 1) over `from..=to`, by the
/// definitions of the rates, from their whole history.
pub fn customer_window(history: &[Touch<'_>], from: NaiveDate, to: NaiveDate) -> WindowCounts {
    let live = || history.iter().filter(|a| a.n > 0);
    let inside = |a: &&Touch<'_>| a.day >= from && a.day <= to;
    let bought_in = live().filter(inside).any(|a| a.kind == "purchase");
    let bought_by_end: i64 = live().filter(|a| a.kind == "purchase" && a.day <= to).map(|a| a.n).sum();
    let before = live().any(|a| a.day < from);
    let left_before = live().any(|a| a.day < from && DEFECTIONS.contains(&a.kind));
    let at_start = before && !left_before;
    WindowCounts {
        purchasers: bought_in as i64,
        repeat_purchasers: (bought_in && bought_by_end >= 2) as i64,
        active: live().any(|a| inside(&a)) as i64,
        referrers: live().filter(inside).any(|a| a.kind == "referral") as i64,
        active_at_start: at_start as i64,
        churned: (at_start && live().filter(inside).any(|a| DEFECTIONS.contains(&a.kind))) as i64,
    }
}

/// The counts over each of `windows` (in order, not overlapping) of the
/// customers who, within that window, had activity at one of
/// `touchpoints`; each customer given as their whole history. A customer
/// is evaluated only in the windows they touched, so the work is bounded by
/// their activity, not by customers × windows.
pub fn touched_windows<'a>(
    customers: impl IntoIterator<Item = &'a [Touch<'a>]>,
    windows: &[(NaiveDate, NaiveDate)],
    touchpoints: &[crate::Id],
) -> Vec<WindowCounts> {
    let mut out = vec![WindowCounts::default(); windows.len()];
    for history in customers {
        let touched: BTreeSet<usize> = history
            .iter()
            .filter(|a| a.n > 0 && a.touchpoint.is_some_and(|t| touchpoints.contains(&t)))
            .filter_map(|a| {
                let i = windows.partition_point(|(_, to)| *to < a.day);
                (i < windows.len() && windows[i].0 <= a.day).then_some(i)
            })
            .collect();
        for i in touched {
            let c = customer_window(history, windows[i].0, windows[i].1);
            let w = &mut out[i];
            w.purchasers += c.purchasers;
            w.repeat_purchasers += c.repeat_purchasers;
            w.active += c.active;
            w.referrers += c.referrers;
            w.active_at_start += c.active_at_start;
            w.churned += c.churned;
        }
    }
    out
}

#[cfg(test)]
mod tests;
