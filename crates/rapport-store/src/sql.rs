//! The SQL both sqlx backends share, written once.
//!
//! [`impl_sql_store!`](crate::impl_sql_store) expands `impl Store` for a
//! backend's store type and its concrete `sqlx::Database`. Every statement
//! uses `$1, $2` placeholders, which PostgreSQL binds by number and so does
//! sqlx's SQLite driver (`$N` is read as the N-th argument, in any order and
//! as often as it appears), and only SQL that SQLite (3.35 or later, for
//! `RETURNING`) and PostgreSQL read alike. What differs is passed in:
//! - `begin_write`: how a writing transaction starts (SQLite takes the write
//!   lock at once with `BEGIN IMMEDIATE`, so that a transaction that first
//!   reads never fails to upgrade);
//! - `lock_org`: a statement taking `$1 = org id` that returns the
//!   organization's id and locks it against other writers of that
//!   organization until the transaction ends (PostgreSQL: `FOR NO KEY
//!   UPDATE`). Every writing method runs it first, so positions, version
//!   numbers and reference checks cannot race, and an unknown organization is
//!   `NotFound`.
//!
//! - `notify`: how ingestion publishes its notices (see [`listening`]):
//!   `None` to send them to the store's broadcast channel after commit, or
//!   `Some(sql)` run inside the transaction with `$1 = channel, $2 = payload`.
//!
//! The backend's type must have the fields `pool: sqlx::Pool<DB>` and
//! `notices: tokio::sync::broadcast::Sender<rapport_store::Notice>`.
//!
//! Rows, conversions and the assembling of nested values are ordinary code in
//! this module; only the statements and their order live in the macro.

use crate::accounts::{ApiToken, AuditEntry, User};
use crate::error::{Result, StoreError};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use rapport_core::customer::Customer;
use rapport_core::experience::{Experience, Goal, Interaction, Period};
use rapport_core::intent::IntentVersion;
use rapport_core::journey::{Importance, Stage, Touchpoint};
use rapport_core::lang::Lang;
use rapport_core::metric::Metric;
use rapport_core::org::Organization;
use rapport_core::person::Person;
use rapport_core::role::Role;
use rapport_core::segment::Segment;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use std::collections::HashMap;

pub mod case_flow;
pub mod case_intake;
pub mod case_work;
pub mod cases;
pub mod improve;
pub mod listening;
pub mod measure;
pub mod outbox;

/// What the macro's expansion needs, so that backends need not name it.
#[doc(hidden)]
pub mod __private {
    pub use async_trait::async_trait;
    pub use chrono;
    pub use rapport_core;
    pub use serde_json;
    pub use sqlx;
    pub use tokio;
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::internal(e)
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::internal(e)
    }
}

/// Stored data that does not read back as the domain type: a bug or a hand
/// edit, never the user's fault.
pub fn corrupt(what: String) -> StoreError {
    StoreError::Internal(format!("stored data cannot be read: {what}").into())
}

/// The current time as stored: both databases keep microseconds, so a value
/// reads back equal to what was written.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Maps a unique violation to `Conflict` on `field` (code `taken`); anything
/// else stays internal.
pub fn taken(field: &'static str, message: &'static str) -> impl FnOnce(sqlx::Error) -> StoreError {
    conflict_on(field, "taken", message)
}

/// Maps a unique violation to `Conflict { field, code, message }`.
pub fn conflict_on(
    field: &'static str,
    code: &'static str,
    message: &'static str,
) -> impl FnOnce(sqlx::Error) -> StoreError {
    move |e| match e.as_database_error() {
        Some(d) if d.is_unique_violation() => StoreError::conflict(field, code, message),
        _ => e.into(),
    }
}

/// Records that `field` names a row that is not in the organization; the
/// same code and message as [`StoreError::unknown_id`].
pub fn unknown(errors: &mut FieldErrors, field: impl Into<String>) {
    if let StoreError::Invalid(e) = StoreError::unknown_id(field) {
        for (k, v) in e.0 {
            errors.add(k, v.code, v.message);
        }
    }
}

/// `Invalid` with everything recorded, if anything was.
pub fn invalid_if_any(errors: FieldErrors) -> Result<()> {
    errors.into_result(()).map_err(StoreError::Invalid)
}

/// The single row of a by-id lookup, or `NotFound`.
pub fn one<T>(rows: Vec<T>) -> Result<T> {
    rows.into_iter().next().ok_or(StoreError::NotFound)
}

/// Where an item goes in an ordered list of `len` other items: the requested
/// position, else `keep` (where it was), else the end; always within 1..=len+1.
pub fn place(requested: Option<i64>, keep: Option<i64>, len: i64) -> i64 {
    requested.or(keep).unwrap_or(len + 1).clamp(1, len + 1)
}

/// Sorts by name ignoring case, then by id: one order on every backend,
/// whatever the database's collation.
pub fn sort_by_name<T>(items: &mut [T], key: impl Fn(&T) -> (&str, Id)) {
    items.sort_by_cached_key(|item| {
        let (name, id) = key(item);
        (name.to_lowercase(), id)
    });
}

pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(StoreError::internal)
}

pub fn from_json<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| corrupt(format!("{what}: {e}")))
}

fn role(text: &str) -> Result<Role> {
    Role::parse(text).ok_or_else(|| corrupt(format!("role {text:?}")))
}

