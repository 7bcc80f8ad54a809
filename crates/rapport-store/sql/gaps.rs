//! F3. Gap analysis: which gap became which idea or sprint (`gap_links`,
//! one row per experience × touchpoint × metric × segment, segment 0 for
//! everyone). A second request for the same gap answers the first idea or
//! sprint instead of making another.

use super::ideas::{check_idea_refs, insert_idea};
use super::{must_exist, write, Conn, EXPERIENCE};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::improve::{IdeaInput, SprintDraft};
use rapport_core::metric::Metric;
use rapport_core::review::gap::GapKey;
use rapport_core::Id;
use rapport_store::gaps::{GapAnalysis, GapLink, GapMade};
use rapport_store::rows as s;
use rapport_store::{Result, StoreError};

type LinkRow = (Id, Id, String, Id, Option<Id>, Option<Id>, DateTime<Utc>);

const LINKS: &str = "SELECT experience_id, touchpoint_id, metric, segment_id, idea_id, sprint_id, created_at \
                     FROM gap_links WHERE org_id = $1 AND experience_id = $2";

fn link(r: LinkRow) -> Result<GapLink> {
    let metric = Metric::parse(&r.2)
        .ok_or_else(|| StoreError::internal(std::io::Error::other(format!("unknown metric {}", r.2))))?;
    Ok(GapLink {
        experience_id: r.0,
        key: GapKey { touchpoint_id: r.1, metric, segment_id: (r.3 != 0).then_some(r.3) },
        idea_id: r.4,
        sprint_id: r.5,
        created_at: r.6,
    })
}

/// The gap's link, if any.
async fn find(c: &mut Conn, org: Id, experience: Id, key: &GapKey) -> Result<Option<GapLink>> {
    let row: Option<LinkRow> =
        sqlx::query_as(&format!("{LINKS} AND touchpoint_id = $3 AND metric = $4 AND segment_id = $5"))
            .bind(org)
            .bind(experience)
            .bind(key.touchpoint_id)
            .bind(key.metric.key())
            .bind(key.segment_id.unwrap_or(0))
            .fetch_optional(&mut *c)
            .await?;
    row.map(link).transpose()
}

/// Records that the gap became `id` (an idea or a sprint, by `column`),
/// keeping a link already there.
async fn record(c: &mut Conn, org: Id, experience: Id, key: &GapKey, column: &'static str, id: Id) -> Result<()> {
    let sql = format!(
        "INSERT INTO gap_links (org_id, experience_id, touchpoint_id, metric, segment_id, {column}, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (org_id, experience_id, touchpoint_id, metric, segment_id) \
         DO UPDATE SET {column} = COALESCE(gap_links.{column}, excluded.{column})"
    );
    sqlx::query(&sql)
        .bind(org)
        .bind(experience)
        .bind(key.touchpoint_id)
        .bind(key.metric.key())
        .bind(key.segment_id.unwrap_or(0))
        .bind(id)
        .bind(s::now())
        .execute(&mut *c)
        .await?;
    Ok(())
}

#[async_trait]
impl GapAnalysis for Backend {
    async fn gap_links(&self, org: Id, experience: Id) -> Result<Vec<GapLink>> {
        let rows: Vec<LinkRow> = sqlx::query_as(&format!("{LINKS} ORDER BY touchpoint_id, metric, segment_id"))
            .bind(org)
            .bind(experience)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(link).collect()
    }

    async fn idea_from_gap(
        &self,
        org: Id,
        experience: Id,
        key: &GapKey,
        author: Id,
        idea: &IdeaInput,
    ) -> Result<GapMade> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, EXPERIENCE, org, experience).await?;
        if let Some(id) = find(&mut tx, org, experience, key).await?.and_then(|l| l.idea_id) {
            return Ok(GapMade { id, created: false });
        }
        check_idea_refs(&mut tx, org, author, idea).await?;
        let id = insert_idea(&mut tx, org, author, idea, None).await?;
        record(&mut tx, org, experience, key, "idea_id", id).await?;
        tx.commit().await?;
        Ok(GapMade { id, created: true })
    }

    async fn sprint_from_gap(&self, org: Id, experience: Id, key: &GapKey, sprint: &SprintDraft) -> Result<GapMade> {
        {
            let mut tx = write(self, org).await?;
            must_exist(&mut tx, EXPERIENCE, org, experience).await?;
            if let Some(id) = find(&mut tx, org, experience, key).await?.and_then(|l| l.sprint_id) {
                return Ok(GapMade { id, created: false });
            }
        }
        // `create_sprint` reads the rollups for the baseline between its
        // own transactions; the link is recorded once it exists.
        let made = rapport_store::Sprints::create_sprint(self, org, sprint).await?;
        let mut tx = write(self, org).await?;
        record(&mut tx, org, experience, key, "sprint_id", made.id).await?;
        let linked = find(&mut tx, org, experience, key).await?.and_then(|l| l.sprint_id).unwrap_or(made.id);
        tx.commit().await?;
        Ok(GapMade { id: linked, created: linked == made.id })
    }
}
