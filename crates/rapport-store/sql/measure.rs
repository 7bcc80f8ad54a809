//! Measurement's reads of the rollups (never of raw rows), the rebuild
//! from raw rows, and intent status history.

use super::rollups::{refresh_members, tally_events, tally_responses};
use super::{behaviour, samples};
use super::{notify_after, notify_in, write};
use crate::dialect::{Backend, Db};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::measure::Tally;
use rapport_core::Id;
use rapport_store::listening::NoticeKind;
use rapport_store::measure::{BehaviourSeries, CustomerFilter, IntentStatus, ItemDay, Rebuilt, ScoreFilter, ScoreRow};
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
        match &f.touchpoints {
            None => {
                let counts = behaviour::windows_counts(&mut c, org, f.segment, windows).await?;
                Ok(BehaviourSeries { counts: counts.into_iter().map(Into::into).collect(), sample: None })
            }
            Some(touchpoints) => {
                samples::touched_behaviour(&self.samples, &mut c, org, windows, f, touchpoints, sample).await
            }
        }
    }

    async fn activity(
        &self,
        org: Id,
        from: NaiveDate,
        to: NaiveDate,
        segment: Option<Id>,
        sample: i64,
    ) -> Result<rapport_store::ActivitySample> {
        let mut c = self.pool.acquire().await?;
        samples::activity(&self.samples, &mut c, org, (from, to), segment, sample).await
    }

    async fn item_days(&self, org: Id, survey: Id, from: NaiveDate, to: NaiveDate) -> Result<Vec<ItemDay>> {
        super::items::by_day(self, org, survey, from, to).await
    }

    async fn rebuild_rollups(&self, org: Id) -> Result<Rebuilt> {
        let mut tx = write(self, org).await?;
        for sql in [
            "DELETE FROM score_rollups WHERE org_id = $1",
            "DELETE FROM item_days WHERE org_id = $1",
            "DELETE FROM activity WHERE org_id = $1",
            "DELETE FROM event_hours WHERE org_id = $1",
            "DELETE FROM activity_histories WHERE org_id = $1",
            "DELETE FROM behaviour_days WHERE org_id = $1",
            "DELETE FROM behaviour_spans WHERE org_id = $1",
            "DELETE FROM behaviour_totals WHERE org_id = $1",
            "DELETE FROM perfect_behaviour_days WHERE org_id = $1",
            "DELETE FROM perfect_behaviour_totals WHERE org_id = $1",
            "DELETE FROM segment_members WHERE org_id = $1",
        ] {
            sqlx::query(sql).bind(org).execute(&mut *tx).await?;
        }
        super::counts::recount(&mut tx, org).await?;
        super::customer_terms::reindex(&mut tx, org).await?;
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
