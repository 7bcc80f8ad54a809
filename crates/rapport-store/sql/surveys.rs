//! Surveys (with their public tokens) and listening posts.

use super::accounts::{orgs, write_audit, write_audit_opt};
use super::{
    check, must_exist, refuse_if_used, returned_id, write, Conn, Query, LISTENING_POST, PERSON, SURVEY, TOUCHPOINT,
};
use crate::dialect::Backend;
use async_trait::async_trait;
use rapport_core::listening::{ListeningPost, ListeningPostInput};
use rapport_core::org::Organization;
use rapport_core::survey::{check_publishable, Survey, SurveyInput, SurveyStatus};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::rows as s;
use rapport_store::rows::listening as l;
use rapport_store::{Audit, Result, StoreError};

const SURVEY_COLUMNS: &str = "SELECT org_id, id, touchpoint_id, title_en, title_es, intro_en, intro_es, \
     questions, fatigue_days, status, token, created_at FROM surveys";

/// Binds what a survey's writes set, after what `q` has bound.
fn bind_survey<'q>(q: Query<'q>, survey: &'q SurveyInput, questions: String) -> Query<'q> {
    q.bind(survey.touchpoint_id)
        .bind(&survey.title.en)
        .bind(&survey.title.es)
        .bind(&survey.intro.en)
        .bind(&survey.intro.es)
        .bind(questions)
        .bind(survey.fatigue_days)
}

/// Binds what a listening post's writes set, after what `q` has bound.
fn bind_post<'q>(q: Query<'q>, post: &'q ListeningPostInput) -> Query<'q> {
    q.bind(&post.name)
        .bind(&post.channel)
        .bind(post.touchpoint_id)
        .bind(post.priority)
        .bind(post.governed_by)
        .bind(post.response_hours)
        .bind(&post.notes)
}

// ---- Surveys ------------------------------------------------------

