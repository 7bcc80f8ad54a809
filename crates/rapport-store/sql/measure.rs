//! Measurement's reads of the rollups (never of raw rows), the rebuild
//! from raw rows, and intent status history.

use super::behaviour;
use super::rollups::{refresh_members, tally_events, tally_responses};
use super::{notify_after, notify_in, write};
use crate::dialect::{Backend, Db};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::measure::Tally;
use rapport_core::Id;
use rapport_store::listening::NoticeKind;
use rapport_store::measure::{
    ActivityRow, BehaviourCounts, CustomerFilter, IntentStatus, Rebuilt, ScoreFilter, ScoreRow,
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

/// Appends the customer filter on `a.customer_id` ($1 org, $2 from, $3 to bound already).
fn push_customer_filter(qb: &mut sqlx::QueryBuilder<'_, Db>, f: &CustomerFilter) {
    if let Some(segment) = f.segment {
        qb.push(" AND a.customer_id IN (SELECT customer_id FROM segment_members WHERE segment_id = ")
            .push_bind(segment)
            .push(")");
    }
    if let Some(tps) = &f.touchpoints {
        qb.push(
            " AND a.customer_id IN (SELECT t.customer_id FROM activity t WHERE t.org_id = $1 \
             AND t.day >= $2 AND t.day <= $3 AND t.touchpoint_id IN (",
        );
        let mut list = qb.separated(", ");
        for t in tps.iter().chain(std::iter::once(&-1)) {
            list.push_bind(*t);
        }
        list.push_unseparated("))");
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

async fn activity(
    store: &Backend,
    org: Id,
    from: NaiveDate,
    to: NaiveDate,
    segment: Option<Id>,
    sample: i64,
) -> Result<rapport_store::ActivitySample> {
    let mut c = store.pool.acquire().await?;
    let population: i64 = match segment {
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
    };
    let sample = sample.max(1);
    let mut qb = sqlx::QueryBuilder::<Db>::new(
        "SELECT a.customer_id, a.day, a.kind, a.touchpoint_id, a.n FROM activity a WHERE a.org_id = ",
    );
    qb.push_bind(org).push(" AND a.day >= ").push_bind(from).push(" AND a.day <= ").push_bind(to);
    let sampled = if population <= sample {
        push_customer_filter(&mut qb, &CustomerFilter { segment, touchpoints: None });
        population
    } else {
        // The share of buckets that holds about `sample` customers.
        let threshold = ((sample * SAMPLE_BUCKETS + population - 1) / population).clamp(1, SAMPLE_BUCKETS);
        qb.push(" AND a.customer_id IN (");
        push_sample_ids(&mut qb, org, segment, threshold, sample);
        qb.push(")");
        let mut inner = sqlx::QueryBuilder::<Db>::new("SELECT CAST(COUNT(*) AS BIGINT) FROM (");
        push_sample_ids(&mut inner, org, segment, threshold, sample);
        inner.push(") x");
        inner.build_query_scalar::<i64>().fetch_one(&mut *c).await?
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

    async fn behaviour_counts(
        &self,
        org: Id,
        from: NaiveDate,
        to: NaiveDate,
        f: &CustomerFilter,
    ) -> Result<BehaviourCounts> {
        let mut c = self.pool.acquire().await?;
        if f.touchpoints.is_none() {
            // Everyone or a segment: two range sums over the behaviour rollups.
            let w = behaviour::window_counts(&mut c, org, f.segment, from, to).await?;
            return Ok(BehaviourCounts {
                purchasers: w.purchasers,
                repeat_purchasers: w.repeat_purchasers,
                active: w.active,
                referrers: w.referrers,
                active_at_start: w.active_at_start,
                churned: w.churned,
            });
        }
        // Customers who used given touchpoints in the window: their activity,
        // grouped per customer here (the one behaviour read that still does).
        let start = |sql: &str| {
            let mut qb = sqlx::QueryBuilder::<Db>::new(sql);
            qb.push_bind(org).push(" AND a.day >= ").push_bind(from).push(" AND a.day <= ").push_bind(to);
            qb
        };
        // A repeat purchase is counted against the customer's whole history:
        // who bought in the window and had bought at least twice by its end.
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN x.k >= 2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM (SELECT a.customer_id, SUM(a.n) AS k FROM activity a WHERE a.kind = 'purchase' AND a.org_id = ",
        );
        // As for churn below, $2 (the window's start) is read by the filter
        // and the HAVING only: every earlier purchase counts.
        qb.push_bind(org).push(" AND ").push_bind(from).push(" IS NOT NULL AND a.day <= ").push_bind(to);
        push_customer_filter(&mut qb, f);
        qb.push(" GROUP BY a.customer_id HAVING MAX(a.day) >= $2) x");
        let (purchasers, repeat_purchasers): (i64, i64) =
            qb.build_query_as().persistent(false).fetch_one(&mut *c).await?;
        let mut qb = start(
            "SELECT CAST(COUNT(DISTINCT a.customer_id) AS BIGINT), \
             CAST(COUNT(DISTINCT CASE WHEN a.kind = 'referral' THEN a.customer_id END) AS BIGINT) \
             FROM activity a WHERE a.org_id = ",
        );
        push_customer_filter(&mut qb, f);
        let (active, referrers): (i64, i64) = qb.build_query_as().persistent(false).fetch_one(&mut *c).await?;
        // Churn looks before the window too: who was a customer at its start.
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(x.churned), 0) AS BIGINT) FROM (\
             SELECT a.customer_id, MAX(CASE WHEN a.day >= $2 AND a.kind IN ('cancellation', 'non_renewal') \
             THEN 1 ELSE 0 END) AS churned FROM activity a WHERE a.org_id = ",
        );
        // $2 (the window's start) is bound but, here, only read by the
        // CASE above and the HAVING below: every earlier day counts.
        qb.push_bind(org).push(" AND ").push_bind(from).push(" IS NOT NULL AND a.day <= ").push_bind(to);
        push_customer_filter(&mut qb, f);
        qb.push(
            " GROUP BY a.customer_id HAVING MIN(a.day) < $2 AND MAX(CASE WHEN a.day < $2 AND a.kind IN \
             ('cancellation', 'non_renewal') THEN 1 ELSE 0 END) = 0) x",
        );
        let (active_at_start, churned): (i64, i64) = qb.build_query_as().persistent(false).fetch_one(&mut *c).await?;
        Ok(BehaviourCounts { purchasers, repeat_purchasers, active, referrers, active_at_start, churned })
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
