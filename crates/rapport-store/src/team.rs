//! Accounts as the administration pages see them (P3): who can sign in,
//! with what role and as which person; invitations; API tokens with their
//! last use and revocation.

use crate::{ApiToken, Audit, Result, User};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::org::Organization;
use rapport_core::role::Role;
use rapport_core::Id;
use serde::Serialize;

/// An account with what the accounts page shows beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    #[serde(flatten)]
    pub user: User,
    /// Invited and not yet accepted: no password set.
    pub invited: bool,
    /// When the pending invitation's link stops working.
    pub invitation_expires_at: Option<DateTime<Utc>>,
}

/// An API token as listed: never its secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TokenInfo {
    #[serde(flatten)]
    pub token: ApiToken,
    pub created_by: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A new invitation: who, with which role, and the link's digest.
#[derive(Debug, Clone)]
pub struct NewInvitation<'a> {
    pub person: Id,
    pub role: Role,
    pub token_hash: &'a str,
    pub now: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[async_trait]
pub trait Team: Send + Sync {
    /// Every account of the organization, by e-mail.
    async fn list_members(&self, org: Id) -> Result<Vec<Member>>;

    /// One account (`NotFound` in another organization).
    async fn get_member(&self, org: Id, user: Id) -> Result<Member>;

    /// Changes an account's role. The organization's last administrator
    /// cannot lose the role (`Conflict` on `role`).
    async fn set_member_role(&self, org: Id, user: Id, role: Role, audit: &Audit<'_>) -> Result<User>;

    /// Links an account to a person (or unlinks it with `None`). A person
    /// is one account at most (`Conflict` on `person_id`).
    async fn link_member(&self, org: Id, user: Id, person: Option<Id>, audit: &Audit<'_>) -> Result<User>;

    /// Invites a person: creates their account (no usable password) linked
    /// to them, or, for an account invited before and not accepted,
    /// replaces its link. `Conflict` on `person_id` when the person already
    /// has an account that is in use.
    async fn invite(&self, org: Id, invitation: &NewInvitation<'_>, audit: &Audit<'_>) -> Result<User>;

    /// The organization and account of an invitation link that is unused
    /// and unexpired.
    async fn invitation_account(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<(Organization, User)>>;

    /// Accepts an invitation: sets the password and uses the link, in one
    /// transaction; `None` (nothing changed) when the link is used, expired
    /// or unknown.
    async fn accept_invitation(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        password_hash: &str,
    ) -> Result<Option<(Organization, User)>>;

    /// Withdraws a pending invitation: its account, never used, goes.
    async fn withdraw_invitation(&self, org: Id, user: Id, audit: &Audit<'_>) -> Result<()>;

    /// Every API token of the organization, newest first.
    async fn list_tokens(&self, org: Id) -> Result<Vec<TokenInfo>>;

    /// Creates a token, remembering who did.
    async fn issue_token(
        &self,
        org: Id,
        name: &str,
        role: Role,
        token_hash: &str,
        audit: &Audit<'_>,
    ) -> Result<TokenInfo>;

    /// Revokes a token: refused from the next request on. Revoking twice
    /// keeps the first time.
    async fn revoke_token(&self, org: Id, id: Id, now: DateTime<Utc>, audit: &Audit<'_>) -> Result<TokenInfo>;

    /// Records a token's use at `now` unless it was recorded after `since`
    /// (so a busy token writes once a minute, not on every request).
    async fn touch_token(&self, id: Id, now: DateTime<Utc>, since: DateTime<Utc>) -> Result<()>;
}
