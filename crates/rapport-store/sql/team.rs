//! Accounts, invitations and API tokens as the administration pages see
//! them.

use super::accounts::{orgs, users, write_audit};
use super::passwords::store_hash;
use super::{check, must_exist, write, Conn, PERSON, USER};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::invitation::NO_PASSWORD;
use rapport_core::org::Organization;
use rapport_core::role::Role;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::rows as s;
use rapport_store::{Audit, Member, NewInvitation, Result, StoreError, TokenInfo, User};

const MEMBERS: &str = "SELECT u.id, u.email, u.role, u.person_id, u.language, u.password_hash, u.created_at, \
     (SELECT max(i.expires_at) FROM invitations i WHERE i.user_id = u.id AND i.accepted_at IS NULL) \
     FROM users u WHERE u.org_id = $1 AND ($2 IS NULL OR u.id = $2) ORDER BY lower(u.email), u.id";

const TOKENS: &str = "SELECT id, org_id, name, role, created_at, last_used_at, created_by, revoked_at \
     FROM api_tokens WHERE org_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY id DESC";

type MemberRow = (Id, String, String, Option<Id>, Option<String>, String, DateTime<Utc>, Option<DateTime<Utc>>);

async fn members(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<Member>> {
    let rows: Vec<MemberRow> = sqlx::query_as(MEMBERS).bind(org).bind(id).fetch_all(&mut *c).await?;
    rows.into_iter()
        .map(|(id, email, role, person_id, language, password_hash, created_at, expires)| {
            let row = s::UserRow::new(id, email, role, person_id, language, password_hash, created_at);
            let (user, hash) = row.split()?;
            Ok(Member { user, invited: hash == NO_PASSWORD, invitation_expires_at: expires })
        })
        .collect()
}

async fn tokens(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<TokenInfo>> {
    let rows: Vec<s::TokenInfoRow> = sqlx::query_as(TOKENS).bind(org).bind(id).fetch_all(&mut *c).await?;
    rows.into_iter().map(s::TokenInfoRow::info).collect()
}

/// The account, read back after a change.
async fn user(c: &mut Conn, org: Id, id: Id) -> Result<User> {
    Ok(s::one(users(c, org, id).await?)?.0)
}

/// An invitation as stored: organization, account, expiry, acceptance.
type InvitationRow = (Id, Id, DateTime<Utc>, Option<DateTime<Utc>>);

/// An unused, unexpired invitation's organization and account.
async fn valid_invitation(c: &mut Conn, token_hash: &str, now: DateTime<Utc>) -> Result<Option<(Id, Id)>> {
    let row: Option<InvitationRow> =
        sqlx::query_as("SELECT org_id, user_id, expires_at, accepted_at FROM invitations WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(&mut *c)
            .await?;
    // Compared here rather than in SQL, where SQLite would compare text.
    Ok(row.filter(|(_, _, expires, used)| used.is_none() && *expires > now).map(|(o, u, _, _)| (o, u)))
}

#[async_trait]
impl rapport_store::Team for Backend {
    async fn list_members(&self, org: Id) -> Result<Vec<Member>> {
        let mut c = self.pool.acquire().await?;
        members(&mut c, org, None).await
    }

    async fn get_member(&self, org: Id, user: Id) -> Result<Member> {
        let mut c = self.pool.acquire().await?;
        s::one(members(&mut c, org, Some(user)).await?)
    }

    async fn set_member_role(&self, org: Id, id: Id, role: Role, audit: &Audit<'_>) -> Result<User> {
        let mut tx = write(self, org).await?;
        let current = user(&mut tx, org, id).await?;
        if current.role == Role::Admin && role != Role::Admin {
            let admins: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE org_id = $1 AND role = 'admin'")
                .bind(org)
                .fetch_one(&mut *tx)
                .await?;
            if admins <= 1 {
                return Err(StoreError::conflict("role", "last_admin", "is the organization's last administrator"));
            }
        }
        sqlx::query("UPDATE users SET role = $3 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .bind(role.as_str())
            .execute(&mut *tx)
            .await?;
        write_audit(&mut tx, org, audit, None).await?;
        let out = user(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn link_member(&self, org: Id, id: Id, person: Option<Id>, audit: &Audit<'_>) -> Result<User> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, USER, org, id).await?;
        if let Some(person) = person {
            let mut e = FieldErrors::new();
            check(&mut tx, &mut e, PERSON, org, person, "person_id".into()).await?;
            s::invalid_if_any(e)?;
            let other: Option<Id> = sqlx::query_scalar("SELECT id FROM users WHERE person_id = $1 AND id <> $2")
                .bind(person)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            if other.is_some() {
                return Err(StoreError::conflict("person_id", "taken", "already has another account"));
            }
        }
        sqlx::query("UPDATE users SET person_id = $3 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .bind(person)
            .execute(&mut *tx)
            .await?;
        write_audit(&mut tx, org, audit, None).await?;
        let out = user(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn invite(&self, org: Id, inv: &NewInvitation<'_>, audit: &Audit<'_>) -> Result<User> {
        let mut tx = write(self, org).await?;
        let email: Option<String> =
            sqlx::query_scalar("SELECT email FROM people WHERE org_id = $1 AND id = $2 AND left_on IS NULL")
                .bind(org)
                .bind(inv.person)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(email) = email else { return Err(StoreError::unknown_id("person_id")) };
        // The person's account, or one with their e-mail not linked to
        // anyone else: inviting again renews the link of a pending one.
        let existing: Option<(Id, String)> = sqlx::query_as(
            "SELECT id, password_hash FROM users WHERE org_id = $1 \
             AND (person_id = $2 OR (lower(email) = lower($3) AND person_id IS NULL))",
        )
        .bind(org)
        .bind(inv.person)
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
        let id = match existing {
            Some((_, hash)) if hash != NO_PASSWORD => {
                return Err(StoreError::conflict("person_id", "has_account", "already has an account"));
            }
            Some((id, _)) => {
                sqlx::query("UPDATE users SET role = $2, person_id = $3 WHERE id = $1")
                    .bind(id)
                    .bind(inv.role.as_str())
                    .bind(inv.person)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM invitations WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
                id
            }
            None => sqlx::query_scalar(
                "INSERT INTO users (org_id, email, role, password_hash, person_id, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(org)
            .bind(&email)
            .bind(inv.role.as_str())
            .bind(NO_PASSWORD)
            .bind(inv.person)
            .bind(inv.now)
            .fetch_one(&mut *tx)
            .await
            .map_err(s::taken("email", "is already used by another account"))?,
        };
        sqlx::query(
            "INSERT INTO invitations (org_id, user_id, token_hash, invited_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(org)
        .bind(id)
        .bind(inv.token_hash)
        .bind(audit.actor)
        .bind(inv.now)
        .bind(inv.expires_at)
        .execute(&mut *tx)
        .await
        .map_err(s::taken("token", "is already in use"))?;
        write_audit(&mut tx, org, audit, None).await?;
        let out = user(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn invitation_account(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<(Organization, User)>> {
        let mut c = self.pool.acquire().await?;
        let Some((org, id)) = valid_invitation(&mut c, token_hash, now).await? else { return Ok(None) };
        let org = s::one(orgs(&mut c, Some(org), None).await?)?;
        let account = user(&mut c, org.id, id).await?;
        Ok(Some((org, account)))
    }

    async fn accept_invitation(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
        password_hash: &str,
    ) -> Result<Option<(Organization, User)>> {
        let Some((org, _)) = self.invitation_account(token_hash, now).await? else { return Ok(None) };
        let mut tx = write(self, org.id).await?;
        // Checked again under the organization's write lock: two uses of one
        // link race here, and only the first finds it unused.
        let Some((_, id)) = valid_invitation(&mut tx, token_hash, now).await? else { return Ok(None) };
        sqlx::query("UPDATE invitations SET accepted_at = $2 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        store_hash(&mut tx, org.id, id, password_hash).await?;
        let account = user(&mut tx, org.id, id).await?;
        let audit = Audit::new(&account.email, "user.invitation_accepted", format!("user:{id}"));
        write_audit(&mut tx, org.id, &audit, None).await?;
        tx.commit().await?;
        Ok(Some((org, account)))
    }

    async fn withdraw_invitation(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()> {
        let mut tx = write(self, org).await?;
        let (_, hash) = s::one(users(&mut tx, org, id).await?)?;
        if hash != NO_PASSWORD {
            return Err(StoreError::conflict("user", "accepted", "has accepted the invitation"));
        }
        sqlx::query("DELETE FROM users WHERE org_id = $1 AND id = $2").bind(org).bind(id).execute(&mut *tx).await?;
        write_audit(&mut tx, org, audit, None).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn list_tokens(&self, org: Id) -> Result<Vec<TokenInfo>> {
        let mut c = self.pool.acquire().await?;
        tokens(&mut c, org, None).await
    }

    async fn issue_token(
        &self,
        org: Id,
        name: &str,
        role: Role,
        token_hash: &str,
        audit: &Audit<'_>,
    ) -> Result<TokenInfo> {
        let mut tx = write(self, org).await?;
        let id: Id = sqlx::query_scalar(
            "INSERT INTO api_tokens (org_id, name, role, token_hash, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(org)
        .bind(name)
        .bind(role.as_str())
        .bind(token_hash)
        .bind(s::now())
        .bind(audit.actor)
        .fetch_one(&mut *tx)
        .await
        .map_err(s::taken("token", "is already in use"))?;
        write_audit(&mut tx, org, audit, Some(id)).await?;
        let out = s::one(tokens(&mut tx, org, Some(id)).await?)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn revoke_token(&self, org: Id, id: Id, now: DateTime<Utc>, audit: &Audit<'_>) -> Result<TokenInfo> {
        let mut tx = write(self, org).await?;
        let done =
            sqlx::query("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $3) WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        write_audit(&mut tx, org, audit, None).await?;
        let out = s::one(tokens(&mut tx, org, Some(id)).await?)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn touch_token(&self, id: Id, now: DateTime<Utc>, since: DateTime<Utc>) -> Result<()> {
        // Not under the organization's lock: a last-use time races with
        // nothing, and the condition keeps it to one write a minute.
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)",
        )
        .bind(id)
        .bind(now)
        .bind(since)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
