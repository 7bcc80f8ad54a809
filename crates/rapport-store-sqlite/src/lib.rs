//! Rapport's storage on SQLite: one database file, WAL journal, writes
//! serialized by SQLite's own lock, `synchronous = FULL` so that a commit is
//! on disk before it returns (an accepted ingestion survives a power cut; it
//! costs one fsync per transaction, and ingestion is one per batch). The
//! statements are shared with the PostgreSQL backend (`crates/rapport-store/sql/`,
//! compiled here as `sql`); this crate opens the database, migrates it and
//! names its dialect.
//!
//! One process owns the file, so ingestion notices go to an in-process
//! broadcast channel right after each commit.

use rapport_store::listening::NOTICE_CAPACITY;
use rapport_store::{Notice, StoreError};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;
use tokio::sync::broadcast;

/// How long a statement waits for another connection's write lock. One
/// writer at a time is SQLite's rule, so writers queue: a batch of 100,000
/// items or a segment change over every customer holds the lock for
/// seconds, more on a loaded machine, and the requests behind it should
/// wait their turn (as long as an HTTP client commonly waits), not fail.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub struct SqliteStore {
    pool: SqlitePool,
    notices: broadcast::Sender<Notice>,
    /// The customer samples read last (see `sql::samples`).
    samples: sql::samples::SampleCache,
}

/// How a pool's connections are set up: for serving requests, or for one
/// bulk loader (`rapport import`, `rapport bench pages`).
struct Tuning {
    connections: u32,
    /// `cache_size` in KiB, per connection.
    cache_kib: i64,
    /// `soft_heap_limit` in bytes: SQLite's memory in the whole process.
    heap_bytes: i64,
    /// `wal_autocheckpoint` in pages of 4 KiB.
    checkpoint_pages: u32,
}

/// 64 MiB of page cache per connection (the default is 2 MiB): ingestion
/// touches several indexes of large tables, and pages re-read from the OS
/// dominated the profile. But at most 256 MiB of SQLite's memory in all
/// (past it SQLite reuses cached pages rather than take more): eight
/// connections each filling its cache while serving held the server at
/// 1.7 GiB resident at 10 million responses. A checkpoint (copying the WAL
/// back into the database file) every 16,384 pages (64 MiB) rather than
/// every 1,000: a page changed by several commits between checkpoints is
/// copied once.
const SERVING: Tuning = Tuning { connections: 8, cache_kib: 65_536, heap_bytes: 256 << 20, checkpoint_pages: 16_384 };

/// One writer with a 1 GiB cache and a checkpoint per 1 GiB of WAL. A bulk
/// chunk of 50,000 responses dirties a page of every per-customer index
/// (responses', events', activity, histories, scores) per customer: with the
/// serving cache those pages spilled to the WAL mid-transaction, and each
/// commit's checkpoint copied them all again. At a million customers this
/// loaded 1.5M responses in 197 s instead of 332 (the last 300,000 at
/// 6,800/s instead of 3,300). Durability is unchanged (`synchronous =
/// FULL`). The heap limit is process-wide, so a serving pool opened later in
/// the same process sets its own again (`rapport bench pages` opens the
/// server after its load).
const BULK: Tuning = Tuning { connections: 2, cache_kib: 1 << 20, heap_bytes: 2 << 30, checkpoint_pages: 262_144 };

impl SqliteStore {
    /// Opens (creating if missing) and migrates the database at `url`, e.g.
    /// `sqlite://data/rapport.db` or `sqlite:rapport.db`, to serve requests.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::open(url, &SERVING).await
    }

    /// The same, for one process loading data in bulk chunks and nothing
    /// else (see [`BULK`]).
    pub async fn connect_bulk(url: &str) -> Result<Self, StoreError> {
        Self::open(url, &BULK).await
    }

    async fn open(url: &str, tuning: &Tuning) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true)
            .pragma("cache_size", format!("-{}", tuning.cache_kib))
            .pragma("soft_heap_limit", tuning.heap_bytes.to_string())
            .pragma("wal_autocheckpoint", tuning.checkpoint_pages.to_string());
        let pool = SqlitePoolOptions::new().max_connections(tuning.connections).connect_with(options).await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        let (notices, _) = broadcast::channel(NOTICE_CAPACITY);
        Ok(SqliteStore { pool, notices, samples: Default::default() })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}

