//! The write-time rows of perfect behaviours (`perfect_behaviour_days`;
//! what they mean is `rapport_core::plan::perfect_behaviour::state`).
//!
//! Ingestion (through `behaviour::add_activity`, which already reads the
//! touched customers' activity histories) calls [`before`] with the
//! histories as stored and [`Pending::apply`] with them once the batch is
//! added: for each behaviour whose event type the batch holds, each touched
//! customer's contribution is replaced. Erasure takes the customer's
//! contribution away ([`remove_customer`]). A new or changed rule is
//! counted from every customer's history ([`recount`]), in chunks of
//! [`RECOUNT_CHUNK`] customers inside the caller's transaction.

use super::histories::{self, TouchHistory};
use super::window_sum::{self, PerDay, Rows};
use super::Conn;
use crate::dialect::Db;
use chrono::NaiveDate;
use rapport_core::plan::perfect_behaviour::state::{contribution, matches, Counts, DayDeltas, Matches, Part};
use rapport_core::plan::perfect_behaviour::{Base, Rule};
use rapport_core::Id;
use rapport_store::rows::listening as l;
use rapport_store::Result;
use std::collections::{BTreeSet, HashMap};

/// Customers read per statement when a rule is counted afresh.
pub(crate) const RECOUNT_CHUNK: i64 = 1000;

/// The customer's matching events, from their stored history.
fn matches_in(rule: &Rule, h: &TouchHistory) -> Matches {
    matches(rule, h.iter().map(|((day, kind, tp), n)| (*day, kind.as_str(), (*tp != 0).then_some(*tp), *n)))
}

/// A rule as stored: id, event type, touchpoint, count, window, base.
type RuleRow = (Id, String, Option<Id>, i64, Option<i64>, String);

/// The organization's rules, by behaviour id.
pub(crate) async fn rules(c: &mut Conn, org: Id) -> Result<Vec<(Id, Rule)>> {
    let rows: Vec<RuleRow> = sqlx::query_as(
        "SELECT id, event_type, touchpoint_id, count, window_days, base FROM perfect_behaviours \
         WHERE org_id = $1 ORDER BY id",
    )
    .bind(org)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, event_type, touchpoint_id, count, window_days, base)| {
            let base = Base::parse(&base).unwrap_or_default();
            (id, Rule { event_type, touchpoint_id, count, window_days, base })
        })
        .collect())
}

/// The touched customers' matching events before a batch, per behaviour
/// the batch can change.
pub(crate) struct Pending {
    before: Vec<(Id, Rule, HashMap<Id, Matches>)>,
}

/// Reads what [`Pending::apply`] needs: the rules naming one of `kinds`,
/// and each touched customer's matches as stored.
pub(crate) async fn before(
    c: &mut Conn,
    org: Id,
    kinds: &BTreeSet<&str>,
    customers: &[Id],
    stored: &HashMap<Id, TouchHistory>,
) -> Result<Pending> {
    let mut out = Vec::new();
    for (id, rule) in rules(c, org).await? {
        if !kinds.contains(rule.event_type.as_str()) {
            continue;
        }
        let before = customers
            .iter()
            .map(|cu| (*cu, stored.get(cu).map(|h| matches_in(&rule, h)).unwrap_or_default()))
            .collect();
        out.push((id, rule, before));
    }
    Ok(Pending { before: out })
}

impl Pending {
    /// Replaces each touched customer's contribution by the one of their
    /// history with the batch (`after`).
    pub(crate) async fn apply(self, c: &mut Conn, org: Id, after: &HashMap<Id, TouchHistory>) -> Result<()> {
        for (id, rule, before) in self.before {
            let mut deltas = DayDeltas::default();
            for (customer, was) in &before {
                let now = after.get(customer).map(|h| matches_in(&rule, h)).unwrap_or_default();
                deltas.replace(&rule, was, &now);
            }
            write_deltas(c, org, id, deltas).await?;
        }
        Ok(())
    }
}

/// Takes an erased customer's contribution away, before their history goes.
pub(crate) async fn remove_customer(c: &mut Conn, org: Id, history: &TouchHistory) -> Result<()> {
    for (id, rule) in rules(c, org).await? {
        let mut deltas = DayDeltas::default();
        deltas.add(&contribution(&rule, &matches_in(&rule, history)), -1);
        write_deltas(c, org, id, deltas).await?;
    }
    Ok(())
}

