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

use super::rollups::members_of;
use super::Conn;
use crate::dialect::Db;
use chrono::NaiveDate;
use rapport_core::measure::behaviour::{contribution, Activity, BehaviourDeltas, Family, Span, Touch, WindowCounts};
use rapport_core::Id;
use rapport_store::rows::listening as l;
use rapport_store::rows::measure as m;
use rapport_store::{Result, StoreError};
use std::collections::{BTreeMap, HashMap};

/// A customer's activity summed per day and kind.
type History = BTreeMap<(NaiveDate, String), i64>;

/// Deltas per segment (0: everyone).
type Deltas = BTreeMap<Id, BehaviourDeltas>;

/// The segments a customer's rows count in: everyone and their segments.
fn counted_in(members: &HashMap<Id, Vec<Id>>, customer: Id) -> Vec<Id> {
    m::rollup_segments(members.get(&customer))
}

/// The activity of `customers` (ids of the organization's customers, as
/// the callers looked them up) as stored now, per customer.
///
/// By customer id alone: the key's first column. With `org_id` too, SQLite
/// prefers the `(org_id, day)` index and reads the organization's whole
/// activity for every batch.
///
/// One row per customer, their days packed as `day kind n,...`: ingestion
/// reads the histories of every customer of a batch, and rows one by one
/// cost more to hand over from the database than to parse.
async fn histories(c: &mut Conn, customers: &[Id]) -> Result<HashMap<Id, History>> {
    let mut out: HashMap<Id, History> = HashMap::new();
    for chunk in customers.chunks(l::LOOKUP_CHUNK) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "SELECT customer_id, string_agg(CAST(day AS TEXT) || ' ' || kind || ' ' || CAST(k AS TEXT), ',') FROM (\
             SELECT customer_id, day, kind, SUM(n) AS k FROM activity WHERE customer_id IN (",
        );
        let mut list = qb.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        list.push_unseparated(") GROUP BY customer_id, day, kind) x GROUP BY customer_id");
        let rows: Vec<(Id, String)> = qb.build_query_as().persistent(false).fetch_all(&mut *c).await?;
        for (customer, packed) in rows {
            let history = out.entry(customer).or_default();
            for (day, kind, n) in unpack(&packed)? {
                *history.entry((day, kind.to_string())).or_default() += n;
            }
        }
    }
    Ok(out)
}

/// The `day kind n` items of a packed history.
fn unpack(packed: &str) -> Result<Vec<(NaiveDate, &str, i64)>> {
    packed.split(',').map(|item| unpack_item(item, false).map(|t| (t.day, t.kind, t.n))).collect()
}

/// The `day kind touchpoint n` items of a packed history (touchpoint 0:
/// none).
pub(crate) fn unpack_touches(packed: &str) -> Result<Vec<Touch<'_>>> {
    packed.split(',').map(|item| unpack_item(item, true)).collect()
}

fn unpack_item(item: &str, with_touchpoint: bool) -> Result<Touch<'_>> {
    let mut parts = item.split(' ');
    let day = parts.next().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let kind = parts.next();
    let touchpoint = if with_touchpoint { parts.next().and_then(|t| t.parse::<Id>().ok()) } else { Some(0) };
    let n = parts.next().and_then(|n| n.parse().ok());
    match (day, kind, touchpoint, n, parts.next()) {
        (Some(day), Some(kind), Some(t), Some(n), None) => {
            Ok(Touch { day, kind, touchpoint: (t != 0).then_some(t), n })
        }
        _ => Err(StoreError::Internal(format!("an unreadable activity history item: {item:?}").into())),
    }
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
    let mut added: HashMap<Id, History> = HashMap::new();
    for ((customer, day, kind, _), (n, _)) in &batch.0 {
        *added.entry(*customer).or_default().entry((*day, kind.clone())).or_default() += n;
    }
    let customers: Vec<Id> = added.keys().copied().collect();
    let mut stored = histories(c, &customers).await?;
    let mut deltas = Deltas::new();
    for (customer, more) in &added {
        let before = stored.remove(customer).unwrap_or_default();
        let mut after = before.clone();
        for (key, n) in more {
            *after.entry(key.clone()).or_default() += n;
        }
        let (before, after) = (contribution(&activities(&before)), contribution(&activities(&after)));
        for segment in counted_in(members, *customer) {
            deltas.entry(segment).or_default().replace(&before, &after);
        }
    }
    apply(c, org, deltas).await
}

