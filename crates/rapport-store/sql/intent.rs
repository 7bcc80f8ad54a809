//! The intent statement: versions are appended, never changed, and each
//! new one is announced to the people who deliver every touchpoint.

use super::accounts::write_audit_opt;
use super::announce::announce_in;
use super::{check, notify_after, write, Conn, EXPERIENCE, TOUCHPOINT};
use crate::dialect::Backend;
use async_trait::async_trait;
use rapport_core::improve as im;
use rapport_core::intent::{IntentInput, IntentVersion, Scope};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::listening::NoticeKind;
use rapport_store::rows as s;
use rapport_store::{Audit, Result};

async fn intents(c: &mut Conn, org: Id, limit: i64) -> Result<Vec<IntentVersion>> {
    let rows: Vec<s::IntentRow> = sqlx::query_as(
        "SELECT id, version, statement, criteria, created_at, created_by FROM intent_versions \
         WHERE org_id = $1 ORDER BY version DESC LIMIT $2",
    )
    .bind(org)
    .bind(limit)
    .fetch_all(&mut *c)
    .await?;
    rows.into_iter().map(s::IntentRow::intent).collect()
}

#[async_trait]
impl rapport_store::Intent for Backend {
    async fn current_intent(&self, org: Id) -> Result<Option<IntentVersion>> {
        Ok(intents(&mut *self.pool.acquire().await?, org, 1).await?.into_iter().next())
    }

    async fn list_intent_versions(&self, org: Id) -> Result<Vec<IntentVersion>> {
        intents(&mut *self.pool.acquire().await?, org, i64::MAX).await
    }

    async fn create_intent_version(
        &self,
        org: Id,
        intent: &IntentInput,
        created_by: Option<&str>,
        audit: Option<&Audit<'_>>,
    ) -> Result<IntentVersion> {
        let mut tx = write(self, org).await?;
        let mut e = FieldErrors::new();
        for (i, criterion) in intent.criteria.iter().enumerate() {
            let field = format!("criteria[{i}].scope");
            match criterion.scope {
                Scope::Organization => {}
                Scope::Experience(id) => check(&mut tx, &mut e, EXPERIENCE, org, id, field).await?,
                Scope::Touchpoint(id) => check(&mut tx, &mut e, TOUCHPOINT, org, id, field).await?,
            }
            if let Some(b) = criterion.behaviour_id {
                check(&mut tx, &mut e, super::BEHAVIOUR, org, b, format!("criteria[{i}].behaviour_id")).await?;
            }
        }
        s::invalid_if_any(e)?;
        let row: s::IntentRow = sqlx::query_as(
            "INSERT INTO intent_versions (org_id, version, statement, criteria, created_at, created_by) \
             SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5 FROM intent_versions WHERE org_id = $1 \
             RETURNING id, version, statement, criteria, created_at, created_by",
        )
        .bind(org)
        .bind(&intent.statement)
        .bind(s::to_json(&intent.criteria)?)
        .bind(s::now())
        .bind(created_by)
        .fetch_one(&mut *tx)
        .await
        .map_err(s::taken("version", "another version was saved at the same time"))?;
        let out = row.intent()?;
        let kind = im::AnnouncementKind::IntentVersion;
        let subject = format!("Version {}", out.version);
        let ann = announce_in(&mut tx, org, kind, out.id, None, None, &subject, created_by).await?;
        // The intent module follows the statement: regenerated and assigned
        // anew to everyone, in the publication's transaction.
        super::training::regenerate_intent_in(&mut tx, org, s::now()).await?;
        write_audit_opt(&mut tx, org, audit, Some(out.version)).await?;
        tx.commit().await?;
        notify_after(self, org, NoticeKind::Announcement, &[ann]);
        Ok(out)
    }
}
