//! Refits: one queued or running per organization (a partial unique index),
//! claimed under a lease by re-checked predicates as the outbox does (see
//! `outbox.rs`): the claim is one `UPDATE ... WHERE id = (candidate) AND
//! <claimable>`, so of two servers claiming at once only one changes the
//! row. Times come from the caller.

use super::write;
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::Id;
use rapport_store::models::{ModelRun, RunStatus};
use rapport_store::rows as s;
use rapport_store::Result;

const RUN_SELECT: &str = "SELECT id, org_id, status, stage, progress, requested_by, requested_at, started_at, \
                          finished_at, error, summary FROM model_runs";

/// Queued, or running under a lease that is past ($1 = now).
const CLAIMABLE: &str = "(status = 'queued' OR (status = 'running' AND lease_until < $1))";

#[derive(sqlx::FromRow)]
struct RunRow {
    id: Id,
    org_id: Id,
    status: String,
    stage: String,
    progress: i64,
    requested_by: String,
    requested_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    error: Option<String>,
    summary: Option<String>,
}

impl RunRow {
    fn run(self) -> Result<ModelRun> {
        let status =
            RunStatus::parse(&self.status).ok_or_else(|| s::corrupt(format!("run status {:?}", self.status)))?;
        let summary = match self.summary {
            Some(text) => Some(s::from_json("model run summary", &text)?),
            None => None,
        };
        Ok(ModelRun {
            id: self.id,
            org_id: self.org_id,
            status,
            stage: self.stage,
            progress: self.progress,
            requested_by: self.requested_by,
            requested_at: self.requested_at,
            started_at: self.started_at,
            finished_at: self.finished_at,
            error: self.error,
            summary,
        })
    }
}

async fn runs(pool: &sqlx::Pool<crate::dialect::Db>, tail: &str, org: Id, limit: i64) -> Result<Vec<ModelRun>> {
    let sql = format!("{RUN_SELECT} WHERE org_id = $1 {tail} ORDER BY id DESC LIMIT $2");
    let rows: Vec<RunRow> = sqlx::query_as(&sql).bind(org).bind(limit.max(0)).fetch_all(pool).await?;
    rows.into_iter().map(RunRow::run).collect()
}

#[async_trait]
impl rapport_store::Refits for Backend {
    async fn request_refit(&self, org: Id, by: &str, now: DateTime<Utc>) -> Result<ModelRun> {
        let mut tx = write(self, org).await?;
        let active: Option<Id> =
            sqlx::query_scalar("SELECT id FROM model_runs WHERE org_id = $1 AND status IN ('queued', 'running')")
                .bind(org)
                .fetch_optional(&mut *tx)
                .await?;
        if active.is_none() {
            sqlx::query(
                "INSERT INTO model_runs (org_id, requested_by, requested_at, status, stage, progress) \
                 VALUES ($1, $2, $3, 'queued', 'queued', 0)",
            )
            .bind(org)
            .bind(by)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        s::one(runs(&self.pool, "", org, 1).await?)
    }

    async fn claim_refit(&self, now: DateTime<Utc>, lease_until: DateTime<Utc>) -> Result<Option<ModelRun>> {
        let candidate: Option<Id> =
            sqlx::query_scalar(&format!("SELECT id FROM model_runs WHERE {CLAIMABLE} ORDER BY id LIMIT 1"))
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
        let Some(id) = candidate else { return Ok(None) };
        let sql = format!(
            "UPDATE model_runs SET status = 'running', lease_until = $2, started_at = $1, stage = 'reading', \
             progress = 0 WHERE id = $3 AND {CLAIMABLE} RETURNING id"
        );
        let claimed: Option<Id> =
            sqlx::query_scalar(&sql).bind(now).bind(lease_until).bind(id).fetch_optional(&self.pool).await?;
        let Some(id) = claimed else { return Ok(None) };
        let row: RunRow = sqlx::query_as(&format!("{RUN_SELECT} WHERE id = $1")).bind(id).fetch_one(&self.pool).await?;
        row.run().map(Some)
    }

    async fn refit_progress(
        &self,
        org: Id,
        run: Id,
        stage: &str,
        progress: i64,
        started_at: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool> {
        // The run is still ours while it is running and started when we
        // claimed it (a takeover sets a new start).
        let done = sqlx::query(
            "UPDATE model_runs SET stage = $3, progress = $4, lease_until = $6 \
             WHERE org_id = $1 AND id = $2 AND status = 'running' AND started_at = $5",
        )
        .bind(org)
        .bind(run)
        .bind(stage)
        .bind(progress.clamp(0, 100))
        .bind(started_at)
        .bind(lease_until)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn finish_refit(
        &self,
        org: Id,
        run: Id,
        outcome: std::result::Result<serde_json::Value, String>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (status, summary, error) = match outcome {
            Ok(summary) => (RunStatus::Done, Some(s::to_json(&summary)?), None),
            Err(reason) => (RunStatus::Failed, None, Some(reason)),
        };
        sqlx::query(
            "UPDATE model_runs SET status = $3, stage = $3, progress = 100, finished_at = $4, lease_until = NULL, \
             summary = $5, error = $6 WHERE org_id = $1 AND id = $2 AND status = 'running'",
        )
        .bind(org)
        .bind(run)
        .bind(status.key())
        .bind(now)
        .bind(summary)
        .bind(error)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn list_refits(&self, org: Id, limit: i64) -> Result<Vec<ModelRun>> {
        runs(&self.pool, "", org, limit).await
    }

    async fn last_fit(&self, org: Id) -> Result<Option<ModelRun>> {
        Ok(runs(&self.pool, "AND status = 'done'", org, 1).await?.pop())
    }

    async fn orgs_due_refit(&self, since: DateTime<Utc>) -> Result<Vec<Id>> {
        let ids = sqlx::query_scalar(
            "SELECT o.id FROM organizations o WHERE EXISTS (SELECT 1 FROM customers c WHERE c.org_id = o.id) \
             AND NOT EXISTS (SELECT 1 FROM model_runs m WHERE m.org_id = o.id AND m.requested_at >= $1) ORDER BY o.id",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        Ok(ids)
    }
}
