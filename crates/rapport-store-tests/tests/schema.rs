//! The SQLite and PostgreSQL migrations are two hand-kept copies of one
//! schema ("keep in step with the migration of the same number"), and the
//! shared SQL runs unchanged on both. This test migrates a fresh database of
//! each kind and compares what they ended up with: tables, columns (name,
//! nullability, type family), primary keys, indexes and foreign keys, so a
//! migration added or edited on one side only fails here, naming what
//! drifted, instead of as a query error on the other backend in production.
//!
//! It needs both backends, so it lives in neither per-backend file. Without
//! `RAPPORT_TEST_DATABASE_URL` it is skipped, except under CI (`CI` set),
//! where it fails.

use rapport_store_postgres::PostgresStore;
use rapport_store_sqlite::SqliteStore;
use rapport_store_tests::pg::{fresh_database, server_url};
use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// sqlx's own bookkeeping, not Rapport's schema.
const MIGRATIONS_TABLE: &str = "_sqlx_migrations";

/// Full-text search over comments is each database's own machinery over
/// the same column (`responses.search_terms`): SQLite's FTS5 table
/// `responses_fts` (and the shadow tables FTS5 makes, `responses_fts_*`),
/// PostgreSQL's GIN index `responses_search`. The search story checks that
/// both find the same responses; the schema test leaves them out.
const SQLITE_SEARCH_TABLES: &str = "responses\\_fts%";
const POSTGRES_SEARCH_INDEX: &str = "responses_search";
/// The same for the knowledge base's articles (migration 0022).
const SQLITE_ARTICLE_SEARCH_TABLES: &str = "kb\\_articles\\_fts%";
const POSTGRES_ARTICLE_SEARCH_INDEX: &str = "kb_articles_search";

/// What a column's declared type means, across dialects.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Family {
    Integer,
    Real,
    Text,
    Boolean,
    Timestamp,
    Date,
    Json,
    Bytes,
    Other(String),
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Family::Other(t) => write!(f, "other({t})"),
            x => write!(f, "{}", format!("{x:?}").to_lowercase()),
        }
    }
}

/// A SQLite declared type (as `pragma_table_info` reports it), by SQLite's
/// own affinity rules, refined into the families PostgreSQL distinguishes.
fn sqlite_family(declared: &str) -> Family {
    let t = declared.to_ascii_uppercase();
    let has = |s: &str| t.contains(s);
    if has("BOOL") {
        Family::Boolean
    } else if has("INT") {
        Family::Integer
    } else if has("TIMESTAMP") || has("DATETIME") {
        Family::Timestamp
    } else if t == "DATE" {
        Family::Date
    } else if has("JSON") {
        Family::Json
    } else if has("CHAR") || has("CLOB") || has("TEXT") {
        Family::Text
    } else if t.is_empty() || has("BLOB") {
        Family::Bytes
    } else if has("REAL") || has("FLOA") || has("DOUB") || has("NUMERIC") || has("DECIMAL") {
        Family::Real
    } else {
        Family::Other(declared.to_string())
    }
}

/// A PostgreSQL `information_schema.columns.data_type`.
fn postgres_family(data_type: &str) -> Family {
    match data_type {
        "smallint" | "integer" | "bigint" => Family::Integer,
        "real" | "double precision" | "numeric" => Family::Real,
        "text" | "character varying" | "character" => Family::Text,
        "boolean" => Family::Boolean,
        "timestamp with time zone" | "timestamp without time zone" => Family::Timestamp,
        "date" => Family::Date,
        "json" | "jsonb" => Family::Json,
        "bytea" => Family::Bytes,
        other => Family::Other(other.to_string()),
    }
}

/// Whether a SQLite column's family stands for a PostgreSQL column's.
fn same_family(sqlite: &Family, postgres: &Family) -> bool {
    // SQLite has no date, time or JSON types: the schema stores them as TEXT
    // (RFC 3339 / ISO dates / JSON text), as the migrations' headers say.
    sqlite == postgres
        || (*sqlite == Family::Text && matches!(postgres, Family::Timestamp | Family::Date | Family::Json))
}

#[derive(Debug, Clone)]
struct Column {
    declared: String,
    family: Family,
    not_null: bool,
}

