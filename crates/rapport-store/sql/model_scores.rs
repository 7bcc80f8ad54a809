//! Scores, key-driver results and the ROCE inputs. A refit writes scores in
//! pages as it goes (upserts tagged with its run), then one transaction
//! drops the scores older runs left and swaps in its key-driver results, so
//! a page read meanwhile sees the previous or the new score of a customer,
//! never none.

use super::accounts::write_audit;
use super::write;
use crate::dialect::{Backend, Db};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::Id;
use rapport_store::models::{CustomerScore, DriverResult, NewScore, RiskCursor};
use rapport_store::rows as s;
use rapport_store::{Audit, Result};

const SCORE_SELECT: &str =
    "SELECT s.customer_id, c.external_id, c.name, c.email, s.churn_risk, s.p_alive, s.expected_purchases, \
     s.lifetime_value, s.value_at_risk, s.reasons, s.run_id, s.scored_at \
     FROM customer_scores s JOIN customers c ON c.id = s.customer_id";

/// Rows per multi-row upsert (11 binds each, under SQLite's 32,766).
const SCORE_CHUNK: usize = 500;

#[derive(sqlx::FromRow)]
struct ScoreRow {
    customer_id: Id,
    external_id: String,
    name: Option<String>,
    email: Option<String>,
    churn_risk: Option<f64>,
    p_alive: Option<f64>,
    expected_purchases: Option<f64>,
    lifetime_value: Option<f64>,
    value_at_risk: f64,
    reasons: String,
    run_id: Id,
    scored_at: DateTime<Utc>,
}

impl ScoreRow {
    fn score(self) -> Result<CustomerScore> {
        Ok(CustomerScore {
            customer_id: self.customer_id,
            external_id: self.external_id,
            name: self.name,
            email: self.email,
            churn_risk: self.churn_risk,
            p_alive: self.p_alive,
            expected_purchases: self.expected_purchases,
            lifetime_value: self.lifetime_value,
            value_at_risk: self.value_at_risk,
            reasons: s::from_json("score reasons", &self.reasons)?,
            run_id: self.run_id,
            scored_at: self.scored_at,
        })
    }
}

