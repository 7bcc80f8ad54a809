//! A6. Empathy maps per touchpoint (says, thinks, does, feels; pains,
//! gains), with evidence and versions.
//!
//! One row per version (`empathy_maps`), the entries as JSON: a map is
//! read and written whole, at most 60 entries. `segment_id` 0 is the
//! general map; `is_current` marks each map's newest version so that the
//! journey map's summaries are one indexed read. Quotes are looked up by
//! id when reading (at most one point read per entry), never copied.

use super::{must_exist, write, Conn};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::plan::empathy::{
    suggested_quadrant, EmpathyMap, Entry, Evidence, EvidenceKind, MapInput, Suggestion, Summary, VersionInfo,
    SUGGESTIONS,
};
use rapport_core::text::Sentiment;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::empathy::EmpathyMaps;
use rapport_store::rows as s;
use rapport_store::{Result, StoreError};
use std::collections::HashSet;

/// The most versions a history lists.
const VERSIONS_LISTED: i64 = 200;

/// The stored form of a segment: 0 is the general map.
fn seg(segment: Option<Id>) -> Id {
    segment.unwrap_or(0)
}

/// The touchpoint must be the organization's (else `NotFound`); the segment
/// too (else a 422 naming `segment_id`).
async fn check_scope(c: &mut Conn, org: Id, touchpoint: Id, segment: Option<Id>) -> Result<()> {
    must_exist(c, super::TOUCHPOINT, org, touchpoint).await?;
    if let Some(sg) = segment {
        if !super::found(c, super::SEGMENT, org, sg).await? {
            return Err(StoreError::Invalid(FieldErrors::single("segment_id", "unknown", "no such segment")));
        }
    }
    Ok(())
}

/// The cited row's words: a comment, a case's title, a theme's name. The
/// outer `None`: no such row in the organization.
async fn quote_of(c: &mut Conn, org: Id, ev: Evidence) -> Result<Option<Option<String>>> {
    let sql = match ev.kind {
        EvidenceKind::Response => "SELECT comment FROM responses WHERE org_id = $1 AND id = $2",
        EvidenceKind::Case => "SELECT title FROM cases WHERE org_id = $1 AND id = $2",
        EvidenceKind::Theme => "SELECT name FROM text_themes WHERE org_id = $1 AND id = $2",
    };
    Ok(sqlx::query_scalar(sql).bind(org).bind(ev.id).fetch_optional(&mut *c).await?)
}

async fn fill_quotes(c: &mut Conn, org: Id, entries: &mut [Entry]) -> Result<()> {
    for e in entries.iter_mut() {
        if let Some(ev) = e.evidence {
            e.quote = quote_of(c, org, ev).await?.flatten();
        }
    }
    Ok(())
}

type MapRow = (Id, Id, i64, String, String, DateTime<Utc>);

async fn to_map(c: &mut Conn, org: Id, r: MapRow) -> Result<EmpathyMap> {
    let mut entries: Vec<Entry> = s::from_json("empathy entries", &r.3)?;
    fill_quotes(c, org, &mut entries).await?;
    Ok(EmpathyMap {
        touchpoint_id: r.0,
        segment_id: (r.1 != 0).then_some(r.1),
        version: r.2,
        author: r.4,
        created_at: r.5,
        entries,
    })
}

const MAP_COLUMNS: &str = "touchpoint_id, segment_id, version, entries, author, created_at";

async fn map_in(
    c: &mut Conn,
    org: Id,
    tp: Id,
    segment: Option<Id>,
    version: Option<i64>,
) -> Result<Option<EmpathyMap>> {
    let row: Option<MapRow> = sqlx::query_as(&format!(
        "SELECT {MAP_COLUMNS} FROM empathy_maps WHERE org_id = $1 AND touchpoint_id = $2 AND segment_id = $3 \
         AND (($4 IS NULL AND is_current = 1) OR version = $4)"
    ))
    .bind(org)
    .bind(tp)
    .bind(seg(segment))
    .bind(version)
    .fetch_optional(&mut *c)
    .await?;
    match row {
        Some(r) => Ok(Some(to_map(c, org, r).await?)),
        None => Ok(None),
    }
}

#[async_trait]
impl EmpathyMaps for Backend {
    async fn empathy_map(
        &self,
        org: Id,
        touchpoint: Id,
        segment: Option<Id>,
        version: Option<i64>,
    ) -> Result<Option<EmpathyMap>> {
        let c = &mut *self.pool.acquire().await?;
        check_scope(c, org, touchpoint, segment).await?;
        map_in(c, org, touchpoint, segment, version).await
    }

