//! Organizations, accounts, sessions, API tokens, the installation secret
//! and the audit trail.

use super::{check, must_exist, write, Conn, PERSON, USER};
use crate::dialect::{Backend, BEGIN_WRITE, NAME};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::lang::Lang;
use rapport_core::org::{NewOrganization, Organization};
use rapport_core::role::Role;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::rows as s;
use rapport_store::{ApiToken, Audit, AuditEntry, NewUser, Result, StoreError, User};

/// Writes `audit` in the transaction of the change it records, before that
/// commits, so the change and its line exist together or not at all.
/// `created` completes an [`Audit::created`] subject. A line naming no actor
/// or no action is refused (`Invalid`, field `audit`), and the change with it.
pub(crate) async fn write_audit(c: &mut Conn, org: Id, audit: &Audit<'_>, created: Option<Id>) -> Result<()> {
    if audit.actor.trim().is_empty() || audit.action.trim().is_empty() {
        return Err(StoreError::Invalid(FieldErrors::single("audit", "required", "names no actor or no action")));
    }
    sqlx::query("INSERT INTO audit_log (org_id, at, actor, action, subject) VALUES ($1, $2, $3, $4, $5)")
        .bind(org)
        .bind(s::now())
        .bind(audit.actor)
        .bind(audit.action)
        .bind(audit.subject(created))
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// [`write_audit`] when the caller has a line to write.
pub(crate) async fn write_audit_opt(
    c: &mut Conn,
    org: Id,
    audit: Option<&Audit<'_>>,
    created: Option<Id>,
) -> Result<()> {
    match audit {
        Some(audit) => write_audit(c, org, audit, created).await,
        None => Ok(()),
    }
}

pub(crate) async fn orgs(c: &mut Conn, id: Option<Id>, slug: Option<&str>) -> Result<Vec<Organization>> {
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

pub(crate) async fn users(c: &mut Conn, org: Id, id: Id) -> Result<Vec<(User, String)>> {
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

#[async_trait]
impl rapport_store::Accounts for Backend {
    fn backend(&self) -> &'static str {
        NAME
    }

    async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    fn pool_use(&self) -> rapport_store::PoolUse {
        // num_idle is a usize only because the pool's size is; it fits.
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX);
        rapport_store::PoolUse { size: self.pool.size(), idle }
    }

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

    async fn set_mission(&self, org: Id, mission: Option<&str>, audit: Option<&Audit<'_>>) -> Result<Organization> {
        let mut tx = write(self, org).await?;
        sqlx::query("UPDATE organizations SET mission = $2 WHERE id = $1")
            .bind(org)
            .bind(mission)
            .execute(&mut *tx)
            .await?;
        write_audit_opt(&mut tx, org, audit, None).await?;
        let out = s::one(orgs(&mut tx, Some(org), None).await?)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn create_user(&self, org: Id, user: &NewUser) -> Result<User> {
        let mut tx = write(self, org).await?;
        if let Some(person) = user.person_id {
            let mut e = FieldErrors::new();
            check(&mut tx, &mut e, PERSON, org, person, "person_id".into()).await?;
            s::invalid_if_any(e)?;
        }
        let id: Id = sqlx::query_scalar(
            // Without a person named, the person with the same e-mail and no
            // account yet, if any: people and accounts are one thing to users.
            "INSERT INTO users (org_id, email, role, password_hash, person_id, created_at) \
             VALUES ($1, $2, $3, $4, COALESCE($5, (SELECT p.id FROM people p WHERE p.org_id = $1 \
               AND lower(p.email) = lower($2) AND NOT EXISTS (SELECT 1 FROM users u WHERE u.person_id = p.id))), $6) \
             RETURNING id",
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
            // Someone whose person has left cannot sign in.
            "SELECT id, email, role, person_id, language, password_hash, created_at FROM users \
             WHERE org_id = $1 AND lower(email) = lower($2) AND NOT EXISTS \
             (SELECT 1 FROM people p WHERE p.id = users.person_id AND p.left_on <= $3)",
        )
        .bind(org)
        .bind(email)
        .bind(Utc::now().date_naive())
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

    async fn create_session(&self, org: Id, user: Id, token_hash: &str, expires_at: DateTime<Utc>) -> Result<()> {
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

    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<(Organization, User)>> {
        let mut c = self.pool.acquire().await?;
        let session: Option<(Id, Id, DateTime<Utc>)> =
            sqlx::query_as("SELECT org_id, user_id, expires_at FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&mut *c)
                .await?;
        // Compared here rather than in SQL, where SQLite would compare text.
        let Some((org, user, _)) = session.filter(|(_, _, at)| *at > now) else {
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

    async fn purge_sessions(&self, now: DateTime<Utc>, limit: i64) -> Result<u64> {
        // Oldest first along the primary key, the batch bounded by `limit`.
        // SQLite compares the times as text, which orders them as times:
        // every one is written from a `DateTime<Utc>` (RFC 3339, `+00:00`).
        let done = sqlx::query(
            "DELETE FROM sessions WHERE id IN \
             (SELECT id FROM sessions WHERE expires_at <= $1 ORDER BY id LIMIT $2)",
        )
        .bind(now)
        .bind(limit.max(0))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    async fn create_token(&self, org: Id, name: &str, role: Role, token_hash: &str) -> Result<ApiToken> {
        let mut tx = write(self, org).await?;
        let row: s::TokenRow = sqlx::query_as(
            "INSERT INTO api_tokens (org_id, name, role, token_hash, created_at) VALUES ($1, $2, $3, $4, $5) \
             RETURNING id, org_id, name, role, created_at, last_used_at",
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
            "SELECT id, org_id, name, role, created_at, last_used_at FROM api_tokens \
                 WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(token_hash)
        .fetch_optional(&mut *c)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let org = s::one(orgs(&mut c, Some(row.org_id), None).await?)?;
        Ok(Some((org, row.token()?)))
    }

    // ---- Installation -------------------------------------------------

    async fn installation_secret(&self, candidate: &str) -> Result<String> {
        let mut tx = self.pool.begin_with(BEGIN_WRITE).await?;
        sqlx::query(
            "INSERT INTO installation_settings (name, value) VALUES ('secret', $1) ON CONFLICT (name) DO NOTHING",
        )
        .bind(candidate)
        .execute(&mut *tx)
        .await?;
        let secret: String = sqlx::query_scalar("SELECT value FROM installation_settings WHERE name = 'secret'")
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(secret)
    }

    async fn record_audit(&self, org: Id, audit: &Audit<'_>) -> Result<()> {
        let mut tx = write(self, org).await?;
        write_audit(&mut tx, org, audit, None).await?;
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
}
