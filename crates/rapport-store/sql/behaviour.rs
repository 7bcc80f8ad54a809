//! The behaviour rollups (`behaviour_days`, `behaviour_spans`; see
//! `rapport_core::measure::behaviour` for what the rows mean and why they
//! add up). Every write that changes a customer's activity replaces that
//! customer's contribution inside its transaction: the contribution of the
//! activity as it was, taken away, and of the activity with the batch,
//! added. So late and back-dated feedback, erasure and the rebuild all keep
//! the rows equal to a recomputation from `activity` (the rollup story
//! checks it on both backends). Rows are kept per segment as the score
//! rollups are: segment 0 ([`m::EVERYONE`]) counts every customer, and a
//! change of membership moves the customer's contribution between segments.

use super::histories::{self, TouchHistory};
use super::rollups::members_of;
use super::window_sum::{self, PerDay, Rows};
use super::Conn;
use crate::dialect::Db;
use chrono::NaiveDate;
use rapport_core::measure::behaviour::{contribution, Activity, BehaviourDeltas, Change, Family, Span, WindowCounts};
use rapport_core::Id;
use rapport_store::rows::listening as l;
use rapport_store::rows::measure as m;
use rapport_store::Result;
use std::collections::{BTreeMap, HashMap};

/// A customer's activity summed per day and kind.
type History = BTreeMap<(NaiveDate, String), i64>;

/// Deltas per segment (0: everyone).
type Deltas = BTreeMap<Id, BehaviourDeltas>;

/// The segments a customer's rows count in: everyone and their segments.
fn counted_in(members: &HashMap<Id, Vec<Id>>, customer: Id) -> Vec<Id> {
    m::rollup_segments(members.get(&customer))
}

/// A customer's activity summed over touchpoints: what the rollups count.
fn by_day(h: &TouchHistory) -> History {
    let mut out = History::new();
    for ((day, kind, _), n) in h {
        *out.entry((*day, kind.clone())).or_default() += n;
    }
    out
}

fn activities(h: &History) -> Vec<Activity<'_>> {
    h.iter().map(|((day, kind), n)| Activity { day: *day, kind, n: *n }).collect()
}

/// Replaces the contributions of the customers in `batch` (activity about
/// to be added) by what their activity will be. Runs before the batch is
/// written to `activity`. `members` are the customers' current segments
/// (the caller has read them for the score rollups already).
pub(crate) async fn add_activity(
    c: &mut Conn,
    org: Id,
    batch: &m::ActivityDeltas,
    members: &HashMap<Id, Vec<Id>>,
) -> Result<()> {
    let customers: Vec<Id> = l::distinct(batch.0.keys().map(|k| k.0));
    let mut histories = histories::read(c, &customers).await?;
    let kinds: std::collections::BTreeSet<&str> = batch.0.keys().map(|k| k.2.as_str()).collect();
    let perfect = super::perfect_behaviour_state::before(c, org, &kinds, &customers, &histories).await?;
    let before: HashMap<Id, History> =
        customers.iter().map(|id| (*id, histories.get(id).map(by_day).unwrap_or_default())).collect();
    for ((customer, day, kind, touchpoint), (n, _)) in &batch.0 {
        *histories.entry(*customer).or_default().entry((*day, kind.clone(), *touchpoint)).or_default() += n;
    }
    let mut deltas = Deltas::new();
    for (customer, before) in &before {
        let after = histories.get(customer).map(by_day).unwrap_or_default();
        let change = Change::between(&contribution(&activities(before)), &contribution(&activities(&after)));
        if change.is_empty() {
            continue;
        }
        for segment in counted_in(members, *customer) {
            deltas.entry(segment).or_default().apply(&change);
        }
    }
    perfect.apply(c, org, &histories).await?;
    histories::write(c, org, &histories).await?;
    apply(c, org, deltas).await
}

/// Takes a customer's whole contribution away (erasure), before their
/// activity is deleted.
pub(crate) async fn remove_customer(c: &mut Conn, org: Id, customer: Id) -> Result<()> {
    let stored = histories::read(c, &[customer]).await?;
    let members = members_of(c, org, &[customer]).await?;
    let mut deltas = Deltas::new();
    if let Some(h) = stored.get(&customer) {
        super::perfect_behaviour_state::remove_customer(c, org, h).await?;
        let gone = contribution(&activities(&by_day(h)));
        for segment in counted_in(&members, customer) {
            deltas.entry(segment).or_default().add(&gone, -1);
        }
    }
    apply(c, org, deltas).await
}

/// Moves the contributions of customers whose segments changed from their
/// old segments to their new ones.
pub(crate) async fn move_members(c: &mut Conn, org: Id, changes: &m::MembershipChanges) -> Result<()> {
    let customers: Vec<Id> = changes.keys().copied().collect();
    let stored = histories::read(c, &customers).await?;
    let mut deltas = Deltas::new();
    for (customer, (old, new)) in changes {
        let Some(h) = stored.get(customer) else { continue };
        let theirs = contribution(&activities(&by_day(h)));
        for (segment, sign) in m::membership_moves(old, new) {
            deltas.entry(segment).or_default().add(&theirs, sign);
        }
    }
    apply(c, org, deltas).await
}

