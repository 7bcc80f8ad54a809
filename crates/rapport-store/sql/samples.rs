//! Reads that need customers' activity itself rather than the rollups
//! (journey analytics, and behaviour rates of an experience or touchpoint):
//! every customer of the segment while they are at most the sample size,
//! else a deterministic sample of about that many, the same customers on
//! every call. The sample is the customers with activity whose fixed hash
//! bucket (`activity_histories.sample`) is below a threshold set from the
//! segment's kept size: one index range, whatever the number of customers.
//!
//! The parsed sample is kept in memory ([`SampleCache`]) under the
//! organization's sample version, a kept count that every write changing
//! a history or a membership adds one to in its transaction: a dashboard
//! asks for the same sample for each of its experiences, and a wall screen
//! asks again every minute. Reading the version is one key read, so every
//! server sharing the database (and a replica) sees a change at once.

use super::counts;
use super::histories::{self, SAMPLE_BUCKETS};
use super::Conn;
use crate::dialect::Db;
use chrono::NaiveDate;
use rapport_core::measure::behaviour::{touched_windows, Touch};
use rapport_core::Id;
use rapport_store::measure::{ActivityRow, ActivitySample, BehaviourSeries, CustomerFilter};
use rapport_store::{Result, StoreError};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

/// Customers of the segment (`None`: of the organization), from the kept
/// counts.
async fn population(c: &mut Conn, org: Id, segment: Option<Id>) -> Result<i64> {
    match segment {
        Some(s) => counts::kept(c, org, &counts::segment_kind(s)).await,
        None => counts::kept(c, org, counts::CUSTOMERS).await,
    }
}

/// The share of the hash's buckets that holds about `sample` of
/// `population` customers (all buckets when they are no more).
fn threshold(population: i64, sample: i64) -> i64 {
    if population <= sample {
        return SAMPLE_BUCKETS;
    }
    ((sample * SAMPLE_BUCKETS + population - 1) / population).clamp(1, SAMPLE_BUCKETS)
}

/// The histories of the sample's customers, at most `sample` of them (by
/// bucket, then id: the index's order), packed as `id=history;...` per
/// bucket: SQLite hands rows over one by one through a channel, which
/// cost more than the read itself for twenty thousand customers.
fn sampled_histories<'a>(org: Id, segment: Option<Id>, threshold: i64, sample: i64) -> sqlx::QueryBuilder<'a, Db> {
    let mut qb = sqlx::QueryBuilder::<Db>::new(
        "SELECT string_agg(CAST(y.customer_id AS TEXT) || '=' || y.history, ';') FROM (\
         SELECT h.customer_id, h.sample, h.history FROM activity_histories h",
    );
    if let Some(s) = segment {
        qb.push(" JOIN segment_members m ON m.customer_id = h.customer_id AND m.segment_id = ").push_bind(s);
    }
    qb.push(" WHERE h.org_id = ").push_bind(org).push(" AND h.sample < ").push_bind(threshold);
    qb.push(" ORDER BY h.sample, h.customer_id LIMIT ").push_bind(sample);
    qb.push(") y GROUP BY y.sample");
    qb
}

/// The `id=history` items of the packed groups, by customer id.
fn unpack_groups(groups: &[String]) -> Result<Vec<(Id, &str)>> {
    let mut out = Vec::new();
    for group in groups {
        for item in group.split(';') {
            let parsed = item.split_once('=').and_then(|(id, h)| Some((id.parse::<Id>().ok()?, h)));
            let Some(pair) = parsed else {
                return Err(StoreError::Internal(format!("an unreadable sampled history: {item:?}").into()));
            };
            out.push(pair);
        }
    }
    out.sort_unstable_by_key(|p| p.0);
    Ok(out)
}

/// One day of a sampled customer's activity, owned (see [`Touch`]).
struct Item {
    day: NaiveDate,
    kind: Arc<str>,
    touchpoint: Option<Id>,
    n: i64,
}

/// A sample as read: every customer's whole history, by id.
pub(crate) struct Sampled {
    customers: Vec<(Id, Vec<Item>)>,
    population: i64,
    is_sample: bool,
}

impl Sampled {
    /// The histories as the core reads them.
    fn touches(&self) -> Vec<Vec<Touch<'_>>> {
        fn touch(t: &Item) -> Touch<'_> {
            Touch { day: t.day, kind: &t.kind, touchpoint: t.touchpoint, n: t.n }
        }
        self.customers.iter().map(|(_, h)| h.iter().map(touch).collect()).collect()
    }
}

/// What a kept sample answers for: the organization and segment, the
/// size asked and the population it was drawn from, and the version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Key {
    org: Id,
    segment: Option<Id>,
    sample: i64,
    population: i64,
    version: i64,
}

