//! Each customer's whole activity in one row (`activity_histories`,
//! migration 0012): the `activity` rows of the customer packed as
//! `day kind touchpoint n` items (touchpoint 0: none), kept by every write
//! that changes `activity`, in its transaction.
//!
//! Two readers need a customer's whole history rather than a range of
//! days: ingestion (the behaviour rollups replace a customer's contribution,
//! computed from the history before and after) and the behaviour rates of
//! an experience or touchpoint (a customer counts in a window when they used
//! one of its touchpoints then, and their rates look back over all of their
//! activity). Reading one row per customer by key costs a fraction of
//! grouping their `activity` rows, and the `sample` column (a fixed hash
//! of the id) lets a sample of customers be one index range.

use super::Conn;
use crate::dialect::Db;
use chrono::{Datelike, NaiveDate};
use rapport_core::measure::behaviour::Touch;
use rapport_core::Id;
use rapport_store::rows::listening as l;
use rapport_store::{Result, StoreError};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// A customer's activity: `n` per (day, kind, touchpoint; 0 for none), as
/// the customer's `activity` rows hold it.
pub(crate) type TouchHistory = BTreeMap<(NaiveDate, String, Id), i64>;

/// The hash's buckets: a sample of about `k` of `p` customers is those
/// whose `sample` is below `k * SAMPLE_BUCKETS / p`.
pub(crate) const SAMPLE_BUCKETS: i64 = 4096;

/// The customer's bucket (also what migration 0012 computed in SQL).
pub(crate) fn sample_bucket(customer: Id) -> i64 {
    customer.wrapping_mul(2_654_435_761).rem_euclid(SAMPLE_BUCKETS)
}

/// The stored histories of these customers (by id; the caller has checked
/// they are the organization's). Customers with no activity are absent.
pub(crate) async fn read(c: &mut Conn, customers: &[Id]) -> Result<HashMap<Id, TouchHistory>> {
    let mut out = HashMap::with_capacity(customers.len());
    for chunk in customers.chunks(l::LOOKUP_CHUNK) {
        let mut qb =
            sqlx::QueryBuilder::<Db>::new("SELECT customer_id, history FROM activity_histories WHERE customer_id IN (");
        let mut list = qb.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        list.push_unseparated(")");
        let rows: Vec<(Id, String)> = qb.build_query_as().persistent(false).fetch_all(&mut *c).await?;
        for (customer, packed) in rows {
            let mut history = TouchHistory::new();
            for t in unpack(&packed)? {
                *history.entry((t.day, t.kind.to_string(), t.touchpoint.unwrap_or(0))).or_default() += t.n;
            }
            out.insert(customer, history);
        }
    }
    Ok(out)
}

/// Stores these customers' histories as they are now.
pub(crate) async fn write(c: &mut Conn, org: Id, histories: &HashMap<Id, TouchHistory>) -> Result<()> {
    if histories.is_empty() {
        return Ok(());
    }
    super::counts::bump_sample_version(c, org).await?;
    let rows: Vec<(Id, String)> = histories.iter().map(|(id, h)| (*id, pack(h))).collect();
    for chunk in rows.chunks(l::rows_per_insert(4)) {
        let mut qb =
            sqlx::QueryBuilder::<Db>::new("INSERT INTO activity_histories (org_id, customer_id, sample, history) ");
        qb.push_values(chunk, |mut b, (customer, packed)| {
            b.push_bind(org).push_bind(*customer).push_bind(sample_bucket(*customer)).push_bind(packed.as_str());
        });
        qb.push(" ON CONFLICT (customer_id) DO UPDATE SET history = excluded.history");
        qb.build().persistent(false).execute(&mut *c).await?;
    }
    Ok(())
}