/// Upserts the summed deltas.
async fn apply(c: &mut Conn, org: Id, deltas: Deltas) -> Result<()> {
    let mut days = Vec::new();
    let mut spans = Vec::new();
    for (segment, mut d) in deltas {
        d.prune();
        days.extend(d.days.into_iter().map(|(k, n)| (segment, k, n)));
        spans.extend(d.spans.into_iter().map(|(k, n)| (segment, k, n)));
    }
    for chunk in days.chunks(l::rows_per_insert(6)) {
        let mut qb =
            sqlx::QueryBuilder::<Db>::new("INSERT INTO behaviour_days (org_id, segment_id, family, day, prev_day, n) ");
        qb.push_values(chunk, |mut b, (segment, (family, day, prev), n)| {
            b.push_bind(org).push_bind(*segment).push_bind(family.key()).push_bind(*day).push_bind(*prev).push_bind(*n);
        });
        qb.push(
            " ON CONFLICT (org_id, segment_id, family, day, prev_day) DO UPDATE SET n = behaviour_days.n + excluded.n",
        );
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    for chunk in spans.chunks(l::rows_per_insert(6)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO behaviour_spans (org_id, segment_id, span, start_day, end_day, n) ",
        );
        qb.push_values(chunk, |mut b, (segment, (span, start, end), n)| {
            b.push_bind(org).push_bind(*segment).push_bind(span.key()).push_bind(*start).push_bind(*end).push_bind(*n);
        });
        qb.push(
            " ON CONFLICT (org_id, segment_id, span, start_day, end_day) DO UPDATE SET n = behaviour_spans.n + excluded.n",
        );
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    let totals = totals(&days, &spans);
    for chunk in totals.chunks(l::rows_per_insert(5)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new("INSERT INTO behaviour_totals (org_id, segment_id, kind, day, n) ");
        qb.push_values(chunk, |mut b, ((segment, kind, day), n)| {
            b.push_bind(org).push_bind(*segment).push_bind(*kind).push_bind(*day).push_bind(*n);
        });
        qb.push(" ON CONFLICT (org_id, segment_id, kind, day) DO UPDATE SET n = behaviour_totals.n + excluded.n");
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

/// A kept total: segment, a family's or span's key, and the day (a span's
/// start day).
type TotalKey = (Id, &'static str, NaiveDate);

/// What the deltas change in `behaviour_totals`: per segment, family and
/// day the sum over previous days, per segment, span and start day the sum
/// over end days; those summing to nothing left out.
fn totals(
    days: &[(Id, (Family, NaiveDate, NaiveDate), i64)],
    spans: &[(Id, (Span, NaiveDate, NaiveDate), i64)],
) -> Vec<(TotalKey, i64)> {
    let by_day = days.iter().map(|(segment, (family, day, _), n)| ((*segment, family.key(), *day), *n));
    let by_start = spans.iter().map(|(segment, (span, start, _), n)| ((*segment, span.key(), *start), *n));
    window_sum::totals(by_day.chain(by_start))
}

/// The most windows one statement reads (five binds each).
const WINDOWS_PER_READ: usize = 500;

/// The windows as a table `w (i, f, t, b, a)` (position, first and last
/// day, and whether the days' rows are read from before the window and the
/// spans' from after it: `window_sum::outside_is_shorter`, given the
/// history's first and last day) at the start of a statement, so that one
/// statement sums every window: a daily series is one read, not one per
/// day.
fn with_windows<'a>(
    windows: &[(usize, (NaiveDate, NaiveDate))],
    (first, last): (Option<NaiveDate>, Option<NaiveDate>),
) -> sqlx::QueryBuilder<'a, Db> {
    let mut qb = sqlx::QueryBuilder::<Db>::new("WITH w (i, f, t, b, a) AS (");
    qb.push_values(windows, |mut b, (i, w)| {
        let before = window_sum::outside_is_shorter(window_sum::days_before(first, *w), *w);
        let after = window_sum::outside_is_shorter(window_sum::days_after(last, *w), *w);
        b.push_bind(*i as i64).push_bind(w.0).push_bind(w.1).push_bind(i64::from(before)).push_bind(i64::from(after));
    });
    qb.push(") ");
    qb
}

/// The segment's first and last day of activity (of any kind: every day a
/// span starts or ends on is one), each one seek of the totals' key.
async fn history(c: &mut Conn, org: Id, segment: Id) -> Result<(Option<NaiveDate>, Option<NaiveDate>)> {
    let of_any = "FROM behaviour_totals WHERE org_id = $1 AND segment_id = $2 AND kind = $3";
    Ok(sqlx::query_as(&format!("SELECT (SELECT MIN(day) {of_any}), (SELECT MAX(day) {of_any})"))
        .bind(org)
        .bind(segment)
        .bind(Family::Any.key())
        .fetch_one(&mut *c)
        .await?)
}

/// Each window's counts for the segment (`None`: every customer), from the
/// rollups: per window, sums bounded by the window's length, never by the
/// number of customers or the length of the history (see `window_sum`);
/// `rapport_core::measure::behaviour::window` is the reference they must
/// agree with. One statement for every window, each sum correlated (a join
/// on the windows read every key from the window's first day on).
pub(crate) async fn windows_counts(
    c: &mut Conn,
    org: Id,
    segment: Option<Id>,
    windows: &[(NaiveDate, NaiveDate)],
) -> Result<Vec<WindowCounts>> {
    let segment = segment.unwrap_or(m::EVERYONE);
    let mut out = Vec::with_capacity(windows.len());
    let numbered: Vec<(usize, (NaiveDate, NaiveDate))> = windows.iter().copied().enumerate().collect();
    let history = if windows.is_empty() { (None, None) } else { history(c, org, segment).await? };
    for chunk in numbered.chunks(WINDOWS_PER_READ) {
        let mut qb = with_windows(chunk, history);
        qb.push("SELECT w.i");
        let scope = [("org_id", org), ("segment_id", segment)];
        let rows = |table, day_column, kind_column, kind| Rows {
            table,
            day_column,
            totals: "behaviour_totals",
            kind_column: (kind_column, "kind"),
            kind,
            scope: &scope,
        };
        for family in [Family::Any, Family::Purchase, Family::Referral] {
            // Customers with a family's day in the window: the rows whose
            // previous day is before it, or the days' totals less those
            // whose previous day is in it.
            let days = rows("behaviour_days", "day", "family", family.key());
            let per_day = PerDay::Either { less: "prev_day >= w.f", only: "prev_day < w.f", flag: "b" };
            window_sum::push(&mut qb, &days, per_day);
        }
        // 'repeat' spans starting in the window and ending after it (the
        // first-time-only purchasers): read so, or as those starting less
        // those ending in the window.
        let repeat = rows("behaviour_spans", "start_day", "span", Span::Repeat.key());
        let per_day = PerDay::Either { less: "end_day <= w.t", only: "end_day > w.t", flag: "a" };
        window_sum::push(&mut qb, &repeat, per_day);
        // Churned: tenures ending in the window (one row per day) less
        // those that also began in it (an end is never before its start).
        qb.push(", (SELECT CAST(COALESCE(SUM(x.n), 0) AS BIGINT) FROM behaviour_spans x WHERE x.org_id = ")
            .push_bind(org)
            .push(" AND x.segment_id = ")
            .push_bind(segment)
            .push(format!(" AND x.span = '{}' AND x.start_day >= w.f AND x.start_day <= w.t)", Span::TenureEnd.key()));
        let tenure = rows("behaviour_spans", "start_day", "span", Span::Tenure.key());
        window_sum::push(&mut qb, &tenure, PerDay::Only("end_day <= w.t"));
        qb.push(" FROM w ORDER BY w.i");
        type Sums = (i64, i64, i64, i64, i64, i64, i64);
        let rows: Vec<Sums> = qb.build_query_as().persistent(false).fetch_all(&mut *c).await?;
        for (_, active, purchasers, referrers, first_only, ending, both) in rows {
            out.push(WindowCounts {
                purchasers,
                repeat_purchasers: purchasers - first_only,
                active,
                referrers,
                active_at_start: 0,
                churned: ending - both,
            });
        }
    }
    let starts: Vec<NaiveDate> = windows.iter().map(|w| w.0).collect();
    for (w, n) in out.iter_mut().zip(at_start(c, org, segment, &starts).await?) {
        w.active_at_start = n;
    }
    Ok(out)
}

/// The customers there at each of `starts`: tenures begun before it less
/// those ended before it. The tenure edges hold a row per day, so the
/// edges before the last start are read once (a row per day and edge) and
/// added up in order, rather than summed again for every window.
async fn at_start(c: &mut Conn, org: Id, segment: Id, starts: &[NaiveDate]) -> Result<Vec<i64>> {
    let Some(last) = starts.iter().max() else { return Ok(Vec::new()) };
    let edges: Vec<(NaiveDate, i64)> = sqlx::query_as(
        "SELECT start_day, CAST(SUM(CASE WHEN span = $3 THEN n ELSE -n END) AS BIGINT) FROM behaviour_spans \
         WHERE org_id = $1 AND segment_id = $2 AND span IN ($3, $4) AND start_day < $5 \
         GROUP BY start_day ORDER BY start_day",
    )
    .bind(org)
    .bind(segment)
    .bind(Span::TenureStart.key())
    .bind(Span::TenureEnd.key())
    .bind(*last)
    .fetch_all(&mut *c)
    .await?;
    // Running totals: the customers there at the start of each edge's next day.
    let totals: Vec<i64> = edges
        .iter()
        .scan(0, |t, (_, n)| {
            *t += n;
            Some(*t)
        })
        .collect();
    Ok(starts
        .iter()
        .map(|start| match edges.partition_point(|(day, _)| day < start) {
            0 => 0,
            i => totals[i - 1],
        })
        .collect())
}
