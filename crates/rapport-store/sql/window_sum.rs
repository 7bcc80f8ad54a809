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
//! most the window's length.

use crate::dialect::Db;
use rapport_core::Id;
use std::collections::BTreeMap;

/// Which rows of each day of a window [`push`] counts.
#[derive(Clone, Copy)]
pub(crate) enum PerDay {
    /// The day's kept total less its rows that meet the condition.
    TotalLess,
    /// Its rows that meet the condition.
    Only,
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
/// total, of what `per_day` counts of the day's rows meeting `x.<within>`)`.
/// The day's rows are read in a subquery of their own: a join on
/// `x.<day> = t.day` let SQLite carry the window's bounds on `t.day` over
/// to `x`, and range over the whole window for every day.
pub(crate) fn push(qb: &mut sqlx::QueryBuilder<'_, Db>, rows: &Rows<'_>, within: &str, per_day: PerDay) {
    let total = match per_day {
        PerDay::TotalLess => "t.n - ",
        PerDay::Only => "",
    };
    let (table_kind, totals_kind) = rows.kind_column;
    qb.push(format!(", (SELECT CAST(COALESCE(SUM({total}(SELECT COALESCE(SUM(x.n), 0) FROM {} x WHERE ", rows.table));
    push_scope(qb, "x", rows.scope);
    qb.push(format!(
        " AND x.{table_kind} = '{}' AND x.{} = t.day AND x.{within})), 0) AS BIGINT) FROM {} t WHERE ",
        rows.kind, rows.day_column, rows.totals
    ));
    push_scope(qb, "t", rows.scope);
    qb.push(format!(" AND t.{totals_kind} = '{}' AND t.day >= w.f AND t.day <= w.t)", rows.kind));
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
