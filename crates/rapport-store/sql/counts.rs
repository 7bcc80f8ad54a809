//! Kept counts of the lists that grow with the business (responses, events,
//! customers, each survey's responses, each segment's members), so that a
//! list's total is one row read rather than a `COUNT(*)` over millions.
//! Every write that adds or removes such a row adds its delta to
//! `row_counts (org_id, kind, n)` in its own transaction (which holds the
//! organization's lock, so deltas never race); migrations 0008 and 0012
//! counted the rows that existed before.

use super::Conn;
use rapport_core::Id;
use rapport_store::Result;

/// The kinds counted, as stored in `row_counts.kind`.
pub(crate) const RESPONSES: &str = "responses";
pub(crate) const EVENTS: &str = "events";
pub(crate) const CUSTOMERS: &str = "customers";

/// Not a count: the organization's sample version, one more at every write
/// that changes an activity history or a segment membership (see
/// `samples`).
pub(crate) const SAMPLE_VERSION: &str = "sample_version";

/// A new sample version (in the writing transaction).
pub(crate) async fn bump_sample_version(c: &mut Conn, org: Id) -> Result<()> {
    add(c, org, SAMPLE_VERSION, 1).await
}

/// The kind counting a survey's responses.
pub(crate) fn survey_kind(survey: Id) -> String {
    format!("survey:{survey}")
}

/// The kind counting a segment's members.
pub(crate) fn segment_kind(segment: Id) -> String {
    format!("segment:{segment}")
}

/// Adds each `(kind, delta)` (one statement per kind with a change).
pub(crate) async fn add_each(c: &mut Conn, org: Id, deltas: Vec<(String, i64)>) -> Result<()> {
    let mut summed = std::collections::BTreeMap::<String, i64>::new();
    for (kind, delta) in deltas {
        *summed.entry(kind).or_default() += delta;
    }
    for (kind, delta) in summed {
        add(c, org, &kind, delta).await?;
    }
    Ok(())
}

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
    // The sample version goes on from where it was: a kept sample must
    // never match a version again.
    sqlx::query("DELETE FROM row_counts WHERE org_id = $1 AND kind <> $2")
        .bind(org)
        .bind(SAMPLE_VERSION)
        .execute(&mut *c)
        .await?;
    bump_sample_version(c, org).await?;
    for (kind, table) in [(RESPONSES, "responses"), (EVENTS, "events"), (CUSTOMERS, "customers")] {
        let sql =
            format!("INSERT INTO row_counts (org_id, kind, n) SELECT $1, $2, COUNT(*) FROM {table} WHERE org_id = $1");
        sqlx::query(&sql).bind(org).bind(kind).execute(&mut *c).await?;
    }
    // The same kinds as migration 0012 writes them.
    for sql in [
        "INSERT INTO row_counts (org_id, kind, n) SELECT $1, 'survey:' || CAST(survey_id AS TEXT), COUNT(*) \
         FROM responses WHERE org_id = $1 AND survey_id IS NOT NULL GROUP BY survey_id",
        "INSERT INTO row_counts (org_id, kind, n) SELECT $1, 'segment:' || CAST(segment_id AS TEXT), COUNT(*) \
         FROM segment_members WHERE org_id = $1 GROUP BY segment_id",
    ] {
        sqlx::query(sql).bind(org).execute(&mut *c).await?;
    }
    Ok(())
}

/// Forgets a count (its subject is deleted).
pub(crate) async fn forget(c: &mut Conn, org: Id, kind: &str) -> Result<()> {
    sqlx::query("DELETE FROM row_counts WHERE org_id = $1 AND kind = $2").bind(org).bind(kind).execute(&mut *c).await?;
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
