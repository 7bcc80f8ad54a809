//! People, and handing over what someone leads, owns or governs.

use super::accounts::{write_audit, write_audit_opt};
use super::{found, must_exist, write, Conn, ACTIVE_PERSON, PERSON};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::NaiveDate;
use rapport_core::person::{Person, PersonInput};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::rows as s;
use rapport_store::{Audit, Handover, Result, StoreError};

pub(crate) async fn people(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<Person>> {
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

#[async_trait]
impl rapport_store::People for Backend {
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
        // An account with the same e-mail and no person is this person: an
        // account created before its person links by itself.
        sqlx::query(
            "UPDATE users SET person_id = $2 WHERE org_id = $1 AND lower(email) = lower($3) AND person_id IS NULL",
        )
        .bind(org)
        .bind(id)
        .bind(&person.email)
        .execute(&mut *tx)
        .await?;
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

    async fn deactivate_person(&self, org: Id, id: Id, on: NaiveDate, audit: Option<&Audit<'_>>) -> Result<Person> {
        let mut tx = write(self, org).await?;
        sqlx::query("UPDATE people SET left_on = $3 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .bind(on)
            .execute(&mut *tx)
            .await?;
        let out = s::one(people(&mut tx, org, Some(id)).await?)?;
        // Whoever left is signed out everywhere (and cannot sign in again,
        // see `user_for_sign_in`).
        sqlx::query(
            "DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE org_id = $1 AND person_id = $2)",
        )
        .bind(org)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        write_audit_opt(&mut tx, org, audit, None).await?;
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

    async fn handover(&self, org: Id, from: Id, to: Id, audit: Option<&Audit<'_>>) -> Result<Handover> {
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
        let mut moved = [0; 3];
        for (count, sql) in moved.iter_mut().zip([
            "UPDATE experiences SET leader_id = $3 WHERE org_id = $1 AND leader_id = $2",
            "UPDATE touchpoints SET owner_id = $3 WHERE org_id = $1 AND owner_id = $2",
            "UPDATE listening_posts SET governed_by = $3 WHERE org_id = $1 AND governed_by = $2",
        ]) {
            *count = sqlx::query(sql).bind(org).bind(from).bind(to).execute(&mut *tx).await?.rows_affected();
        }
        let [experiences, touchpoints, listening_posts] = moved;
        // Open cases move with a history line naming both people.
        let actor = audit.map_or("system", |a| a.actor);
        let moved_cases = super::case_queue::hand_over_cases(&mut tx, org, from, to, actor, s::now()).await?;
        let cases = moved_cases.len() as u64;
        write_audit_opt(&mut tx, org, audit, None).await?;
        tx.commit().await?;
        super::notify_after(self, org, rapport_store::listening::NoticeKind::Case, &moved_cases);
        Ok(Handover { experiences, touchpoints, listening_posts, cases })
    }

    async fn delete_person(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()> {
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
        write_audit(&mut tx, org, audit, None).await?;
        tx.commit().await?;
        Ok(())
    }
}