/// What the shared SQL (`crates/rapport-store/sql/`, compiled into this
/// crate as `sql`) needs to know of this backend.
mod dialect {
    pub type Db = sqlx::Sqlite;
    pub type Backend = super::SqliteStore;
    /// For logs and `/healthz`.
    pub const NAME: &str = "sqlite";
    /// Take the write lock at once: a deferred transaction that reads first
    /// could fail to upgrade (SQLITE_BUSY) without waiting.
    pub const BEGIN_WRITE: &str = "BEGIN IMMEDIATE";
    /// `BEGIN IMMEDIATE` already excludes every other writer.
    pub const LOCK_ORG: &str = "SELECT id FROM organizations WHERE id = $1";
    /// How an export page filters by organization (`rapport_store::export`).
    pub const EXPORT_ORG_FILTER: &str = rapport_store::export::ORG_FILTER_SQLITE;
    /// Sent to `notices` after commit.
    pub const NOTIFY: Option<&str> = None;
    /// Full-text search on `r` (responses): the text around the bound
    /// query, which [`search_expression`] writes (the FTS5 table
    /// `responses_fts` indexes `responses.search_terms`).
    pub const SEARCH_MATCH: (&str, &str) = ("r.id IN (SELECT rowid FROM responses_fts WHERE responses_fts MATCH ", ")");
    /// Whole minutes from a case's opening to its first response, rounded
    /// down (times are text: read to the millisecond).
    pub const RESPONSE_MINUTES: &str =
        "CAST((unixepoch(first_responded_at, 'subsec') - unixepoch(opened_at, 'subsec')) / 60 AS INTEGER)";
    /// The ids of the responses the query `$1` matches, at most `$2`: of
    /// every organization, as the search index lists them.
    pub const SEARCH_IDS: &str = "SELECT rowid FROM responses_fts WHERE responses_fts MATCH $1 LIMIT $2";
    /// Not kept to one organization: that would look each id up in
    /// `responses`. For a common word at ten million responses that read
    /// took 80 ms, against 8 ms for the ids alone and 50 ms for the count
    /// that then runs (`sql::feedback_count`).
    pub const SEARCH_IDS_OF_ORG: bool = false;
    /// A condition naming a value (a segment, a customer, a touchpoint, a
    /// channel, a flag…) is looked up first when its set is small
    /// (`sql::feedback_narrow`). SQLite has no statistics to weigh it: it
    /// walked a common condition's index and checked each row against the
    /// value, however few rows had it (a count of an empty segment's
    /// negative comments read every negative comment: 10.9 s at ten million
    /// responses; a customer's negative comments 3.9 s; angry promoters,
    /// with no angry comment at all, 10.4 s).
    pub const NARROW_BY_VALUE: bool = true;
    /// Nothing to set for a search: the search index reads only what the
    /// query asks for.
    pub const SEARCH_SETTINGS: Option<&str> = None;
    /// Written after `responses r` (`events r`) when the rows are named by id
    /// (`sql::feedback_narrow`): look them up by rowid, with no index.
    pub const BY_ID: &str = " NOT INDEXED";
    /// A common search counted from the search index (`sql::feedback_count`):
    /// the index's table, its response id, and the condition before the
    /// bound query, which ends the text.
    pub const SEARCH_COUNT_FROM: Option<(&str, &str, &str)> =
        Some(("responses_fts d", "d.rowid", "responses_fts MATCH "));

    /// The same over knowledge articles (`a`, migration 0022).
    pub const ARTICLE_SEARCH_MATCH: (&str, &str) =
        ("a.id IN (SELECT rowid FROM kb_articles_fts WHERE kb_articles_fts MATCH ", ")");

    /// `rapport_core::text::search::search_query`'s groups as an FTS5 query:
    /// `("a" OR "b") AND ("c")`. Stems are letters and digits only, and
    /// quoted, so no word is read as an operator.
    pub fn search_expression(groups: &[Vec<String>]) -> String {
        let group =
            |g: &Vec<String>| format!("({})", g.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(" OR "));
        groups.iter().map(group).collect::<Vec<_>>().join(" AND ")
    }
}

#[path = "../../rapport-store/sql/mod.rs"]
mod sql;