/// Takes a customer's whole contribution away (erasure), before their
/// activity is deleted.
pub(crate) async fn remove_customer(c: &mut Conn, org: Id, customer: Id) -> Result<()> {
    let stored = histories(c, &[customer]).await?;
    let members = members_of(c, org, &[customer]).await?;
    let mut deltas = Deltas::new();
    if let Some(h) = stored.get(&customer) {
        let gone = contribution(&activities(h));
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
    let stored = histories(c, &customers).await?;
    let mut deltas = Deltas::new();
    for (customer, (old, new)) in changes {
        let Some(h) = stored.get(customer) else { continue };
        let theirs = contribution(&activities(h));
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
    Ok(())
}

/// The window's counts for the segment (`None`: every customer), from the
/// rollups: two range sums.
pub(crate) async fn window_counts(
    c: &mut Conn,
    org: Id,
    segment: Option<Id>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<WindowCounts> {
    let segment = segment.unwrap_or(m::EVERYONE);
    // The families are named so that the key (org, segment, family, day, ...)
    // is read from `from` to `to` per family, not over every day.
    let days: Vec<(String, i64)> = sqlx::query_as(
        "SELECT family, CAST(SUM(n) AS BIGINT) FROM behaviour_days \
         WHERE org_id = $1 AND segment_id = $4 AND family IN ($5, $6, $7) \
         AND day >= $2 AND day <= $3 AND prev_day < $2 GROUP BY family",
    )
    .bind(org)
    .bind(from)
    .bind(to)
    .bind(segment)
    .bind(Family::Any.key())
    .bind(Family::Purchase.key())
    .bind(Family::Referral.key())
    .fetch_all(&mut *c)
    .await?;
    let day_sum = |f: Family| days.iter().find(|(k, _)| k == f.key()).map_or(0, |(_, n)| *n);
    // Each sum reads few rows: repeat spans starting in the window (the
    // window's new purchasers), tenure edges (a row per day), and tenures
    // ending in the window (`behaviour_spans_end`).
    let (first_time_only,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM behaviour_spans \
         WHERE org_id = $1 AND segment_id = $5 AND span = $4 AND start_day >= $2 AND start_day <= $3 AND end_day > $3",
    )
    .bind(org)
    .bind(from)
    .bind(to)
    .bind(Span::Repeat.key())
    .bind(segment)
    .fetch_one(&mut *c)
    .await?;
    let (active_at_start,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(CASE WHEN span = $3 THEN n ELSE -n END), 0) AS BIGINT) FROM behaviour_spans \
         WHERE org_id = $1 AND segment_id = $5 AND span IN ($3, $4) AND start_day < $2",
    )
    .bind(org)
    .bind(from)
    .bind(Span::TenureStart.key())
    .bind(Span::TenureEnd.key())
    .bind(segment)
    .fetch_one(&mut *c)
    .await?;
    let (churned,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM behaviour_spans \
         WHERE org_id = $1 AND segment_id = $5 AND span = $4 AND end_day >= $2 AND end_day <= $3 AND start_day < $2",
    )
    .bind(org)
    .bind(from)
    .bind(to)
    .bind(Span::Tenure.key())
    .bind(segment)
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

#[cfg(test)]
mod tests {
    use super::unpack;
    use chrono::NaiveDate;

    #[test]
    fn packed_histories_read_back() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let got = unpack("2026-03-01 purchase 2,2026-03-04 custom:demo-call 1").unwrap();
        assert_eq!(got, vec![(d("2026-03-01"), "purchase", 2), (d("2026-03-04"), "custom:demo-call", 1)]);
        assert!(unpack("2026-03-01 purchase").is_err());
        assert!(unpack("yesterday purchase 1").is_err());
        assert!(unpack("2026-03-01 purchase 1 2").is_err(), "a field too many");
        let touches = super::unpack_touches("2026-03-01 purchase 4 2,2026-03-02 response 0 1").unwrap();
        assert_eq!((touches[0].touchpoint, touches[0].n), (Some(4), 2));
        assert_eq!((touches[1].kind, touches[1].touchpoint), ("response", None));
    }
}
