//! Experience plans and their key interactions, with the history of
//! interactions added and removed.

use super::accounts::{write_audit, write_audit_opt};
use super::{check, found, must_exist, write, Conn, EXPERIENCE, PERSON, SEGMENT, TOUCHPOINT};
use crate::dialect::Backend;
use async_trait::async_trait;
use rapport_core::experience::{Experience, ExperienceInput, Interaction};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::rows as s;
use rapport_store::{Audit, Result, StoreError};

pub(crate) async fn experiences(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<Experience>> {
    let rows: Vec<s::ExperienceRow> = sqlx::query_as(
        "SELECT id, name, customer_definition, goal_metric, goal_target, goal_period, goal_behaviour_id, leader_id, created_at \
         FROM experiences WHERE org_id = $1 AND ($2 IS NULL OR id = $2)",
    )
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    let segments: Vec<s::ExperienceSegmentRow> = sqlx::query_as(
        "SELECT experience_id, segment_id FROM experience_segments \
         WHERE org_id = $1 AND ($2 IS NULL OR experience_id = $2) ORDER BY segment_id",
    )
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    let interactions: Vec<s::InteractionRow> = sqlx::query_as(
        "SELECT experience_id, touchpoint_id, position, added_at, removed_at FROM interactions \
         WHERE org_id = $1 AND ($2 IS NULL OR experience_id = $2) AND removed_at IS NULL \
         ORDER BY position, id",
    )
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    let mut out = s::experiences(rows, segments, interactions)?;
    s::sort_by_name(&mut out, |e| (&e.name, e.id));
    Ok(out)
}

/// Current interactions only.
async fn shift_interactions(c: &mut Conn, org: Id, exp: Id, delta: i64, from: i64) -> Result<()> {
    sqlx::query(
        "UPDATE interactions SET position = position + $3 \
         WHERE org_id = $1 AND experience_id = $2 AND removed_at IS NULL AND position >= $4",
    )
    .bind(org)
    .bind(exp)
    .bind(delta)
    .bind(from)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Ends the current interaction at `position` and closes the gap.
pub(crate) async fn end_interaction(c: &mut Conn, org: Id, exp: Id, tp: Id, position: i64) -> Result<()> {
    sqlx::query(
        "UPDATE interactions SET removed_at = $4 \
         WHERE org_id = $1 AND experience_id = $2 AND touchpoint_id = $3 AND removed_at IS NULL",
    )
    .bind(org)
    .bind(exp)
    .bind(tp)
    .bind(s::now())
    .execute(&mut *c)
    .await?;
    shift_interactions(c, org, exp, -1, position + 1).await
}

async fn check_experience(c: &mut Conn, org: Id, exp: &ExperienceInput) -> Result<()> {
    let mut e = FieldErrors::new();
    if let Some(leader) = exp.leader_id {
        check(c, &mut e, PERSON, org, leader, "leader_id".into()).await?;
    }
    for segment in &exp.segment_ids {
        check(c, &mut e, SEGMENT, org, *segment, "segment_ids".into()).await?;
    }
    if let Some(b) = exp.goal.behaviour_id {
        check(c, &mut e, super::BEHAVIOUR, org, b, "goal_behaviour_id".into()).await?;
    }
    s::invalid_if_any(e)
}

async fn set_segments(c: &mut Conn, org: Id, exp: Id, segment_ids: &[Id]) -> Result<()> {
    sqlx::query("DELETE FROM experience_segments WHERE org_id = $1 AND experience_id = $2")
        .bind(org)
        .bind(exp)
        .execute(&mut *c)
        .await?;
    for segment in segment_ids {
        sqlx::query(
            "INSERT INTO experience_segments (org_id, experience_id, segment_id) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind(org)
        .bind(exp)
        .bind(*segment)
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

#[async_trait]
impl rapport_store::Experiences for Backend {
    async fn list_experiences(&self, org: Id) -> Result<Vec<Experience>> {
        experiences(&mut *self.pool.acquire().await?, org, None).await
    }

    async fn get_experience(&self, org: Id, id: Id) -> Result<Experience> {
        s::one(experiences(&mut *self.pool.acquire().await?, org, Some(id)).await?)
    }

    async fn create_experience(&self, org: Id, exp: &ExperienceInput) -> Result<Experience> {
        let mut tx = write(self, org).await?;
        check_experience(&mut tx, org, exp).await?;
        let id: Id = sqlx::query_scalar(
            "INSERT INTO experiences \
             (org_id, name, customer_definition, goal_metric, goal_target, goal_period, leader_id, created_at, \
             goal_behaviour_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(org)
        .bind(&exp.name)
        .bind(&exp.customer_definition)
        .bind(exp.goal.metric.key())
        .bind(exp.goal.target)
        .bind(exp.goal.period.key())
        .bind(exp.leader_id)
        .bind(s::now())
        .bind(exp.goal.behaviour_id)
        .fetch_one(&mut *tx)
        .await?;
        set_segments(&mut tx, org, id, &exp.segment_ids).await?;
        let out = s::one(experiences(&mut tx, org, Some(id)).await?)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn update_experience(&self, org: Id, id: Id, exp: &ExperienceInput) -> Result<Experience> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, EXPERIENCE, org, id).await?;
        check_experience(&mut tx, org, exp).await?;
        sqlx::query(
            "UPDATE experiences SET name = $3, customer_definition = $4, goal_metric = $5, goal_target = $6, \
             goal_period = $7, leader_id = $8, goal_behaviour_id = $9 WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id)
        .bind(&exp.name)
        .bind(&exp.customer_definition)
        .bind(exp.goal.metric.key())
        .bind(exp.goal.target)
        .bind(exp.goal.period.key())
        .bind(exp.leader_id)
        .bind(exp.goal.behaviour_id)
        .execute(&mut *tx)
        .await?;
        set_segments(&mut tx, org, id, &exp.segment_ids).await?;
        let out = s::one(experiences(&mut tx, org, Some(id)).await?)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn delete_experience(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, EXPERIENCE, org, id).await?;
        for sql in [
            "DELETE FROM interactions WHERE org_id = $1 AND experience_id = $2",
            "DELETE FROM experience_segments WHERE org_id = $1 AND experience_id = $2",
            "DELETE FROM experiences WHERE org_id = $1 AND id = $2",
        ] {
            sqlx::query(sql).bind(org).bind(id).execute(&mut *tx).await?;
        }
        write_audit(&mut tx, org, audit, None).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn add_interaction(&self, org: Id, exp: Id, touchpoint: Id, position: Option<i64>) -> Result<Experience> {
        let mut tx = write(self, org).await?;
        let current = s::one(experiences(&mut tx, org, Some(exp)).await?)?.interactions;
        if !found(&mut tx, TOUCHPOINT, org, touchpoint).await? {
            return Err(StoreError::unknown_id("touchpoint_id"));
        }
        if current.iter().any(|i| i.touchpoint_id == touchpoint) {
            return Err(StoreError::conflict("touchpoint_id", "duplicate", "is already a key interaction"));
        }
        let at = s::place(position, None, current.len() as i64);
        shift_interactions(&mut tx, org, exp, 1, at).await?;
        sqlx::query(
            "INSERT INTO interactions (org_id, experience_id, touchpoint_id, position, added_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(org)
        .bind(exp)
        .bind(touchpoint)
        .bind(at)
        .bind(s::now())
        .execute(&mut *tx)
        .await
        .map_err(s::conflict_on("touchpoint_id", "duplicate", "is already a key interaction"))?;
        let out = s::one(experiences(&mut tx, org, Some(exp)).await?)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn remove_interaction(
        &self,
        org: Id,
        exp: Id,
        touchpoint: Id,
        audit: Option<&Audit<'_>>,
    ) -> Result<Experience> {
        let mut tx = write(self, org).await?;
        let current = s::one(experiences(&mut tx, org, Some(exp)).await?)?.interactions;
        let Some(ended) = current.iter().find(|i| i.touchpoint_id == touchpoint) else {
            return Err(StoreError::NotFound);
        };
        end_interaction(&mut tx, org, exp, touchpoint, ended.position).await?;
        write_audit_opt(&mut tx, org, audit, None).await?;
        let out = s::one(experiences(&mut tx, org, Some(exp)).await?)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn interaction_history(&self, org: Id, exp: Id) -> Result<Vec<Interaction>> {
        let mut c = self.pool.acquire().await?;
        must_exist(&mut c, EXPERIENCE, org, exp).await?;
        let rows: Vec<s::InteractionRow> = sqlx::query_as(
            "SELECT experience_id, touchpoint_id, position, added_at, removed_at FROM interactions \
             WHERE org_id = $1 AND experience_id = $2 ORDER BY added_at, id",
        )
        .bind(org)
        .bind(exp)
        .fetch_all(&mut *c)
        .await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }
}
