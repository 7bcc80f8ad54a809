//! `rapport export` writes fixed column lists (`rapport_store::export`), so
//! that a secret is never exported by accident; this test keeps them
//! complete: every column of every table of the migrated schema is
//! exported or left out with a reason, and every table is exported or left
//! out. A migration that adds either fails here until the lists say which.
//! SQLite's schema stands for both (`schema.rs` fails when they differ).

use rapport_store::export::{KeyColumn, LEFT_OUT_TABLES, ORG_FILTER_SQLITE, TABLES};
use rapport_store_sqlite::SqliteStore;
use sqlx::Row;
use std::collections::BTreeSet;

#[tokio::test]
async fn every_column_is_exported_or_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("rapport.db").display());
    let store = SqliteStore::connect(&url).await.unwrap();
    // FTS5 keeps each index in shadow tables (`x_fts_data`, `x_fts_idx`, …);
    // the index itself (`x_fts`) is listed as left out.
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE '\\_sqlx%' ESCAPE '\\' AND name NOT LIKE '%\\_fts\\_%' ESCAPE '\\'",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let mut problems = Vec::new();
    for name in &tables {
        if LEFT_OUT_TABLES.iter().any(|(t, _)| t == name) {
            continue;
        }
        let Some(table) = TABLES.iter().find(|t| t.name == name) else {
            problems.push(format!("table {name}: neither exported nor left out"));
            continue;
        };
        let rows = sqlx::query("SELECT name FROM pragma_table_info($1)").bind(name).fetch_all(store.pool()).await;
        let columns: BTreeSet<String> = rows.unwrap().iter().map(|r| r.get::<String, _>(0)).collect();
        for c in &columns {
            let known =
                c == "org_id" || table.columns.contains(&c.as_str()) || table.left_out.iter().any(|(l, _)| l == c);
            if !known {
                problems.push(format!("{name}.{c}: neither exported nor left out"));
            }
        }
        for c in table.columns.iter().chain(table.left_out.iter().map(|(c, _)| c)) {
            if !columns.contains(*c) {
                problems.push(format!("{name}.{c}: no such column"));
            }
        }
    }
    for (name, _) in LEFT_OUT_TABLES {
        if !tables.iter().any(|t| t == name) {
            problems.push(format!("left-out table {name}: no such table"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A page reads its key's index from the cursor on, never the organization's
/// rows sorted again for every page (which made an export's time the square
/// of its length): no table's page sorts, but a day-keyed one (holidays, a
/// few rows). (PostgreSQL's planner, with statistics, chooses so itself.)
#[tokio::test]
async fn no_page_sorts_the_organizations_rows() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("rapport.db").display());
    let store = SqliteStore::connect(&url).await.unwrap();
    let mut sorting = Vec::new();
    for table in TABLES.iter().filter(|t| !t.key.iter().any(|k| matches!(k, KeyColumn::Day(_)))) {
        for after in [false, true] {
            let sql = format!("EXPLAIN QUERY PLAN {}", table.page_sql(after, ORG_FILTER_SQLITE));
            let mut query = sqlx::query(&sql).bind(1_i64);
            if after {
                for k in table.key {
                    query = match k {
                        KeyColumn::Int(_) => query.bind(0_i64),
                        _ => query.bind(String::new()),
                    };
                }
            }
            let plan = query.bind(1000_i64).fetch_all(store.pool()).await.unwrap();
            let plan: Vec<String> = plan.iter().map(|r| r.get::<String, _>("detail")).collect();
            if plan.iter().any(|step| step.contains("TEMP B-TREE")) {
                sorting.push(format!("{} (after: {after}): {}", table.name, plan.join("; ")));
            }
        }
    }
    assert!(sorting.is_empty(), "pages that sort:\n{}", sorting.join("\n"));
}
