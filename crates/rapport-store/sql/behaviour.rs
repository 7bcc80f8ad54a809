//! The behaviour rollups (`behaviour_days`, `behaviour_spans`; see
//! `rapport_core::measure::behaviour` for what the rows mean and why they
//! add up). Every write that changes a customer's activity replaces that
//! customer's contribution inside its transaction: the contribution of the
//! activity as it was, taken away, and of the activity with the batch,
//! added. So late and back-dated feedback, erasure and the rebuild all keep
//! the rows equal to a recomputation from `activity` (the rollup story
//! checks it on both backends).

use super::Conn;
use crate::dialect::Db;
use chrono::NaiveDate;
use rapport_core::measure::behaviour::{contribution, Activity, BehaviourDeltas, Family, Span, WindowCounts};
use rapport_core::Id;
use rapport_store::rows::listening as l;
use rapport_store::rows::measure as m;
use rapport_store::Result;
use std::collections::{BTreeMap, HashMap};

/// A customer's activity summed per day and kind.
type History = BTreeMap<(NaiveDate, String), i64>;

/// The activity of `customers` as stored now, per customer.
async fn histories(c: &mut Conn, org: Id, customers: &[Id]) -> Result<HashMap<Id, History>> {
    let mut out: HashMap<Id, History> = HashMap::new();
    for chunk in customers.chunks(l::LOOKUP_CHUNK) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "SELECT customer_id, day, kind, CAST(SUM(n) AS BIGINT) FROM activity WHERE org_id = ",
        );
        qb.push_bind(org).push(" AND customer_id IN (");
        let mut list = qb.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        list.push_unseparated(") GROUP BY customer_id, day, kind");
        let rows: Vec<(Id, NaiveDate, String, i64)> = qb.build_query_as().persistent(false).fetch_all(&mut *c).await?;
        for (customer, day, kind, n) in rows {
            *out.entry(customer).or_default().entry((day, kind)).or_default() += n;
        }
    }
    Ok(out)
}

fn activities(h: &History) -> Vec<Activity<'_>> {
    h.iter().map(|((day, kind), n)| Activity { day: *day, kind, n: *n }).collect()
}

/// Replaces the contributions of the customers in `batch` (activity about
/// to be added) by what their activity will be. Runs before the batch is
/// written to `activity`.
pub(crate) async fn add_activity(c: &mut Conn, org: Id, batch: &m::ActivityDeltas) -> Result<()> {
    let mut added: HashMap<Id, History> = HashMap::new();
    for ((customer, day, kind, _), (n, _)) in &batch.0 {
        *added.entry(*customer).or_default().entry((*day, kind.clone())).or_default() += n;
    }
    let customers: Vec<Id> = added.keys().copied().collect();
    let mut stored = histories(c, org, &customers).await?;
    let mut deltas = BehaviourDeltas::default();
    for (customer, more) in &added {
        let before = stored.remove(customer).unwrap_or_default();
        let mut after = before.clone();
        for (key, n) in more {
            *after.entry(key.clone()).or_default() += n;
        }
        deltas.replace(&contribution(&activities(&before)), &contribution(&activities(&after)));
    }
    apply(c, org, deltas).await
}

/// Takes a customer's whole contribution away (erasure), before their
/// activity is deleted.
pub(crate) async fn remove_customer(c: &mut Conn, org: Id, customer: Id) -> Result<()> {
    let stored = histories(c, org, &[customer]).await?;
    let mut deltas = BehaviourDeltas::default();
    if let Some(h) = stored.get(&customer) {
        deltas.add(&contribution(&activities(h)), -1);
    }
    apply(c, org, deltas).await
}

/// Upserts the summed deltas.
async fn apply(c: &mut Conn, org: Id, mut deltas: BehaviourDeltas) -> Result<()> {
    deltas.prune();
    let days: Vec<_> = deltas.days.into_iter().collect();
    for chunk in days.chunks(l::rows_per_insert(5)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new("INSERT INTO behaviour_days (org_id, family, day, prev_day, n) ");
        qb.push_values(chunk, |mut b, ((family, day, prev), n)| {
            b.push_bind(org).push_bind(family.key()).push_bind(*day).push_bind(*prev).push_bind(*n);
        });
        qb.push(" ON CONFLICT (org_id, family, day, prev_day) DO UPDATE SET n = behaviour_days.n + excluded.n");
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    let spans: Vec<_> = deltas.spans.into_iter().collect();
    for chunk in spans.chunks(l::rows_per_insert(5)) {
        let mut qb =
            sqlx::QueryBuilder::<Db>::new("INSERT INTO behaviour_spans (org_id, span, start_day, end_day, n) ");
        qb.push_values(chunk, |mut b, ((span, start, end), n)| {
            b.push_bind(org).push_bind(span.key()).push_bind(*start).push_bind(*end).push_bind(*n);
        });
        qb.push(" ON CONFLICT (org_id, span, start_day, end_day) DO UPDATE SET n = behaviour_spans.n + excluded.n");
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

/// The window's counts for every customer, from the rollups: two range sums.
pub(crate) async fn window_counts(c: &mut Conn, org: Id, from: NaiveDate, to: NaiveDate) -> Result<WindowCounts> {
    let days: Vec<(String, i64)> = sqlx::query_as(
        "SELECT family, CAST(SUM(n) AS BIGINT) FROM behaviour_days \
         WHERE org_id = $1 AND day >= $2 AND day <= $3 AND prev_day < $2 GROUP BY family",
    )
    .bind(org)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *c)
    .await?;
    let day_sum = |f: Family| days.iter().find(|(k, _)| k == f.key()).map_or(0, |(_, n)| *n);
    let (first_time_only, active_at_start, churned): (i64, i64, i64) = sqlx::query_as(
        "SELECT \
         CAST(COALESCE(SUM(CASE WHEN span = $4 AND end_day > $3 THEN n ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN span = $5 THEN n ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN span = $5 AND end_day <= $3 THEN n ELSE 0 END), 0) AS BIGINT) \
         FROM behaviour_spans WHERE org_id = $1 AND ( \
         (span = $4 AND start_day >= $2 AND start_day <= $3) OR (span = $5 AND start_day < $2 AND end_day >= $2))",
    )
    .bind(org)
    .bind(from)
    .bind(to)
    .bind(Span::Repeat.key())
    .bind(Span::Tenure.key())
    .fetch_one(&mut *c)
    .await?;
    let purchasers = day_sum(Family::Purchase);
    Ok(WindowCounts {
        purchasers,
        repeat_purchasers: purchasers - first_time_only,
        active: day_sum(Family::Any),
        referrers: day_sum(Family::Referral),
        active_at_start,
        churned,
    })
}
