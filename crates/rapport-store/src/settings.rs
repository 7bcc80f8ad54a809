//! Organization settings: name, default language, time zone and survey branding (P4).
//!
//! The name is the organization's row; the default language and the accent
//! colour are one row per organization (`org_settings`, absent until first
//! saved: English, Rapport's colour); the logo is its own row (`org_logos`),
//! so that reading the settings never reads the image. The time zone is the
//! working calendar's (`CaseSetup::work_calendar`). Every change writes one
//! audit line per field it changes (subject `org:ID`), in its transaction;
//! saving a value unchanged writes nothing.

use crate::error::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::branding::LogoKind;
use rapport_core::lang::Lang;
use rapport_core::settings::SettingsChange;
use rapport_core::Id;
use serde::Serialize;

/// The settings as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settings {
    pub name: String,
    pub default_language: Lang,
    /// `#rrggbb`; `None` is Rapport's own colour.
    pub accent_colour: Option<String>,
    pub logo: Option<LogoInfo>,
}

/// What is known of the logo without reading it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogoInfo {
    pub content_type: String,
    pub bytes: i64,
    /// Changes with the image (a prefix of its SHA-256): for cache-busting
    /// URLs and `ETag`.
    pub version: String,
    pub updated_at: DateTime<Utc>,
}

/// The logo itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub content_type: String,
    pub version: String,
    pub bytes: Vec<u8>,
}

/// A checked image to store (`rapport_core::branding::check_logo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLogo<'a> {
    pub kind: LogoKind,
    pub bytes: &'a [u8],
    /// See [`LogoInfo::version`].
    pub version: &'a str,
}

/// Audit actions of the settings, one per field.
pub mod actions {
    pub const NAME: &str = "settings.name";
    pub const LANGUAGE: &str = "settings.default_language";
    pub const ACCENT: &str = "settings.accent_colour";
    pub const LOGO: &str = "settings.logo";
    pub const LOGO_REMOVE: &str = "settings.logo_remove";
}

#[async_trait]
pub trait OrgSettings: Send + Sync {
    /// The settings; `NotFound` for an unknown organization.
    async fn org_settings(&self, org: Id) -> Result<Settings>;

    /// The organization of a slug and its settings (public pages); `None`
    /// for an unknown slug.
    async fn settings_by_slug(&self, slug: &str) -> Result<Option<(Id, Settings)>>;

    /// Applies what `change` names; each field that changes writes its audit
    /// line (`actions`, by `actor`) in the same transaction.
    async fn update_settings(&self, org: Id, change: &SettingsChange, actor: &str) -> Result<Settings>;

    /// Replaces the logo, or removes it (`None`; removing none is a no-op
    /// and writes no line).
    async fn set_logo(&self, org: Id, logo: Option<&NewLogo<'_>>, actor: &str) -> Result<Settings>;

    /// The logo of the organization with this slug, if both exist.
    async fn logo_by_slug(&self, slug: &str) -> Result<Option<Logo>>;
}
