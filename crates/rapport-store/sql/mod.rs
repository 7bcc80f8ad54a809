//! The SQL both backends run, written once and compiled into each backend
//! crate as its `sql` module (`#[path = "../../rapport-store/sql/mod.rs"]`).
//! The backend declares, in its `dialect` module, the concrete `sqlx`
//! database (`Db`), its store type (`Backend`, with the fields `pool` and
//! `notices`) and the few statements that differ:
//! - `BEGIN_WRITE`: how a writing transaction starts (SQLite takes the write
//!   lock at once with `BEGIN IMMEDIATE`, so that a transaction that first
//!   reads never fails to upgrade);
//! - `LOCK_ORG`: a statement taking `$1 = org id` that returns the
//!   organization's id and locks it against other writers of that
//!   organization until the transaction ends (PostgreSQL: `FOR NO KEY
//!   UPDATE`). Every writing method runs it first (see [`write`]), so
//!   positions, version numbers and reference checks cannot race, and an
//!   unknown organization is `NotFound`;
//! - `NOTIFY`: how notices are published: `None` to send them to the store's
//!   broadcast channel after commit ([`notify_after`]), or `Some(sql)` run
//!   inside the transaction with `$1 = channel, $2 = payload`
//!   ([`notify_in`]). Every write that publishes calls both.
//!
//! Why one copy compiled twice rather than generic code: sqlx's bounds for
//! code generic over `sqlx::Database` (an executor, encode and decode bounds
//! for every bound type) are longer than the statements, and a macro hides
//! the code from rustc's lints, clippy, rustfmt and rust-analyzer. Compiled
//! per backend, this is ordinary Rust checked twice, once for each database.
//!
//! Every statement uses `$1, $2` placeholders, which PostgreSQL binds by
//! number and so does sqlx's SQLite driver (`$N` is the N-th argument, in
//! any order and as often as it appears), and only SQL that SQLite (3.35 or
//! later, for `RETURNING`) and PostgreSQL read alike. Queries are checked at
//! run time (no database at build time) and by the story tests on both
//! backends; `rapport-store-tests/tests/schema.rs` keeps the two schemas in
//! step.
//!
//! One file per part of the `Store` contract, each implementing its trait
//! for `Backend`; rows and pure helpers are in `rapport_store::rows`.

mod accounts;
mod announce;
mod audit;
mod behaviour;
mod case_flow;
mod case_intake;
mod case_open;
mod case_queue;
mod case_setup;
mod case_work;
mod comms;
mod conversations;
mod council;
mod counts;
mod customer_terms;
mod customers;
mod diagnostic;
mod distribution;
mod distribution_send;
mod empathy;
mod experiences;
mod export;
mod feedback;
mod feedback_count;
mod feedback_narrow;
mod gaps;
mod histories;
mod ideas;
mod ingest;
mod intent;
mod items;
mod journey;
mod knowledge;
mod measure;
mod model_inputs;
mod model_runs;
mod model_scores;
mod notifications;
mod outbox;
pub(crate) mod passwords;
mod people;
mod perfect_behaviour_state;
mod perfect_behaviours;
mod recognition;
mod rollups;
pub(crate) mod samples;
mod segments;
mod settings;
mod sprints;
mod staffing;
mod surveys;
mod team;
mod text;
mod themes;
mod training;
mod window_sum;
use crate::dialect::{Backend, Db, BEGIN_WRITE, LOCK_ORG, NOTIFY};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::listening::{Notice, NoticeKind};
use rapport_store::rows as s;
use rapport_store::{Result, StoreError};

pub(crate) type Conn = <Db as sqlx::Database>::Connection;

pub(crate) type Tx = sqlx::Transaction<'static, Db>;

// "Is this id a row of the organization?" Each takes $1 = org, $2 = id.
pub(crate) const PERSON: &str = "SELECT id FROM people WHERE org_id = $1 AND id = $2";

pub(crate) const ACTIVE_PERSON: &str = "SELECT id FROM people WHERE org_id = $1 AND id = $2 AND left_on IS NULL";

