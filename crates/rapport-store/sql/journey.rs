//! The journey map: stages and touchpoints, kept in position order.
//! Adding or removing a touchpoint is announced (see `announce`).

use super::accounts::write_audit;
use super::announce::announce_in;
use super::experiences::end_interaction;
use super::{check, notify_after, refuse_if_used, write, Conn, PERSON, SEGMENT, STAGE};
use crate::dialect::Backend;
use async_trait::async_trait;
use rapport_core::improve as im;
use rapport_core::journey::{Importance, Stage, StageInput, Touchpoint, TouchpointInput};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::listening::NoticeKind;
use rapport_store::rows as s;
use rapport_store::{Audit, Result, StoreError};

pub(crate) async fn stages(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<Stage>> {
    let rows: Vec<s::StageRow> = sqlx::query_as(
        "SELECT id, name, position FROM stages \
         WHERE org_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY position, id",
    )
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub(crate) async fn touchpoints(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<Touchpoint>> {
    let rows: Vec<s::TouchpointRow> = sqlx::query_as(
        "SELECT t.id, t.name, t.description, t.stage_id, t.position, t.channel, t.department, t.owner_id \
         FROM touchpoints t JOIN stages s ON s.id = t.stage_id \
         WHERE t.org_id = $1 AND ($2 IS NULL OR t.id = $2) ORDER BY s.position, t.position, t.id",
    )
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    let importance: Vec<s::ImportanceRow> = sqlx::query_as(
        "SELECT touchpoint_id, segment_id, importance FROM touchpoint_importance \
         WHERE org_id = $1 AND ($2 IS NULL OR touchpoint_id = $2) ORDER BY segment_id",
    )
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    Ok(s::touchpoints(rows, importance))
}

// Ordered lists: `shift` moves by `delta` every item at `from` or
// later (except `except`), opening (+1) or closing (-1) a gap.

async fn count_stages(c: &mut Conn, org: Id, except: Id) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM stages WHERE org_id = $1 AND id <> $2";
    Ok(sqlx::query_scalar(sql).bind(org).bind(except).fetch_one(&mut *c).await?)
}

async fn shift_stages(c: &mut Conn, org: Id, delta: i64, from: i64, except: Id) -> Result<()> {
    sqlx::query("UPDATE stages SET position = position + $2 WHERE org_id = $1 AND position >= $3 AND id <> $4")
        .bind(org)
        .bind(delta)
        .bind(from)
        .bind(except)
        .execute(&mut *c)
        .await?;
    Ok(())
}

async fn count_touchpoints(c: &mut Conn, org: Id, stage: Id, except: Id) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM touchpoints WHERE org_id = $1 AND stage_id = $2 AND id <> $3";
    Ok(sqlx::query_scalar(sql).bind(org).bind(stage).bind(except).fetch_one(&mut *c).await?)
}

async fn shift_touchpoints(c: &mut Conn, org: Id, stage: Id, delta: i64, from: i64, except: Id) -> Result<()> {
    sqlx::query(
        "UPDATE touchpoints SET position = position + $3 \
         WHERE org_id = $1 AND stage_id = $2 AND position >= $4 AND id <> $5",
    )
    .bind(org)
    .bind(stage)
    .bind(delta)
    .bind(from)
    .bind(except)
    .execute(&mut *c)
    .await?;
    Ok(())
}

async fn check_touchpoint(c: &mut Conn, org: Id, tp: &TouchpointInput) -> Result<()> {
    let mut e = FieldErrors::new();
    check(c, &mut e, STAGE, org, tp.stage_id, "stage_id".into()).await?;
    if let Some(owner) = tp.owner_id {
        check(c, &mut e, PERSON, org, owner, "owner_id".into()).await?;
    }
    for (i, imp) in tp.importance.iter().enumerate() {
        check(c, &mut e, SEGMENT, org, imp.segment_id, format!("importance[{i}].segment_id")).await?;
    }
    s::invalid_if_any(e)
}

async fn set_importance(c: &mut Conn, org: Id, tp: Id, importance: &[Importance]) -> Result<()> {
    sqlx::query("DELETE FROM touchpoint_importance WHERE org_id = $1 AND touchpoint_id = $2")
        .bind(org)
        .bind(tp)
        .execute(&mut *c)
        .await?;
    for imp in importance {
        sqlx::query(
            "INSERT INTO touchpoint_importance (org_id, touchpoint_id, segment_id, importance) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(org)
        .bind(tp)
        .bind(imp.segment_id)
        .bind(imp.importance)
        .execute(&mut *c)
        .await
        .map_err(s::conflict_on("importance", "duplicate", "lists a segment twice"))?;
    }
    Ok(())
}

#[async_trait]
impl rapport_store::Journey for Backend {
    async fn list_stages(&self, org: Id) -> Result<Vec<Stage>> {
        stages(&mut *self.pool.acquire().await?, org, None).await
    }

    async fn create_stage(&self, org: Id, stage: &StageInput) -> Result<Stage> {
        let mut tx = write(self, org).await?;
        let at = s::place(stage.position, None, count_stages(&mut tx, org, 0).await?);
        shift_stages(&mut tx, org, 1, at, 0).await?;
        let id: Id = sqlx::query_scalar("INSERT INTO stages (org_id, name, position) VALUES ($1, $2, $3) RETURNING id")
            .bind(org)
            .bind(&stage.name)
            .bind(at)
            .fetch_one(&mut *tx)
            .await?;
        let out = s::one(stages(&mut tx, org, Some(id)).await?)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn update_stage(&self, org: Id, id: Id, stage: &StageInput) -> Result<Stage> {
        let mut tx = write(self, org).await?;
        let old = s::one(stages(&mut tx, org, Some(id)).await?)?;
        shift_stages(&mut tx, org, -1, old.position + 1, id).await?;
        let at = s::place(stage.position, Some(old.position), count_stages(&mut tx, org, id).await?);
        shift_stages(&mut tx, org, 1, at, id).await?;
        sqlx::query("UPDATE stages SET name = $3, position = $4 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .bind(&stage.name)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        let out = s::one(stages(&mut tx, org, Some(id)).await?)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn delete_stage(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()> {
        let mut tx = write(self, org).await?;
        let old = s::one(stages(&mut tx, org, Some(id)).await?)?;
        if count_touchpoints(&mut tx, org, id, 0).await? > 0 {
            return Err(StoreError::conflict("id", "in_use", "still has touchpoints; move or delete them first"));
        }
        sqlx::query("DELETE FROM stages WHERE org_id = $1 AND id = $2").bind(org).bind(id).execute(&mut *tx).await?;
        shift_stages(&mut tx, org, -1, old.position + 1, id).await?;
        write_audit(&mut tx, org, audit, None).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_touchpoints(&self, org: Id) -> Result<Vec<Touchpoint>> {
        touchpoints(&mut *self.pool.acquire().await?, org, None).await
    }

    async fn get_touchpoint(&self, org: Id, id: Id) -> Result<Touchpoint> {
        s::one(touchpoints(&mut *self.pool.acquire().await?, org, Some(id)).await?)
    }

    async fn create_touchpoint(&self, org: Id, tp: &TouchpointInput) -> Result<Touchpoint> {
        let mut tx = write(self, org).await?;
        check_touchpoint(&mut tx, org, tp).await?;
        let at = s::place(tp.position, None, count_touchpoints(&mut tx, org, tp.stage_id, 0).await?);
        shift_touchpoints(&mut tx, org, tp.stage_id, 1, at, 0).await?;
        let id: Id = sqlx::query_scalar(
            "INSERT INTO touchpoints (org_id, stage_id, name, description, position, channel, department, owner_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(org)
        .bind(tp.stage_id)
        .bind(&tp.name)
        .bind(&tp.description)
        .bind(at)
        .bind(&tp.channel)
        .bind(&tp.department)
        .bind(tp.owner_id)
        .fetch_one(&mut *tx)
        .await?;
        set_importance(&mut tx, org, id, &tp.importance).await?;
        let out = s::one(touchpoints(&mut tx, org, Some(id)).await?)?;
        let kind = im::AnnouncementKind::TouchpointAdded;
        let ann = announce_in(&mut tx, org, kind, id, Some(id), None, &out.name, None).await?;
        tx.commit().await?;
        notify_after(self, org, NoticeKind::Announcement, &[ann]);
        Ok(out)
    }

    async fn update_touchpoint(&self, org: Id, id: Id, tp: &TouchpointInput) -> Result<Touchpoint> {
        let mut tx = write(self, org).await?;
        let old = s::one(touchpoints(&mut tx, org, Some(id)).await?)?;
        check_touchpoint(&mut tx, org, tp).await?;
        shift_touchpoints(&mut tx, org, old.stage_id, -1, old.position + 1, id).await?;
        let keep = (tp.stage_id == old.stage_id).then_some(old.position);
        let at = s::place(tp.position, keep, count_touchpoints(&mut tx, org, tp.stage_id, id).await?);
        shift_touchpoints(&mut tx, org, tp.stage_id, 1, at, id).await?;
        sqlx::query(
            "UPDATE touchpoints SET stage_id = $3, name = $4, description = $5, position = $6, channel = $7, \
             department = $8, owner_id = $9 WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id)
        .bind(tp.stage_id)
        .bind(&tp.name)
        .bind(&tp.description)
        .bind(at)
        .bind(&tp.channel)
        .bind(&tp.department)
        .bind(tp.owner_id)
        .execute(&mut *tx)
        .await?;
        set_importance(&mut tx, org, id, &tp.importance).await?;
        let out = s::one(touchpoints(&mut tx, org, Some(id)).await?)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn delete_touchpoint(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()> {
        let mut tx = write(self, org).await?;
        let old = s::one(touchpoints(&mut tx, org, Some(id)).await?)?;
        let surveys = "SELECT id FROM surveys WHERE org_id = $1 AND touchpoint_id = $2 LIMIT 1";
        refuse_if_used(&mut tx, surveys, org, id, "still has surveys; move or delete them first").await?;
        let current: Vec<(Id, i64)> = sqlx::query_as(
            "SELECT experience_id, position FROM interactions \
             WHERE org_id = $1 AND touchpoint_id = $2 AND removed_at IS NULL",
        )
        .bind(org)
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let kind = im::AnnouncementKind::TouchpointRemoved;
        let ann = announce_in(&mut tx, org, kind, id, Some(id), None, &old.name, None).await?;
        for (exp, position) in current {
            end_interaction(&mut tx, org, exp, id, position).await?;
        }
        for sql in [
            "DELETE FROM touchpoint_importance WHERE org_id = $1 AND touchpoint_id = $2",
            "UPDATE listening_posts SET touchpoint_id = NULL WHERE org_id = $1 AND touchpoint_id = $2",
            "DELETE FROM touchpoints WHERE org_id = $1 AND id = $2",
        ] {
            sqlx::query(sql).bind(org).bind(id).execute(&mut *tx).await?;
        }
        shift_touchpoints(&mut tx, org, old.stage_id, -1, old.position + 1, id).await?;
        write_audit(&mut tx, org, audit, None).await?;
        tx.commit().await?;
        notify_after(self, org, NoticeKind::Announcement, &[ann]);
        Ok(())
    }
}
