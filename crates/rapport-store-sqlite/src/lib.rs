//! Rapport's storage on SQLite: one database file, WAL journal, writes
//! serialized by SQLite's own lock, `synchronous = FULL` so that a commit is
//! on disk before it returns (an accepted ingestion survives a power cut; it
//! costs one fsync per transaction, and ingestion is one per batch). The
//! statements are shared with the PostgreSQL backend (see
//! `rapport_store::sql`); this crate only opens the database and migrates it.
//!
//! One process owns the file, so ingestion notices go to an in-process
//! broadcast channel right after each commit.
//!
//! Checkpoints (copying the WAL back into the database file) run on a
//! background task every [`CHECKPOINT_EVERY`] instead of inside whichever
//! commit crosses SQLite's automatic threshold: a large ingestion batch
//! dirties thousands of index pages, and copying them back synchronously
//! doubled its commit time. A page changed by several commits between two
//! checkpoints is also copied once instead of once per commit.

use rapport_store::listening::NOTICE_CAPACITY;
use rapport_store::{Notice, StoreError};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::ConnectOptions;
use std::str::FromStr;
use std::time::Duration;
use tokio::sync::broadcast;

/// How long a statement waits for another connection's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How often the WAL is checkpointed.
pub const CHECKPOINT_EVERY: Duration = Duration::from_secs(1);

/// The WAL file is truncated to this size after a checkpoint has emptied it,
/// so that one burst of writes does not keep a large file around.
const WAL_SIZE_LIMIT: &str = "67108864";

pub struct SqliteStore {
    pool: SqlitePool,
    notices: broadcast::Sender<Notice>,
    checkpoints: tokio::task::JoinHandle<()>,
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        self.checkpoints.abort();
    }
}

/// Checkpoints the WAL every [`CHECKPOINT_EVERY`] on its own connection
/// (not one of the pool's), without waiting for readers or writers
/// (`PASSIVE`: pages a reader still needs stay in the WAL until the next
/// round). Errors are logged; the next round tries again.
async fn checkpoint_forever(mut conn: SqliteConnection) {
    let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&mut conn).await {
            tracing::warn!(error = %e, "WAL checkpoint failed");
        }
    }
}

impl SqliteStore {
    /// Opens (creating if missing) and migrates the database at `url`, e.g.
    /// `sqlite://data/rapport.db` or `sqlite:rapport.db`.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true)
            // 64 MiB of page cache per connection (the default is 2 MiB):
            // ingestion touches several indexes of large tables, and pages
            // re-read from the OS dominated the profile.
            .pragma("cache_size", "-65536")
            // See the module docs: `checkpoint_forever` does it.
            .pragma("wal_autocheckpoint", "0")
            .pragma("journal_size_limit", WAL_SIZE_LIMIT);
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options.clone()).await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        let (notices, _) = broadcast::channel(NOTICE_CAPACITY);
        // A checkpoint after a large batch may take seconds: not a slow
        // statement worth a warning.
        let conn = options.disable_statement_logging().connect().await?;
        let checkpoints = tokio::spawn(checkpoint_forever(conn));
        Ok(SqliteStore { pool, notices, checkpoints })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

rapport_store::impl_sql_store! {
    store: SqliteStore,
    database: sqlx::Sqlite,
    backend: "sqlite",
    // Take the write lock at once: a deferred transaction that reads first
    // could fail to upgrade (SQLITE_BUSY) without waiting.
    begin_write: "BEGIN IMMEDIATE",
    // BEGIN IMMEDIATE already excludes every other writer.
    lock_org: "SELECT id FROM organizations WHERE id = $1",
    // Sent to `notices` after commit.
    notify: None,
}
