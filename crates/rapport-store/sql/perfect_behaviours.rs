//! A7. Perfect customer behaviours: the behaviours of each experience, and
//! their counts (the rows are kept by `perfect_behaviour_state`).

use super::perfect_behaviour_state::{counts, recount};
use super::{check, must_exist, refuse_if_used, write, Conn, EXPERIENCE, PERSON, TOUCHPOINT};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::plan::perfect_behaviour::state::Counts;
use rapport_core::plan::perfect_behaviour::{Base, BehaviourInput, Rule, PER_EXPERIENCE_MAX};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::perfect_behaviours::{PerfectBehaviour, PerfectBehaviours};
use rapport_store::rows as s;
use rapport_store::{Result, StoreError};

type Row = (
    Id,
    Id,
    String,
    Option<String>,
    Id,
    f64,
    String,
    Option<Id>,
    i64,
    Option<i64>,
    String,
    DateTime<Utc>,
    DateTime<Utc>,
);

const SELECT: &str = "SELECT id, experience_id, name, name_es, owner_id, target, event_type, touchpoint_id, count, \
                      window_days, base, created_at, updated_at FROM perfect_behaviours WHERE org_id = $1";

fn behaviour(r: Row) -> PerfectBehaviour {
    PerfectBehaviour {
        id: r.0,
        experience_id: r.1,
        name: r.2,
        name_es: r.3,
        owner_id: r.4,
        target: r.5,
        rule: Rule {
            event_type: r.6,
            touchpoint_id: r.7,
            count: r.8,
            window_days: r.9,
            base: Base::parse(&r.10).unwrap_or_default(),
        },
        created_at: r.11,
        updated_at: r.12,
    }
}

async fn one(c: &mut Conn, org: Id, id: Id) -> Result<PerfectBehaviour> {
    let sql = format!("{SELECT} AND id = $2");
    let row: Option<Row> = sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(&mut *c).await?;
    row.map(behaviour).ok_or(StoreError::NotFound)
}

/// The owner and touchpoint must be the organization's.
async fn check_refs(c: &mut Conn, org: Id, b: &BehaviourInput) -> Result<()> {
    let mut e = FieldErrors::new();
    check(c, &mut e, PERSON, org, b.owner_id, "owner_id".into()).await?;
    if let Some(tp) = b.rule.touchpoint_id {
        check(c, &mut e, TOUCHPOINT, org, tp, "touchpoint_id".into()).await?;
    }
    e.into_result(()).map_err(StoreError::Invalid)
}

#[async_trait]
impl PerfectBehaviours for Backend {
    async fn list_behaviours(&self, org: Id, experience: Option<Id>) -> Result<Vec<PerfectBehaviour>> {
        let mut c = self.pool.acquire().await?;
        if let Some(x) = experience {
            must_exist(&mut c, EXPERIENCE, org, x).await?;
        }
        let sql = format!("{SELECT} AND ($2 IS NULL OR experience_id = $2) ORDER BY id");
        let rows: Vec<Row> = sqlx::query_as(&sql).bind(org).bind(experience).fetch_all(&mut *c).await?;
        Ok(rows.into_iter().map(behaviour).collect())
    }

    async fn behaviour(&self, org: Id, id: Id) -> Result<PerfectBehaviour> {
        let mut c = self.pool.acquire().await?;
        one(&mut c, org, id).await
    }

    async fn create_behaviour(&self, org: Id, experience: Id, b: &BehaviourInput) -> Result<PerfectBehaviour> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, EXPERIENCE, org, experience).await?;
        check_refs(&mut tx, org, b).await?;
        let held: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM perfect_behaviours WHERE org_id = $1 AND experience_id = $2")
                .bind(org)
                .bind(experience)
                .fetch_one(&mut *tx)
                .await?;
        if held >= PER_EXPERIENCE_MAX as i64 {
            return Err(StoreError::conflict(
                "experience_id",
                "too_many",
                format!("an experience holds at most {PER_EXPERIENCE_MAX} behaviours"),
            ));
        }
        let now = s::now();
        let id: Id = sqlx::query_scalar(
            "INSERT INTO perfect_behaviours (org_id, experience_id, name, name_es, owner_id, target, event_type, \
             touchpoint_id, count, window_days, base, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        )
        .bind(org)
        .bind(experience)
        .bind(&b.name)
        .bind(&b.name_es)
        .bind(b.owner_id)
        .bind(b.target)
        .bind(&b.rule.event_type)
        .bind(b.rule.touchpoint_id)
        .bind(b.rule.count)
        .bind(b.rule.window_days)
        .bind(b.rule.base.key())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        recount(&mut tx, org, id, &b.rule).await?;
        let out = one(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn update_behaviour(&self, org: Id, id: Id, b: &BehaviourInput) -> Result<PerfectBehaviour> {
        let mut tx = write(self, org).await?;
        let old = one(&mut tx, org, id).await?;
        check_refs(&mut tx, org, b).await?;
        sqlx::query(
            "UPDATE perfect_behaviours SET name = $3, name_es = $4, owner_id = $5, target = $6, event_type = $7, \
             touchpoint_id = $8, count = $9, window_days = $10, base = $11, updated_at = $12 \
             WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id)
        .bind(&b.name)
        .bind(&b.name_es)
        .bind(b.owner_id)
        .bind(b.target)
        .bind(&b.rule.event_type)
        .bind(b.rule.touchpoint_id)
        .bind(b.rule.count)
        .bind(b.rule.window_days)
        .bind(b.rule.base.key())
        .bind(s::now())
        .execute(&mut *tx)
        .await?;
        if old.rule != b.rule {
            recount(&mut tx, org, id, &b.rule).await?;
        }
        let out = one(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn delete_behaviour(&self, org: Id, id: Id) -> Result<()> {
        let mut tx = write(self, org).await?;
        one(&mut tx, org, id).await?;
        refuse_if_used(
            &mut tx,
            "SELECT id FROM experiences WHERE org_id = $1 AND goal_behaviour_id = $2",
            org,
            id,
            "an experience's goal names this behaviour",
        )
        .await?;
        for sql in [
            "DELETE FROM perfect_behaviour_days WHERE org_id = $1 AND behaviour_id = $2",
            "DELETE FROM perfect_behaviour_totals WHERE org_id = $1 AND behaviour_id = $2",
            "DELETE FROM perfect_behaviours WHERE org_id = $1 AND id = $2",
        ] {
            sqlx::query(sql).bind(org).bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn perfect_behaviour_counts(
        &self,
        org: Id,
        id: Id,
        windows: &[(NaiveDate, NaiveDate)],
    ) -> Result<Vec<Counts>> {
        let mut c = self.pool.acquire().await?;
        let b = one(&mut c, org, id).await?;
        counts(&mut c, org, id, b.rule.base, windows).await
    }
}
