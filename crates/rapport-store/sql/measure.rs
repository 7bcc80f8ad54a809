//! Measurement's reads of the rollups (never of raw rows), the rebuild
//! from raw rows, and intent status history.

use super::behaviour;
use super::rollups::{refresh_members, tally_events, tally_responses};
use super::{notify_after, notify_in, write};
use crate::dialect::{Backend, Db};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::measure::behaviour::{touched_windows, Touch};
use rapport_core::measure::Tally;
use rapport_core::Id;
use rapport_store::listening::NoticeKind;
use rapport_store::measure::{
    ActivityRow, BehaviourSeries, CustomerFilter, IntentStatus, Rebuilt, ScoreFilter, ScoreRow,
};
use rapport_store::rows as s;
use rapport_store::rows::measure as m;
use rapport_store::Result;
use serde_json::{Map as JsonMap, Value as JsonValue};

/// `SELECT columns FROM score_rollups WHERE` the filter holds; `None`
/// when the filter names an empty set of touchpoints.
fn score_query<'a>(columns: &str, org: Id, f: &'a ScoreFilter) -> Option<sqlx::QueryBuilder<'a, Db>> {
    let mut qb = sqlx::QueryBuilder::<Db>::new(format!("SELECT {columns} FROM score_rollups WHERE org_id = "));
    qb.push_bind(org)
        .push(" AND scale = ")
        .push_bind(f.scale.key())
        .push(" AND segment_id = ")
        .push_bind(f.segment.unwrap_or(m::EVERYONE))
        .push(" AND day >= ")
        .push_bind(f.from)
        .push(" AND day <= ")
        .push_bind(f.to);
    if let Some(tps) = &f.touchpoints {
        if tps.is_empty() {
            return None;
        }
        qb.push(" AND touchpoint_id IN (");
        let mut list = qb.separated(", ");
        for t in tps {
            list.push_bind(*t);
        }
        list.push_unseparated(")");
    }
    Some(qb)
}

pub(crate) async fn score_rows(store: &Backend, org: Id, f: &ScoreFilter) -> Result<Vec<ScoreRow>> {
    let Some(mut qb) = score_query("day, touchpoint_id, n, total, total_sq, high, low", org, f) else {
        return Ok(Vec::new());
    };
    qb.push(" ORDER BY day, touchpoint_id");
    let rows: Vec<(NaiveDate, Id, i64, i64, i64, i64, i64)> =
        qb.build_query_as().persistent(false).fetch_all(&store.pool).await?;
    Ok(rows
        .into_iter()
        .map(|(day, touchpoint_id, n, sum, sum_sq, high, low)| ScoreRow {
            day,
            touchpoint_id,
            tally: Tally { n, sum, sum_sq, high, low },
        })
        .collect())
}

/// The summed tally columns (SUM of a PostgreSQL BIGINT is NUMERIC:
/// cast back).
const SUMMED: &str = "CAST(SUM(n) AS BIGINT), CAST(SUM(total) AS BIGINT), CAST(SUM(total_sq) AS BIGINT), \
                      CAST(SUM(high) AS BIGINT), CAST(SUM(low) AS BIGINT)";

/// The filter's rollups summed by `key` (a column decoded as `K`),
/// ordered by it: the database adds up, and returns a row per key.
async fn score_sums<K>(store: &Backend, org: Id, f: &ScoreFilter, key: &str) -> Result<Vec<(K, Tally)>>
where
    K: for<'r> sqlx::Decode<'r, Db> + sqlx::Type<Db> + Send + Unpin,
{
    let Some(mut qb) = score_query(&format!("{key}, {SUMMED}"), org, f) else {
        return Ok(Vec::new());
    };
    qb.push(format!(" GROUP BY {key} ORDER BY {key}"));
    let rows: Vec<(K, i64, i64, i64, i64, i64)> = qb.build_query_as().persistent(false).fetch_all(&store.pool).await?;
    Ok(rows.into_iter().map(|(k, n, sum, sum_sq, high, low)| (k, Tally { n, sum, sum_sq, high, low })).collect())
}