/// Counts a behaviour afresh from every customer's history: its rows are
/// deleted, then the histories holding its event type are read by key
/// range, [`RECOUNT_CHUNK`] customers per statement, and each chunk's rows
/// written before the next is read (memory stays bounded).
pub(crate) async fn recount(c: &mut Conn, org: Id, id: Id, rule: &Rule) -> Result<()> {
    for sql in [
        "DELETE FROM perfect_behaviour_days WHERE org_id = $1 AND behaviour_id = $2",
        "DELETE FROM perfect_behaviour_totals WHERE org_id = $1 AND behaviour_id = $2",
    ] {
        sqlx::query(sql).bind(org).bind(id).execute(&mut *c).await?;
    }
    // Items are "day kind touchpoint n": the kind stands between spaces.
    // ('_' in a kind is LIKE's any-character: a few more rows, never fewer.)
    let pattern = format!("% {} %", rule.event_type);
    let mut after: Id = 0;
    loop {
        let rows: Vec<(Id, String)> = sqlx::query_as(
            "SELECT customer_id, history FROM activity_histories \
             WHERE org_id = $1 AND customer_id > $2 AND history LIKE $3 ORDER BY customer_id LIMIT $4",
        )
        .bind(org)
        .bind(after)
        .bind(&pattern)
        .bind(RECOUNT_CHUNK)
        .fetch_all(&mut *c)
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.0;
        let mut deltas = DayDeltas::default();
        for (_, packed) in &rows {
            let items = histories::unpack(packed)?;
            let m = matches(rule, items.iter().map(|t| (t.day, t.kind, t.touchpoint, t.n)));
            deltas.add(&contribution(rule, &m), 1);
        }
        write_deltas(c, org, id, deltas).await?;
    }
    Ok(())
}

/// Upserts summed deltas.
async fn write_deltas(c: &mut Conn, org: Id, id: Id, mut deltas: DayDeltas) -> Result<()> {
    deltas.prune();
    let rows: Vec<_> = deltas.0.into_iter().collect();
    for chunk in rows.chunks(l::rows_per_insert(6)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO perfect_behaviour_days (org_id, behaviour_id, part, day, prev_day, n) ",
        );
        qb.push_values(chunk, |mut b, ((part, day, prev), n)| {
            b.push_bind(org).push_bind(id).push_bind(part.key()).push_bind(*day).push_bind(*prev).push_bind(*n);
        });
        qb.push(
            " ON CONFLICT (behaviour_id, part, day, prev_day) DO UPDATE SET n = perfect_behaviour_days.n + excluded.n",
        );
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    // The days' totals (see `window_sum`), those summing to nothing left out.
    let totals = window_sum::totals(rows.iter().map(|((part, day, _), n)| ((*part, *day), *n)));
    for chunk in totals.chunks(l::rows_per_insert(5)) {
        let mut qb =
            sqlx::QueryBuilder::<Db>::new("INSERT INTO perfect_behaviour_totals (org_id, behaviour_id, part, day, n) ");
        qb.push_values(chunk, |mut b, ((part, day), n)| {
            b.push_bind(org).push_bind(id).push_bind(part.key()).push_bind(*day).push_bind(*n);
        });
        qb.push(" ON CONFLICT (behaviour_id, part, day) DO UPDATE SET n = perfect_behaviour_totals.n + excluded.n");
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

/// The most windows one statement reads (three binds each).
const WINDOWS_PER_READ: usize = 500;

/// Each window's eligible and showing customers: per window, two sums
/// over the behaviour's rows bounded by the window's length (the distinct
/// customers of any window, see the core's `state` and `window_sum`). With
/// the base `active`, the eligible are the activity rollups' active
/// customers of the window.
pub(crate) async fn counts(
    c: &mut Conn,
    org: Id,
    id: Id,
    base: Base,
    windows: &[(NaiveDate, NaiveDate)],
) -> Result<Vec<Counts>> {
    let mut out = Vec::with_capacity(windows.len());
    let numbered: Vec<(usize, (NaiveDate, NaiveDate))> = windows.iter().copied().enumerate().collect();
    for chunk in numbered.chunks(WINDOWS_PER_READ) {
        let mut qb = sqlx::QueryBuilder::<Db>::new("WITH w (i, f, t) AS (");
        qb.push_values(chunk, |mut b, (i, (from, to))| {
            b.push_bind(*i as i64).push_bind(*from).push_bind(*to);
        });
        qb.push(") SELECT w.i");
        let scope = [("behaviour_id", id), ("org_id", org)];
        for part in [Part::Eligible, Part::Shown] {
            let rows = Rows {
                table: "perfect_behaviour_days",
                day_column: "day",
                totals: "perfect_behaviour_totals",
                kind_column: ("part", "part"),
                kind: part.key(),
                scope: &scope,
            };
            window_sum::push(&mut qb, &rows, PerDay::TotalLess("prev_day >= w.f"));
        }
        qb.push(" FROM w ORDER BY w.i");
        let rows: Vec<(i64, i64, i64)> = qb.build_query_as().persistent(false).fetch_all(&mut *c).await?;
        out.extend(rows.into_iter().map(|(_, eligible, shown)| Counts { eligible, shown }));
    }
    if base == Base::Active {
        let active = super::behaviour::windows_counts(c, org, None, windows).await?;
        for (counts, w) in out.iter_mut().zip(active) {
            counts.eligible = w.active;
        }
    }
    Ok(out)
}