/// An index's shape: what it indexes and enforces, whatever its name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct IndexShape {
    /// Column names, or normalized expressions (see [`normalize_sql`]).
    columns: Vec<String>,
    unique: bool,
    /// The normalized `WHERE` of a partial index.
    predicate: Option<String>,
}

impl fmt::Display for IndexShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({})", if self.unique { "UNIQUE " } else { "" }, self.columns.join(", "))?;
        if let Some(p) = &self.predicate {
            write!(f, " WHERE {p}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Default)]
struct Table {
    columns: BTreeMap<String, Column>,
    primary_key: Vec<String>,
    /// Every index but the primary key's, by shape; the names of the indexes
    /// of that shape, `None` for one made by a `UNIQUE` constraint (SQLite
    /// calls those `sqlite_autoindex_*`, PostgreSQL `*_key`).
    indexes: BTreeMap<IndexShape, Vec<Option<String>>>,
    /// `(columns) -> table(columns) ON DELETE ... ON UPDATE ...`.
    foreign_keys: BTreeSet<String>,
}

type Schema = BTreeMap<String, Table>;

/// Lower-cased, without identifier quotes, `::type` casts, parentheses and
/// whitespace: PostgreSQL prints `COALESCE(touchpoint_id, 0::bigint)` and
/// `((status = 'open'::text) AND ...)` for what SQLite keeps as written.
fn normalize_sql(s: &str) -> String {
    let s = s.to_lowercase();
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(i) = rest.find("::") {
        out.push_str(&rest[..i]);
        rest = rest[i + 2..].trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    }
    out.push_str(rest);
    out.chars().filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '"')).collect()
}

#[derive(Default)]
struct ForeignKey {
    from: Vec<String>,
    target: String,
    to: Vec<String>,
    on_delete: String,
    on_update: String,
}

impl fmt::Display for ForeignKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ForeignKey { from, target, to, on_delete, on_update } = self;
        write!(f, "({}) -> {target}({}) ON DELETE {on_delete} ON UPDATE {on_update}", from.join(", "), to.join(", "))
    }
}

// ---- SQLite -------------------------------------------------------------

