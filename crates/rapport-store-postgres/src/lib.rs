//! Rapport's storage on PostgreSQL. The statements are shared with the SQLite
//! backend (`crates/rapport-store/sql/`, compiled here as `sql`); this crate
//! opens the pool, names its dialect,
//! migrates the schema and relays notices.
//!
//! Several servers may start at once on one database: sqlx's migrator holds a
//! PostgreSQL advisory lock (`pg_advisory_lock`, keyed on the database name)
//! while it checks and applies migrations, so only one applies them and the
//! others then find them applied.
//!
//! Real time across servers: ingestion runs `pg_notify` inside its
//! transaction, so PostgreSQL delivers the notices on commit to every
//! connection listening on the channel. Each store keeps one such connection
//! (a background task started by [`PostgresStore::connect`]) and forwards what
//! it hears, its own ingestions included, to its local broadcast channel.

use rapport_store::listening::{parse_payload, NOTICE_CAPACITY, NOTICE_CHANNEL};
use rapport_store::{Notice, StoreError};
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;

pub struct PostgresStore {
    pool: PgPool,
    notices: broadcast::Sender<Notice>,
    listener: JoinHandle<()>,
}

impl PostgresStore {
    /// Connects to and migrates the database at `url`, e.g.
    /// `postgres://rapport@localhost/rapport`, and starts listening for
    /// notices (on return, every later commit's notices are heard). Must be
    /// called within a Tokio runtime.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)?;
        let pool = PgPoolOptions::new().max_connections(10).connect_with(options).await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(NOTICE_CHANNEL).await?;
        let (notices, _) = broadcast::channel(NOTICE_CAPACITY);
        let listener = tokio::spawn(relay(listener, notices.clone()));
        Ok(PostgresStore { pool, notices, listener })
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        // Gives the listening connection back, so the pool can close.
        self.listener.abort();
    }
}

/// Forwards every notice heard on the channel until the pool closes.
/// `PgListener` reconnects (and listens again) by itself; what was sent
/// while it was away is lost, which is said in the log.
async fn relay(mut listener: PgListener, notices: broadcast::Sender<Notice>) {
    let mut backoff = Duration::from_millis(100);
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => {
                backoff = Duration::from_millis(100);
                match parse_payload(notification.payload()) {
                    Some(list) => {
                        for notice in list {
                            // No subscriber is not an error.
                            let _ = notices.send(notice);
                        }
                    }
                    None => tracing::warn!(channel = NOTICE_CHANNEL, "ignored a notification that is not Rapport's"),
                }
            }
            Ok(None) => {
                tracing::warn!(channel = NOTICE_CHANNEL, "lost the listening connection; notices may have been missed")
            }
            Err(sqlx::Error::PoolClosed) => return,
            Err(error) => {
                tracing::error!(%error, channel = NOTICE_CHANNEL, retry_in = ?backoff, "cannot listen for notices");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(30));
            }
        }
    }
}

/// What the shared SQL (`crates/rapport-store/sql/`, compiled into this
/// crate as `sql`) needs to know of this backend.
mod dialect {
    pub type Db = sqlx::Postgres;
    pub type Backend = super::PostgresStore;
    /// For logs and `/healthz`.
    pub const NAME: &str = "postgres";
    /// A plain transaction; `LOCK_ORG` serializes the writers of one organization.
    pub const BEGIN_WRITE: &str = "BEGIN";
    /// Serializes writers of one organization (not readers, and not foreign
    /// key checks, which take KEY SHARE).
    pub const LOCK_ORG: &str = "SELECT id FROM organizations WHERE id = $1 FOR NO KEY UPDATE";
    /// Delivered on commit to every listening server, this one included.
    pub const NOTIFY: Option<&str> = Some("SELECT pg_notify($1, $2)");
}

#[path = "../../rapport-store/sql/mod.rs"]
mod sql;
