//! The distinct customers of a window, from rows keyed by a day and the
//! day before it that the same customer had (`behaviour_days`,
//! `perfect_behaviour_days`) or by a span's start and end
//! (`behaviour_spans`), with the rows' sums per day kept beside them
//! (`behaviour_totals`, `perfect_behaviour_totals`).
//!
//! The customers of `[f, t]` are the rows with the day in the window and
//! the previous day before it. Summed as they stand, that is every row of
//! every day of the window: one per previous day a customer could have
//! had, up to the whole history's, so the read grew with the history and
//! the number of customers (a month's window read about 7,000 rows at a
//! million responses). Summed as each day's kept total less its rows whose
//! previous day is in the window too, a window reads one range of the
//! totals and, per day of it, one seek of the rows' key with a range of at
//! most the window's length. A behaviour rate's window near the history's
//! edge (all time, the first year, one ending today for the spans) is read
//! for less from the other side: its rows whose previous day is before it (whose end is
//! after it), a range of the days between it and the edge
//! ([`outside_is_shorter`]). At a million responses, the referrers of all
//! time: 3 ms that way, 24 ms as the totals less the rows within.

use crate::dialect::Db;
use chrono::NaiveDate;
use rapport_core::Id;
use std::collections::BTreeMap;

/// Which rows of each day of a window [`push`] counts.
#[derive(Clone, Copy)]
pub(crate) enum PerDay<'a> {
    /// The day's kept total less its rows that meet this condition.
    TotalLess(&'a str),
    /// Its rows that meet this condition.
    Only(&'a str),
    /// The same sum from either side: in the windows whose `w.<flag>` is 1
    /// (see [`outside_is_shorter`]) its rows that meet `only`, else the
    /// day's kept total less its rows that meet `less`.
    Either { less: &'a str, only: &'a str, flag: &'a str },
}

/// Where a window's rows are: the rows' table and the column of the day
/// they are summed by, the totals' table, the column both name the kind
/// by and the kind, and the columns (with their values) both are scoped
/// by, the key's leading columns.
pub(crate) struct Rows<'a> {
    pub table: &'a str,
    pub day_column: &'a str,
    pub totals: &'a str,
    pub kind_column: (&'a str, &'a str),
    pub kind: &'static str,
    pub scope: &'a [(&'a str, Id)],
}

/// Pushes `, (sum over the days of the window `w (f, t)` with a kept
/// total, of what `per_day` counts of the day's rows)`.
pub(crate) fn push(qb: &mut sqlx::QueryBuilder<'_, Db>, rows: &Rows<'_>, per_day: PerDay<'_>) {
    qb.push(", ");
    match per_day {
        PerDay::TotalLess(within) => push_sum(qb, rows, within, true),
        PerDay::Only(within) => push_sum(qb, rows, within, false),
        PerDay::Either { less, only, flag } => {
            qb.push(format!("CASE WHEN w.{flag} = 1 THEN "));
            push_sum(qb, rows, only, false);
            qb.push(" ELSE ");
            push_sum(qb, rows, less, true);
            qb.push(" END");
        }
    }
}

/// `(sum over the window's days of the day's rows meeting `x.<within>`, or
/// of its total less them)`. The day's rows are read in a subquery of
/// their own: a join on `x.<day> = t.day` let SQLite carry the window's
/// bounds on `t.day` over to `x`, and range over the whole window for
/// every day.
fn push_sum(qb: &mut sqlx::QueryBuilder<'_, Db>, rows: &Rows<'_>, within: &str, total_less: bool) {
    let total = if total_less { "t.n - " } else { "" };
    let (table_kind, totals_kind) = rows.kind_column;
    qb.push(format!("(SELECT CAST(COALESCE(SUM({total}(SELECT COALESCE(SUM(x.n), 0) FROM {} x WHERE ", rows.table));
    push_scope(qb, "x", rows.scope);
    qb.push(format!(
        " AND x.{table_kind} = '{}' AND x.{} = t.day AND x.{within})), 0) AS BIGINT) FROM {} t WHERE ",
        rows.kind, rows.day_column, rows.totals
    ));
    push_scope(qb, "t", rows.scope);
    qb.push(format!(" AND t.{totals_kind} = '{}' AND t.day >= w.f AND t.day <= w.t)", rows.kind));
}

/// Whether a window's sum is read for less from outside it. Per day, the
/// rows within a window `[f, t]` are keyed by up to `t - f` other days (the
/// previous days from `f`, or the end days to `t`): on average half the
/// window's length. Those outside it, by the `outside` days between it and
/// the history's edge, plus one for "none". A window from the history's
/// start (all time; the first year) reads a row per day that way, not a
/// triangle of the window's days.
pub(crate) fn outside_is_shorter(outside: i64, (f, t): (NaiveDate, NaiveDate)) -> bool {
    (outside.max(0) + 1) * 2 < (t - f).num_days()
}

/// The days from the history's first day to the window's first, for
/// [`outside_is_shorter`] (none known: the whole of it).
pub(crate) fn days_before(first: Option<NaiveDate>, (f, _): (NaiveDate, NaiveDate)) -> i64 {
    first.map_or(0, |first| (f - first).num_days())
}

/// The days from the window's last to the history's last.
pub(crate) fn days_after(last: Option<NaiveDate>, (_, t): (NaiveDate, NaiveDate)) -> i64 {
    last.map_or(0, |last| (last - t).num_days())
}

/// `alias.column = $n AND ...` for the scope's columns.
fn push_scope(qb: &mut sqlx::QueryBuilder<'_, Db>, alias: &str, scope: &[(&str, Id)]) {
    for (i, (column, value)) in scope.iter().enumerate() {
        let and = if i == 0 { "" } else { " AND " };
        qb.push(format!("{and}{alias}.{column} = ")).push_bind(*value);
    }
}

/// The changes to kept totals that row deltas make: `(key, n)` pairs summed
/// per key, those summing to nothing left out.
pub(crate) fn totals<K: Ord>(deltas: impl IntoIterator<Item = (K, i64)>) -> Vec<(K, i64)> {
    let mut out: BTreeMap<K, i64> = BTreeMap::new();
    for (key, n) in deltas {
        *out.entry(key).or_default() += n;
    }
    out.into_iter().filter(|(_, n)| *n != 0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_window_from_the_history_start_is_read_from_outside() {
        let year = (d("2025-01-01"), d("2025-12-31"));
        assert!(outside_is_shorter(days_before(Some(d("2025-01-01")), year), year));
        assert!(outside_is_shorter(days_before(Some(d("2024-12-01")), year), year), "a month before it");
        assert!(!outside_is_shorter(days_before(Some(d("2024-01-01")), year), year), "a year before it");
        assert!(outside_is_shorter(days_before(None, year), year), "no history");
    }

    #[test]
    fn short_windows_are_read_from_inside() {
        let day = (d("2025-06-01"), d("2025-06-01"));
        assert!(!outside_is_shorter(0, day));
        let week = (d("2025-06-01"), d("2025-06-07"));
        assert!(!outside_is_shorter(days_before(Some(d("2025-05-29")), week), week));
        assert!(outside_is_shorter(days_after(Some(d("2025-06-07")), week), week), "ending on the last day");
    }
}
