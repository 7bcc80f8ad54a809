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
//!
//! Read replicas: [`PostgresStore::connect_read_only`] opens a hot standby
//! (or any copy of the primary) for reads only. It runs no migration (a
//! standby cannot, and its schema follows the primary's); instead it checks
//! that every migration this binary knows has been applied there, and fails
//! clearly otherwise. Its sessions are read-only
//! (`default_transaction_read_only`), so a write sent to it by mistake fails
//! instead of landing on the wrong database, and it listens for no notices
//! (a standby refuses `LISTEN`): subscribe to the primary's store.

use rapport_core::validate::FieldErrors;
use rapport_store::listening::{parse_payload, NOTICE_CAPACITY, NOTICE_CHANNEL};
use rapport_store::{Notice, StoreError};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Duration;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;

/// The schema this binary expects, applied by [`PostgresStore::connect`].
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

pub struct PostgresStore {
    pool: PgPool,
    notices: broadcast::Sender<Notice>,
    /// The customer samples read last (see `sql::samples`).
    samples: sql::samples::SampleCache,
    /// The notice relay; `None` on a read-only store, which hears nothing.
    listener: Option<JoinHandle<()>>,
}

impl PostgresStore {
    /// Connects to and migrates the database at `url`, e.g.
    /// `postgres://rapport@localhost/rapport`, and starts listening for
    /// notices (on return, every later commit's notices are heard). Must be
    /// called within a Tokio runtime.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = without_jit(PgConnectOptions::from_str(url)?);
        let pool = PgPoolOptions::new().max_connections(10).connect_with(options).await?;
        MIGRATOR.run(&pool).await?;
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen(NOTICE_CHANNEL).await?;
        let (notices, _) = broadcast::channel(NOTICE_CAPACITY);
        let listener = tokio::spawn(relay(listener, notices.clone()));
        Ok(PostgresStore { pool, notices, listener: Some(listener), samples: Default::default() })
    }

    /// Connects to a read replica at `url` (a hot standby of the primary, or
    /// the primary itself) for reads only: no migration, no listening (its
    /// [`subscribe`](rapport_store::Feedback::subscribe) hears nothing), and
    /// every transaction read-only, so that any write fails there. Checks
    /// that the schema has every migration this binary knows (a newer one is
    /// fine); otherwise an `Invalid` error on `schema` says what is missing.
    pub async fn connect_read_only(url: &str) -> Result<Self, StoreError> {
        open_read_only(PgConnectOptions::from_str(url)?).await
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// Every statement here reads a bounded range of a key (rollups, kept
/// counts, keyset pages); PostgreSQL's JIT compiles a plan whose estimated
/// cost passes its threshold, which a daily behaviour series does, and the
/// compiling took longer than the reading (15 ms of 130).
fn without_jit(options: PgConnectOptions) -> PgConnectOptions {
    options.options([("jit", "off")])
}

/// [`PostgresStore::connect_read_only`] with parsed options.
async fn open_read_only(options: PgConnectOptions) -> Result<PostgresStore, StoreError> {
    let options = without_jit(options).options([("default_transaction_read_only", "on")]);
    let pool = PgPoolOptions::new().max_connections(10).connect_with(options).await?;
    check_schema(&pool).await?;
    let (notices, _) = broadcast::channel(NOTICE_CAPACITY);
    Ok(PostgresStore { pool, notices, listener: None, samples: Default::default() })
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        // Gives the listening connection back, so the pool can close.
        if let Some(listener) = &self.listener {
            listener.abort();
        }
    }
}

