//! Sign-in accounts, sessions and API tokens as storage sees them. Secrets are
//! never stored: passwords as argon2id PHC strings, tokens and session ids as
//! SHA-256 hex digests.

use crate::error::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::lang::Lang;
use rapport_core::org::{NewOrganization, Organization};
use rapport_core::role::Role;
use rapport_core::Id;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub id: Id,
    pub email: String,
    pub role: Role,
    /// The program person this account is, if any.
    pub person_id: Option<Id>,
    /// The UI language chosen by the user; `None` follows the browser.
    pub language: Option<Lang>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub role: Role,
    pub password_hash: String,
    pub person_id: Option<Id>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiToken {
    pub id: Id,
    pub name: String,
    pub role: Role,
    pub created_at: DateTime<Utc>,
    /// When it was last used, to the minute.
    pub last_used_at: Option<DateTime<Utc>>,
}

/// What a one-step handover moved from the person who left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Handover {
    pub experiences: u64,
    pub touchpoints: u64,
    pub listening_posts: u64,
    /// Open cases assigned to them.
    pub cases: u64,
}

/// One line of the audit trail: who did what to which object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: Id,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: String,
}

/// The audit line a write leaves: who did what to which object. Every write
/// a person asks for takes one and writes it in its own transaction, before
/// it commits, so a change and its line exist together or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit<'a> {
    /// An e-mail, or `token:NAME`.
    pub actor: &'a str,
    /// What was done, e.g. `segment.delete`.
    pub action: &'a str,
    pub subject: AuditSubject<'a>,
}

/// The object an audit line names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditSubject<'a> {
    /// Known before the write, e.g. `segment:12`.
    Named(String),
    /// What the write creates, which has no id before it: this prefix
    /// followed by the id (for an intent version, its number), e.g.
    /// `survey:` becomes `survey:42`.
    Created(&'a str),
}

impl<'a> Audit<'a> {
    /// A line on an object named in advance.
    pub fn new(actor: &'a str, action: &'a str, subject: impl Into<String>) -> Self {
        Audit { actor, action, subject: AuditSubject::Named(subject.into()) }
    }

    /// A line on the object the write creates, named `prefix` + its id.
    pub fn created(actor: &'a str, action: &'a str, prefix: &'a str) -> Self {
        Audit { actor, action, subject: AuditSubject::Created(prefix) }
    }

    /// The subject as stored; `created` is the id of what the write created.
    pub fn subject(&self, created: Option<Id>) -> String {
        match &self.subject {
            AuditSubject::Named(s) => s.clone(),
            AuditSubject::Created(prefix) => match created {
                Some(id) => format!("{prefix}{id}"),
                None => prefix.to_string(),
            },
        }
    }
}

/// A connection pool's size and how many of its connections are idle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUse {
    pub size: u32,
    pub idle: u32,
}

/// Organizations, accounts, sessions, API tokens, the installation secret and the audit trail (P3).
#[async_trait]
pub trait Accounts: Send + Sync {
    /// "sqlite" or "postgres", for logs and `/healthz`.
    fn backend(&self) -> &'static str;

    /// A cheap round trip to the database.
    async fn ping(&self) -> Result<()>;

    /// This store's connection pool now, for `/metrics`.
    fn pool_use(&self) -> PoolUse;

    /// `Conflict` on a taken slug.
    async fn create_org(&self, org: &NewOrganization) -> Result<Organization>;

    async fn org_by_slug(&self, slug: &str) -> Result<Option<Organization>>;

    async fn list_orgs(&self) -> Result<Vec<Organization>>;

    async fn set_mission(&self, org: Id, mission: Option<&str>, audit: Option<&Audit<'_>>) -> Result<Organization>;

    /// `Conflict` on an e-mail already used in this organization; `Invalid`
    /// when `person_id` is not a person of the organization.
    async fn create_user(&self, org: Id, user: &NewUser) -> Result<User>;

    /// The account and its password hash, for signing in.
    async fn user_for_sign_in(&self, org: Id, email: &str) -> Result<Option<(User, String)>>;

    async fn set_user_language(&self, org: Id, user: Id, language: Option<Lang>) -> Result<()>;

    async fn create_session(&self, org: Id, user: Id, token_hash: &str, expires_at: DateTime<Utc>) -> Result<()>;

    /// The session's organization and user, if it exists and has not expired.
    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<(Organization, User)>>;

    async fn delete_session(&self, token_hash: &str) -> Result<()>;

    /// Deletes at most `limit` sessions (of any organization) that expired
    /// at or before `now`, in one statement; how many it deleted. Callers
    /// repeat while it returns `limit`, so no call holds a long write lock.
    async fn purge_sessions(&self, now: DateTime<Utc>, limit: i64) -> Result<u64>;

    async fn create_token(&self, org: Id, name: &str, role: Role, token_hash: &str) -> Result<ApiToken>;

    async fn token_principal(&self, token_hash: &str) -> Result<Option<(Organization, ApiToken)>>;

    /// The installation's secret (signing personal survey links): stores
    /// `candidate` unless a secret exists, and returns the stored one, so
    /// every server sharing the database signs alike.
    async fn installation_secret(&self, candidate: &str) -> Result<String>;

    /// A line on its own, for what changes nothing else (the demo seed).
    /// A change writes its line in its own transaction: see [`Audit`].
    async fn record_audit(&self, org: Id, audit: &Audit<'_>) -> Result<()>;

    /// Newest first.
    async fn list_audit(&self, org: Id, limit: i64) -> Result<Vec<AuditEntry>>;
}