/// Keeps the rows of `a.customer_id` to the segment's members (`None`: everyone).
fn push_segment_filter(qb: &mut sqlx::QueryBuilder<'_, Db>, segment: Option<Id>) {
    if let Some(segment) = segment {
        qb.push(" AND a.customer_id IN (SELECT customer_id FROM segment_members WHERE segment_id = ")
            .push_bind(segment)
            .push(")");
    }
}

/// Buckets of the sampling hash: a customer is in the sample when its
/// bucket is below the threshold.
const SAMPLE_BUCKETS: i64 = 4096;

/// The ids of the sample's customers, a sub-select: those of the segment
/// (or organization) whose id hashes below `threshold` (Knuth's
/// multiplicative hash spreads consecutive ids), at most `sample`.
fn push_sample_ids(qb: &mut sqlx::QueryBuilder<'_, Db>, org: Id, segment: Option<Id>, threshold: i64, sample: i64) {
    let id = match segment {
        Some(s) => {
            qb.push("SELECT m.customer_id FROM segment_members m WHERE m.segment_id = ").push_bind(s);
            "m.customer_id"
        }
        None => {
            qb.push("SELECT m.id FROM customers m WHERE m.org_id = ").push_bind(org);
            "m.id"
        }
    };
    qb.push(format!(" AND ({id} * 2654435761) % {SAMPLE_BUCKETS} < ")).push_bind(threshold);
    qb.push(format!(" ORDER BY {id} LIMIT ")).push_bind(sample);
}

/// Customers of the segment (`None`: of the organization).
async fn population(c: &mut super::Conn, org: Id, segment: Option<Id>) -> Result<i64> {
    Ok(match segment {
        Some(s) => {
            sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM segment_members WHERE segment_id = $1 AND org_id = $2",
            )
            .bind(s)
            .bind(org)
            .fetch_one(&mut *c)
            .await?
        }
        None => {
            sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM customers WHERE org_id = $1")
                .bind(org)
                .fetch_one(&mut *c)
                .await?
        }
    })
}

/// The share of the hash's buckets that holds about `sample` of
/// `population` customers (all buckets when they are no more).
fn sample_threshold(population: i64, sample: i64) -> i64 {
    if population <= sample {
        return SAMPLE_BUCKETS;
    }
    ((sample * SAMPLE_BUCKETS + population - 1) / population).clamp(1, SAMPLE_BUCKETS)
}

/// How many customers the sample of [`push_sample_ids`] holds.
async fn sample_size(c: &mut super::Conn, org: Id, segment: Option<Id>, threshold: i64, sample: i64) -> Result<i64> {
    let mut qb = sqlx::QueryBuilder::<Db>::new("SELECT CAST(COUNT(*) AS BIGINT) FROM (");
    push_sample_ids(&mut qb, org, segment, threshold, sample);
    qb.push(") x");
    Ok(qb.build_query_scalar::<i64>().fetch_one(&mut *c).await?)
}

async fn activity(
    store: &Backend,
    org: Id,
    from: NaiveDate,
    to: NaiveDate,
    segment: Option<Id>,
    sample: i64,
) -> Result<rapport_store::ActivitySample> {
    let mut c = store.pool.acquire().await?;
    let population = population(&mut c, org, segment).await?;
    let sample = sample.max(1);
    let mut qb = sqlx::QueryBuilder::<Db>::new(
        "SELECT a.customer_id, a.day, a.kind, a.touchpoint_id, a.n FROM activity a WHERE a.org_id = ",
    );
    qb.push_bind(org).push(" AND a.day >= ").push_bind(from).push(" AND a.day <= ").push_bind(to);
    let sampled = if population <= sample {
        push_segment_filter(&mut qb, segment);
        population
    } else {
        let threshold = sample_threshold(population, sample);
        qb.push(" AND a.customer_id IN (");
        push_sample_ids(&mut qb, org, segment, threshold, sample);
        qb.push(")");
        sample_size(&mut c, org, segment, threshold, sample).await?
    };
    qb.push(" ORDER BY a.customer_id, a.day, a.kind, a.touchpoint_id");
    let rows: Vec<(Id, NaiveDate, String, Id, i64)> = qb.build_query_as().persistent(false).fetch_all(&mut *c).await?;
    let rows = rows
        .into_iter()
        .map(|(customer_id, day, kind, t, n)| ActivityRow {
            customer_id,
            day,
            kind,
            touchpoint_id: (t != 0).then_some(t),
            n,
        })
        .collect();
    Ok(rapport_store::ActivitySample { rows, population, sampled })
}