pub(crate) const USER: &str = "SELECT id FROM users WHERE org_id = $1 AND id = $2";

pub(crate) const SEGMENT: &str = "SELECT id FROM segments WHERE org_id = $1 AND id = $2";

pub(crate) const STAGE: &str = "SELECT id FROM stages WHERE org_id = $1 AND id = $2";

pub(crate) const TOUCHPOINT: &str = "SELECT id FROM touchpoints WHERE org_id = $1 AND id = $2";

pub(crate) const BEHAVIOUR: &str = "SELECT id FROM perfect_behaviours WHERE org_id = $1 AND id = $2";

pub(crate) const EXPERIENCE: &str = "SELECT id FROM experiences WHERE org_id = $1 AND id = $2";

/// A writing transaction holding the organization's lock.
pub(crate) async fn write(store: &Backend, org: Id) -> Result<Tx> {
    let mut tx = store.pool.begin_with(BEGIN_WRITE).await?;
    let locked: Option<i64> = sqlx::query_scalar(LOCK_ORG).bind(org).fetch_optional(&mut *tx).await?;
    locked.ok_or(StoreError::NotFound)?;
    Ok(tx)
}

pub(crate) async fn found(c: &mut Conn, sql: &'static str, org: Id, id: Id) -> Result<bool> {
    let row: Option<i64> = sqlx::query_scalar(sql).bind(org).bind(id).fetch_optional(&mut *c).await?;
    Ok(row.is_some())
}

pub(crate) async fn must_exist(c: &mut Conn, sql: &'static str, org: Id, id: Id) -> Result<()> {
    if found(c, sql, org, id).await? {
        Ok(())
    } else {
        Err(StoreError::NotFound)
    }
}

/// A conflict on `id` (`in_use`, with `why`) when `used` (taking
/// `$1 = org, $2 = id`) finds a row: what still refers to a row
/// about to be deleted.
pub(crate) async fn refuse_if_used(c: &mut Conn, used: &'static str, org: Id, id: Id, why: &'static str) -> Result<()> {
    let row: Option<Id> = sqlx::query_scalar(used).bind(org).bind(id).fetch_optional(&mut *c).await?;
    match row {
        Some(_) => Err(StoreError::conflict("id", "in_use", why)),
        None => Ok(()),
    }
}

/// Records `field` as unknown unless `id` is a row of the organization.
pub(crate) async fn check(
    c: &mut Conn,
    e: &mut FieldErrors,
    sql: &'static str,
    org: Id,
    id: Id,
    field: String,
) -> Result<()> {
    if !found(c, sql, org, id).await? {
        s::unknown(e, field);
    }
    Ok(())
}

pub(crate) const SURVEY: &str = "SELECT id FROM surveys WHERE org_id = $1 AND id = $2";

pub(crate) const LISTENING_POST: &str = "SELECT id FROM listening_posts WHERE org_id = $1 AND id = $2";

pub(crate) type Query<'q> = sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments<'q>>;

/// The id a `... RETURNING id` statement answered.
pub(crate) fn returned_id(row: <Db as sqlx::Database>::Row) -> Result<Id> {
    Ok(sqlx::Row::try_get(&row, 0)?)
}

/// Publishes inside the transaction, where notices travel through the
/// database.
pub(crate) async fn notify_in(c: &mut Conn, org: Id, kind: NoticeKind, ids: &[Id]) -> Result<()> {
    if let Some(sql) = NOTIFY {
        for payload in rapport_store::listening::notice_payloads(org, kind, ids) {
            sqlx::query(sql).bind(rapport_store::listening::NOTICE_CHANNEL).bind(payload).execute(&mut *c).await?;
        }
    }
    Ok(())
}

/// Publishes once committed, where notices stay in this process.
pub(crate) fn notify_after(store: &Backend, org: Id, kind: NoticeKind, ids: &[Id]) {
    if NOTIFY.is_none() {
        for id in ids {
            // No subscriber is not an error.
            let _ = store.notices.send(Notice { org, kind, id: *id });
        }
    }
}
