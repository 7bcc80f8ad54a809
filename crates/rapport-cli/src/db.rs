//! The database flags every subcommand shares, and opening the store.

use anyhow::{Context, Result};
use rapport_core::org::Organization;
use rapport_store::Store;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Clone, clap::Args)]
pub struct DbArgs {
    /// Directory of the SQLite database file `rapport.db`, used when no
    /// database URL is given.
    #[arg(long, value_name = "DIR", env = "RAPPORT_DATA_DIR", default_value = ".")]
    pub data_dir: PathBuf,
    /// `postgres://USER@HOST/DB` for PostgreSQL (several servers may share
    /// one database), or `sqlite:FILE`. Default: SQLite in the data directory.
    #[arg(long, value_name = "URL", env = "RAPPORT_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

impl DbArgs {
    fn url(&self) -> Option<&str> {
        self.database_url.as_deref().map(str::trim).filter(|u| !u.is_empty())
    }

    /// Connects and migrates.
    pub async fn open(&self) -> Result<Arc<dyn Store>> {
        rapport_server::storage::open(self.url(), &self.data_dir)
            .await
            .with_context(|| format!("cannot open the database ({})", self.describe()))
    }

    /// Connects and migrates, for a command that only loads data in bulk
    /// chunks (`rapport import`; see `storage::open_bulk`).
    pub async fn open_bulk(&self) -> Result<Arc<dyn Store>> {
        rapport_server::storage::open_bulk(self.url(), &self.data_dir)
            .await
            .with_context(|| format!("cannot open the database ({})", self.describe()))
    }

    /// Where the data lives, without any password a URL may carry.
    pub fn describe(&self) -> String {
        match self.url() {
            Some(url) if url.starts_with("postgres") => {
                let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
                let host_and_db = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
                let host_and_db = host_and_db.split('?').next().unwrap_or(host_and_db);
                format!("{scheme}://{host_and_db}")
            }
            Some(url) if url.starts_with("sqlite:") => url.to_string(),
            Some(url) => format!("{}:...", url.split(':').next().unwrap_or_default()),
            None => format!("SQLite file {}", self.data_dir.join("rapport.db").display()),
        }
    }
}

/// The organization with this slug, or an error that says how to find one.
pub async fn org(store: &dyn Store, slug: &str) -> Result<Organization> {
    store
        .org_by_slug(slug.trim())
        .await?
        .with_context(|| format!("no organization with slug {slug:?} (see `rapport org list`)"))
}

/// The organization `slug` names, or every organization when none is
/// named (commands that maintain derived data: rebuilds).
pub async fn orgs(store: &dyn Store, slug: Option<&str>) -> Result<Vec<Organization>> {
    match slug {
        Some(slug) => Ok(vec![org(store, slug).await?]),
        None => Ok(store.list_orgs().await?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(url: Option<&str>) -> DbArgs {
        DbArgs { data_dir: PathBuf::from("/srv/rapport"), database_url: url.map(String::from) }
    }

    #[test]
    fn describe_hides_credentials() {
        assert_eq!(
            args(Some("postgres://rapport:s3cret@db.internal:5432/rapport?sslmode=require")).describe(),
            "postgres://db.internal:5432/rapport"
        );
        assert_eq!(args(Some("postgresql://db/rapport")).describe(), "postgresql://db/rapport");
        assert_eq!(args(Some("mysql://u:pw@h/db")).describe(), "mysql:...");
        assert_eq!(args(Some("sqlite:/tmp/r.db")).describe(), "sqlite:/tmp/r.db");
        assert_eq!(args(None).describe(), "SQLite file /srv/rapport/rapport.db");
        assert_eq!(args(Some("  ")).describe(), "SQLite file /srv/rapport/rapport.db");
    }
}