/// The samples read last (at most [`KEPT_SAMPLES`]; each about 20 MB at
/// twenty thousand customers).
#[derive(Default)]
pub(crate) struct SampleCache(Mutex<VecDeque<(Key, Arc<Sampled>)>>);

const KEPT_SAMPLES: usize = 4;

impl SampleCache {
    fn get(&self, key: &Key) -> Option<Arc<Sampled>> {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.iter().find(|(k, _)| k == key).map(|(_, s)| s.clone())
    }

    fn put(&self, key: Key, sampled: Arc<Sampled>) {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|(k, _)| !(k.org == key.org && k.segment == key.segment && k.sample == key.sample));
        kept.push_back((key, sampled));
        while kept.len() > KEPT_SAMPLES {
            kept.pop_front();
        }
    }
}

/// The sample (or every customer of the segment), kept or read.
async fn read(cache: &SampleCache, c: &mut Conn, org: Id, segment: Option<Id>, sample: i64) -> Result<Arc<Sampled>> {
    let population = population(c, org, segment).await?;
    let version = counts::kept(c, org, counts::SAMPLE_VERSION).await?;
    let sample = sample.max(1);
    let key = Key { org, segment, sample, population, version };
    if let Some(kept) = cache.get(&key) {
        return Ok(kept);
    }
    let threshold = threshold(population, sample);
    let groups: Vec<String> = sampled_histories(org, segment, threshold, sample)
        .build_query_scalar()
        .persistent(false)
        .fetch_all(&mut *c)
        .await?;
    let mut kinds: HashMap<&str, Arc<str>> = HashMap::new();
    let mut customers = Vec::new();
    for (id, packed) in unpack_groups(&groups)? {
        let mut items = Vec::new();
        for t in histories::unpack(packed)? {
            let kind = kinds.entry(t.kind).or_insert_with(|| Arc::from(t.kind)).clone();
            items.push(Item { day: t.day, kind, touchpoint: t.touchpoint, n: t.n });
        }
        customers.push((id, items));
    }
    let sampled = Arc::new(Sampled { customers, population, is_sample: population > sample });
    cache.put(key, sampled.clone());
    Ok(sampled)
}

/// Behaviour counts per window of the customers who used one of
/// `touchpoints` in it (see `Measure::behaviour_windows`).
pub(crate) async fn touched_behaviour(
    cache: &SampleCache,
    c: &mut Conn,
    org: Id,
    windows: &[(NaiveDate, NaiveDate)],
    f: &CustomerFilter,
    touchpoints: &[Id],
    sample: i64,
) -> Result<BehaviourSeries> {
    let sampled = read(cache, c, org, f.segment, sample).await?;
    let touches = sampled.touches();
    let counts = touched_windows(touches.iter().map(|h| &h[..]), windows, touchpoints);
    Ok(BehaviourSeries {
        counts: counts.into_iter().map(Into::into).collect(),
        sample: sampled.is_sample.then_some((sampled.customers.len() as i64, sampled.population)),
    })
}

/// Known customers' activity over `from..=to` (see `Measure::activity`).
pub(crate) async fn activity(
    cache: &SampleCache,
    c: &mut Conn,
    org: Id,
    (from, to): (NaiveDate, NaiveDate),
    segment: Option<Id>,
    sample: i64,
) -> Result<ActivitySample> {
    let sampled = read(cache, c, org, segment, sample).await?;
    let mut out = Vec::new();
    for (customer_id, items) in &sampled.customers {
        for t in items.iter().filter(|t| t.day >= from && t.day <= to) {
            out.push(ActivityRow {
                customer_id: *customer_id,
                day: t.day,
                kind: t.kind.to_string(),
                touchpoint_id: t.touchpoint,
                n: t.n,
            });
        }
    }
    // The order the callers rely on: by customer, day, kind, touchpoint
    // (none first, as the stored 0 sorts).
    out.sort_by(|a, b| {
        (a.customer_id, a.day, &a.kind, a.touchpoint_id.unwrap_or(0)).cmp(&(
            b.customer_id,
            b.day,
            &b.kind,
            b.touchpoint_id.unwrap_or(0),
        ))
    });
    let sampled_n = if sampled.is_sample { sampled.customers.len() as i64 } else { sampled.population };
    Ok(ActivitySample { rows: out, population: sampled.population, sampled: sampled_n })
}

#[cfg(test)]
mod tests {
    use super::threshold;

    #[test]
    fn the_threshold_takes_about_the_sample() {
        assert_eq!(threshold(100, 20_000), 4096, "everyone while they are few");
        assert_eq!(threshold(1_000_000, 20_000), 82);
        assert_eq!(threshold(10_000_000, 20_000), 9);
        assert_eq!(threshold(i64::from(i32::MAX), 1), 1, "never none");
    }
}