#[async_trait]
impl rapport_store::ModelScores for Backend {
    async fn save_scores(&self, org: Id, run: Id, scores: &[NewScore], now: DateTime<Utc>) -> Result<()> {
        let mut tx = write(self, org).await?;
        for chunk in scores.chunks(SCORE_CHUNK) {
            let mut qb = sqlx::QueryBuilder::<Db>::new(
                "INSERT INTO customer_scores (customer_id, org_id, run_id, churn_risk, p_alive, expected_purchases, \
                 lifetime_value, value_at_risk, reasons, scored_at) ",
            );
            let mut reasons = Vec::with_capacity(chunk.len());
            for sc in chunk {
                reasons.push(s::to_json(&sc.reasons)?);
            }
            // Only customers of the organization (one may have been erased
            // since the page was read).
            // VALUES columns are column1.. on both databases; SQLite needs the
            // WHERE for an upsert from a SELECT.
            qb.push(
                "SELECT v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7, v.column8, \
                 v.column9, v.column10 FROM (",
            );
            qb.push_values(chunk.iter().zip(reasons), |mut b, (sc, reasons)| {
                b.push_bind(sc.customer_id)
                    .push_bind(org)
                    .push_bind(run)
                    .push_bind(sc.churn_risk)
                    .push_bind(sc.p_alive)
                    .push_bind(sc.expected_purchases)
                    .push_bind(sc.lifetime_value)
                    .push_bind(sc.value_at_risk)
                    .push_bind(reasons)
                    .push_bind(now);
            });
            qb.push(
                ") v JOIN customers c ON c.id = v.column1 AND c.org_id = v.column2 WHERE true \
                 ON CONFLICT (customer_id) DO UPDATE SET run_id = excluded.run_id, churn_risk = excluded.churn_risk, \
                 p_alive = excluded.p_alive, expected_purchases = excluded.expected_purchases, \
                 lifetime_value = excluded.lifetime_value, value_at_risk = excluded.value_at_risk, \
                 reasons = excluded.reasons, scored_at = excluded.scored_at",
            );
            qb.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn complete_scores(&self, org: Id, run: Id, drivers: &[DriverResult]) -> Result<()> {
        let mut tx = write(self, org).await?;
        sqlx::query("DELETE FROM customer_scores WHERE org_id = $1 AND run_id <> $2")
            .bind(org)
            .bind(run)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM driver_results WHERE org_id = $1").bind(org).execute(&mut *tx).await?;
        for d in drivers {
            sqlx::query(
                "INSERT INTO driver_results (org_id, experience_id, survey_id, segment_id, run_id, result) \
                 SELECT $1, e.id, $3, $4, $5, $6 FROM experiences e WHERE e.org_id = $1 AND e.id = $2 \
                 AND ($3 <= 0 OR EXISTS (SELECT 1 FROM surveys v WHERE v.org_id = $1 AND v.id = $3))",
            )
            .bind(org)
            .bind(d.experience_id)
            .bind(d.survey_id)
            .bind(d.segment_id)
            .bind(run)
            .bind(s::to_json(&d.result)?)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn customer_score(&self, org: Id, customer: Id) -> Result<Option<CustomerScore>> {
        let sql = format!("{SCORE_SELECT} WHERE s.org_id = $1 AND s.customer_id = $2");
        let row: Option<ScoreRow> = sqlx::query_as(&sql).bind(org).bind(customer).fetch_optional(&self.pool).await?;
        row.map(ScoreRow::score).transpose()
    }

    async fn at_risk(&self, org: Id, after: Option<RiskCursor>, limit: i64) -> Result<Vec<CustomerScore>> {
        // Highest first, ties by the higher id: one backward range of
        // customer_scores_at_risk.
        let (value, id) = after.map_or((None, None), |(v, id)| (Some(v), Some(id)));
        let sql = format!(
            "{SCORE_SELECT} WHERE s.org_id = $1 AND ($2 IS NULL OR s.value_at_risk < $2 \
             OR (s.value_at_risk = $2 AND s.customer_id < $3)) \
             ORDER BY s.value_at_risk DESC, s.customer_id DESC LIMIT $4"
        );
        let rows: Vec<ScoreRow> =
            sqlx::query_as(&sql).bind(org).bind(value).bind(id).bind(limit.max(0)).fetch_all(&self.pool).await?;
        rows.into_iter().map(ScoreRow::score).collect()
    }

    async fn driver_results(&self, org: Id, experience: Id) -> Result<Vec<DriverResult>> {
        let rows: Vec<(Id, Id, Id, Id, String)> = sqlx::query_as(
            "SELECT experience_id, survey_id, segment_id, run_id, result FROM driver_results \
             WHERE org_id = $1 AND experience_id = $2 ORDER BY survey_id, segment_id",
        )
        .bind(org)
        .bind(experience)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(experience_id, survey_id, segment_id, run_id, text)| {
                Ok(DriverResult {
                    experience_id,
                    survey_id,
                    segment_id,
                    run_id,
                    result: s::from_json("drivers", &text)?,
                })
            })
            .collect()
    }

    async fn finance_inputs(&self, org: Id) -> Result<Option<serde_json::Value>> {
        let text: Option<String> = sqlx::query_scalar("SELECT inputs FROM finance_models WHERE org_id = $1")
            .bind(org)
            .fetch_optional(&self.pool)
            .await?;
        text.map(|t| s::from_json("finance inputs", &t)).transpose()
    }

    async fn save_finance_inputs(&self, org: Id, inputs: &serde_json::Value, audit: &Audit<'_>) -> Result<()> {
        let mut tx = write(self, org).await?;
        sqlx::query(
            "INSERT INTO finance_models (org_id, inputs, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (org_id) DO UPDATE SET inputs = excluded.inputs, updated_at = excluded.updated_at",
        )
        .bind(org)
        .bind(s::to_json(inputs)?)
        .bind(s::now())
        .execute(&mut *tx)
        .await?;
        write_audit(&mut tx, org, audit, None).await?;
        tx.commit().await?;
        Ok(())
    }
}
