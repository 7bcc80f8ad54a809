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

/// Organizations, accounts, sessions, API tokens, the installation secret and the audit trail (P3).
#[async_trait]
pub trait Accounts: Send + Sync {
    /// "sqlite" or "postgres", for logs and `/healthz`.
    fn backend(&self) -> &'static str;

    /// A cheap round trip to the database.
    async fn ping(&self) -> Result<()>;

    /// `Conflict` on a taken slug.
    async fn create_org(&self, org: &NewOrganization) -> Result<Organization>;

    async fn org_by_slug(&self, slug: &str) -> Result<Option<Organization>>;

    async fn list_orgs(&self) -> Result<Vec<Organization>>;

    async fn set_mission(&self, org: Id, mission: Option<&str>) -> Result<Organization>;

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

    async fn create_token(&self, org: Id, name: &str, role: Role, token_hash: &str) -> Result<ApiToken>;

    async fn token_principal(&self, token_hash: &str) -> Result<Option<(Organization, ApiToken)>>;

    /// The installation's secret (signing personal survey links): stores
    /// `candidate` unless a secret exists, and returns the stored one, so
    /// every server sharing the database signs alike.
    async fn installation_secret(&self, candidate: &str) -> Result<String>;

    async fn record_audit(&self, org: Id, actor: &str, action: &str, subject: &str) -> Result<()>;

    /// Newest first.
    async fn list_audit(&self, org: Id, limit: i64) -> Result<Vec<AuditEntry>>;
}