/// Forgets a customer's history (erasure; their activity goes too).
pub(crate) async fn delete(c: &mut Conn, org: Id, customer: Id) -> Result<()> {
    super::counts::bump_sample_version(c, org).await?;
    sqlx::query("DELETE FROM activity_histories WHERE org_id = $1 AND customer_id = $2")
        .bind(org)
        .bind(customer)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// The history as stored: items in key order, comma-separated.
pub(crate) fn pack(h: &TouchHistory) -> String {
    let mut out = String::with_capacity(h.len() * 28);
    for ((day, kind, touchpoint), n) in h {
        if !out.is_empty() {
            out.push(',');
        }
        // By hand rather than `day.format(..)`: chrono parses the pattern
        // on every call, and ingestion packs every touched history.
        let _ = write!(out, "{:04}-{:02}-{:02} {kind} {touchpoint} {n}", day.year(), day.month(), day.day());
    }
    out
}

/// The items of a stored history.
pub(crate) fn unpack(packed: &str) -> Result<Vec<Touch<'_>>> {
    packed.split(',').filter(|item| !item.is_empty()).map(unpack_item).collect()
}

fn unpack_item(item: &str) -> Result<Touch<'_>> {
    let mut parts = item.split(' ');
    let day = parts.next().and_then(parse_day);
    let kind = parts.next();
    let touchpoint = parts.next().and_then(|t| t.parse::<Id>().ok());
    let n = parts.next().and_then(|n| n.parse().ok());
    match (day, kind, touchpoint, n, parts.next()) {
        (Some(day), Some(kind), Some(t), Some(n), None) => {
            Ok(Touch { day, kind, touchpoint: (t != 0).then_some(t), n })
        }
        _ => Err(StoreError::Internal(format!("an unreadable activity history item: {item:?}").into())),
    }
}

/// `YYYY-MM-DD` by hand: a sample holds hundreds of thousands of days, and
/// chrono's format parser costs several times this.
fn parse_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, d| d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0')))
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(5..7)?, num(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn packed_histories_read_back() {
        let mut h = TouchHistory::new();
        h.insert((d("2026-03-04"), "custom:demo-call".into(), 0), 1);
        h.insert((d("2026-03-01"), "purchase".into(), 4), 2);
        let packed = pack(&h);
        assert_eq!(packed, "2026-03-01 purchase 4 2,2026-03-04 custom:demo-call 0 1");
        let got = unpack(&packed).unwrap();
        assert_eq!((got[0].day, got[0].kind, got[0].touchpoint, got[0].n), (d("2026-03-01"), "purchase", Some(4), 2));
        assert_eq!((got[1].kind, got[1].touchpoint), ("custom:demo-call", None));
        assert!(unpack("").unwrap().is_empty());
    }

    #[test]
    fn packed_days_are_written_as_chrono_writes_them() {
        for s in ["2026-03-01", "0001-01-01", "0999-12-31", "9999-12-31"] {
            let mut h = TouchHistory::new();
            h.insert((d(s), "purchase".into(), 0), 1);
            assert_eq!(pack(&h), format!("{} purchase 0 1", d(s).format("%Y-%m-%d")));
        }
    }

    #[test]
    fn unreadable_items_are_errors() {
        for bad in ["2026-03-01 purchase 1", "yesterday purchase 0 1", "2026-03-01 purchase 0 1 2", "2026-13-01 p 0 1"]
        {
            assert!(unpack(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn days_parse_as_chrono_does() {
        for s in ["2026-03-01", "2024-02-29", "0001-01-01", "9999-12-31"] {
            assert_eq!(parse_day(s), Some(d(s)), "{s}");
        }
        for s in ["2023-02-29", "2026-3-01", "2026-03-1x", "20260301", "2026-03-01 "] {
            assert_eq!(parse_day(s), None, "{s}");
        }
    }

    #[test]
    fn the_bucket_is_the_migrations_hash() {
        // (id * 2654435761) % 4096, as migration 0012 computes it in SQL.
        for id in [1i64, 2, 4096, 123_456, 9_999_999] {
            assert_eq!(sample_bucket(id), (id * 2_654_435_761) % 4096);
        }
    }
}
