//! Kept counts of the lists that grow with the business (responses, events,
//! customers), so that a list's total is one row read rather than a
//! `COUNT(*)` over millions. Every write that adds or removes such a row
//! adds its delta to `row_counts (org_id, kind, n)` in its own transaction
//! (which holds the organization's lock, so deltas never race); migration
//! 0008 counted the rows that existed before.

use super::Conn;
use rapport_core::Id;
use rapport_store::Result;

/// The kinds counted, as stored in `row_counts.kind`.
pub(crate) const RESPONSES: &str = "responses";
pub(crate) const EVENTS: &str = "events";
pub(crate) const CUSTOMERS: &str = "customers";

/// Adds `delta` (negative to take away) to the organization's count of `kind`.
pub(crate) async fn add(c: &mut Conn, org: Id, kind: &str, delta: i64) -> Result<()> {
    if delta == 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO row_counts (org_id, kind, n) VALUES ($1, $2, $3) \
         ON CONFLICT (org_id, kind) DO UPDATE SET n = row_counts.n + excluded.n",
    )
    .bind(org)
    .bind(kind)
    .bind(delta)
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Counts the organization's rows again (the rebuild's repair of the kept
/// counts).
pub(crate) async fn recount(c: &mut Conn, org: Id) -> Result<()> {
    sqlx::query("DELETE FROM row_counts WHERE org_id = $1").bind(org).execute(&mut *c).await?;
    for (kind, table) in [(RESPONSES, "responses"), (EVENTS, "events"), (CUSTOMERS, "customers")] {
        let sql =
            format!("INSERT INTO row_counts (org_id, kind, n) SELECT $1, $2, COUNT(*) FROM {table} WHERE org_id = $1");
        sqlx::query(&sql).bind(org).bind(kind).execute(&mut *c).await?;
    }
    Ok(())
}

/// The organization's count of `kind` (0 before its first row).
pub(crate) async fn kept(c: &mut Conn, org: Id, kind: &str) -> Result<i64> {
    let n: Option<i64> = sqlx::query_scalar("SELECT n FROM row_counts WHERE org_id = $1 AND kind = $2")
        .bind(org)
        .bind(kind)
        .fetch_optional(&mut *c)
        .await?;
    Ok(n.unwrap_or(0))
}
