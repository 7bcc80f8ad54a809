//! The batch machinery of ingestion: key look-ups, reference checks and
//! multi-row INSERTs.
//!
//! Ingestion is the hot path. One call is one transaction holding the
//! organization's lock, so keys cannot race; its statements are few and
//! large: one lookup of the batch's keys, one of its customers (and one
//! insert of the unknown ones), then multi-row INSERTs of at most
//! `rows::listening::MAX_ROWS_PER_INSERT` rows and `MAX_BINDS` parameters each.
//! `INSERT ... RETURNING id` is read back sorted: under the lock ids are
//! handed out in the order of the VALUES (SQLite's rowid is max + 1, a
//! PostgreSQL identity draws its sequence row by row), which the stories
//! check item by item.

use super::customers::lookup;
use super::{notify_after, notify_in, Conn, Tx};
use crate::dialect::{Backend, Db};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::listening::{Ingested, NoticeKind};
use rapport_store::rows as s;
use rapport_store::rows::listening as l;
use rapport_store::Result;
use std::collections::HashMap;

// ---- Ingestion ----------------------------------------------------

/// The stored rows of `table` holding these keys, by key.
async fn existing_keys(c: &mut Conn, table: &str, org: Id, keys: Vec<&str>) -> Result<HashMap<String, Id>> {
    let select = format!("SELECT idempotency_key, id FROM {table} WHERE idempotency_key IS NOT NULL AND");
    let found: Vec<(String, Id)> = lookup(c, &select, org, "idempotency_key", &l::distinct(keys)).await?;
    Ok(found.into_iter().collect())
}

/// Records `items[i].FIELD` for every item naming a row of `table`
/// outside the organization.
pub(crate) async fn check_batch_refs(
    c: &mut Conn,
    e: &mut FieldErrors,
    table: &str,
    field: &str,
    org: Id,
    refs: &[Option<Id>],
) -> Result<()> {
    let wanted = l::distinct(refs.iter().flatten().copied());
    let found: Vec<(Id,)> = lookup(c, &format!("SELECT id FROM {table} WHERE"), org, "id", &wanted).await?;
    let known: std::collections::HashSet<Id> = found.into_iter().map(|(id,)| id).collect();
    for (i, r) in refs.iter().enumerate() {
        if r.is_some_and(|id| !known.contains(&id)) {
            s::unknown(e, format!("items[{i}].{field}"));
        }
    }
    Ok(())
}

/// What to do with each item, given the keys `table` already holds.
pub(crate) async fn plan_keys(c: &mut Conn, table: &str, org: Id, keys: &[Option<&str>]) -> Result<Vec<l::Plan>> {
    let existing = existing_keys(c, table, org, keys.iter().flatten().copied().collect()).await?;
    Ok(l::plan_batch(keys, &existing))
}

/// Inserts `rows` with multi-row INSERTs (`head` names the table and
/// its `columns` columns; `push` binds one row) and returns their ids
/// in the order of `rows`.
pub(crate) async fn insert_rows<'a, T, F>(
    c: &mut Conn,
    head: &str,
    columns: usize,
    rows: &'a [T],
    push: F,
) -> Result<Vec<Id>>
where
    T: Sync,
    F: Fn(&mut sqlx::query_builder::Separated<'_, 'a, Db, &'static str>, &'a T) + Send + Sync,
{
    let per = l::rows_per_insert(columns);
    let mut ids: Vec<Id> = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(per) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(head);
        qb.push_values(chunk, |mut b, row| push(&mut b, row));
        qb.push(" RETURNING id");
        let mut got: Vec<Id> = qb.build_query_scalar().persistent(chunk.len() == per).fetch_all(&mut *c).await?;
        // Handed out in the order of the VALUES (see the module docs).
        got.sort_unstable();
        ids.extend(got);
    }
    Ok(ids)
}

/// Publishes the stored items, commits, and answers per item.
pub(crate) async fn finish_ingest(
    store: &Backend,
    mut tx: Tx,
    org: Id,
    kind: NoticeKind,
    plan: &[l::Plan],
    ids: Vec<Id>,
    cases: Vec<Id>,
) -> Result<Vec<Ingested>> {
    notify_in(&mut tx, org, kind, &ids).await?;
    notify_in(&mut tx, org, NoticeKind::Case, &cases).await?;
    tx.commit().await?;
    notify_after(store, org, kind, &ids);
    notify_after(store, org, NoticeKind::Case, &cases);
    Ok(l::outcomes(plan, &ids))
}