/// The key columns and `WHERE` of a `CREATE INDEX` statement, as written
/// (`pragma_index_info` names no expression, and no pragma gives the WHERE).
fn sqlite_index_parts(sql: &str) -> (Vec<String>, Option<String>) {
    let lower = sql.to_lowercase();
    let on = lower.find(" on ").expect("CREATE INDEX ... ON");
    let open = on + lower[on..].find('(').expect("an indexed column list");
    let (mut depth, mut quoted, mut start) = (0, false, open + 1);
    let mut columns = Vec::new();
    for (i, c) in sql.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '\'' => quoted = !quoted,
            _ if quoted => {}
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    columns.push(sql[start..i].trim().to_string());
                    let tail = sql[i + 1..].trim();
                    let predicate =
                        tail.get(..5).filter(|w| w.eq_ignore_ascii_case("where")).map(|_| tail[5..].trim().to_string());
                    return (columns, predicate);
                }
            }
            ',' if depth == 1 => {
                columns.push(sql[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    panic!("unbalanced CREATE INDEX: {sql}")
}

async fn sqlite_schema(pool: &SqlitePool) -> Schema {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> $1 \
         AND name NOT LIKE $2 ESCAPE '\\' AND name NOT LIKE $3 ESCAPE '\\'",
    )
    .bind(MIGRATIONS_TABLE)
    .bind(SQLITE_SEARCH_TABLES)
    .bind(SQLITE_ARTICLE_SEARCH_TABLES)
    .fetch_all(pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for name in names {
        let mut table = Table::default();
        let mut pk = Vec::new();
        for row in sqlx::query("SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)")
            .bind(&name)
            .fetch_all(pool)
            .await
            .unwrap()
        {
            let (column, declared): (String, String) = (row.get(0), row.get(1));
            let (not_null, pk_index): (bool, i64) = (row.get(2), row.get(3));
            if pk_index > 0 {
                pk.push((pk_index, column.clone()));
            }
            // SQLite lets a PRIMARY KEY column of a rowid table hold NULL
            // unless also declared NOT NULL (a legacy quirk), where PostgreSQL
            // makes it NOT NULL; a key column counts as NOT NULL on both.
            let not_null = not_null || pk_index > 0;
            table.columns.insert(column, Column { family: sqlite_family(&declared), declared, not_null });
        }
        pk.sort();
        table.primary_key = pk.into_iter().map(|(_, c)| c).collect();

        for row in sqlx::query("SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)")
            .bind(&name)
            .fetch_all(pool)
            .await
            .unwrap()
        {
            let (index, unique, origin, partial): (String, bool, String, bool) =
                (row.get(0), row.get(1), row.get(2), row.get(3));
            if origin == "pk" {
                continue; // compared as `primary_key`
            }
            let sql: Option<String> =
                sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1")
                    .bind(&index)
                    .fetch_one(pool)
                    .await
                    .unwrap();
            let (written, predicate) = sql.as_deref().map(sqlite_index_parts).unwrap_or_default();
            let keys: Vec<(i64, Option<String>)> =
                sqlx::query_as("SELECT seqno, name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index)
                    .fetch_all(pool)
                    .await
                    .unwrap();
            let columns = keys
                .into_iter()
                .map(|(seq, column)| {
                    // An expression has no name; take it as written.
                    column.or_else(|| written.get(seq as usize).cloned()).map_or("?".into(), |c| normalize_sql(&c))
                })
                .collect();
            assert_eq!(partial, predicate.is_some(), "index {index}: partial, yet no WHERE read from {sql:?}");
            let shape = IndexShape { columns, unique, predicate: predicate.map(|p| normalize_sql(&p)) };
            let index = (origin == "c").then_some(index);
            table.indexes.entry(shape).or_default().push(index);
        }

        // One row per column of each key, in order; keys told apart by id.
        let mut keys: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for row in sqlx::query(
            "SELECT id, \"table\", \"from\", \"to\", on_delete, on_update FROM pragma_foreign_key_list($1) \
             ORDER BY id, seq",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .unwrap()
        {
            let fk = keys.entry(row.get(0)).or_insert_with(|| ForeignKey {
                target: row.get(1),
                on_delete: row.get(4),
                on_update: row.get(5),
                ..Default::default()
            });
            fk.from.push(row.get(2));
            // No `to`: the referenced table's primary key (not used today).
            fk.to.push(row.get::<Option<String>, _>(3).unwrap_or_else(|| "(primary key)".into()));
        }
        table.foreign_keys.extend(keys.into_values().map(|fk| fk.to_string()));
        schema.insert(name, table);
    }
    schema
}

// ---- PostgreSQL ---------------------------------------------------------

fn postgres_action(code: &str) -> &'static str {
    match code {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        _ => "?",
    }
}

async fn postgres_schema(pool: &PgPool) -> Schema {
    let mut schema = Schema::new();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> $1",
    )
    .bind(MIGRATIONS_TABLE)
    .fetch_all(pool)
    .await
    .unwrap();
    for t in tables {
        schema.insert(t, Table::default());
    }

    for row in sqlx::query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = current_schema()",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    {
        let (table, column, data_type, nullable): (String, String, String, String) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        if let Some(t) = schema.get_mut(&table) {
            let c = Column { family: postgres_family(&data_type), declared: data_type, not_null: nullable == "NO" };
            t.columns.insert(column, c);
        }
    }

    // Every index of the schema's tables; the key columns as
    // pg_get_indexdef prints them (a name, or an expression).
    for row in sqlx::query(
        "SELECT c.relname::text, i.relname::text, x.indisprimary, x.indisunique, \
                pg_get_expr(x.indpred, x.indrelid, true), \
                EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid \
                        AND k.conrelid = x.indrelid AND k.contype IN ('p', 'u', 'x')), \
                ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) \
                      FROM generate_series(1, x.indnkeyatts::int) k ORDER BY k) \
         FROM pg_index x \
         JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class c ON c.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = current_schema()",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    {
        let (table, index, primary, unique): (String, String, bool, bool) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        let (predicate, by_constraint, columns): (Option<String>, bool, Vec<String>) =
            (row.get(4), row.get(5), row.get(6));
        let Some(t) = schema.get_mut(&table) else { continue };
        if index == POSTGRES_SEARCH_INDEX || index == POSTGRES_ARTICLE_SEARCH_INDEX {
            continue;
        }
        if primary {
            t.primary_key = columns.iter().map(|c| c.trim_matches('"').to_string()).collect();
            continue;
        }
        let shape = IndexShape {
            columns: columns.iter().map(|c| normalize_sql(c)).collect(),
            unique,
            predicate: predicate.map(|p| normalize_sql(&p)),
        };
        t.indexes.entry(shape).or_default().push((!by_constraint).then_some(index));
    }

    for row in sqlx::query(
        "SELECT c.relname::text, r.relname::text, \
                ARRAY(SELECT a.attname::text FROM unnest(k.conkey) WITH ORDINALITY u(n, o) \
                      JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.o), \
                ARRAY(SELECT a.attname::text FROM unnest(k.confkey) WITH ORDINALITY u(n, o) \
                      JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.o), \
                k.confdeltype::text, k.confupdtype::text \
         FROM pg_constraint k \
         JOIN pg_class c ON c.oid = k.conrelid \
         JOIN pg_class r ON r.oid = k.confrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE k.contype = 'f' AND n.nspname = current_schema()",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    {
        let table: String = row.get(0);
        let fk = ForeignKey {
            target: row.get(1),
            from: row.get(2),
            to: row.get(3),
            on_delete: postgres_action(row.get(4)).into(),
            on_update: postgres_action(row.get(5)).into(),
        };
        if let Some(t) = schema.get_mut(&table) {
            t.foreign_keys.insert(fk.to_string());
        }
    }
    schema
}

// ---- Comparing ----------------------------------------------------------

fn names(names: &[Option<String>]) -> String {
    let mut names: Vec<&str> = names.iter().map(|n| n.as_deref().unwrap_or("(UNIQUE constraint)")).collect();
    names.sort();
    names.join(", ")
}

/// Every difference between the two schemas, one line each, naming the
/// table and the column, index or key.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    for name in sqlite.keys().chain(postgres.keys()).collect::<BTreeSet<_>>() {
        let (s, p) = match (sqlite.get(name), postgres.get(name)) {
            (Some(s), Some(p)) => (s, p),
            (Some(_), None) => {
                out.push(format!("table {name}: only on SQLite"));
                continue;
            }
            (None, _) => {
                out.push(format!("table {name}: only on PostgreSQL"));
                continue;
            }
        };
        for column in s.columns.keys().chain(p.columns.keys()).collect::<BTreeSet<_>>() {
            match (s.columns.get(column), p.columns.get(column)) {
                (Some(a), Some(b)) => {
                    if !same_family(&a.family, &b.family) {
                        out.push(format!(
                            "column {name}.{column}: type {} ({}) on SQLite, {} ({}) on PostgreSQL",
                            a.family, a.declared, b.family, b.declared
                        ));
                    }
                    if a.not_null != b.not_null {
                        let null = |n: bool| if n { "NOT NULL" } else { "nullable" };
                        out.push(format!(
                            "column {name}.{column}: {} on SQLite, {} on PostgreSQL",
                            null(a.not_null),
                            null(b.not_null)
                        ));
                    }
                }
                (Some(_), None) => out.push(format!("column {name}.{column}: only on SQLite")),
                (None, _) => out.push(format!("column {name}.{column}: only on PostgreSQL")),
            }
        }
        if s.primary_key != p.primary_key {
            out.push(format!(
                "primary key of {name}: ({}) on SQLite, ({}) on PostgreSQL",
                s.primary_key.join(", "),
                p.primary_key.join(", ")
            ));
        }
        for shape in s.indexes.keys().chain(p.indexes.keys()).collect::<BTreeSet<_>>() {
            match (s.indexes.get(shape), p.indexes.get(shape)) {
                (Some(a), Some(b)) if names(a) == names(b) => {}
                (Some(a), Some(b)) => out.push(format!(
                    "index on {name} {shape}: named {} on SQLite, {} on PostgreSQL",
                    names(a),
                    names(b)
                )),
                (Some(a), None) => out.push(format!("index {} on {name} {shape}: only on SQLite", names(a))),
                (None, Some(b)) => out.push(format!("index {} on {name} {shape}: only on PostgreSQL", names(b))),
                (None, None) => unreachable!(),
            }
        }
        for fk in s.foreign_keys.symmetric_difference(&p.foreign_keys) {
            let side = if s.foreign_keys.contains(fk) { "SQLite" } else { "PostgreSQL" };
            out.push(format!("foreign key {name} {fk}: only on {side}"));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgres_migrate_to_the_same_schema() {
    let Some(server) = server_url() else { return };
    let dir = tempfile::tempdir().unwrap();
    let lite = SqliteStore::connect(&format!("sqlite://{}", dir.path().join("rapport.db").display())).await.unwrap();
    let sqlite = sqlite_schema(lite.pool()).await;
    lite.pool().close().await;

    let (url, drop_database) = fresh_database(&server).await;
    let pg = PostgresStore::connect(&url).await.unwrap();
    let pool = pg.pool().clone();
    // Read in a task so that the database is dropped even if a query fails.
    let read = tokio::spawn({
        let pool = pool.clone();
        async move { postgres_schema(&pool).await }
    })
    .await;
    drop(pg);
    pool.close().await;
    drop_database.await;
    let postgres = read.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));

    // Not comparing two empty readings.
    for (backend, schema) in [("SQLite", &sqlite), ("PostgreSQL", &postgres)] {
        let cases = schema.get("cases").unwrap_or_else(|| panic!("{backend} has no cases table"));
        assert_eq!(cases.primary_key, ["id"], "{backend}");
        let one_open = cases.indexes.iter().find(|(_, n)| n.contains(&Some("cases_one_open".into())));
        let (shape, _) = one_open.unwrap_or_else(|| panic!("{backend} has no cases_one_open: {:?}", cases.indexes));
        assert_eq!(shape.columns, ["org_id", "customer_id", "coalescetouchpoint_id,0"], "{backend}");
        assert_eq!(shape.predicate.as_deref(), Some("status='open'andcustomer_idisnotnull"), "{backend}");
    }

    let diffs = differences(&sqlite, &postgres);
    assert!(diffs.is_empty(), "the SQLite and PostgreSQL schemas differ:\n  {}", diffs.join("\n  "));
}

/// The comparison itself names what differs (no database needed).
#[test]
fn differences_name_the_table_column_and_index() {
    let column = |declared: &str, family: Family, not_null| Column { declared: declared.into(), family, not_null };
    let shape = |columns: &[&str], unique| IndexShape {
        columns: columns.iter().map(|c| c.to_string()).collect(),
        unique,
        predicate: None,
    };
    let mut a = Table { primary_key: vec!["id".into()], ..Default::default() };
    a.columns.insert("id".into(), column("INTEGER", Family::Integer, true));
    a.columns.insert("at".into(), column("TEXT", Family::Text, true));
    a.columns.insert("n".into(), column("INTEGER", Family::Integer, false));
    a.columns.insert("gone".into(), column("TEXT", Family::Text, false));
    a.indexes.insert(shape(&["at"], false), vec![Some("t_at".into())]);
    a.indexes.insert(shape(&["n"], true), vec![None]);
    let mut b = Table { primary_key: vec!["id".into()], ..Default::default() };
    b.columns.insert("id".into(), column("bigint", Family::Integer, true));
    b.columns.insert("at".into(), column("timestamp with time zone", Family::Timestamp, true));
    b.columns.insert("n".into(), column("text", Family::Text, true));
    b.indexes.insert(shape(&["at"], false), vec![Some("t_when".into())]);
    let sqlite = Schema::from([("t".into(), a), ("only_lite".into(), Table::default())]);
    let postgres = Schema::from([("t".into(), b)]);
    assert_eq!(
        differences(&sqlite, &postgres),
        [
            "table only_lite: only on SQLite",
            "column t.gone: only on SQLite",
            "column t.n: type integer (INTEGER) on SQLite, text (text) on PostgreSQL",
            "column t.n: nullable on SQLite, NOT NULL on PostgreSQL",
            "index on t (at): named t_at on SQLite, t_when on PostgreSQL",
            "index (UNIQUE constraint) on t UNIQUE (n): only on SQLite",
        ]
    );
    assert_eq!(sqlite_family("BOOLEAN"), Family::Boolean);
    assert_eq!(postgres_family("double precision"), sqlite_family("REAL"));
    assert_eq!(
        sqlite_index_parts("CREATE UNIQUE INDEX x ON t (a, (COALESCE(b, 0)))\n    WHERE s = 'o(' AND a IS NOT NULL"),
        (vec!["a".to_string(), "(COALESCE(b, 0))".to_string()], Some("s = 'o(' AND a IS NOT NULL".to_string()))
    );
}
