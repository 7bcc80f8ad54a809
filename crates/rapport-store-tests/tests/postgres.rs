//! The stories on PostgreSQL. Each test makes a fresh database on the server
//! named by `RAPPORT_TEST_DATABASE_URL` (e.g.
//! `postgres://postgres@127.0.0.1:55432/postgres`) and drops it afterwards.
//! Without the variable the tests are skipped, except under CI (`CI` set),
//! where they fail.

use rapport_store::Accounts;
use rapport_store::Feedback;
use rapport_store::{Ingested, Notice, NoticeKind};
use rapport_store_postgres::PostgresStore;
use rapport_store_tests::pg::{fresh_database, server_url};
use rapport_store_tests::{story_tests, Dump, TestStore};
use sqlx::postgres::PgPool;
use sqlx::Row;
use std::sync::Arc;
use std::time::Duration;

/// Every row of every table of the schema, as JSON.
fn dump(pool: PgPool) -> Dump {
    Arc::new(move || {
        let pool = pool.clone();
        Box::pin(async move {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            let mut out = Vec::new();
            for table in tables {
                let rows: Vec<String> = sqlx::query_scalar(&format!("SELECT row_to_json(t)::text FROM \"{table}\" t"))
                    .fetch_all(&pool)
                    .await
                    .unwrap();
                out.extend(rows.into_iter().map(|row| (table.clone(), row)));
            }
            out
        })
    })
}

async fn open() -> Option<TestStore> {
    let server = server_url()?;
    let (url, drop_database) = fresh_database(&server).await;
    let store = PostgresStore::connect(&url).await.unwrap();
    let pool = store.pool().clone();
    Some(TestStore {
        dump: dump(pool.clone()),
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

/// Two servers on one database: what one ingests, the other hears within a
/// second (LISTEN/NOTIFY), and so does the one that ingested.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_reach_every_server_sharing_the_database() {
    let Some(server) = server_url() else { return };
    let (url, drop_database) = fresh_database(&server).await;
    let x = PostgresStore::connect(&url).await.unwrap();
    let y = PostgresStore::connect(&url).await.unwrap();
    let mut heard_by_x = x.subscribe();
    let mut heard_by_y = y.subscribe();
    let org = y
        .create_org(&rapport_core::org::NewOrganization { slug: "acme".into(), name: "Acme".into() })
        .await
        .unwrap()
        .id;
    // Enough events for several NOTIFY payloads.
    let events: Vec<_> = (0..3_000)
        .map(|i| rapport_core::feedback::EventInput {
            key: Some(format!("e-{i}")),
            kind: rapport_core::feedback::EventType::Purchase,
            customer: format!("c-{}", i % 10),
            at: chrono::Utc::now(),
            touchpoint: None,
            amount: Some(1.0),
            attributes: Default::default(),
        })
        .collect();
    let ids: Vec<i64> = y.ingest_events(org, &events).await.unwrap().into_iter().map(Ingested::id).collect();
    let want: Vec<Notice> = ids.iter().map(|id| Notice { org, kind: NoticeKind::Event, id: *id }).collect();
    for (name, rx) in [("x", &mut heard_by_x), ("y", &mut heard_by_y)] {
        let mut got = Vec::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
        while got.len() < want.len() {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(n) => got.push(n.unwrap()),
                Err(_) => break,
            }
        }
        assert_eq!(got, want, "server {name} hears every notice, in order, within a second");
    }
    drop((x, y));
    drop_database.await;
}

/// A store that goes away gives its listening connection back.
#[tokio::test]
async fn a_dropped_store_stops_listening() {
    let Some(server) = server_url() else { return };
    let (url, drop_database) = fresh_database(&server).await;
    let store = PostgresStore::connect(&url).await.unwrap();
    let pool = store.pool().clone();
    drop(store);
    tokio::time::timeout(Duration::from_secs(5), pool.close()).await.expect("the pool closes");
    drop_database.await;
}

#[tokio::test]
async fn behaviour_backfill_equals_the_writes() {
    let Some(server) = server_url() else { return };
    let (url, drop_db) = fresh_database(&server).await;
    let store = PostgresStore::connect(&url).await.unwrap();
    let pool = store.pool().clone();
    rapport_store_tests::stories::behaviour_backfill_equals_the_writes(&store, || async move {
        let migration = include_str!("../../rapport-store-postgres/migrations/0007_behaviour.sql");
        let edges = include_str!("../../rapport-store-postgres/migrations/0010_behaviour_edges.sql");
        let totals = include_str!("../../rapport-store-postgres/migrations/0034_behaviour_totals.sql");
        let histories = include_str!("../../rapport-store-postgres/migrations/0012_scale_reads.sql");
        let terms = include_str!("../../rapport-store-postgres/migrations/0013_customer_terms.sql");
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
    drop(store);
    drop_db.await;
}
