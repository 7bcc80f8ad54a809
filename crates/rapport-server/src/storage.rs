//! Picks the storage backend from the database URL: `postgres://` or
//! `postgresql://` selects PostgreSQL; `sqlite:` or no URL selects SQLite
//! (by default the file `rapport.db` in the data directory; a blank URL
//! counts as none). Both migrate their schema on connect.
//!
//! A read replica ([`open_read`]) is PostgreSQL only, behind a PostgreSQL
//! primary: it is opened read-only, without migrating (see
//! `PostgresStore::connect_read_only`).

use rapport_store::{Store, StoreError};
use std::path::Path;
use std::sync::Arc;

pub async fn open(database_url: Option<&str>, data_dir: &Path) -> Result<Arc<dyn Store>, StoreError> {
    open_for(database_url, data_dir, false).await
}

/// The same for a process that only loads data in bulk chunks
/// (`ingest::BULK_CHUNK`): on SQLite, one writer with a large cache
/// (`SqliteStore::connect_bulk`); PostgreSQL is opened as for serving.
pub async fn open_bulk(database_url: Option<&str>, data_dir: &Path) -> Result<Arc<dyn Store>, StoreError> {
    open_for(database_url, data_dir, true).await
}

async fn open_for(database_url: Option<&str>, data_dir: &Path, bulk: bool) -> Result<Arc<dyn Store>, StoreError> {
    let sqlite = |url: String| async move {
        let store = if bulk {
            rapport_store_sqlite::SqliteStore::connect_bulk(&url).await?
        } else {
            rapport_store_sqlite::SqliteStore::connect(&url).await?
        };
        Ok::<Arc<dyn Store>, StoreError>(Arc::new(store))
    };
    match database_url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) if is_postgres(url) => Ok(Arc::new(rapport_store_postgres::PostgresStore::connect(url).await?)),
        Some(url) if url.starts_with("sqlite:") => sqlite(url.to_string()).await,
        Some(other) => Err(StoreError::Invalid(rapport_core::validate::FieldErrors::single(
            "database_url",
            "unsupported",
            format!("unsupported database URL scheme in {:?}; use postgres:// or sqlite:", scheme(other)),
        ))),
        None => {
            std::fs::create_dir_all(data_dir).map_err(StoreError::internal)?;
            let file = data_dir.join("rapport.db");
            sqlite(format!("sqlite://{}", file.display())).await
        }
    }
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Why `read_url` cannot serve as the read replica of the primary at
/// `primary_url` (`None`: the default SQLite file), if it cannot: both must
/// be PostgreSQL. Checked before anything is opened.
pub fn check_read_url(primary_url: Option<&str>, read_url: &str) -> Result<(), StoreError> {
    let refuse = |message: String| {
        Err(StoreError::Invalid(rapport_core::validate::FieldErrors::single(
            "read_database_url",
            "unsupported",
            message,
        )))
    };
    let read_url = read_url.trim();
    if !is_postgres(read_url) {
        let hint = if read_url.starts_with("sqlite:") {
            "; SQLite has no replicas: leave the read database URL unset"
        } else {
            ""
        };
        return refuse(format!(
            "a read replica must be a PostgreSQL database (postgres:// or postgresql://), not {:?}{hint}",
            scheme(read_url)
        ));
    }
    match primary_url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(p) if is_postgres(p) => Ok(()),
        _ => refuse(
            "a read replica needs a PostgreSQL primary: set the database URL to the primary's postgres:// URL".into(),
        ),
    }
}

/// Opens the read replica at `read_url` for the primary at `primary_url`:
/// read-only, not migrated (its schema must already be the binary's).
pub async fn open_read(primary_url: Option<&str>, read_url: &str) -> Result<Arc<dyn Store>, StoreError> {
    check_read_url(primary_url, read_url)?;
    Ok(Arc::new(rapport_store_postgres::PostgresStore::connect_read_only(read_url.trim()).await?))
}

/// Only the scheme, so that a password in the URL never reaches a message.
fn scheme(url: &str) -> &str {
    url.split(':').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(primary: Option<&str>, read: &str) -> String {
        match check_read_url(primary, read) {
            Err(StoreError::Invalid(f)) => f.to_string(),
            other => panic!("{primary:?} + {read:?} should be refused, got {other:?}"),
        }
    }

    #[test]
    fn a_read_replica_must_be_postgres_behind_postgres() {
        let pg = Some("postgres://rapport@primary/rapport");
        assert!(check_read_url(pg, "postgres://rapport@replica/rapport").is_ok());
        assert!(check_read_url(Some(" postgresql://primary/db "), " postgresql://replica/db").is_ok());
        let m = refusal(pg, "sqlite:/var/lib/rapport/replica.db");
        assert!(m.starts_with("read_database_url: a read replica must be a PostgreSQL database"), "{m}");
        assert!(m.contains("\"sqlite\"") && m.contains("SQLite has no replicas"), "{m}");
        // The scheme only: a password in the URL is never repeated.
        let m = refusal(pg, "mysql://user:s3cret@db/x");
        assert!(m.contains("\"mysql\"") && !m.contains("s3cret") && !m.contains("SQLite"), "{m}");
        for primary in [None, Some(""), Some("sqlite:rapport.db")] {
            let m = refusal(primary, "postgres://replica/rapport");
            assert!(m.contains("needs a PostgreSQL primary"), "{m}");
        }
    }
}
