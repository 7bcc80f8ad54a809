//! Passwords: changing one, and resetting a forgotten one by e-mail (P3).

use crate::{Audit, Result, User};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::org::Organization;
use rapport_core::Id;

#[async_trait]
pub trait Passwords: Send + Sync {
    /// The account's password hash (to check the current password).
    async fn password_hash(&self, org: Id, user: Id) -> Result<String>;

    /// Sets the account's password and ends every session of it but
    /// `keep_session` (a digest), and any reset not yet used; with an audit
    /// line. `NotFound` for an unknown account.
    async fn set_password(
        &self,
        org: Id,
        user: Id,
        password_hash: &str,
        keep_session: Option<&str>,
        audit: &Audit<'_>,
    ) -> Result<()>;

    /// Stores a reset (its token's digest), valid until `expires_at`.
    async fn create_password_reset(
        &self,
        org: Id,
        user: Id,
        token_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()>;

    /// Resets of this account created since `since` (a budget per account,
    /// shared by every server).
    async fn password_resets_since(&self, org: Id, user: Id, since: DateTime<Utc>) -> Result<i64>;

    /// The account a reset is for, if it exists, is unused and has not expired.
    async fn password_reset_account(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(Organization, User)>>;

    /// Uses a reset: in one transaction marks it used, sets the password and
    /// ends every session of the account. `None` when the reset is unknown,
    /// used or expired (nothing changes then).
    async fn complete_password_reset(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        password_hash: &str,
    ) -> Result<Option<(Organization, User)>>;
}
