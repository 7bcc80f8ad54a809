//! Segments. Changing one re-evaluates membership and moves the members'
//! scored responses between the segments' rollups (see `rollups`).

use super::accounts::write_audit;
use super::counts;
use super::rollups::refresh_members;
use super::{must_exist, write, Conn, SEGMENT};
use crate::dialect::Backend;
use async_trait::async_trait;
use rapport_core::segment::{Segment, SegmentInput};
use rapport_core::Id;
use rapport_store::rows as s;
use rapport_store::{Audit, Result};

pub(crate) async fn segments(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<Segment>> {
    let rows: Vec<s::SegmentRow> = sqlx::query_as(
        "SELECT id, name, description, rule FROM segments \
         WHERE org_id = $1 AND ($2 IS NULL OR id = $2)",
    )
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    let mut out = rows.into_iter().map(s::SegmentRow::segment).collect::<Result<Vec<Segment>>>()?;
    s::sort_by_name(&mut out, |g| (&g.name, g.id));
    Ok(out)
}

#[async_trait]
impl rapport_store::Segments for Backend {
    async fn list_segments(&self, org: Id) -> Result<Vec<Segment>> {
        segments(&mut *self.pool.acquire().await?, org, None).await
    }

    async fn get_segment(&self, org: Id, id: Id) -> Result<Segment> {
        s::one(segments(&mut *self.pool.acquire().await?, org, Some(id)).await?)
    }

    async fn segment_sizes(&self, org: Id) -> Result<std::collections::BTreeMap<Id, i64>> {
        let mut c = self.pool.acquire().await?;
        let segments = segments(&mut c, org, None).await?;
        let mut out = std::collections::BTreeMap::new();
        for g in segments {
            let n = counts::kept(&mut c, org, &counts::segment_kind(g.id)).await?;
            if n > 0 {
                out.insert(g.id, n);
            }
        }
        Ok(out)
    }

    async fn create_segment(&self, org: Id, segment: &SegmentInput) -> Result<Segment> {
        let mut tx = write(self, org).await?;
        let id: Id = sqlx::query_scalar(
            "INSERT INTO segments (org_id, name, description, rule) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(org)
        .bind(&segment.name)
        .bind(&segment.description)
        .bind(s::to_json(&segment.rule)?)
        .fetch_one(&mut *tx)
        .await
        .map_err(s::taken("name", "is already used by another segment"))?;
        refresh_members(&mut tx, org, None, true).await?;
        let out = s::one(segments(&mut tx, org, Some(id)).await?)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn update_segment(&self, org: Id, id: Id, segment: &SegmentInput) -> Result<Segment> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, SEGMENT, org, id).await?;
        sqlx::query("UPDATE segments SET name = $3, description = $4, rule = $5 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .bind(&segment.name)
            .bind(&segment.description)
            .bind(s::to_json(&segment.rule)?)
            .execute(&mut *tx)
            .await
            .map_err(s::taken("name", "is already used by another segment"))?;
        refresh_members(&mut tx, org, None, true).await?;
        let out = s::one(segments(&mut tx, org, Some(id)).await?)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn delete_segment(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, SEGMENT, org, id).await?;
        for sql in [
            "DELETE FROM experience_segments WHERE org_id = $1 AND segment_id = $2",
            "DELETE FROM touchpoint_importance WHERE org_id = $1 AND segment_id = $2",
            "DELETE FROM segment_members WHERE org_id = $1 AND segment_id = $2",
            "DELETE FROM score_rollups WHERE org_id = $1 AND segment_id = $2",
            "DELETE FROM behaviour_days WHERE org_id = $1 AND segment_id = $2",
            "DELETE FROM behaviour_spans WHERE org_id = $1 AND segment_id = $2",
            "DELETE FROM behaviour_totals WHERE org_id = $1 AND segment_id = $2",
            "DELETE FROM segments WHERE org_id = $1 AND id = $2",
        ] {
            sqlx::query(sql).bind(org).bind(id).execute(&mut *tx).await?;
        }
        counts::forget(&mut tx, org, &counts::segment_kind(id)).await?;
        write_audit(&mut tx, org, audit, None).await?;
        tx.commit().await?;
        Ok(())
    }
}