pub(crate) async fn surveys(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<Survey>> {
    let sql = format!("{SURVEY_COLUMNS} WHERE org_id = $1 AND ($2 IS NULL OR id = $2)");
    let rows: Vec<l::SurveyRow> = sqlx::query_as(&sql).bind(org).bind(id).fetch_all(&mut *c).await?;
    let mut out = rows.into_iter().map(l::SurveyRow::survey).collect::<Result<Vec<Survey>>>()?;
    s::sort_by_name(&mut out, |x| (&x.title.en, x.id));
    Ok(out)
}

async fn check_survey(c: &mut Conn, org: Id, survey: &SurveyInput) -> Result<()> {
    let mut e = FieldErrors::new();
    check(c, &mut e, TOUCHPOINT, org, survey.touchpoint_id, "touchpoint_id".into()).await?;
    s::invalid_if_any(e)
}

// ---- Listening posts ---------------------------------------------

pub(crate) async fn listening_posts(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<ListeningPost>> {
    let rows: Vec<l::ListeningPostRow> = sqlx::query_as(
        "SELECT id, name, channel, touchpoint_id, priority, governed_by, response_hours, notes \
         FROM listening_posts WHERE org_id = $1 AND ($2 IS NULL OR id = $2)",
    )
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    let mut out: Vec<ListeningPost> = rows.into_iter().map(Into::into).collect();
    l::sort_posts(&mut out);
    Ok(out)
}

async fn check_listening_post(c: &mut Conn, org: Id, post: &ListeningPostInput) -> Result<()> {
    let mut e = FieldErrors::new();
    if let Some(tp) = post.touchpoint_id {
        check(c, &mut e, TOUCHPOINT, org, tp, "touchpoint_id".into()).await?;
    }
    if let Some(person) = post.governed_by {
        check(c, &mut e, PERSON, org, person, "governed_by".into()).await?;
    }
    s::invalid_if_any(e)
}

/// A draft survey, with its audit line when there is one
/// ([`Audit::created`] is completed with the survey's id).
async fn create_survey(
    store: &Backend,
    org: Id,
    survey: &SurveyInput,
    token: &str,
    audit: Option<&Audit<'_>>,
) -> Result<Survey> {
    let mut tx = write(store, org).await?;
    check_survey(&mut tx, org, survey).await?;
    let insert = sqlx::query(
        "INSERT INTO surveys (org_id, status, token, created_at, touchpoint_id, title_en, title_es, \
         intro_en, intro_es, questions, fatigue_days) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         RETURNING id",
    )
    .bind(org)
    .bind(SurveyStatus::Draft.key())
    .bind(token)
    .bind(s::now());
    let row = bind_survey(insert, survey, s::to_json(&survey.questions)?)
        .fetch_one(&mut *tx)
        .await
        .map_err(s::taken("token", "is already used by another survey"))?;
    let id = returned_id(row)?;
    let out = s::one(surveys(&mut tx, org, Some(id)).await?)?;
    write_audit_opt(&mut tx, org, audit, Some(id)).await?;
    tx.commit().await?;
    Ok(out)
}

async fn set_survey_status(
    store: &Backend,
    org: Id,
    id: Id,
    status: SurveyStatus,
    audit: Option<&Audit<'_>>,
) -> Result<Survey> {
    let mut tx = write(store, org).await?;
    if status == SurveyStatus::Published {
        let current = s::one(surveys(&mut tx, org, Some(id)).await?)?;
        check_publishable(&current.questions).map_err(StoreError::Invalid)?;
    }
    sqlx::query("UPDATE surveys SET status = $3 WHERE org_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .bind(status.key())
        .execute(&mut *tx)
        .await?;
    let out = s::one(surveys(&mut tx, org, Some(id)).await?)?;
    write_audit_opt(&mut tx, org, audit, None).await?;
    tx.commit().await?;
    Ok(out)
}

#[async_trait]
impl rapport_store::Surveys for Backend {
    async fn list_surveys(&self, org: Id) -> Result<Vec<Survey>> {
        surveys(&mut *self.pool.acquire().await?, org, None).await
    }

    async fn get_survey(&self, org: Id, id: Id) -> Result<Survey> {
        s::one(surveys(&mut *self.pool.acquire().await?, org, Some(id)).await?)
    }

    async fn survey_by_token(&self, token: &str) -> Result<Option<(Organization, Survey)>> {
        let mut c = self.pool.acquire().await?;
        let sql = format!("{SURVEY_COLUMNS} WHERE token = $1");
        let row: Option<l::SurveyRow> = sqlx::query_as(&sql).bind(token).fetch_optional(&mut *c).await?;
        let Some(row) = row else { return Ok(None) };
        let org = s::one(orgs(&mut c, Some(row.org_id), None).await?)?;
        Ok(Some((org, row.survey()?)))
    }

    async fn create_survey(&self, org: Id, survey: &SurveyInput, token: &str) -> Result<Survey> {
        create_survey(self, org, survey, token, None).await
    }

    async fn create_survey_audited(
        &self,
        org: Id,
        survey: &SurveyInput,
        token: &str,
        audit: &Audit<'_>,
    ) -> Result<Survey> {
        create_survey(self, org, survey, token, Some(audit)).await
    }

    async fn update_survey(&self, org: Id, id: Id, survey: &SurveyInput, audit: Option<&Audit<'_>>) -> Result<Survey> {
        let mut tx = write(self, org).await?;
        let current = s::one(surveys(&mut tx, org, Some(id)).await?)?;
        if current.status == SurveyStatus::Published {
            check_publishable(&survey.questions).map_err(StoreError::Invalid)?;
        }
        check_survey(&mut tx, org, survey).await?;
        let update = sqlx::query(
            "UPDATE surveys SET touchpoint_id = $3, title_en = $4, title_es = $5, intro_en = $6, intro_es = $7, \
             questions = $8, fatigue_days = $9 WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id);
        bind_survey(update, survey, s::to_json(&survey.questions)?).execute(&mut *tx).await?;
        let out = s::one(surveys(&mut tx, org, Some(id)).await?)?;
        write_audit_opt(&mut tx, org, audit, None).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn set_survey_status(&self, org: Id, id: Id, status: SurveyStatus) -> Result<Survey> {
        set_survey_status(self, org, id, status, None).await
    }

    async fn set_survey_status_audited(
        &self,
        org: Id,
        id: Id,
        status: SurveyStatus,
        audit: &Audit<'_>,
    ) -> Result<Survey> {
        set_survey_status(self, org, id, status, Some(audit)).await
    }

    async fn delete_survey(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, SURVEY, org, id).await?;
        let responses = "SELECT id FROM responses WHERE org_id = $1 AND survey_id = $2 LIMIT 1";
        refuse_if_used(&mut tx, responses, org, id, "has responses; close it instead").await?;
        sqlx::query("DELETE FROM surveys WHERE org_id = $1 AND id = $2").bind(org).bind(id).execute(&mut *tx).await?;
        write_audit(&mut tx, org, audit, None).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[async_trait]
impl rapport_store::ListeningPosts for Backend {
    async fn list_listening_posts(&self, org: Id) -> Result<Vec<ListeningPost>> {
        listening_posts(&mut *self.pool.acquire().await?, org, None).await
    }

    async fn get_listening_post(&self, org: Id, id: Id) -> Result<ListeningPost> {
        s::one(listening_posts(&mut *self.pool.acquire().await?, org, Some(id)).await?)
    }

    async fn create_listening_post(&self, org: Id, post: &ListeningPostInput) -> Result<ListeningPost> {
        let mut tx = write(self, org).await?;
        check_listening_post(&mut tx, org, post).await?;
        let insert = sqlx::query(
            "INSERT INTO listening_posts (org_id, name, channel, touchpoint_id, priority, governed_by, \
             response_hours, notes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(org);
        let id = returned_id(bind_post(insert, post).fetch_one(&mut *tx).await?)?;
        let out = s::one(listening_posts(&mut tx, org, Some(id)).await?)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn update_listening_post(&self, org: Id, id: Id, post: &ListeningPostInput) -> Result<ListeningPost> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, LISTENING_POST, org, id).await?;
        check_listening_post(&mut tx, org, post).await?;
        let update = sqlx::query(
            "UPDATE listening_posts SET name = $3, channel = $4, touchpoint_id = $5, priority = $6, \
             governed_by = $7, response_hours = $8, notes = $9 WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id);
        bind_post(update, post).execute(&mut *tx).await?;
        let out = s::one(listening_posts(&mut tx, org, Some(id)).await?)?;
        tx.commit().await?;
        Ok(out)
    }

    async fn delete_listening_post(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, LISTENING_POST, org, id).await?;
        sqlx::query("DELETE FROM listening_posts WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        write_audit(&mut tx, org, audit, None).await?;
        tx.commit().await?;
        Ok(())
    }
}
