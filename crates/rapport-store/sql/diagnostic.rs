//! F2. The 20-question diagnostic: rounds, answers by several people, scores over time.

use super::accounts::write_audit;
use super::{check, write, Conn, ACTIVE_PERSON};
use crate::dialect::{Backend, Db};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::review::diagnostic::round::{AnswerInput, DiagnosticAnswer, DiagnosticRound, RoundInput};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::diagnostic::{Diagnostics, MAX_ROUNDS};
use rapport_store::rows as s;
use rapport_store::{Audit, Result, StoreError};

const ROUND_SELECT: &str = "SELECT id, name, opened_on, closed_at, created_at FROM diagnostic_rounds";

type RoundRow = (Id, String, NaiveDate, Option<DateTime<Utc>>, DateTime<Utc>);

fn round_of((id, name, opened_on, closed_at, created_at): RoundRow) -> DiagnosticRound {
    DiagnosticRound { id, name, opened_on, closed_at, created_at }
}

async fn round(c: &mut Conn, org: Id, id: Id) -> Result<DiagnosticRound> {
    let sql = format!("{ROUND_SELECT} WHERE org_id = $1 AND id = $2");
    let row: Option<RoundRow> = sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(&mut *c).await?;
    row.map(round_of).ok_or(StoreError::NotFound)
}

fn closed() -> StoreError {
    StoreError::conflict("round", "closed", "the round is closed: its answers are frozen")
}

#[async_trait]
impl Diagnostics for Backend {
    async fn create_diagnostic_round(&self, org: Id, r: &RoundInput, audit: &Audit<'_>) -> Result<DiagnosticRound> {
        let mut tx = write(self, org).await?;
        let id: Id = sqlx::query_scalar(
            "INSERT INTO diagnostic_rounds (org_id, name, opened_on, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(org)
        .bind(&r.name)
        .bind(r.opened_on)
        .bind(s::now())
        .bind(audit.actor)
        .fetch_one(&mut *tx)
        .await?;
        write_audit(&mut tx, org, audit, Some(id)).await?;
        let out = round(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn list_diagnostic_rounds(&self, org: Id, limit: i64) -> Result<Vec<DiagnosticRound>> {
        let sql = format!("{ROUND_SELECT} WHERE org_id = $1 ORDER BY opened_on DESC, id DESC LIMIT $2");
        let rows: Vec<RoundRow> = sqlx::query_as(&sql)
            .bind(org)
            .bind(limit.clamp(1, MAX_ROUNDS))
            .fetch_all(&mut *self.pool.acquire().await?)
            .await?;
        Ok(rows.into_iter().map(round_of).collect())
    }

    async fn get_diagnostic_round(&self, org: Id, id: Id) -> Result<DiagnosticRound> {
        round(&mut *self.pool.acquire().await?, org, id).await
    }

    async fn close_diagnostic_round(
        &self,
        org: Id,
        id: Id,
        audit: &Audit<'_>,
        now: DateTime<Utc>,
    ) -> Result<DiagnosticRound> {
        let mut tx = write(self, org).await?;
        if round(&mut tx, org, id).await?.is_closed() {
            return Err(StoreError::conflict("id", "closed", "the round is already closed"));
        }
        sqlx::query("UPDATE diagnostic_rounds SET closed_at = $3 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        write_audit(&mut tx, org, audit, None).await?;
        let out = round(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn answer_diagnostic(
        &self,
        org: Id,
        round_id: Id,
        person: Id,
        answers: &[AnswerInput],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = write(self, org).await?;
        if round(&mut tx, org, round_id).await?.is_closed() {
            return Err(closed());
        }
        let mut e = FieldErrors::new();
        check(&mut tx, &mut e, ACTIVE_PERSON, org, person, "person_id".into()).await?;
        s::invalid_if_any(e)?;
        for a in answers {
            sqlx::query(
                "INSERT INTO diagnostic_answers (org_id, round_id, person_id, question, score, comment, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (round_id, person_id, question) DO UPDATE \
                 SET score = excluded.score, comment = excluded.comment, updated_at = excluded.updated_at",
            )
            .bind(org)
            .bind(round_id)
            .bind(person)
            .bind(a.question)
            .bind(a.score)
            .bind(&a.comment)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn diagnostic_answers(&self, org: Id, rounds: &[Id]) -> Result<Vec<DiagnosticAnswer>> {
        if rounds.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb = sqlx::QueryBuilder::<Db>::new(
            "SELECT round_id, person_id, question, score, comment, updated_at FROM diagnostic_answers WHERE org_id = ",
        );
        qb.push_bind(org).push(" AND round_id IN (");
        let mut ids = qb.separated(", ");
        for id in rounds.iter().take(MAX_ROUNDS as usize) {
            ids.push_bind(*id);
        }
        qb.push(") ORDER BY round_id, person_id, question");
        type Row = (Id, Id, String, i64, Option<String>, DateTime<Utc>);
        let rows: Vec<Row> = qb.build_query_as().fetch_all(&mut *self.pool.acquire().await?).await?;
        Ok(rows
            .into_iter()
            .map(|(round_id, person_id, question, score, comment, updated_at)| DiagnosticAnswer {
                round_id,
                person_id,
                question,
                score,
                comment,
                updated_at,
            })
            .collect())
    }
}
