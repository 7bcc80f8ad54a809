//! Password changes and resets.

use super::accounts::{orgs, users, write_audit};
use super::write;
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::org::Organization;
use rapport_core::Id;
use rapport_store::rows as s;
use rapport_store::{Audit, Result, StoreError, User};

#[async_trait]
impl rapport_store::Passwords for Backend {
    async fn password_hash(&self, org: Id, user: Id) -> Result<String> {
        let mut c = self.pool.acquire().await?;
        let (_, hash) = s::one(users(&mut c, org, user).await?)?;
        Ok(hash)
    }

    async fn set_password(
        &self,
        org: Id,
        user: Id,
        password_hash: &str,
        keep_session: Option<&str>,
        audit: &Audit<'_>,
    ) -> Result<()> {
        let mut tx = write(self, org).await?;
        store_hash(&mut tx, org, user, password_hash).await?;
        // A password someone else may know: their sessions end, and so do
        // resets mailed before the change.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user)
            .bind(keep_session.unwrap_or(""))
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM password_resets WHERE user_id = $1 AND used_at IS NULL")
            .bind(user)
            .execute(&mut *tx)
            .await?;
        write_audit(&mut tx, org, audit, None).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_password_reset(
        &self,
        org: Id,
        user: Id,
        token_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<()> {
        let mut tx = write(self, org).await?;
        // The account's resets of days ago are of no use any more (the
        // hourly budget looks back an hour): they go, so the table stays small.
        sqlx::query("DELETE FROM password_resets WHERE user_id = $1 AND created_at < $2")
            .bind(user)
            .bind(now - chrono::Duration::days(1))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO password_resets (org_id, user_id, token_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(org)
        .bind(user)
        .bind(token_hash)
        .bind(now)
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn password_resets_since(&self, org: Id, user: Id, since: DateTime<Utc>) -> Result<i64> {
        // An account has a handful of resets: compared here, not as SQLite text.
        let times: Vec<DateTime<Utc>> =
            sqlx::query_scalar("SELECT created_at FROM password_resets WHERE org_id = $1 AND user_id = $2")
                .bind(org)
                .bind(user)
                .fetch_all(&self.pool)
                .await?;
        Ok(times.iter().filter(|t| **t >= since).count() as i64)
    }

    async fn password_reset_account(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(Organization, User)>> {
        let mut c = self.pool.acquire().await?;
        let Some((org, user)) = valid_reset(&mut c, token_hash, now).await? else {
            return Ok(None);
        };
        let org = s::one(orgs(&mut c, Some(org), None).await?)?;
        let (user, _) = s::one(users(&mut c, org.id, user).await?)?;
        Ok(Some((org, user)))
    }

    async fn complete_password_reset(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        password_hash: &str,
    ) -> Result<Option<(Organization, User)>> {
        let Some((org, _)) = self.password_reset_account(token_hash, now).await? else {
            return Ok(None);
        };
        let mut tx = write(self, org.id).await?;
        // Checked again under the organization's write lock: two uses of one
        // link race here, and only the first finds it unused.
        let Some((_, user)) = valid_reset(&mut tx, token_hash, now).await? else {
            return Ok(None);
        };
        sqlx::query("UPDATE password_resets SET used_at = $2 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        store_hash(&mut tx, org.id, user, password_hash).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user).execute(&mut *tx).await?;
        let (account, _) = s::one(users(&mut tx, org.id, user).await?)?;
        let subject = format!("user:{user}");
        write_audit(&mut tx, org.id, &Audit::new(&account.email, "user.password_reset", subject), None).await?;
        tx.commit().await?;
        Ok(Some((org, account)))
    }
}

/// A reset as stored: organization, account, expiry, use.
type ResetRow = (Id, Id, DateTime<Utc>, Option<DateTime<Utc>>);

/// The organization and account of an unused, unexpired reset.
async fn valid_reset(c: &mut super::Conn, token_hash: &str, now: DateTime<Utc>) -> Result<Option<(Id, Id)>> {
    let row: Option<ResetRow> =
        sqlx::query_as("SELECT org_id, user_id, expires_at, used_at FROM password_resets WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *c)
            .await?;
    Ok(row.filter(|(_, _, expires, used)| *expires > now && used.is_none()).map(|(org, user, ..)| (org, user)))
}

/// Stores an account's password hash, inside the caller's transaction
/// (changes, resets and accepted invitations); `NotFound` for an unknown
/// account.
pub(crate) async fn store_hash(c: &mut super::Conn, org: Id, user: Id, password_hash: &str) -> Result<()> {
    let done = sqlx::query("UPDATE users SET password_hash = $3 WHERE org_id = $1 AND id = $2")
        .bind(org)
        .bind(user)
        .bind(password_hash)
        .execute(&mut *c)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