/// Checks, without changing anything, that the database holds every
/// migration [`MIGRATOR`] knows, applied successfully and unchanged.
async fn check_schema(pool: &PgPool) -> Result<(), StoreError> {
    let table: Option<String> =
        sqlx::query_scalar("SELECT CAST(to_regclass('_sqlx_migrations') AS TEXT)").fetch_one(pool).await?;
    if table.is_none() {
        return Err(schema_error(
            "the read database has no Rapport schema: point it at a replica of the primary, \
             after `rapport migrate` (or `rapport serve`) has run on the primary",
        ));
    }
    let rows: Vec<(i64, bool, Vec<u8>)> =
        sqlx::query_as("SELECT version, success, checksum FROM _sqlx_migrations").fetch_all(pool).await?;
    let applied: BTreeMap<i64, (bool, Vec<u8>)> = rows.into_iter().map(|(v, ok, sum)| (v, (ok, sum))).collect();
    let mut missing = Vec::new();
    for m in MIGRATOR.iter().filter(|m| !m.migration_type.is_down_migration()) {
        match applied.get(&m.version) {
            Some((true, sum)) if *sum == *m.checksum => {}
            Some((true, _)) => {
                return Err(schema_error(format!(
                    "the read database's migration {} ({}) differs from this Rapport's: \
                     is it a replica of this installation's primary?",
                    m.version, m.description
                )))
            }
            _ => missing.push(format!("{} ({})", m.version, m.description)),
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(schema_error(format!(
        "the read database lacks migration {} that this Rapport needs: migrate the primary \
         (`rapport migrate`) and let the replica catch up",
        missing.join(", ")
    )))
}

fn schema_error(message: impl Into<String>) -> StoreError {
    StoreError::Invalid(FieldErrors::single("schema", "outdated", message))
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
    /// How an export page filters by organization (`rapport_store::export`).
    pub const EXPORT_ORG_FILTER: &str = rapport_store::export::ORG_FILTER_POSTGRES;
    /// Delivered on commit to every listening server, this one included.
    pub const NOTIFY: Option<&str> = Some("SELECT pg_notify($1, $2)");
    /// Full-text search on `r` (responses): the text around the bound
    /// query, which [`search_expression`] writes. `IS NOT NULL` lets the
    /// partial GIN index `responses_search` serve it.
    pub const SEARCH_MATCH: (&str, &str) =
        ("r.search_terms IS NOT NULL AND to_tsvector('simple', r.search_terms) @@ to_tsquery('simple', ", ")");
    /// Whole minutes from a case's opening to its first response, rounded
    /// down.
    pub const RESPONSE_MINUTES: &str =
        "CAST(trunc(EXTRACT(EPOCH FROM (first_responded_at - opened_at)) / 60) AS BIGINT)";
    /// The ids of the organization `$3`'s responses the query `$1`
    /// matches, at most `$2`.
    pub const SEARCH_IDS: &str = "SELECT id FROM responses WHERE search_terms IS NOT NULL \
         AND to_tsvector('simple', search_terms) @@ to_tsquery('simple', $1) AND org_id = $3 LIMIT $2";
    /// `SEARCH_IDS` keeps to the organization: a set past the limit is the
    /// organization's, and a search alone is past any cap up to it.
    pub const SEARCH_IDS_OF_ORG: bool = true;
    /// A segment, a customer, a touchpoint… are left to the planner: its
    /// statistics weigh them against the other conditions (at ten million
    /// responses an empty segment's negative comments counted in 0.2–15 ms;
    /// a customer's, 70 ms; a touchpoint without responses, 10 ms).
    pub const NARROW_BY_VALUE: bool = false;
    /// Set for the transaction of an inbox read with a word search. The GIN
    /// index answers with a bitmap of every match before `LIMIT` applies:
    /// past the default 4 MB it keeps pages, not rows, and each row of such
    /// a page is read and its text analysed again. At ten million responses a
    /// word in 1.4% of them took 390–450 ms that way, 100–150 ms with the
    /// bitmap exact (8 MB did for it). At about 64 bytes a heap page, 64 MB
    /// keeps any word's bitmap exact over a million pages: ten million
    /// responses fill 225,000.
    pub const SEARCH_SETTINGS: Option<&str> = Some("SET LOCAL work_mem = '64MB'");
    /// Written after `responses r` (`events r`) when the rows are named by id: nothing,
    /// the planner sees how few they are.
    pub const BY_ID: &str = "";
    /// A common search is counted as any condition: the planner weighs the
    /// GIN index against the others with its statistics.
    pub const SEARCH_COUNT_FROM: Option<(&str, &str, &str)> = None;

    /// The same over knowledge articles (`a`, migration 0022).
    pub const ARTICLE_SEARCH_MATCH: (&str, &str) =
        ("a.search_terms IS NOT NULL AND to_tsvector('simple', a.search_terms) @@ to_tsquery('simple', ", ")");

    /// `rapport_core::text::search::search_query`'s groups as a tsquery:
    /// `(a | b) & (c)`. Stems are letters and digits only: nothing to quote.
    pub fn search_expression(groups: &[Vec<String>]) -> String {
        let group = |g: &Vec<String>| format!("({})", g.join(" | "));
        groups.iter().map(group).collect::<Vec<_>>().join(" & ")
    }
}

#[path = "../../rapport-store/sql/mod.rs"]
mod sql;

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_core::org::NewOrganization;
    use rapport_store::Accounts;
    use sqlx::Connection;

    fn message(e: StoreError) -> String {
        match e {
            StoreError::Invalid(f) => f.to_string(),
            other => panic!("expected a schema error, got {other:?}"),
        }
    }

    /// On a scratch database of `RAPPORT_TEST_DATABASE_URL`'s server: a
    /// read-only store refuses a database without the schema, one migration
    /// short or with a changed migration, opens a current one, reads there
    /// and refuses writes.
    #[test]
    fn read_only_store_checks_the_schema_and_never_writes() {
        let server = match std::env::var("RAPPORT_TEST_DATABASE_URL") {
            Ok(url) if !url.trim().is_empty() => url,
            _ if std::env::var_os("CI").is_some() => {
                panic!("RAPPORT_TEST_DATABASE_URL is not set; CI must provide PostgreSQL")
            }
            _ => return eprintln!("skipped: no PostgreSQL (set RAPPORT_TEST_DATABASE_URL)"),
        };
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            let name = format!("rapport_ro_{}", std::process::id());
            let mut admin = sqlx::PgConnection::connect(&server).await.expect("connect to the test server");
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await.unwrap();
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
            let options = PgConnectOptions::from_str(&server).unwrap().database(&name);
            let outcome = tokio::spawn(story(options)).await;
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await.unwrap();
            if let Err(e) = outcome {
                std::panic::resume_unwind(e.into_panic());
            }
        });
    }

    async fn story(options: PgConnectOptions) {
        let e = open_read_only(options.clone()).await.err().expect("no schema: refused");
        assert!(message(e).starts_with("schema: the read database has no Rapport schema"));
        let empty: Option<String> = sqlx::query_scalar("SELECT CAST(to_regclass('_sqlx_migrations') AS TEXT)")
            .fetch_one(&PgPool::connect_with(options.clone()).await.unwrap())
            .await
            .unwrap();
        assert_eq!(empty, None, "nothing was migrated");

        let pool = PgPool::connect_with(options.clone()).await.unwrap();
        MIGRATOR.run(&pool).await.expect("migrate");
        let store = open_read_only(options.clone()).await.expect("a current schema opens");
        assert_eq!(store.org_by_slug("acme").await.expect("reads work"), None);
        let write = store.create_org(&NewOrganization::parse("acme", "Acme").unwrap()).await;
        assert!(matches!(write, Err(StoreError::Internal(_))), "writes fail: {write:?}");
        assert!(store.listener.is_none(), "a read-only store does not listen");

        let last = MIGRATOR.iter().map(|m| (m.version, m.description.to_string())).max().expect("migrations");
        sqlx::query("UPDATE _sqlx_migrations SET checksum = '\\x00' WHERE version = $1")
            .bind(last.0)
            .execute(&pool)
            .await
            .unwrap();
        let m = message(open_read_only(options.clone()).await.err().expect("a changed migration: refused"));
        assert!(m.contains(&format!("migration {} ({}) differs", last.0, last.1)), "{m}");

        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = $1").bind(last.0).execute(&pool).await.unwrap();
        let m = message(open_read_only(options).await.err().expect("a migration short: refused"));
        assert!(m.contains(&format!("lacks migration {} ({})", last.0, last.1)), "{m}");
        assert!(m.contains("rapport migrate"), "{m}");
        pool.close().await;
    }
}
