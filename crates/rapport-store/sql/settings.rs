//! Organization settings: name, default language, time zone and survey branding: the statements.
//!
//! Each change holds the organization's lock, compares with what is stored
//! and writes only what differs, with one audit line per changed field, so
//! that saving a form unchanged leaves the trail as it was.

use super::accounts::write_audit;
use super::{write, Conn};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::lang::Lang;
use rapport_core::settings::SettingsChange;
use rapport_core::Id;
use rapport_store::rows as s;
use rapport_store::settings::actions;
use rapport_store::{Audit, Logo, LogoInfo, NewLogo, Result, Settings, StoreError};

/// The settings of the organizations matching the `WHERE` that follows.
const SELECT: &str = "SELECT o.id, o.name, st.default_language, st.accent_colour, \
     l.content_type AS logo_type, l.size AS logo_size, l.version AS logo_version, l.updated_at AS logo_at \
     FROM organizations o LEFT JOIN org_settings st ON st.org_id = o.id LEFT JOIN org_logos l ON l.org_id = o.id";

#[derive(sqlx::FromRow)]
struct SettingsRow {
    id: Id,
    name: String,
    default_language: Option<String>,
    accent_colour: Option<String>,
    logo_type: Option<String>,
    logo_size: Option<i64>,
    logo_version: Option<String>,
    logo_at: Option<DateTime<Utc>>,
}

impl SettingsRow {
    fn split(self) -> Result<(Id, Settings)> {
        let default_language = match self.default_language.as_deref() {
            None => Lang::default(),
            Some(code) => Lang::parse(code).ok_or_else(|| s::corrupt(format!("default language {code:?}")))?,
        };
        let logo = match (self.logo_type, self.logo_size, self.logo_version, self.logo_at) {
            (Some(content_type), Some(bytes), Some(version), Some(updated_at)) => {
                Some(LogoInfo { content_type, bytes, version, updated_at })
            }
            _ => None,
        };
        let settings = Settings { name: self.name, default_language, accent_colour: self.accent_colour, logo };
        Ok((self.id, settings))
    }
}

async fn by_id(c: &mut Conn, org: Id) -> Result<Settings> {
    let row: Option<SettingsRow> =
        sqlx::query_as(&format!("{SELECT} WHERE o.id = $1")).bind(org).fetch_optional(&mut *c).await?;
    Ok(row.ok_or(StoreError::NotFound)?.split()?.1)
}

/// Writes the organization's `org_settings` row.
async fn save_row(c: &mut Conn, org: Id, language: Lang, accent: Option<&str>) -> Result<()> {
    sqlx::query(
        "INSERT INTO org_settings (org_id, default_language, accent_colour) VALUES ($1, $2, $3) \
         ON CONFLICT (org_id) DO UPDATE SET default_language = excluded.default_language, \
         accent_colour = excluded.accent_colour",
    )
    .bind(org)
    .bind(language.code())
    .bind(accent)
    .execute(&mut *c)
    .await?;
    Ok(())
}

#[async_trait]
impl rapport_store::OrgSettings for Backend {
    async fn org_settings(&self, org: Id) -> Result<Settings> {
        by_id(&mut *self.pool.acquire().await?, org).await
    }

    async fn settings_by_slug(&self, slug: &str) -> Result<Option<(Id, Settings)>> {
        let row: Option<SettingsRow> =
            sqlx::query_as(&format!("{SELECT} WHERE o.slug = $1")).bind(slug).fetch_optional(&self.pool).await?;
        row.map(SettingsRow::split).transpose()
    }

    async fn update_settings(&self, org: Id, change: &SettingsChange, actor: &str) -> Result<Settings> {
        let mut tx = write(self, org).await?;
        let now = by_id(&mut tx, org).await?;
        let subject = format!("org:{org}");
        let line = |action| Audit::new(actor, action, subject.clone());
        if let Some(name) = change.name.as_deref().filter(|n| *n != now.name) {
            sqlx::query("UPDATE organizations SET name = $2 WHERE id = $1")
                .bind(org)
                .bind(name)
                .execute(&mut *tx)
                .await?;
            write_audit(&mut tx, org, &line(actions::NAME), None).await?;
        }
        let language = change.default_language.unwrap_or(now.default_language);
        let accent = match change.accent_colour {
            Some(a) => a.map(|a| a.hex()),
            None => now.accent_colour.clone(),
        };
        if language != now.default_language {
            write_audit(&mut tx, org, &line(actions::LANGUAGE), None).await?;
        }
        if accent != now.accent_colour {
            write_audit(&mut tx, org, &line(actions::ACCENT), None).await?;
        }
        if language != now.default_language || accent != now.accent_colour {
            save_row(&mut tx, org, language, accent.as_deref()).await?;
        }
        let out = by_id(&mut tx, org).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn set_logo(&self, org: Id, logo: Option<&NewLogo<'_>>, actor: &str) -> Result<Settings> {
        let mut tx = write(self, org).await?;
        let subject = format!("org:{org}");
        match logo {
            Some(l) => {
                sqlx::query(
                    "INSERT INTO org_logos (org_id, content_type, size, version, updated_at, bytes) \
                     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id) DO UPDATE SET \
                     content_type = excluded.content_type, size = excluded.size, version = excluded.version, \
                     updated_at = excluded.updated_at, bytes = excluded.bytes",
                )
                .bind(org)
                .bind(l.kind.content_type())
                .bind(l.bytes.len() as i64)
                .bind(l.version)
                .bind(s::now())
                .bind(l.bytes)
                .execute(&mut *tx)
                .await?;
                write_audit(&mut tx, org, &Audit::new(actor, actions::LOGO, subject), None).await?;
            }
            None => {
                let gone = sqlx::query("DELETE FROM org_logos WHERE org_id = $1").bind(org).execute(&mut *tx).await?;
                if gone.rows_affected() > 0 {
                    write_audit(&mut tx, org, &Audit::new(actor, actions::LOGO_REMOVE, subject), None).await?;
                }
            }
        }
        let out = by_id(&mut tx, org).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn logo_by_slug(&self, slug: &str) -> Result<Option<Logo>> {
        let row: Option<(String, String, Vec<u8>)> = sqlx::query_as(
            "SELECT l.content_type, l.version, l.bytes FROM org_logos l \
             JOIN organizations o ON o.id = l.org_id WHERE o.slug = $1",
        )
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(content_type, version, bytes)| Logo { content_type, version, bytes }))
    }
}
