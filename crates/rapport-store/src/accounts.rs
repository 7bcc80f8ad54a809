//! Sign-in accounts, sessions and API tokens as storage sees them. Secrets are
//! never stored: passwords as argon2id PHC strings, tokens and session ids as
//! SHA-256 hex digests.

use chrono::{DateTime, Utc};
use rapport_core::lang::Lang;
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
