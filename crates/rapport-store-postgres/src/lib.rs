//! Rapport's storage on PostgreSQL. The statements are shared with the SQLite
//! backend (see `rapport_store::sql`); this crate only opens the pool and
//! migrates the schema.
//!
//! Several servers may start at once on one database: sqlx's migrator holds a
//! PostgreSQL advisory lock (`pg_advisory_lock`, keyed on the database name)
//! while it checks and applies migrations, so only one applies them and the
//! others then find them applied.

use rapport_store::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;

pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to and migrates the database at `url`, e.g.
    /// `postgres://rapport@localhost/rapport`.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new().max_connections(10).connect_with(options).await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(PostgresStore { pool })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

rapport_store::impl_sql_store! {
    store: PostgresStore,
    database: sqlx::Postgres,
    backend: "postgres",
    begin_write: "BEGIN",
    // Serializes writers of one organization (not readers, and not foreign
    // key checks, which take KEY SHARE).
    lock_org: "SELECT id FROM organizations WHERE id = $1 FOR NO KEY UPDATE",
}
