//! Picks the storage backend from the database URL: `postgres://` or
//! `postgresql://` selects PostgreSQL; `sqlite:` or no URL selects SQLite
//! (by default the file `rapport.db` in the data directory; a blank URL
//! counts as none). Both migrate their schema on connect.

use rapport_store::{Store, StoreError};
use std::path::Path;
use std::sync::Arc;

pub async fn open(database_url: Option<&str>, data_dir: &Path) -> Result<Arc<dyn Store>, StoreError> {
    match database_url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Arc::new(rapport_store_postgres::PostgresStore::connect(url).await?))
        }
        Some(url) if url.starts_with("sqlite:") => Ok(Arc::new(rapport_store_sqlite::SqliteStore::connect(url).await?)),
        Some(other) => Err(StoreError::Invalid(rapport_core::validate::FieldErrors::single(
            "database_url",
            "unsupported",
            format!("unsupported database URL scheme in {:?}; use postgres:// or sqlite:", scheme(other)),
        ))),
        None => {
            std::fs::create_dir_all(data_dir).map_err(StoreError::internal)?;
            let file = data_dir.join("rapport.db");
            let url = format!("sqlite://{}", file.display());
            Ok(Arc::new(rapport_store_sqlite::SqliteStore::connect(&url).await?))
        }
    }
}

/// Only the scheme, so that a password in the URL never reaches a message.
fn scheme(url: &str) -> &str {
    url.split(':').next().unwrap_or("")
}