    async fn save_empathy_map(
        &self,
        org: Id,
        touchpoint: Id,
        segment: Option<Id>,
        map: &MapInput,
        author: &str,
        now: DateTime<Utc>,
    ) -> Result<EmpathyMap> {
        let mut tx = write(self, org).await?;
        check_scope(&mut tx, org, touchpoint, segment).await?;
        let mut e = FieldErrors::new();
        for (i, entry) in map.entries.iter().enumerate() {
            if let Some(ev) = entry.evidence {
                if quote_of(&mut tx, org, ev).await?.is_none() {
                    s::unknown(&mut e, format!("entries[{i}].evidence"));
                }
            }
        }
        s::invalid_if_any(e)?;
        let stored: Vec<Entry> = map.entries.iter().map(|e| Entry { quote: None, ..e.clone() }).collect();
        let next: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM empathy_maps \
             WHERE org_id = $1 AND touchpoint_id = $2 AND segment_id = $3",
        )
        .bind(org)
        .bind(touchpoint)
        .bind(seg(segment))
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE empathy_maps SET is_current = 0 \
             WHERE org_id = $1 AND touchpoint_id = $2 AND segment_id = $3 AND is_current = 1",
        )
        .bind(org)
        .bind(touchpoint)
        .bind(seg(segment))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO empathy_maps (org_id, touchpoint_id, segment_id, version, is_current, entries, \
             entry_count, evidence_count, author, created_at) VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9)",
        )
        .bind(org)
        .bind(touchpoint)
        .bind(seg(segment))
        .bind(next)
        .bind(s::to_json(&stored)?)
        .bind(map.entries.len() as i64)
        .bind(map.with_evidence() as i64)
        .bind(author)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let out = map_in(&mut tx, org, touchpoint, segment, Some(next)).await?.ok_or(StoreError::NotFound)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn empathy_versions(&self, org: Id, touchpoint: Id, segment: Option<Id>) -> Result<Vec<VersionInfo>> {
        let c = &mut *self.pool.acquire().await?;
        check_scope(c, org, touchpoint, segment).await?;
        let rows: Vec<(i64, String, DateTime<Utc>, i64, i64)> = sqlx::query_as(
            "SELECT version, author, created_at, entry_count, evidence_count FROM empathy_maps \
             WHERE org_id = $1 AND touchpoint_id = $2 AND segment_id = $3 ORDER BY version DESC LIMIT $4",
        )
        .bind(org)
        .bind(touchpoint)
        .bind(seg(segment))
        .bind(VERSIONS_LISTED)
        .fetch_all(&mut *c)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| VersionInfo { version: r.0, author: r.1, created_at: r.2, entries: r.3, with_evidence: r.4 })
            .collect())
    }

    async fn empathy_segments(&self, org: Id, touchpoint: Id) -> Result<Vec<Id>> {
        let c = &mut *self.pool.acquire().await?;
        must_exist(c, super::TOUCHPOINT, org, touchpoint).await?;
        Ok(sqlx::query_scalar(
            "SELECT m.segment_id FROM empathy_maps m JOIN segments g ON g.id = m.segment_id AND g.org_id = m.org_id \
             WHERE m.org_id = $1 AND m.touchpoint_id = $2 AND m.is_current = 1 ORDER BY m.segment_id",
        )
        .bind(org)
        .bind(touchpoint)
        .fetch_all(&mut *c)
        .await?)
    }

    async fn empathy_summaries(&self, org: Id, touchpoints: &[Id]) -> Result<Vec<Summary>> {
        let c = &mut *self.pool.acquire().await?;
        let wanted: HashSet<Id> = touchpoints.iter().copied().collect();
        let rows: Vec<MapRow> = sqlx::query_as(&format!(
            "SELECT {MAP_COLUMNS} FROM empathy_maps WHERE org_id = $1 AND is_current = 1 AND segment_id = 0 \
             ORDER BY touchpoint_id"
        ))
        .bind(org)
        .fetch_all(&mut *c)
        .await?;
        let mut out = Vec::new();
        for r in rows.into_iter().filter(|r| wanted.contains(&r.0)) {
            out.push(to_map(c, org, r).await?.summary());
        }
        Ok(out)
    }

    async fn empathy_suggestions(&self, org: Id, touchpoint: Id) -> Result<Vec<Suggestion>> {
        let c = &mut *self.pool.acquire().await?;
        must_exist(c, super::TOUCHPOINT, org, touchpoint).await?;
        let rows: Vec<(Id, String, DateTime<Utc>, Option<i16>)> = sqlx::query_as(
            "SELECT id, comment, at, sentiment_label FROM responses \
             WHERE org_id = $1 AND touchpoint_id = $2 AND comment IS NOT NULL \
             ORDER BY at DESC, id DESC LIMIT $3",
        )
        .bind(org)
        .bind(touchpoint)
        .bind(SUGGESTIONS)
        .fetch_all(&mut *c)
        .await?;
        Ok(rows
            .into_iter()
            .filter(|r| !r.1.trim().is_empty())
            .map(|r| {
                let sentiment = r.3.and_then(Sentiment::from_code);
                Suggestion {
                    response_id: r.0,
                    comment: r.1,
                    at: r.2,
                    sentiment,
                    quadrant: suggested_quadrant(sentiment),
                }
            })
            .collect())
    }
}