#[derive(sqlx::FromRow)]
pub struct OrgRow {
    id: Id,
    slug: String,
    name: String,
    mission: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<OrgRow> for Organization {
    fn from(r: OrgRow) -> Self {
        Organization { id: r.id, slug: r.slug, name: r.name, mission: r.mission, created_at: r.created_at }
    }
}

#[derive(sqlx::FromRow)]
pub struct UserRow {
    id: Id,
    email: String,
    role: String,
    person_id: Option<Id>,
    language: Option<String>,
    password_hash: String,
    created_at: DateTime<Utc>,
}

impl UserRow {
    /// The account and its password hash.
    pub fn split(self) -> Result<(User, String)> {
        let language = match self.language.as_deref() {
            None => None,
            Some(code) => Some(Lang::parse(code).ok_or_else(|| corrupt(format!("language {code:?}")))?),
        };
        let user = User {
            id: self.id,
            email: self.email,
            role: role(&self.role)?,
            person_id: self.person_id,
            language,
            created_at: self.created_at,
        };
        Ok((user, self.password_hash))
    }
}

#[derive(sqlx::FromRow)]
pub struct TokenRow {
    pub org_id: Id,
    id: Id,
    name: String,
    role: String,
    created_at: DateTime<Utc>,
}

impl TokenRow {
    pub fn token(self) -> Result<ApiToken> {
        Ok(ApiToken { id: self.id, name: self.name, role: role(&self.role)?, created_at: self.created_at })
    }
}

#[derive(sqlx::FromRow)]
pub struct PersonRow {
    id: Id,
    name: String,
    email: String,
    department: Option<String>,
    role: Option<String>,
    joined_on: NaiveDate,
    left_on: Option<NaiveDate>,
}

impl From<PersonRow> for Person {
    fn from(r: PersonRow) -> Self {
        Person {
            id: r.id,
            name: r.name,
            email: r.email,
            department: r.department,
            role: r.role,
            joined_on: r.joined_on,
            left_on: r.left_on,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct SegmentRow {
    id: Id,
    name: String,
    description: Option<String>,
    rule: String,
}

impl SegmentRow {
    pub fn segment(self) -> Result<Segment> {
        let rule = from_json("segment rule", &self.rule)?;
        Ok(Segment { id: self.id, name: self.name, description: self.description, rule })
    }
}

#[derive(sqlx::FromRow)]
pub struct CustomerRow {
    id: Id,
    external_id: String,
    email: Option<String>,
    name: Option<String>,
    attributes: String,
    created_at: DateTime<Utc>,
}

impl CustomerRow {
    pub fn customer(self) -> Result<Customer> {
        Ok(Customer {
            id: self.id,
            external_id: self.external_id,
            email: self.email,
            name: self.name,
            attributes: from_json("customer attributes", &self.attributes)?,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct StageRow {
    id: Id,
    name: String,
    position: i64,
}

impl From<StageRow> for Stage {
    fn from(r: StageRow) -> Self {
        Stage { id: r.id, name: r.name, position: r.position }
    }
}

#[derive(sqlx::FromRow)]
pub struct TouchpointRow {
    id: Id,
    name: String,
    description: Option<String>,
    stage_id: Id,
    position: i64,
    channel: Option<String>,
    department: Option<String>,
    owner_id: Option<Id>,
}

#[derive(sqlx::FromRow)]
pub struct ImportanceRow {
    touchpoint_id: Id,
    segment_id: Id,
    importance: i64,
}

/// Touchpoints in the order of `rows`, each with its importances in the
/// order of `importance`.
pub fn touchpoints(rows: Vec<TouchpointRow>, importance: Vec<ImportanceRow>) -> Vec<Touchpoint> {
    let mut by_tp: HashMap<Id, Vec<Importance>> = HashMap::new();
    for i in importance {
        by_tp
            .entry(i.touchpoint_id)
            .or_default()
            .push(Importance { segment_id: i.segment_id, importance: i.importance });
    }
    rows.into_iter()
        .map(|r| Touchpoint {
            importance: by_tp.remove(&r.id).unwrap_or_default(),
            id: r.id,
            name: r.name,
            description: r.description,
            stage_id: r.stage_id,
            position: r.position,
            channel: r.channel,
            department: r.department,
            owner_id: r.owner_id,
        })
        .collect()
}

#[derive(sqlx::FromRow)]
pub struct ExperienceRow {
    id: Id,
    name: String,
    customer_definition: Option<String>,
    goal_metric: String,
    goal_target: f64,
    goal_period: String,
    leader_id: Option<Id>,
    created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub struct ExperienceSegmentRow {
    experience_id: Id,
    segment_id: Id,
}

#[derive(sqlx::FromRow)]
pub struct InteractionRow {
    experience_id: Id,
    touchpoint_id: Id,
    position: i64,
    added_at: DateTime<Utc>,
    removed_at: Option<DateTime<Utc>>,
}

impl From<InteractionRow> for Interaction {
    fn from(r: InteractionRow) -> Self {
        Interaction {
            touchpoint_id: r.touchpoint_id,
            position: r.position,
            added_at: r.added_at,
            removed_at: r.removed_at,
        }
    }
}

/// Experiences in the order of `rows`, with segment ids and interactions in
/// the order given.
pub fn experiences(
    rows: Vec<ExperienceRow>,
    segments: Vec<ExperienceSegmentRow>,
    interactions: Vec<InteractionRow>,
) -> Result<Vec<Experience>> {
    let mut segs: HashMap<Id, Vec<Id>> = HashMap::new();
    for s in segments {
        segs.entry(s.experience_id).or_default().push(s.segment_id);
    }
    let mut inters: HashMap<Id, Vec<Interaction>> = HashMap::new();
    for i in interactions {
        inters.entry(i.experience_id).or_default().push(i.into());
    }
    rows.into_iter()
        .map(|r| {
            let metric = Metric::parse(&r.goal_metric).ok_or_else(|| corrupt(format!("metric {:?}", r.goal_metric)))?;
            let period = Period::parse(&r.goal_period).ok_or_else(|| corrupt(format!("period {:?}", r.goal_period)))?;
            Ok(Experience {
                segment_ids: segs.remove(&r.id).unwrap_or_default(),
                interactions: inters.remove(&r.id).unwrap_or_default(),
                id: r.id,
                name: r.name,
                customer_definition: r.customer_definition,
                goal: Goal { metric, target: r.goal_target, period },
                leader_id: r.leader_id,
                created_at: r.created_at,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
pub struct IntentRow {
    id: Id,
    version: i64,
    statement: String,
    criteria: String,
    created_at: DateTime<Utc>,
    created_by: Option<String>,
}

impl IntentRow {
    pub fn intent(self) -> Result<IntentVersion> {
        Ok(IntentVersion {
            id: self.id,
            version: self.version,
            statement: self.statement,
            criteria: from_json("intent criteria", &self.criteria)?,
            created_at: self.created_at,
            created_by: self.created_by,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct AuditRow {
    id: Id,
    at: DateTime<Utc>,
    actor: String,
    action: String,
    subject: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry { id: r.id, at: r.at, actor: r.actor, action: r.action, subject: r.subject }
    }
}

/// Expands `impl rapport_store::Store` for a sqlx backend. See the module
/// documentation of `rapport_store::sql` for the arguments.
///
/// ```text
/// rapport_store::impl_sql_store! {
///     store: SqliteStore,
///     database: sqlx::Sqlite,
///     backend: "sqlite",
///     begin_write: "BEGIN IMMEDIATE",
///     lock_org: "SELECT id FROM organizations WHERE id = $1",
///     notify: None,
/// }
/// ```
#[macro_export]
macro_rules! impl_sql_store {
    (
        store: $store:ty,
        database: $db:ty,
        backend: $backend:literal,
        begin_write: $begin:literal,
        lock_org: $lock:literal,
        notify: $notify:expr $(,)?
    ) => {
        const _: () = {
            use $crate::sql::__private::rapport_core::customer::{Customer, CustomerUpsert};
            use $crate::sql::__private::rapport_core::experience::{Experience, ExperienceInput, Interaction};
            use $crate::sql::__private::rapport_core::intent::{IntentInput, IntentVersion, Scope};
            use $crate::sql::__private::rapport_core::journey::{Importance, Stage, StageInput, Touchpoint, TouchpointInput};
            use $crate::sql::__private::rapport_core::lang::Lang;
            use $crate::sql::__private::rapport_core::org::{NewOrganization, Organization};
            use $crate::sql::__private::rapport_core::person::{Person, PersonInput};
            use $crate::sql::__private::rapport_core::role::Role;
            use $crate::sql::__private::rapport_core::segment::{Segment, SegmentInput};
            use $crate::sql::__private::rapport_core::validate::FieldErrors;
            use $crate::sql::__private::rapport_core::Id;
            use $crate::sql::__private::chrono::{DateTime, NaiveDate, Utc};
            use $crate::sql::__private::{async_trait, sqlx};
            use $crate::sql as s;
            use $crate::{ApiToken, AuditEntry, Handover, NewUser, Result, Store, StoreError, User};

            type Conn = <$db as sqlx::Database>::Connection;
            type Tx = sqlx::Transaction<'static, $db>;

            // "Is this id a row of the organization?" Each takes $1 = org, $2 = id.
            const PERSON: &str = "SELECT id FROM people WHERE org_id = $1 AND id = $2";
            const ACTIVE_PERSON: &str = "SELECT id FROM people WHERE org_id = $1 AND id = $2 AND left_on IS NULL";
            const USER: &str = "SELECT id FROM users WHERE org_id = $1 AND id = $2";
            const SEGMENT: &str = "SELECT id FROM segments WHERE org_id = $1 AND id = $2";
            const STAGE: &str = "SELECT id FROM stages WHERE org_id = $1 AND id = $2";
            const TOUCHPOINT: &str = "SELECT id FROM touchpoints WHERE org_id = $1 AND id = $2";
            const EXPERIENCE: &str = "SELECT id FROM experiences WHERE org_id = $1 AND id = $2";

            /// A writing transaction holding the organization's lock.
            async fn write(store: &$store, org: Id) -> Result<Tx> {
                let mut tx = store.pool.begin_with($begin).await?;
                let locked: Option<i64> = sqlx::query_scalar($lock).bind(org).fetch_optional(&mut *tx).await?;
                locked.ok_or(StoreError::NotFound)?;
                Ok(tx)
            }

            async fn found(c: &mut Conn, sql: &'static str, org: Id, id: Id) -> Result<bool> {
                let row: Option<i64> = sqlx::query_scalar(sql).bind(org).bind(id).fetch_optional(&mut *c).await?;
                Ok(row.is_some())
            }

            async fn must_exist(c: &mut Conn, sql: &'static str, org: Id, id: Id) -> Result<()> {
                if found(c, sql, org, id).await? { Ok(()) } else { Err(StoreError::NotFound) }
            }

            /// A conflict on `id` (`in_use`, with `why`) when `used` (taking
            /// `$1 = org, $2 = id`) finds a row: what still refers to a row
            /// about to be deleted.
            async fn refuse_if_used(c: &mut Conn, used: &'static str, org: Id, id: Id, why: &'static str) -> Result<()> {
                let row: Option<Id> = sqlx::query_scalar(used).bind(org).bind(id).fetch_optional(&mut *c).await?;
                match row {
                    Some(_) => Err(StoreError::conflict("id", "in_use", why)),
                    None => Ok(()),
                }
            }

            /// Records `field` as unknown unless `id` is a row of the organization.
            async fn check(c: &mut Conn, e: &mut FieldErrors, sql: &'static str, org: Id, id: Id, field: String) -> Result<()> {
                if !found(c, sql, org, id).await? {
                    s::unknown(e, field);
                }
                Ok(())
            }

            async fn orgs(c: &mut Conn, id: Option<Id>, slug: Option<&str>) -> Result<Vec<Organization>> {
                let rows: Vec<s::OrgRow> = sqlx::query_as(
                    "SELECT id, slug, name, mission, created_at FROM organizations \
                     WHERE ($1 IS NULL OR id = $1) AND ($2 IS NULL OR slug = $2) ORDER BY slug",
                )
                .bind(id)
                .bind(slug)
                .fetch_all(&mut *c)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn users(c: &mut Conn, org: Id, id: Id) -> Result<Vec<(User, String)>> {
                let rows: Vec<s::UserRow> = sqlx::query_as(
                    "SELECT id, email, role, person_id, language, password_hash, created_at FROM users \
                     WHERE org_id = $1 AND id = $2",
                )
                .bind(org)
                .bind(id)
                .fetch_all(&mut *c)
                .await?;
                rows.into_iter().map(s::UserRow::split).collect()
            }

            async fn people(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<Person>> {
                let rows: Vec<s::PersonRow> = sqlx::query_as(
                    "SELECT id, name, email, department, role, joined_on, left_on FROM people \
                     WHERE org_id = $1 AND ($2 IS NULL OR id = $2)",
                )
                .bind(org)
                .bind(id)
                .fetch_all(&mut *c)
                .await?;
                let mut out: Vec<Person> = rows.into_iter().map(Into::into).collect();
                s::sort_by_name(&mut out, |p| (&p.name, p.id));
                Ok(out)
            }

            async fn segments(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<Segment>> {
                let rows: Vec<s::SegmentRow> = sqlx::query_as(
                    "SELECT id, name, description, rule FROM segments \
                     WHERE org_id = $1 AND ($2 IS NULL OR id = $2)",
                )
                .bind(org)
                .bind(id)
                .fetch_all(&mut *c)
                .await?;
                let mut out = rows.into_iter().map(s::SegmentRow::segment).collect::<Result<Vec<Segment>>>()?;
                s::sort_by_name(&mut out, |g| (&g.name, g.id));
                Ok(out)
            }

            async fn stages(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<Stage>> {
                let rows: Vec<s::StageRow> = sqlx::query_as(
                    "SELECT id, name, position FROM stages \
                     WHERE org_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY position, id",
                )
                .bind(org)
                .bind(id)
                .fetch_all(&mut *c)
                .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn touchpoints(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<Touchpoint>> {
                let rows: Vec<s::TouchpointRow> = sqlx::query_as(
                    "SELECT t.id, t.name, t.description, t.stage_id, t.position, t.channel, t.department, t.owner_id \
                     FROM touchpoints t JOIN stages s ON s.id = t.stage_id \
                     WHERE t.org_id = $1 AND ($2 IS NULL OR t.id = $2) ORDER BY s.position, t.position, t.id",
                )
                .bind(org)
                .bind(id)
                .fetch_all(&mut *c)
                .await?;
                let importance: Vec<s::ImportanceRow> = sqlx::query_as(
                    "SELECT touchpoint_id, segment_id, importance FROM touchpoint_importance \
                     WHERE org_id = $1 AND ($2 IS NULL OR touchpoint_id = $2) ORDER BY segment_id",
                )
                .bind(org)
                .bind(id)
                .fetch_all(&mut *c)
                .await?;
                Ok(s::touchpoints(rows, importance))
            }

            async fn experiences(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<Experience>> {
                let rows: Vec<s::ExperienceRow> = sqlx::query_as(
                    "SELECT id, name, customer_definition, goal_metric, goal_target, goal_period, leader_id, created_at \
                     FROM experiences WHERE org_id = $1 AND ($2 IS NULL OR id = $2)",
                )
                .bind(org)
                .bind(id)
                .fetch_all(&mut *c)
                .await?;
                let segments: Vec<s::ExperienceSegmentRow> = sqlx::query_as(
                    "SELECT experience_id, segment_id FROM experience_segments \
                     WHERE org_id = $1 AND ($2 IS NULL OR experience_id = $2) ORDER BY segment_id",
                )
                .bind(org)
                .bind(id)
                .fetch_all(&mut *c)
                .await?;
                let interactions: Vec<s::InteractionRow> = sqlx::query_as(
                    "SELECT experience_id, touchpoint_id, position, added_at, removed_at FROM interactions \
                     WHERE org_id = $1 AND ($2 IS NULL OR experience_id = $2) AND removed_at IS NULL \
                     ORDER BY position, id",
                )
                .bind(org)
                .bind(id)
                .fetch_all(&mut *c)
                .await?;
                let mut out = s::experiences(rows, segments, interactions)?;
                s::sort_by_name(&mut out, |e| (&e.name, e.id));
                Ok(out)
            }

            async fn intents(c: &mut Conn, org: Id, limit: i64) -> Result<Vec<IntentVersion>> {
                let rows: Vec<s::IntentRow> = sqlx::query_as(
                    "SELECT id, version, statement, criteria, created_at, created_by FROM intent_versions \
                     WHERE org_id = $1 ORDER BY version DESC LIMIT $2",
                )
                .bind(org)
                .bind(limit)
                .fetch_all(&mut *c)
                .await?;
                rows.into_iter().map(s::IntentRow::intent).collect()
            }

            // Ordered lists: `shift` moves by `delta` every item at `from` or
            // later (except `except`), opening (+1) or closing (-1) a gap.

            async fn count_stages(c: &mut Conn, org: Id, except: Id) -> Result<i64> {
                let sql = "SELECT COUNT(*) FROM stages WHERE org_id = $1 AND id <> $2";
                Ok(sqlx::query_scalar(sql).bind(org).bind(except).fetch_one(&mut *c).await?)
            }

            async fn shift_stages(c: &mut Conn, org: Id, delta: i64, from: i64, except: Id) -> Result<()> {
                sqlx::query("UPDATE stages SET position = position + $2 WHERE org_id = $1 AND position >= $3 AND id <> $4")
                    .bind(org)
                    .bind(delta)
                    .bind(from)
                    .bind(except)
                    .execute(&mut *c)
                    .await?;
                Ok(())
            }

            async fn count_touchpoints(c: &mut Conn, org: Id, stage: Id, except: Id) -> Result<i64> {
                let sql = "SELECT COUNT(*) FROM touchpoints WHERE org_id = $1 AND stage_id = $2 AND id <> $3";
                Ok(sqlx::query_scalar(sql).bind(org).bind(stage).bind(except).fetch_one(&mut *c).await?)
            }

            async fn shift_touchpoints(c: &mut Conn, org: Id, stage: Id, delta: i64, from: i64, except: Id) -> Result<()> {
                sqlx::query(
                    "UPDATE touchpoints SET position = position + $3 \
                     WHERE org_id = $1 AND stage_id = $2 AND position >= $4 AND id <> $5",
                )
                .bind(org)
                .bind(stage)
                .bind(delta)
                .bind(from)
                .bind(except)
                .execute(&mut *c)
                .await?;
                Ok(())
            }

            /// Current interactions only.
            async fn shift_interactions(c: &mut Conn, org: Id, exp: Id, delta: i64, from: i64) -> Result<()> {
                sqlx::query(
                    "UPDATE interactions SET position = position + $3 \
                     WHERE org_id = $1 AND experience_id = $2 AND removed_at IS NULL AND position >= $4",
                )
                .bind(org)
                .bind(exp)
                .bind(delta)
                .bind(from)
                .execute(&mut *c)
                .await?;
                Ok(())
            }

            /// Ends the current interaction at `position` and closes the gap.
            async fn end_interaction(c: &mut Conn, org: Id, exp: Id, tp: Id, position: i64) -> Result<()> {
                sqlx::query(
                    "UPDATE interactions SET removed_at = $4 \
                     WHERE org_id = $1 AND experience_id = $2 AND touchpoint_id = $3 AND removed_at IS NULL",
                )
                .bind(org)
                .bind(exp)
                .bind(tp)
                .bind(s::now())
                .execute(&mut *c)
                .await?;
                shift_interactions(c, org, exp, -1, position + 1).await
            }

            async fn check_touchpoint(c: &mut Conn, org: Id, tp: &TouchpointInput) -> Result<()> {
                let mut e = FieldErrors::new();
                check(c, &mut e, STAGE, org, tp.stage_id, "stage_id".into()).await?;
                if let Some(owner) = tp.owner_id {
                    check(c, &mut e, PERSON, org, owner, "owner_id".into()).await?;
                }
                for (i, imp) in tp.importance.iter().enumerate() {
                    check(c, &mut e, SEGMENT, org, imp.segment_id, format!("importance[{i}].segment_id")).await?;
                }
                s::invalid_if_any(e)
            }

            async fn set_importance(c: &mut Conn, org: Id, tp: Id, importance: &[Importance]) -> Result<()> {
                sqlx::query("DELETE FROM touchpoint_importance WHERE org_id = $1 AND touchpoint_id = $2")
                    .bind(org)
                    .bind(tp)
                    .execute(&mut *c)
                    .await?;
                for imp in importance {
                    sqlx::query(
                        "INSERT INTO touchpoint_importance (org_id, touchpoint_id, segment_id, importance) \
                         VALUES ($1, $2, $3, $4)",
                    )
                    .bind(org)
                    .bind(tp)
                    .bind(imp.segment_id)
                    .bind(imp.importance)
                    .execute(&mut *c)
                    .await
                    .map_err(s::conflict_on("importance", "duplicate", "lists a segment twice"))?;
                }
                Ok(())
            }

            async fn check_experience(c: &mut Conn, org: Id, exp: &ExperienceInput) -> Result<()> {
                let mut e = FieldErrors::new();
                if let Some(leader) = exp.leader_id {
                    check(c, &mut e, PERSON, org, leader, "leader_id".into()).await?;
                }
                for segment in &exp.segment_ids {
                    check(c, &mut e, SEGMENT, org, *segment, "segment_ids".into()).await?;
                }
                s::invalid_if_any(e)
            }

            async fn set_segments(c: &mut Conn, org: Id, exp: Id, segment_ids: &[Id]) -> Result<()> {
                sqlx::query("DELETE FROM experience_segments WHERE org_id = $1 AND experience_id = $2")
                    .bind(org)
                    .bind(exp)
                    .execute(&mut *c)
                    .await?;
                for segment in segment_ids {
                    sqlx::query(
                        "INSERT INTO experience_segments (org_id, experience_id, segment_id) VALUES ($1, $2, $3) \
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(org)
                    .bind(exp)
                    .bind(*segment)
                    .execute(&mut *c)
                    .await?;
                }
                Ok(())
            }

            $crate::__sql_listening! { store: $store, database: $db, begin_write: $begin, notify: $notify }
            $crate::__sql_measure! { store: $store, database: $db }
            $crate::__sql_outbox! { store: $store, database: $db, begin_write: $begin }
            $crate::__sql_cases! { store: $store, database: $db }
            $crate::__sql_improve! { store: $store, database: $db }

            #[async_trait]
            impl Store for $store {
                fn backend(&self) -> &'static str {
                    $backend
                }

                async fn ping(&self) -> Result<()> {
                    sqlx::query("SELECT 1").execute(&self.pool).await?;
                    Ok(())
                }

                // Organizations

                async fn create_org(&self, org: &NewOrganization) -> Result<Organization> {
                    let row: s::OrgRow = sqlx::query_as(
                        "INSERT INTO organizations (slug, name, created_at) VALUES ($1, $2, $3) \
                         RETURNING id, slug, name, mission, created_at",
                    )
                    .bind(&org.slug)
                    .bind(&org.name)
                    .bind(s::now())
                    .fetch_one(&self.pool)
                    .await
                    .map_err(s::taken("slug", "is already taken"))?;
                    Ok(row.into())
                }

                async fn org_by_slug(&self, slug: &str) -> Result<Option<Organization>> {
                    let mut c = self.pool.acquire().await?;
                    Ok(orgs(&mut c, None, Some(slug)).await?.into_iter().next())
                }

                async fn list_orgs(&self) -> Result<Vec<Organization>> {
                    orgs(&mut *self.pool.acquire().await?, None, None).await
                }

                async fn set_mission(&self, org: Id, mission: Option<&str>) -> Result<Organization> {
                    let mut tx = write(self, org).await?;
                    sqlx::query("UPDATE organizations SET mission = $2 WHERE id = $1")
                        .bind(org)
                        .bind(mission)
                        .execute(&mut *tx)
                        .await?;
                    let out = s::one(orgs(&mut tx, Some(org), None).await?)?;
                    tx.commit().await?;
                    Ok(out)
                }

                // Accounts, sessions, tokens

                async fn create_user(&self, org: Id, user: &NewUser) -> Result<User> {
                    let mut tx = write(self, org).await?;
                    if let Some(person) = user.person_id {
                        let mut e = FieldErrors::new();
                        check(&mut tx, &mut e, PERSON, org, person, "person_id".into()).await?;
                        s::invalid_if_any(e)?;
                    }
                    let id: Id = sqlx::query_scalar(
                        "INSERT INTO users (org_id, email, role, password_hash, person_id, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(org)
                    .bind(&user.email)
                    .bind(user.role.as_str())
                    .bind(&user.password_hash)
                    .bind(user.person_id)
                    .bind(s::now())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(s::taken("email", "is already used by another account"))?;
                    let (out, _) = s::one(users(&mut tx, org, id).await?)?;
                    tx.commit().await?;
                    Ok(out)
                }

                async fn user_for_sign_in(&self, org: Id, email: &str) -> Result<Option<(User, String)>> {
                    let row: Option<s::UserRow> = sqlx::query_as(
                        "SELECT id, email, role, person_id, language, password_hash, created_at FROM users \
                         WHERE org_id = $1 AND lower(email) = lower($2)",
                    )
                    .bind(org)
                    .bind(email)
                    .fetch_optional(&self.pool)
                    .await?;
                    row.map(s::UserRow::split).transpose()
                }

                async fn set_user_language(&self, org: Id, user: Id, language: Option<Lang>) -> Result<()> {
                    let mut tx = write(self, org).await?;
                    let done = sqlx::query("UPDATE users SET language = $3 WHERE org_id = $1 AND id = $2")
                        .bind(org)
                        .bind(user)
                        .bind(language.map(Lang::code))
                        .execute(&mut *tx)
                        .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn create_session(
                    &self,
                    org: Id,
                    user: Id,
                    token_hash: &str,
                    expires_at: DateTime<Utc>,
                ) -> Result<()> {
                    let mut tx = write(self, org).await?;
                    must_exist(&mut tx, USER, org, user).await?;
                    sqlx::query(
                        "INSERT INTO sessions (org_id, user_id, token_hash, expires_at, created_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(org)
                    .bind(user)
                    .bind(token_hash)
                    .bind(expires_at)
                    .bind(s::now())
                    .execute(&mut *tx)
                    .await
                    .map_err(s::taken("token", "is already in use"))?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn session_user(
                    &self,
                    token_hash: &str,
                    now: DateTime<Utc>,
                ) -> Result<Option<(Organization, User)>> {
                    let mut c = self.pool.acquire().await?;
                    let session: Option<(Id, Id, DateTime<Utc>)> =
                        sqlx::query_as("SELECT org_id, user_id, expires_at FROM sessions WHERE token_hash = $1")
                            .bind(token_hash)
                            .fetch_optional(&mut *c)
                            .await?;
                    // Compared here rather than in SQL, where SQLite would compare text.
                    let Some((org, user, expires_at)) = session.filter(|(_, _, at)| *at > now) else {
                        return Ok(None);
                    };
                    let org = s::one(orgs(&mut c, Some(org), None).await?)?;
                    let (user, _) = s::one(users(&mut c, org.id, user).await?)?;
                    Ok(Some((org, user)))
                }

                async fn delete_session(&self, token_hash: &str) -> Result<()> {
                    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
                    Ok(())
                }

                async fn create_token(&self, org: Id, name: &str, role: Role, token_hash: &str) -> Result<ApiToken> {
                    let mut tx = write(self, org).await?;
                    let row: s::TokenRow = sqlx::query_as(
                        "INSERT INTO api_tokens (org_id, name, role, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) \
                         RETURNING id, org_id, name, role, created_at",
                    )
                    .bind(org)
                    .bind(name)
                    .bind(role.as_str())
                    .bind(token_hash)
                    .bind(s::now())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(s::taken("token", "is already in use"))?;
                    tx.commit().await?;
                    row.token()
                }

                async fn token_principal(&self, token_hash: &str) -> Result<Option<(Organization, ApiToken)>> {
                    let mut c = self.pool.acquire().await?;
                    let row: Option<s::TokenRow> = sqlx::query_as(
                        "SELECT id, org_id, name, role, created_at FROM api_tokens WHERE token_hash = $1",
                    )
                    .bind(token_hash)
                    .fetch_optional(&mut *c)
                    .await?;
                    let Some(row) = row else { return Ok(None) };
                    let org = s::one(orgs(&mut c, Some(row.org_id), None).await?)?;
                    Ok(Some((org, row.token()?)))
                }

                // People

                async fn list_people(&self, org: Id) -> Result<Vec<Person>> {
                    people(&mut *self.pool.acquire().await?, org, None).await
                }

                async fn get_person(&self, org: Id, id: Id) -> Result<Person> {
                    s::one(people(&mut *self.pool.acquire().await?, org, Some(id)).await?)
                }

                async fn create_person(&self, org: Id, person: &PersonInput) -> Result<Person> {
                    let mut tx = write(self, org).await?;
                    let id: Id = sqlx::query_scalar(
                        "INSERT INTO people (org_id, name, email, department, role, joined_on) \
                         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                    )
                    .bind(org)
                    .bind(&person.name)
                    .bind(&person.email)
                    .bind(&person.department)
                    .bind(&person.role)
                    .bind(person.joined_on)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(s::taken("email", "is already used by another person"))?;
                    let out = s::one(people(&mut tx, org, Some(id)).await?)?;
                    tx.commit().await?;
                    Ok(out)
                }

                async fn update_person(&self, org: Id, id: Id, person: &PersonInput) -> Result<Person> {
                    let mut tx = write(self, org).await?;
                    must_exist(&mut tx, PERSON, org, id).await?;
                    sqlx::query(
                        "UPDATE people SET name = $3, email = $4, department = $5, role = $6, joined_on = $7 \
                         WHERE org_id = $1 AND id = $2",
                    )
                    .bind(org)
                    .bind(id)
                    .bind(&person.name)
                    .bind(&person.email)
                    .bind(&person.department)
                    .bind(&person.role)
                    .bind(person.joined_on)
                    .execute(&mut *tx)
                    .await
                    .map_err(s::taken("email", "is already used by another person"))?;
                    let out = s::one(people(&mut tx, org, Some(id)).await?)?;
                    tx.commit().await?;
                    Ok(out)
                }

                async fn deactivate_person(&self, org: Id, id: Id, on: NaiveDate) -> Result<Person> {
                    let mut tx = write(self, org).await?;
                    sqlx::query("UPDATE people SET left_on = $3 WHERE org_id = $1 AND id = $2")
                        .bind(org)
                        .bind(id)
                        .bind(on)
                        .execute(&mut *tx)
                        .await?;
                    let out = s::one(people(&mut tx, org, Some(id)).await?)?;
                    tx.commit().await?;
                    Ok(out)
                }

                async fn reactivate_person(&self, org: Id, id: Id) -> Result<Person> {
                    let mut tx = write(self, org).await?;
                    sqlx::query("UPDATE people SET left_on = NULL WHERE org_id = $1 AND id = $2")
                        .bind(org)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    let out = s::one(people(&mut tx, org, Some(id)).await?)?;
                    tx.commit().await?;
                    Ok(out)
                }

                async fn handover(&self, org: Id, from: Id, to: Id) -> Result<Handover> {
                    let mut tx = write(self, org).await?;
                    must_exist(&mut tx, PERSON, org, from).await?;
                    if !found(&mut tx, PERSON, org, to).await? {
                        return Err(StoreError::unknown_id("to"));
                    }
                    if !found(&mut tx, ACTIVE_PERSON, org, to).await? {
                        return Err(StoreError::Invalid(FieldErrors::single("to", "person_left", "has left")));
                    }
                    if from == to {
                        return Err(StoreError::Invalid(FieldErrors::single("to", "same_person", "must be someone else")));
                    }
                    let mut moved = [0; 4];
                    for (count, sql) in moved.iter_mut().zip([
                        "UPDATE experiences SET leader_id = $3 WHERE org_id = $1 AND leader_id = $2",
                        "UPDATE touchpoints SET owner_id = $3 WHERE org_id = $1 AND owner_id = $2",
                        "UPDATE listening_posts SET governed_by = $3 WHERE org_id = $1 AND governed_by = $2",
                        "UPDATE cases SET assignee_id = $3 WHERE org_id = $1 AND assignee_id = $2 AND status = 'open'",
                    ]) {
                        *count = sqlx::query(sql).bind(org).bind(from).bind(to).execute(&mut *tx).await?.rows_affected();
                    }
                    let [experiences, touchpoints, listening_posts, cases] = moved;
                    tx.commit().await?;
                    Ok(Handover { experiences, touchpoints, listening_posts, cases })
                }

                async fn delete_person(&self, org: Id, id: Id) -> Result<()> {
                    let mut tx = write(self, org).await?;
                    must_exist(&mut tx, PERSON, org, id).await?;
                    let held: i64 = sqlx::query_scalar(
                        "SELECT (SELECT COUNT(*) FROM experiences WHERE org_id = $1 AND leader_id = $2) \
                         + (SELECT COUNT(*) FROM touchpoints WHERE org_id = $1 AND owner_id = $2) \
                         + (SELECT COUNT(*) FROM listening_posts WHERE org_id = $1 AND governed_by = $2)",
                    )
                    .bind(org)
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
                    if held > 0 {
                        return Err(StoreError::conflict(
                            "id",
                            "in_use",
                            "still leads experiences, owns touchpoints or governs listening posts; hand them over first",
                        ));
                    }
                    sqlx::query("UPDATE users SET person_id = NULL WHERE org_id = $1 AND person_id = $2")
                        .bind(org)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM people WHERE org_id = $1 AND id = $2").bind(org).bind(id).execute(&mut *tx).await?;
                    tx.commit().await?;
                    Ok(())
                }

                // Segments and customers

                async fn list_segments(&self, org: Id) -> Result<Vec<Segment>> {
                    segments(&mut *self.pool.acquire().await?, org, None).await
                }

                async fn get_segment(&self, org: Id, id: Id) -> Result<Segment> {
                    s::one(segments(&mut *self.pool.acquire().await?, org, Some(id)).await?)
                }

                async fn create_segment(&self, org: Id, segment: &SegmentInput) -> Result<Segment> {
                    let mut tx = write(self, org).await?;
                    let id: Id = sqlx::query_scalar(
                        "INSERT INTO segments (org_id, name, description, rule) VALUES ($1, $2, $3, $4) RETURNING id",
                    )
                    .bind(org)
                    .bind(&segment.name)
                    .bind(&segment.description)
                    .bind(s::to_json(&segment.rule)?)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(s::taken("name", "is already used by another segment"))?;
                    refresh_members(&mut tx, org, None, true).await?;
                    let out = s::one(segments(&mut tx, org, Some(id)).await?)?;
                    tx.commit().await?;
                    Ok(out)
                }

                async fn update_segment(&self, org: Id, id: Id, segment: &SegmentInput) -> Result<Segment> {
                    let mut tx = write(self, org).await?;
                    must_exist(&mut tx, SEGMENT, org, id).await?;
                    sqlx::query("UPDATE segments SET name = $3, description = $4, rule = $5 WHERE org_id = $1 AND id = $2")
                        .bind(org)
                        .bind(id)
                        .bind(&segment.name)
                        .bind(&segment.description)
                        .bind(s::to_json(&segment.rule)?)
                        .execute(&mut *tx)
                        .await
                        .map_err(s::taken("name", "is already used by another segment"))?;
                    refresh_members(&mut tx, org, None, true).await?;
                    let out = s::one(segments(&mut tx, org, Some(id)).await?)?;
                    tx.commit().await?;
                    Ok(out)
                }

                async fn delete_segment(&self, org: Id, id: Id) -> Result<()> {
                    let mut tx = write(self, org).await?;
                    must_exist(&mut tx, SEGMENT, org, id).await?;
                    for sql in [
                        "DELETE FROM experience_segments WHERE org_id = $1 AND segment_id = $2",
                        "DELETE FROM touchpoint_importance WHERE org_id = $1 AND segment_id = $2",
                        "DELETE FROM segment_members WHERE org_id = $1 AND segment_id = $2",
                        "DELETE FROM score_rollups WHERE org_id = $1 AND segment_id = $2",
                        "DELETE FROM segments WHERE org_id = $1 AND id = $2",
                    ] {
                        sqlx::query(sql).bind(org).bind(id).execute(&mut *tx).await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn upsert_customer(&self, org: Id, customer: &CustomerUpsert) -> Result<Customer> {
                    let mut tx = write(self, org).await?;
                    let row: s::CustomerRow = sqlx::query_as(
                        "INSERT INTO customers (org_id, external_id, email, name, attributes, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $6) \
                         ON CONFLICT (org_id, external_id) DO UPDATE SET email = excluded.email, name = excluded.name, \
                         attributes = excluded.attributes, updated_at = excluded.updated_at \
                         RETURNING id, external_id, email, name, attributes, created_at",
                    )
                    .bind(org)
                    .bind(&customer.external_id)
                    .bind(&customer.email)
                    .bind(&customer.name)
                    .bind(s::to_json(&customer.attributes)?)
                    .bind(s::now())
                    .fetch_one(&mut *tx)
                    .await?;
                    let customer = row.customer()?;
                    refresh_members(&mut tx, org, Some(&[customer.id]), true).await?;
                    tx.commit().await?;
                    Ok(customer)
                }

                async fn list_customers(&self, org: Id) -> Result<Vec<Customer>> {
                    let rows: Vec<s::CustomerRow> = sqlx::query_as(
                        "SELECT id, external_id, email, name, attributes, created_at FROM customers \
                         WHERE org_id = $1",
                    )
                    .bind(org)
                    .fetch_all(&self.pool)
                    .await?;
                    let mut out = rows.into_iter().map(s::CustomerRow::customer).collect::<Result<Vec<Customer>>>()?;
                    // By external id, byte for byte, whatever the collation.
                    out.sort_by(|a, b| a.external_id.cmp(&b.external_id));
                    Ok(out)
                }

                // Journey

                async fn list_stages(&self, org: Id) -> Result<Vec<Stage>> {
                    stages(&mut *self.pool.acquire().await?, org, None).await
                }

                async fn create_stage(&self, org: Id, stage: &StageInput) -> Result<Stage> {
                    let mut tx = write(self, org).await?;
                    let at = s::place(stage.position, None, count_stages(&mut tx, org, 0).await?);
                    shift_stages(&mut tx, org, 1, at, 0).await?;
                    let id: Id =
                        sqlx::query_scalar("INSERT INTO stages (org_id, name, position) VALUES ($1, $2, $3) RETURNING id")
                            .bind(org)
                            .bind(&stage.name)
                            .bind(at)
                            .fetch_one(&mut *tx)
                            .await?;
                    let out = s::one(stages(&mut tx, org, Some(id)).await?)?;
                    tx.commit().await?;
                    Ok(out)
                }

                async fn update_stage(&self, org: Id, id: Id, stage: &StageInput) -> Result<Stage> {
                    let mut tx = write(self, org).await?;
                    let old = s::one(stages(&mut tx, org, Some(id)).await?)?;
                    shift_stages(&mut tx, org, -1, old.position + 1, id).await?;
                    let at = s::place(stage.position, Some(old.position), count_stages(&mut tx, org, id).await?);
                    shift_stages(&mut tx, org, 1, at, id).await?;
                    sqlx::query("UPDATE stages SET name = $3, position = $4 WHERE org_id = $1 AND id = $2")
                        .bind(org)
                        .bind(id)
                        .bind(&stage.name)
                        .bind(at)
                        .execute(&mut *tx)
                        .await?;
                    let out = s::one(stages(&mut tx, org, Some(id)).await?)?;
                    tx.commit().await?;
                    Ok(out)
                }

                async fn delete_stage(&self, org: Id, id: Id) -> Result<()> {
                    let mut tx = write(self, org).await?;
                    let old = s::one(stages(&mut tx, org, Some(id)).await?)?;
                    if count_touchpoints(&mut tx, org, id, 0).await? > 0 {
                        return Err(StoreError::conflict("id", "in_use", "still has touchpoints; move or delete them first"));
                    }
                    sqlx::query("DELETE FROM stages WHERE org_id = $1 AND id = $2").bind(org).bind(id).execute(&mut *tx).await?;
                    shift_stages(&mut tx, org, -1, old.position + 1, id).await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn list_touchpoints(&self, org: Id) -> Result<Vec<Touchpoint>> {
                    touchpoints(&mut *self.pool.acquire().await?, org, None).await
                }

                async fn get_touchpoint(&self, org: Id, id: Id) -> Result<Touchpoint> {
                    s::one(touchpoints(&mut *self.pool.acquire().await?, org, Some(id)).await?)
                }

                async fn create_touchpoint(&self, org: Id, tp: &TouchpointInput) -> Result<Touchpoint> {
                    let mut tx = write(self, org).await?;
                    check_touchpoint(&mut tx, org, tp).await?;
                    let at = s::place(tp.position, None, count_touchpoints(&mut tx, org, tp.stage_id, 0).await?);
                    shift_touchpoints(&mut tx, org, tp.stage_id, 1, at, 0).await?;
                    let id: Id = sqlx::query_scalar(
                        "INSERT INTO touchpoints (org_id, stage_id, name, description, position, channel, department, owner_id) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    )
                    .bind(org)
                    .bind(tp.stage_id)
                    .bind(&tp.name)
                    .bind(&tp.description)
                    .bind(at)
                    .bind(&tp.channel)
                    .bind(&tp.department)
                    .bind(tp.owner_id)
                    .fetch_one(&mut *tx)
                    .await?;
                    set_importance(&mut tx, org, id, &tp.importance).await?;
                    let out = s::one(touchpoints(&mut tx, org, Some(id)).await?)?;
                    let kind = im::AnnouncementKind::TouchpointAdded;
                    let ann = announce_in(&mut tx, org, kind, id, Some(id), None, &out.name, None).await?;
                    tx.commit().await?;
                    notify_after(self, org, NoticeKind::Announcement, &[ann]);
                    Ok(out)
                }

                async fn update_touchpoint(&self, org: Id, id: Id, tp: &TouchpointInput) -> Result<Touchpoint> {
                    let mut tx = write(self, org).await?;
                    let old = s::one(touchpoints(&mut tx, org, Some(id)).await?)?;
                    check_touchpoint(&mut tx, org, tp).await?;
                    shift_touchpoints(&mut tx, org, old.stage_id, -1, old.position + 1, id).await?;
                    let keep = (tp.stage_id == old.stage_id).then_some(old.position);
                    let at = s::place(tp.position, keep, count_touchpoints(&mut tx, org, tp.stage_id, id).await?);
                    shift_touchpoints(&mut tx, org, tp.stage_id, 1, at, id).await?;
                    sqlx::query(
                        "UPDATE touchpoints SET stage_id = $3, name = $4, description = $5, position = $6, channel = $7, \
                         department = $8, owner_id = $9 WHERE org_id = $1 AND id = $2",
                    )
                    .bind(org)
                    .bind(id)
                    .bind(tp.stage_id)
                    .bind(&tp.name)
                    .bind(&tp.description)
                    .bind(at)
                    .bind(&tp.channel)
                    .bind(&tp.department)
                    .bind(tp.owner_id)
                    .execute(&mut *tx)
                    .await?;
                    set_importance(&mut tx, org, id, &tp.importance).await?;
                    let out = s::one(touchpoints(&mut tx, org, Some(id)).await?)?;
                    tx.commit().await?;
                    Ok(out)
                }

                async fn delete_touchpoint(&self, org: Id, id: Id) -> Result<()> {
                    let mut tx = write(self, org).await?;
                    let old = s::one(touchpoints(&mut tx, org, Some(id)).await?)?;
                    let surveys = "SELECT id FROM surveys WHERE org_id = $1 AND touchpoint_id = $2 LIMIT 1";
                    refuse_if_used(&mut tx, surveys, org, id, "still has surveys; move or delete them first").await?;
                    let current: Vec<(Id, i64)> = sqlx::query_as(
                        "SELECT experience_id, position FROM interactions \
                         WHERE org_id = $1 AND touchpoint_id = $2 AND removed_at IS NULL",
                    )
                    .bind(org)
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await?;
                    let kind = im::AnnouncementKind::TouchpointRemoved;
                    let ann = announce_in(&mut tx, org, kind, id, Some(id), None, &old.name, None).await?;
                    for (exp, position) in current {
                        end_interaction(&mut tx, org, exp, id, position).await?;
                    }
                    for sql in [
                        "DELETE FROM touchpoint_importance WHERE org_id = $1 AND touchpoint_id = $2",
                        "UPDATE listening_posts SET touchpoint_id = NULL WHERE org_id = $1 AND touchpoint_id = $2",
                        "DELETE FROM touchpoints WHERE org_id = $1 AND id = $2",
                    ] {
                        sqlx::query(sql).bind(org).bind(id).execute(&mut *tx).await?;
                    }
                    shift_touchpoints(&mut tx, org, old.stage_id, -1, old.position + 1, id).await?;
                    tx.commit().await?;
                    Ok(())
                }

                // Experiences

                async fn list_experiences(&self, org: Id) -> Result<Vec<Experience>> {
                    experiences(&mut *self.pool.acquire().await?, org, None).await
                }

                async fn get_experience(&self, org: Id, id: Id) -> Result<Experience> {
                    s::one(experiences(&mut *self.pool.acquire().await?, org, Some(id)).await?)
                }

                async fn create_experience(&self, org: Id, exp: &ExperienceInput) -> Result<Experience> {
                    let mut tx = write(self, org).await?;
                    check_experience(&mut tx, org, exp).await?;
                    let id: Id = sqlx::query_scalar(
                        "INSERT INTO experiences \
                         (org_id, name, customer_definition, goal_metric, goal_target, goal_period, leader_id, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    )
                    .bind(org)
                    .bind(&exp.name)
                    .bind(&exp.customer_definition)
                    .bind(exp.goal.metric.key())
                    .bind(exp.goal.target)
                    .bind(exp.goal.period.key())
                    .bind(exp.leader_id)
                    .bind(s::now())
                    .fetch_one(&mut *tx)
                    .await?;
                    set_segments(&mut tx, org, id, &exp.segment_ids).await?;
                    let out = s::one(experiences(&mut tx, org, Some(id)).await?)?;
                    tx.commit().await?;
                    Ok(out)
                }

                async fn update_experience(&self, org: Id, id: Id, exp: &ExperienceInput) -> Result<Experience> {
                    let mut tx = write(self, org).await?;
                    must_exist(&mut tx, EXPERIENCE, org, id).await?;
                    check_experience(&mut tx, org, exp).await?;
                    sqlx::query(
                        "UPDATE experiences SET name = $3, customer_definition = $4, goal_metric = $5, goal_target = $6, \
                         goal_period = $7, leader_id = $8 WHERE org_id = $1 AND id = $2",
                    )
                    .bind(org)
                    .bind(id)
                    .bind(&exp.name)
                    .bind(&exp.customer_definition)
                    .bind(exp.goal.metric.key())
                    .bind(exp.goal.target)
                    .bind(exp.goal.period.key())
                    .bind(exp.leader_id)
                    .execute(&mut *tx)
                    .await?;
                    set_segments(&mut tx, org, id, &exp.segment_ids).await?;
                    let out = s::one(experiences(&mut tx, org, Some(id)).await?)?;
                    tx.commit().await?;
                    Ok(out)
                }

                async fn delete_experience(&self, org: Id, id: Id) -> Result<()> {
                    let mut tx = write(self, org).await?;
                    must_exist(&mut tx, EXPERIENCE, org, id).await?;
                    for sql in [
                        "DELETE FROM interactions WHERE org_id = $1 AND experience_id = $2",
                        "DELETE FROM experience_segments WHERE org_id = $1 AND experience_id = $2",
                        "DELETE FROM experiences WHERE org_id = $1 AND id = $2",
                    ] {
                        sqlx::query(sql).bind(org).bind(id).execute(&mut *tx).await?;
                    }
                    tx.commit().await?;
                    Ok(())
                }

                async fn add_interaction(&self, org: Id, exp: Id, touchpoint: Id, position: Option<i64>) -> Result<Experience> {
                    let mut tx = write(self, org).await?;
                    let current = s::one(experiences(&mut tx, org, Some(exp)).await?)?.interactions;
                    if !found(&mut tx, TOUCHPOINT, org, touchpoint).await? {
                        return Err(StoreError::unknown_id("touchpoint_id"));
                    }
                    if current.iter().any(|i| i.touchpoint_id == touchpoint) {
                        return Err(StoreError::conflict("touchpoint_id", "duplicate", "is already a key interaction"));
                    }
                    let at = s::place(position, None, current.len() as i64);
                    shift_interactions(&mut tx, org, exp, 1, at).await?;
                    sqlx::query(
                        "INSERT INTO interactions (org_id, experience_id, touchpoint_id, position, added_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(org)
                    .bind(exp)
                    .bind(touchpoint)
                    .bind(at)
                    .bind(s::now())
                    .execute(&mut *tx)
                    .await
                    .map_err(s::conflict_on("touchpoint_id", "duplicate", "is already a key interaction"))?;
                    let out = s::one(experiences(&mut tx, org, Some(exp)).await?)?;
                    tx.commit().await?;
                    Ok(out)
                }

                async fn remove_interaction(&self, org: Id, exp: Id, touchpoint: Id) -> Result<Experience> {
                    let mut tx = write(self, org).await?;
                    let current = s::one(experiences(&mut tx, org, Some(exp)).await?)?.interactions;
                    let Some(ended) = current.iter().find(|i| i.touchpoint_id == touchpoint) else {
                        return Err(StoreError::NotFound);
                    };
                    end_interaction(&mut tx, org, exp, touchpoint, ended.position).await?;
                    let out = s::one(experiences(&mut tx, org, Some(exp)).await?)?;
                    tx.commit().await?;
                    Ok(out)
                }

                async fn interaction_history(&self, org: Id, exp: Id) -> Result<Vec<Interaction>> {
                    let mut c = self.pool.acquire().await?;
                    must_exist(&mut c, EXPERIENCE, org, exp).await?;
                    let rows: Vec<s::InteractionRow> = sqlx::query_as(
                        "SELECT experience_id, touchpoint_id, position, added_at, removed_at FROM interactions \
                         WHERE org_id = $1 AND experience_id = $2 ORDER BY added_at, id",
                    )
                    .bind(org)
                    .bind(exp)
                    .fetch_all(&mut *c)
                    .await?;
                    Ok(rows.into_iter().map(Into::into).collect())
                }

                // Intent statement

                async fn current_intent(&self, org: Id) -> Result<Option<IntentVersion>> {
                    Ok(intents(&mut *self.pool.acquire().await?, org, 1).await?.into_iter().next())
                }

                async fn list_intent_versions(&self, org: Id) -> Result<Vec<IntentVersion>> {
                    intents(&mut *self.pool.acquire().await?, org, i64::MAX).await
                }

                async fn create_intent_version(
                    &self,
                    org: Id,
                    intent: &IntentInput,
                    created_by: Option<&str>,
                ) -> Result<IntentVersion> {
                    let mut tx = write(self, org).await?;
                    let mut e = FieldErrors::new();
                    for (i, criterion) in intent.criteria.iter().enumerate() {
                        let field = format!("criteria[{i}].scope");
                        match criterion.scope {
                            Scope::Organization => {}
                            Scope::Experience(id) => check(&mut tx, &mut e, EXPERIENCE, org, id, field).await?,
                            Scope::Touchpoint(id) => check(&mut tx, &mut e, TOUCHPOINT, org, id, field).await?,
                        }
                    }
                    s::invalid_if_any(e)?;
                    let row: s::IntentRow = sqlx::query_as(
                        "INSERT INTO intent_versions (org_id, version, statement, criteria, created_at, created_by) \
                         SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5 FROM intent_versions WHERE org_id = $1 \
                         RETURNING id, version, statement, criteria, created_at, created_by",
                    )
                    .bind(org)
                    .bind(&intent.statement)
                    .bind(s::to_json(&intent.criteria)?)
                    .bind(s::now())
                    .bind(created_by)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(s::taken("version", "another version was saved at the same time"))?;
                    let out = row.intent()?;
                    let kind = im::AnnouncementKind::IntentVersion;
                    let subject = format!("Version {}", out.version);
                    let ann = announce_in(&mut tx, org, kind, out.id, None, None, &subject, created_by).await?;
                    tx.commit().await?;
                    notify_after(self, org, NoticeKind::Announcement, &[ann]);
                    Ok(out)
                }

                // Installation

                async fn installation_secret(&self, candidate: &str) -> Result<String> {
                    installation_secret(self, candidate).await
                }

                // Surveys

                async fn list_surveys(&self, org: Id) -> Result<Vec<Survey>> {
                    list_surveys(self, org).await
                }

                async fn get_survey(&self, org: Id, id: Id) -> Result<Survey> {
                    get_survey(self, org, id).await
                }

                async fn survey_by_token(&self, token: &str) -> Result<Option<(Organization, Survey)>> {
                    survey_by_token(self, token).await
                }

                async fn create_survey(&self, org: Id, survey: &SurveyInput, token: &str) -> Result<Survey> {
                    create_survey(self, org, survey, token).await
                }

                async fn update_survey(&self, org: Id, id: Id, survey: &SurveyInput) -> Result<Survey> {
                    update_survey(self, org, id, survey).await
                }

                async fn set_survey_status(&self, org: Id, id: Id, status: SurveyStatus) -> Result<Survey> {
                    set_survey_status(self, org, id, status).await
                }

                async fn delete_survey(&self, org: Id, id: Id) -> Result<()> {
                    delete_survey(self, org, id).await
                }

                // Listening posts

                async fn list_listening_posts(&self, org: Id) -> Result<Vec<ListeningPost>> {
                    list_listening_posts(self, org).await
                }

                async fn get_listening_post(&self, org: Id, id: Id) -> Result<ListeningPost> {
                    get_listening_post(self, org, id).await
                }

                async fn create_listening_post(&self, org: Id, post: &ListeningPostInput) -> Result<ListeningPost> {
                    create_listening_post(self, org, post).await
                }

                async fn update_listening_post(
                    &self,
                    org: Id,
                    id: Id,
                    post: &ListeningPostInput,
                ) -> Result<ListeningPost> {
                    update_listening_post(self, org, id, post).await
                }

                async fn delete_listening_post(&self, org: Id, id: Id) -> Result<()> {
                    delete_listening_post(self, org, id).await
                }

                // Customers

                async fn upsert_customers(&self, org: Id, customers: &[CustomerUpsert]) -> Result<Vec<Id>> {
                    upsert_customers(self, org, customers).await
                }

                async fn get_customer(&self, org: Id, external_id: &str) -> Result<Customer> {
                    get_customer(self, org, external_id).await
                }

                async fn search_customers(&self, org: Id, query: &str, limit: i64) -> Result<Vec<Customer>> {
                    search_customers(self, org, query, limit).await
                }

                async fn erase_customer(&self, org: Id, external_id: &str, actor: &str) -> Result<Erasure> {
                    erase_customer(self, org, external_id, actor).await
                }

                // Feedback and behaviour

                async fn ingest_responses(&self, org: Id, items: &[NewResponse]) -> Result<Vec<Ingested>> {
                    ingest_responses(self, org, items).await
                }

                async fn ingest_events(&self, org: Id, items: &[EventInput]) -> Result<Vec<Ingested>> {
                    ingest_events(self, org, items).await
                }

                async fn last_response_at(
                    &self,
                    org: Id,
                    survey: Id,
                    customer: &str,
                ) -> Result<Option<DateTime<Utc>>> {
                    last_response_at(self, org, survey, customer).await
                }

                async fn list_responses(&self, org: Id, filter: &FeedbackFilter) -> Result<Page<Response>> {
                    list_responses(self, org, filter).await
                }

                async fn list_events(&self, org: Id, filter: &FeedbackFilter) -> Result<Page<Event>> {
                    list_events(self, org, filter).await
                }

                async fn get_response(&self, org: Id, id: Id) -> Result<Response> {
                    get_response(self, org, id).await
                }

                async fn get_event(&self, org: Id, id: Id) -> Result<Event> {
                    get_event(self, org, id).await
                }

                async fn timeline(&self, org: Id, external_id: &str, limit: i64) -> Result<Vec<TimelineItem>> {
                    timeline(self, org, external_id, limit).await
                }

                // Real time

                fn subscribe(&self) -> $crate::sql::__private::tokio::sync::broadcast::Receiver<Notice> {
                    self.notices.subscribe()
                }

                // Closing the loop

                async fn work_calendar(&self, org: Id) -> Result<WorkCalendar> {
                    work_calendar(self, org).await
                }

                async fn set_work_calendar(&self, org: Id, cal: &WorkCalendar) -> Result<WorkCalendar> {
                    set_work_calendar(self, org, cal).await
                }

                async fn list_case_rules(&self, org: Id) -> Result<Vec<CaseRule>> {
                    list_case_rules(self, org).await
                }

                async fn create_case_rule(&self, org: Id, rule: &CaseRuleInput) -> Result<CaseRule> {
                    save_case_rule(self, org, None, rule).await
                }

                async fn update_case_rule(&self, org: Id, id: Id, rule: &CaseRuleInput) -> Result<CaseRule> {
                    save_case_rule(self, org, Some(id), rule).await
                }

                async fn delete_case_rule(&self, org: Id, id: Id) -> Result<()> {
                    delete_row(self, org, "case_rules", id).await
                }

                async fn list_routing_rules(&self, org: Id) -> Result<Vec<RoutingRule>> {
                    list_routing_rules(self, org).await
                }

                async fn create_routing_rule(&self, org: Id, rule: &RoutingRuleInput) -> Result<RoutingRule> {
                    save_routing_rule(self, org, None, rule).await
                }

                async fn update_routing_rule(&self, org: Id, id: Id, rule: &RoutingRuleInput) -> Result<RoutingRule> {
                    save_routing_rule(self, org, Some(id), rule).await
                }

                async fn delete_routing_rule(&self, org: Id, id: Id) -> Result<()> {
                    delete_row(self, org, "routing_rules", id).await
                }

                async fn list_root_causes(&self, org: Id) -> Result<Vec<RootCause>> {
                    list_root_causes(self, org).await
                }

                async fn create_root_cause(&self, org: Id, cause: &RootCauseInput) -> Result<RootCause> {
                    save_root_cause(self, org, None, cause).await
                }

                async fn update_root_cause(&self, org: Id, id: Id, cause: &RootCauseInput) -> Result<RootCause> {
                    save_root_cause(self, org, Some(id), cause).await
                }

                async fn delete_root_cause(&self, org: Id, id: Id) -> Result<()> {
                    delete_root_cause(self, org, id).await
                }

                async fn list_cases(&self, org: Id, filter: &CaseFilter) -> Result<Vec<Case>> {
                    list_cases(self, org, filter).await
                }

                async fn get_case(&self, org: Id, id: Id) -> Result<Case> {
                    get_case(self, org, id).await
                }

                async fn open_case(&self, org: Id, case: &CaseInput, actor: &str, now: DateTime<Utc>) -> Result<Case> {
                    open_case(self, org, case, actor, now).await
                }

                async fn assign_case(&self, org: Id, id: Id, assignee: Id, actor: &str, now: DateTime<Utc>) -> Result<Case> {
                    assign_case(self, org, id, assignee, actor, now).await
                }

                async fn record_step(&self, org: Id, id: Id, step: &StepInput, actor: &str, now: DateTime<Utc>) -> Result<Case> {
                    record_step(self, org, id, step, actor, now).await
                }

                async fn close_case(&self, org: Id, id: Id, actor: &str, now: DateTime<Utc>) -> Result<Case> {
                    close_case(self, org, id, actor, now).await
                }

                async fn reopen_case(&self, org: Id, id: Id, reason: Option<&str>, actor: &str, now: DateTime<Utc>) -> Result<Case> {
                    reopen_case(self, org, id, reason, actor, now).await
                }

                async fn escalate_overdue(&self, now: DateTime<Utc>) -> Result<Vec<Escalation>> {
                    escalate_overdue(self, now).await
                }

                async fn closed_cases(&self, org: Id, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<ClosedCase>> {
                    closed_cases(self, org, from, to).await
                }

                // Audit trail


                // Measurement


                async fn score_rows(&self, org: Id, filter: &$crate::ScoreFilter) -> Result<Vec<$crate::ScoreRow>> {

                    score_rows(self, org, filter).await

                }

                async fn score_days(
                    &self,
                    org: Id,
                    filter: &$crate::ScoreFilter,
                ) -> Result<Vec<(NaiveDate, $crate::sql::__private::rapport_core::measure::Tally)>> {
                    score_days(self, org, filter).await
                }

                async fn score_touchpoints(
                    &self,
                    org: Id,
                    filter: &$crate::ScoreFilter,
                ) -> Result<Vec<(Id, $crate::sql::__private::rapport_core::measure::Tally)>> {
                    score_touchpoints(self, org, filter).await
                }


                async fn behaviour_counts(

                    &self,

                    org: Id,

                    from: NaiveDate,

                    to: NaiveDate,

                    customers: &$crate::CustomerFilter,

                ) -> Result<$crate::BehaviourCounts> {

                    behaviour_counts(self, org, from, to, customers).await

                }


                async fn activity(&self, org: Id, from: NaiveDate, to: NaiveDate, segment: Option<Id>) -> Result<Vec<$crate::ActivityRow>> {

                    activity(self, org, from, to, segment).await

                }


                async fn rebuild_rollups(&self, org: Id) -> Result<$crate::Rebuilt> {

                    rebuild_rollups(self, org).await

                }


                async fn record_intent_status(&self, org: Id, status: &$crate::IntentStatus) -> Result<bool> {

                    record_intent_status(self, org, status).await

                }


                async fn intent_status_history(&self, org: Id, limit: i64) -> Result<Vec<$crate::IntentStatus>> {

                    intent_status_history(self, org, limit).await

                }


                async fn record_audit(&self, org: Id, actor: &str, action: &str, subject: &str) -> Result<()> {
                    let mut tx = write(self, org).await?;
                    sqlx::query("INSERT INTO audit_log (org_id, at, actor, action, subject) VALUES ($1, $2, $3, $4, $5)")
                        .bind(org)
                        .bind(s::now())
                        .bind(actor)
                        .bind(action)
                        .bind(subject)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    Ok(())
                }

                async fn list_audit(&self, org: Id, limit: i64) -> Result<Vec<AuditEntry>> {
                    let rows: Vec<s::AuditRow> = sqlx::query_as(
                        "SELECT id, at, actor, action, subject FROM audit_log WHERE org_id = $1 ORDER BY id DESC LIMIT $2",
                    )
                    .bind(org)
                    .bind(limit.max(0))
                    .fetch_all(&self.pool)
                    .await?;
                    Ok(rows.into_iter().map(Into::into).collect())
                }

                // Outbox: webhooks and e-mail

                async fn list_webhooks(&self, org: Id) -> Result<Vec<Webhook>> {
                    let mut c = self.pool.acquire().await?;
                    webhooks_of(&mut c, org, None).await
                }

                async fn get_webhook(&self, org: Id, id: Id) -> Result<Webhook> {
                    let mut c = self.pool.acquire().await?;
                    s::one(webhooks_of(&mut c, org, Some(id)).await?)
                }

                async fn create_webhook(&self, org: Id, hook: &WebhookInput, secret: &str) -> Result<Webhook> {
                    save_webhook(self, org, None, hook, secret).await
                }

                async fn update_webhook(&self, org: Id, id: Id, hook: &WebhookInput) -> Result<Webhook> {
                    save_webhook(self, org, Some(id), hook, "").await
                }

                async fn delete_webhook(&self, org: Id, id: Id) -> Result<()> {
                    delete_webhook(self, org, id).await
                }

                async fn webhook_secret(&self, org: Id, id: Id) -> Result<String> {
                    let secret: Option<String> =
                        sqlx::query_scalar("SELECT secret FROM webhooks WHERE org_id = $1 AND id = $2")
                            .bind(org)
                            .bind(id)
                            .fetch_optional(&self.pool)
                            .await?;
                    secret.ok_or(StoreError::NotFound)
                }

                async fn enqueue_event(&self, org: Id, event: &str, payload: &serde_json::Value) -> Result<Id> {
                    let mut tx = write(self, org).await?;
                    let id = enqueue_in(&mut tx, org, event, payload).await?;
                    tx.commit().await?;
                    Ok(id)
                }

                async fn fan_out(&self, now: DateTime<Utc>, limit: i64) -> Result<usize> {
                    fan_out(self, now, limit).await
                }

                async fn claim_deliveries(
                    &self,
                    now: DateTime<Utc>,
                    lease_until: DateTime<Utc>,
                    limit: i64,
                ) -> Result<Vec<Delivery>> {
                    claim_deliveries(self, now, lease_until, limit).await
                }

                async fn delivery_succeeded(&self, id: Id, at: DateTime<Utc>) -> Result<()> {
                    delivery_outcome(self, id, at, None, None).await
                }

                async fn delivery_failed(
                    &self,
                    id: Id,
                    at: DateTime<Utc>,
                    error: &str,
                    retry_at: Option<DateTime<Utc>>,
                ) -> Result<()> {
                    delivery_outcome(self, id, at, Some(error), retry_at).await
                }

                async fn list_deliveries(&self, org: Id, webhook: Option<Id>, limit: i64) -> Result<Vec<DeliveryRow>> {
                    list_deliveries(self, org, webhook, limit).await
                }

                // Improvement loop

                async fn create_idea(&self, org: Id, author: Id, idea: &im::IdeaInput) -> Result<im::Idea> {
                    create_idea(self, org, author, idea).await
                }

                async fn create_idea_from_root_cause(
                    &self,
                    org: Id,
                    root_cause: Id,
                    author: Id,
                    idea: &im::IdeaInput,
                ) -> Result<IdeaDetail> {
                    create_idea_from_root_cause(self, org, root_cause, author, idea).await
                }

                async fn list_ideas(&self, org: Id, filter: &IdeaFilter) -> Result<Vec<im::Idea>> {
                    list_ideas(self, org, filter).await
                }

                async fn get_idea(&self, org: Id, id: Id) -> Result<IdeaDetail> {
                    get_idea(self, org, id).await
                }

                async fn vote_idea(&self, org: Id, id: Id, person: Id) -> Result<im::Idea> {
                    vote_idea(self, org, id, person).await
                }

                async fn unvote_idea(&self, org: Id, id: Id, person: Id) -> Result<im::Idea> {
                    unvote_idea(self, org, id, person).await
                }

                async fn comment_idea(&self, org: Id, id: Id, person: Id, body: &str) -> Result<IdeaComment> {
                    comment_idea(self, org, id, person, body).await
                }

                async fn set_idea_status(
                    &self,
                    org: Id,
                    id: Id,
                    to: im::IdeaStatus,
                    reason: Option<&str>,
                    actor: &str,
                ) -> Result<im::Idea> {
                    set_idea_status(self, org, id, to, reason, actor).await
                }

                async fn file_idea(&self, org: Id, id: Id, tp: Option<Id>, x: Option<Id>) -> Result<im::Idea> {
                    file_idea(self, org, id, tp, x).await
                }

                async fn merge_idea(&self, org: Id, duplicate: Id, target: Id) -> Result<im::Idea> {
                    merge_idea(self, org, duplicate, target).await
                }

                async fn idea_of_the_day(&self, org: Id, today: NaiveDate) -> Result<Option<im::Idea>> {
                    idea_of_the_day(self, org, today).await
                }

                async fn idea_rows(&self, org: Id) -> Result<Vec<im::IdeaRow>> {
                    idea_rows(self, org).await
                }

                async fn create_sprint(&self, org: Id, sprint: &im::SprintDraft) -> Result<im::Sprint> {
                    create_sprint(self, org, sprint).await
                }

                async fn list_sprints(&self, org: Id) -> Result<Vec<im::Sprint>> {
                    list_sprints(self, org).await
                }

                async fn get_sprint(&self, org: Id, id: Id) -> Result<im::Sprint> {
                    get_sprint(self, org, id).await
                }

                async fn update_sprint(
                    &self,
                    org: Id,
                    id: Id,
                    update: &im::sprint::SprintUpdateDraft,
                    today: NaiveDate,
                ) -> Result<im::Sprint> {
                    update_sprint(self, org, id, update, today).await
                }

                async fn submit_proposal(&self, org: Id, id: Id, person: Id, document: &str) -> Result<im::Sprint> {
                    submit_proposal(self, org, id, person, document).await
                }

                async fn approve_proposal(&self, org: Id, id: Id, approver: Option<Id>) -> Result<im::Sprint> {
                    approve_proposal(self, org, id, approver).await
                }

                async fn finish_sprint(&self, org: Id, id: Id, today: NaiveDate) -> Result<im::Sprint> {
                    finish_sprint(self, org, id, today).await
                }

                async fn list_announcements(&self, org: Id, person: Option<Id>) -> Result<Vec<im::Announcement>> {
                    list_announcements(self, org, person).await
                }

                async fn get_announcement(&self, org: Id, id: Id) -> Result<im::Announcement> {
                    get_announcement(self, org, id).await
                }

                async fn acknowledge_announcement(&self, org: Id, id: Id, person: Id) -> Result<im::Announcement> {
                    acknowledge_announcement(self, org, id, person).await
                }

                async fn list_comms(&self, org: Id) -> Result<Vec<im::CommsItem>> {
                    list_comms(self, org).await
                }

                async fn get_comms(&self, org: Id, id: Id) -> Result<im::CommsItem> {
                    get_comms(self, org, id).await
                }

                async fn create_comms(&self, org: Id, item: &im::comms::CommsInput) -> Result<im::CommsItem> {
                    save_comms(self, org, None, item).await
                }

                async fn update_comms(&self, org: Id, id: Id, item: &im::comms::CommsInput) -> Result<im::CommsItem> {
                    save_comms(self, org, Some(id), item).await
                }

                async fn delete_comms(&self, org: Id, id: Id) -> Result<()> {
                    delete_comms(self, org, id).await
                }
            }
        };
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_clamps_to_the_list() {
        assert_eq!(place(None, None, 3), 4, "the end by default");
        assert_eq!(place(None, Some(2), 3), 2, "where it was");
        assert_eq!(place(Some(1), Some(2), 3), 1);
        assert_eq!(place(Some(99), None, 3), 4);
        assert_eq!(place(Some(0), None, 0), 1);
    }

    #[test]
    fn names_sort_ignoring_case_then_by_id() {
        let mut v = vec![("Pro", 1), ("basic", 2), ("Free", 3), ("free", 0)];
        sort_by_name(&mut v, |(n, id)| (n, *id));
        assert_eq!(v, [("basic", 2), ("free", 0), ("Free", 3), ("Pro", 1)]);
    }

    #[test]
    fn unique_violations_only_become_conflicts() {
        let e = taken("slug", "is already taken")(sqlx::Error::RowNotFound);
        assert!(matches!(e, StoreError::Internal(_)));
    }
}
