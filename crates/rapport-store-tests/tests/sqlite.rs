//! The stories on SQLite, each on its own database file.

use rapport_store::Accounts;
use rapport_store_sqlite::SqliteStore;
use rapport_store_tests::{story_tests, Dump, TestStore};
use sqlx::sqlite::SqlitePool;
use sqlx::Row;
use std::sync::Arc;
use tempfile::TempDir;

async fn connect() -> (SqliteStore, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("rapport.db").display());
    (SqliteStore::connect(&url).await.unwrap(), dir)
}

/// Every row of every table, its values read as text and joined.
fn dump(pool: SqlitePool) -> Dump {
    Arc::new(move || {
        let pool = pool.clone();
        Box::pin(async move {
            let tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
                .fetch_all(&pool)
                .await
                .unwrap();
            let mut out = Vec::new();
            for table in tables {
                let rows = sqlx::query(&format!("SELECT * FROM \"{table}\"")).fetch_all(&pool).await.unwrap();
                for row in rows {
                    // SQLite gives any value as bytes (numbers as their text).
                    let values: Vec<String> = (0..row.len())
                        .map(|i| row.try_get_unchecked::<Option<Vec<u8>>, _>(i).unwrap().unwrap_or_default())
                        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                        .collect();
                    out.push((table.clone(), values.join("|")));
                }
            }
            out
        })
    })
}

async fn open() -> Option<TestStore> {
    let (store, dir) = connect().await;
    let pool = store.pool().clone();
    Some(TestStore {
        dump: dump(pool.clone()),
        store: Arc::new(store),
        cleanup: Some(Box::pin(async move {
            pool.close().await;
            drop(dir);
        })),
    })
}

story_tests!(open);

/// The shared SQL numbers its placeholders; sqlx's SQLite driver must bind
/// `$N` to the N-th argument whatever the order and however often it appears.
#[tokio::test]
async fn numbered_parameters_bind_by_number() {
    let (store, _dir) = connect().await;
    let row = sqlx::query("SELECT $2 || '-' || $1 || '-' || $2 || '-' || $3 AS joined, $3 + $3 AS twice")
        .bind("one")
        .bind("two")
        .bind(21_i64)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("joined"), "two-one-two-21");
    assert_eq!(row.get::<i64, _>("twice"), 42);
}

#[tokio::test]
async fn connect_creates_a_wal_database_with_foreign_keys() {
    let (store, dir) = connect().await;
    assert!(dir.path().join("rapport.db").exists());
    let pragma = |name: &'static str| {
        let pool = store.pool().clone();
        async move { sqlx::query(name).fetch_one(&pool).await.unwrap().get::<i64, _>(0) }
    };
    let mode: String = sqlx::query("PRAGMA journal_mode").fetch_one(store.pool()).await.unwrap().get(0);
    assert_eq!(mode, "wal");
    assert_eq!(pragma("PRAGMA foreign_keys").await, 1);
    assert_eq!(pragma("PRAGMA busy_timeout").await, rapport_store_sqlite::BUSY_TIMEOUT.as_millis() as i64);
    assert_eq!(pragma("PRAGMA synchronous").await, 2, "FULL: a commit survives a power cut");
    let version: String = sqlx::query("SELECT sqlite_version()").fetch_one(store.pool()).await.unwrap().get(0);
    let minor: u32 = version.split('.').nth(1).unwrap().parse().unwrap();
    assert!(version.starts_with("3.") && minor >= 35, "RETURNING needs SQLite 3.35, have {version}");
    assert_eq!(store.backend(), "sqlite");
    // Opening again finds the schema migrated and the data kept.
    let url = format!("sqlite://{}", dir.path().join("rapport.db").display());
    let org = store
        .create_org(&rapport_core::org::NewOrganization { slug: "kept".into(), name: "Kept".into() })
        .await
        .unwrap();
    store.pool().close().await;
    let again = SqliteStore::connect(&url).await.unwrap();
    assert_eq!(again.org_by_slug("kept").await.unwrap(), Some(org));
}

/// A bulk loader's store reads and writes the same database, with its own
/// cache and checkpoint, the same durability; a serving store opened after
/// it in the process sets the process-wide heap limit back.
#[tokio::test]
async fn a_bulk_store_shares_the_file_with_its_own_cache() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("rapport.db").display());
    let bulk = SqliteStore::connect_bulk(&url).await.unwrap();
    let pragma = |store: &SqliteStore, sql: &'static str| {
        let pool = store.pool().clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.unwrap() }
    };
    assert_eq!(pragma(&bulk, "PRAGMA cache_size").await, -(1 << 20), "1 GiB of cache");
    assert_eq!(pragma(&bulk, "PRAGMA wal_autocheckpoint").await, 262_144);
    assert_eq!(pragma(&bulk, "PRAGMA soft_heap_limit").await, 2 << 30);
    assert_eq!(pragma(&bulk, "PRAGMA synchronous").await, 2, "FULL, as when serving");
    let org = bulk
        .create_org(&rapport_core::org::NewOrganization { slug: "bulk".into(), name: "Bulk".into() })
        .await
        .unwrap();
    bulk.pool().close().await;
    let serving = SqliteStore::connect(&url).await.unwrap();
    assert_eq!(serving.org_by_slug("bulk").await.unwrap(), Some(org));
    assert_eq!(pragma(&serving, "PRAGMA cache_size").await, -65_536);
    assert_eq!(pragma(&serving, "PRAGMA soft_heap_limit").await, 256 << 20);
}

#[tokio::test]
async fn behaviour_backfill_equals_the_writes() {
    let (store, _dir) = connect().await;
    let pool = store.pool().clone();
    rapport_store_tests::stories::behaviour_backfill_equals_the_writes(&store, || async move {
        let migration = include_str!("../../rapport-store-sqlite/migrations/0007_behaviour.sql");
        let edges = include_str!("../../rapport-store-sqlite/migrations/0010_behaviour_edges.sql");
        let totals = include_str!("../../rapport-store-sqlite/migrations/0034_behaviour_totals.sql");
        let histories = include_str!("../../rapport-store-sqlite/migrations/0012_scale_reads.sql");
        let terms = include_str!("../../rapport-store-sqlite/migrations/0013_customer_terms.sql");
        for sql in rapport_store_tests::stories::BACKFILLED
            .into_iter()
            .map(str::to_string)
            .chain(rapport_store_tests::stories::backfill_statements(migration))
            .chain(rapport_store_tests::stories::backfill_statements(edges))
            .chain(rapport_store_tests::stories::backfill_statements(totals))
            .chain(rapport_store_tests::stories::histories_backfill_statements(histories))
            .chain(rapport_store_tests::stories::histories_backfill_statements(terms))
        {
            sqlx::query(&sql).execute(&pool).await.unwrap();
        }
    })
    .await;
}