#[async_trait]
impl rapport_store::Measure for Backend {
    async fn score_rows(&self, org: Id, filter: &rapport_store::ScoreFilter) -> Result<Vec<rapport_store::ScoreRow>> {
        score_rows(self, org, filter).await
    }

    async fn score_days(&self, org: Id, f: &ScoreFilter) -> Result<Vec<(NaiveDate, Tally)>> {
        score_sums(self, org, f, "day").await
    }

    async fn score_touchpoints(&self, org: Id, f: &ScoreFilter) -> Result<Vec<(Id, Tally)>> {
        score_sums(self, org, f, "touchpoint_id").await
    }

    async fn behaviour_windows(
        &self,
        org: Id,
        windows: &[(NaiveDate, NaiveDate)],
        f: &CustomerFilter,
        sample: i64,
    ) -> Result<BehaviourSeries> {
        let mut c = self.pool.acquire().await?;
        let Some(touchpoints) = &f.touchpoints else {
            let mut counts = Vec::with_capacity(windows.len());
            for (from, to) in windows {
                counts.push(behaviour::window_counts(&mut c, org, f.segment, *from, *to).await?.into());
            }
            return Ok(BehaviourSeries { counts, sample: None });
        };
        let (Some(from), Some(to)) = (windows.iter().map(|w| w.0).min(), windows.iter().map(|w| w.1).max()) else {
            return Ok(BehaviourSeries::default());
        };
        // The customers' whole histories up to the last window's end: a
        // repeat purchase and churn look back before each window.
        let population = population(&mut c, org, f.segment).await?;
        let sample = sample.max(1);
        let threshold = sample_threshold(population, sample);
        // Of the sample, only those who used a touchpoint in the series:
        // the inner reads go by customer (the key), never over every day.
        // One row per customer, their days packed (see `behaviour::histories`).
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "SELECT a.customer_id, string_agg(CAST(a.day AS TEXT) || ' ' || a.kind || ' ' || \
             CAST(a.touchpoint_id AS TEXT) || ' ' || CAST(a.n AS TEXT), ',') FROM activity a WHERE a.customer_id IN (\
             SELECT DISTINCT t.customer_id FROM activity t WHERE t.customer_id IN (",
        );
        push_sample_ids(&mut qb, org, f.segment, threshold, sample);
        qb.push(") AND t.day >= ").push_bind(from).push(" AND t.day <= ").push_bind(to);
        qb.push(" AND t.touchpoint_id IN (");
        let mut list = qb.separated(", ");
        for t in touchpoints.iter().chain(std::iter::once(&-1)) {
            list.push_bind(*t);
        }
        list.push_unseparated("))");
        qb.push(" AND a.day <= ").push_bind(to).push(" GROUP BY a.customer_id");
        let rows: Vec<(Id, String)> = qb.build_query_as().persistent(false).fetch_all(&mut *c).await?;
        let touches = rows
            .iter()
            .map(|(_, packed)| behaviour::unpack_touches(packed))
            .collect::<Result<Vec<Vec<Touch<'_>>>>>()?;
        let histories = touches.iter().map(|h| &h[..]);
        let counts = touched_windows(histories, windows, touchpoints).into_iter().map(Into::into).collect();
        let read = if population <= sample {
            None
        } else {
            Some((sample_size(&mut c, org, f.segment, threshold, sample).await?, population))
        };
        Ok(BehaviourSeries { counts, sample: read })
    }

    async fn activity(
        &self,
        org: Id,
        from: NaiveDate,
        to: NaiveDate,
        segment: Option<Id>,
        sample: i64,
    ) -> Result<rapport_store::ActivitySample> {
        activity(self, org, from, to, segment, sample).await
    }

    async fn rebuild_rollups(&self, org: Id) -> Result<Rebuilt> {
        let mut tx = write(self, org).await?;
        for sql in [
            "DELETE FROM score_rollups WHERE org_id = $1",
            "DELETE FROM activity WHERE org_id = $1",
            "DELETE FROM behaviour_days WHERE org_id = $1",
            "DELETE FROM behaviour_spans WHERE org_id = $1",
            "DELETE FROM segment_members WHERE org_id = $1",
        ] {
            sqlx::query(sql).bind(org).execute(&mut *tx).await?;
        }
        super::counts::recount(&mut tx, org).await?;
        let customers = refresh_members(&mut tx, org, None, false).await? as u64;
        let mut out = Rebuilt { customers, ..Rebuilt::default() };
        let mut after: Id = 0;
        loop {
            let rows: Vec<(Id, Option<Id>, Id, DateTime<Utc>, Option<Id>, String)> = sqlx::query_as(
                "SELECT id, customer_id, touchpoint_id, at, survey_id, answers FROM responses \
                 WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            )
            .bind(org)
            .bind(after)
            .bind(m::REBUILD_PAGE)
            .fetch_all(&mut *tx)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.0;
            out.responses += rows.len() as u64;
            let answers = rows
                .iter()
                .map(|r| s::from_json::<JsonMap<String, JsonValue>>("response answers", &r.5))
                .collect::<Result<Vec<_>>>()?;
            let batch: Vec<_> = rows.iter().zip(&answers).map(|(r, a)| (r.1, r.2, r.3, r.4, a)).collect();
            tally_responses(&mut tx, org, &batch).await?;
        }
        let mut after: Id = 0;
        loop {
            let rows: Vec<(Id, Option<Id>, DateTime<Utc>, String, Option<Id>, Option<f64>)> = sqlx::query_as(
                "SELECT id, customer_id, at, kind, touchpoint_id, amount FROM events \
                 WHERE org_id = $1 AND id > $2 ORDER BY id LIMIT $3",
            )
            .bind(org)
            .bind(after)
            .bind(m::REBUILD_PAGE)
            .fetch_all(&mut *tx)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.0;
            out.events += rows.len() as u64;
            let batch: Vec<_> = rows.iter().map(|r| (r.1, r.2, r.3.as_str(), r.4, r.5)).collect();
            tally_events(&mut tx, org, &batch).await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    async fn record_intent_status(&self, org: Id, st: &IntentStatus) -> Result<bool> {
        let mut tx = write(self, org).await?;
        let last: Option<String> = sqlx::query_scalar(
            "SELECT status FROM intent_status WHERE org_id = $1 AND version_id = $2 AND criterion = $3 \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(org)
        .bind(st.version_id)
        .bind(st.criterion)
        .fetch_optional(&mut *tx)
        .await?;
        if last.as_deref() == Some(st.status.key()) {
            return Ok(false);
        }
        let id: Id = sqlx::query_scalar(
            "INSERT INTO intent_status (org_id, version_id, criterion, status, value, n, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(org)
        .bind(st.version_id)
        .bind(st.criterion)
        .bind(st.status.key())
        .bind(st.value)
        .bind(st.n)
        .bind(st.at)
        .fetch_one(&mut *tx)
        .await?;
        notify_in(&mut tx, org, NoticeKind::Intent, &[id]).await?;
        tx.commit().await?;
        notify_after(self, org, NoticeKind::Intent, &[id]);
        Ok(true)
    }

    async fn intent_status_history(&self, org: Id, limit: i64) -> Result<Vec<IntentStatus>> {
        let rows: Vec<(Id, Id, i64, String, Option<f64>, i64, DateTime<Utc>)> = sqlx::query_as(
            "SELECT id, version_id, criterion, status, value, n, at FROM intent_status WHERE org_id = $1 \
             ORDER BY id DESC LIMIT $2",
        )
        .bind(org)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, version_id, criterion, status, value, n, at)| {
                let status = rapport_core::intent::Status::parse(&status)
                    .ok_or_else(|| s::corrupt(format!("intent status {status:?}")))?;
                Ok(IntentStatus { id, version_id, criterion, status, value, n, at })
            })
            .collect()
    }
}
