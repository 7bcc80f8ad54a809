//! What the SQL of both backends reads and builds that needs no database
//! type: the rows as they come back from a query and their conversion to the
//! domain's types, column lists, and the pure helpers of batching and
//! rollups. The statements themselves are in `crates/rapport-store/sql/`,
//! compiled once per backend (see that folder's `mod.rs`).

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

pub mod improve;
pub mod listening;
pub mod measure;
pub mod outbox;
pub mod text;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        let busy = match &e {
            sqlx::Error::PoolTimedOut => true,
            sqlx::Error::Database(d) => d.code().is_some_and(|c| is_busy_code(&c)),
            _ => false,
        };
        if busy {
            StoreError::Busy(Box::new(e))
        } else {
            StoreError::internal(e)
        }
    }
}

/// Whether a database error code says "busy, try again": SQLite's
/// `SQLITE_BUSY` (5) and `SQLITE_LOCKED` (6) with any extended code (the
/// low byte is the primary code), PostgreSQL's `lock_not_available`.
pub fn is_busy_code(code: &str) -> bool {
    match code.parse::<i64>() {
        Ok(n) => matches!(n & 0xff, 5 | 6),
        Err(_) => code == "55P03",
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
    pub fn new(
        id: Id,
        email: String,
        role: String,
        person_id: Option<Id>,
        language: Option<String>,
        password_hash: String,
        created_at: DateTime<Utc>,
    ) -> Self {
        UserRow { id, email, role, person_id, language, password_hash, created_at }
    }

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
    last_used_at: Option<DateTime<Utc>>,
}

impl TokenRow {
    pub fn token(self) -> Result<ApiToken> {
        let role = role(&self.role)?;
        Ok(ApiToken {
            id: self.id,
            name: self.name,
            role,
            created_at: self.created_at,
            last_used_at: self.last_used_at,
        })
    }
}

/// An API token with its history, as listed (never its digest).
#[derive(sqlx::FromRow)]
pub struct TokenInfoRow {
    #[sqlx(flatten)]
    token: TokenRow,
    created_by: Option<String>,
    revoked_at: Option<DateTime<Utc>>,
}

impl TokenInfoRow {
    pub fn info(self) -> Result<crate::TokenInfo> {
        let (created_by, revoked_at) = (self.created_by, self.revoked_at);
        Ok(crate::TokenInfo { token: self.token.token()?, created_by, revoked_at })
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
    goal_behaviour_id: Option<Id>,
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
                goal: Goal { metric, target: r.goal_target, period, behaviour_id: r.goal_behaviour_id },
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

    #[test]
    fn busy_codes_are_told_from_failures() {
        for busy in ["5", "517", "261", "6", "262", "55P03"] {
            assert!(is_busy_code(busy), "{busy}");
        }
        for other in ["1", "19", "2067", "23505", "40P01", "", "busy"] {
            assert!(!is_busy_code(other), "{other}");
        }
        assert!(matches!(StoreError::from(sqlx::Error::PoolTimedOut), StoreError::Busy(_)));
        assert!(matches!(StoreError::from(sqlx::Error::RowNotFound), StoreError::Internal(_)));
    }
}
