//! The stories on PostgreSQL. Each test makes a fresh database on the server
//! named by `RAPPORT_TEST_DATABASE_URL` (e.g.
//! `postgres://postgres@127.0.0.1:55432/postgres`) and drops it afterwards.
//! Without the variable the tests are skipped, except under CI (`CI` set),
//! where they fail.

use rapport_store::Store;
use rapport_store_postgres::PostgresStore;
use rapport_store_tests::pg::{fresh_database, server_url};
use rapport_store_tests::{story_tests, TestStore};
use sqlx::Row;
use std::sync::Arc;

async fn open() -> Option<TestStore> {
    let server = server_url()?;
    let (url, drop_database) = fresh_database(&server).await;
    let store = PostgresStore::connect(&url).await.unwrap();
    let pool = store.pool().clone();
    Some(TestStore {
        store: Arc::new(store),
        cleanup: Some(Box::pin(async move {
            pool.close().await;
            drop_database.await;
        })),
    })
}

story_tests!(open);

/// Several servers starting at once on one empty database: the migrator's
/// advisory lock lets one migrate while the others wait, and all come up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn servers_starting_together_migrate_once() {
    let Some(server) = server_url() else { return };
    let (url, drop_database) = fresh_database(&server).await;
    let (a, b, c, d) = tokio::join!(
        PostgresStore::connect(&url),
        PostgresStore::connect(&url),
        PostgresStore::connect(&url),
        PostgresStore::connect(&url),
    );
    let stores: Vec<PostgresStore> = [a, b, c, d].into_iter().map(|r| r.expect("connect and migrate")).collect();
    let applied: i64 =
        sqlx::query("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(stores[0].pool()).await.unwrap().get(0);
    assert_eq!(
        applied,
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../rapport-store-postgres/migrations")).unwrap().count()
            as i64
    );
    for s in &stores {
        s.ping().await.unwrap();
        assert_eq!(s.backend(), "postgres");
        s.pool().close().await;
    }
    drop_database.await;
}

/// The same placeholder behaviour the SQLite test checks, for symmetry.
#[tokio::test]
async fn numbered_parameters_bind_by_number() {
    let Some(server) = server_url() else { return };
    let (url, drop_database) = fresh_database(&server).await;
    let store = PostgresStore::connect(&url).await.unwrap();
    let row = sqlx::query("SELECT $2 || '-' || $1 || '-' || $2 AS joined")
        .bind("one")
        .bind("two")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("joined"), "two-one-two");
    store.pool().close().await;
    drop_database.await;
}
