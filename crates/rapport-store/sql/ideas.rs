//! Ideas: submission (also from a recurring root cause), votes, comments,
//! status moves that tell the author, filing, merging, the idea of the day.

use super::announce::announce_in;
use super::case_setup::ROOT_CAUSE;
use super::notifications::notify_people;
use super::outbox::enqueue_in;
use super::{check, must_exist, notify_after, notify_in, write, Conn, EXPERIENCE, PERSON, TOUCHPOINT};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::improve as im;
use rapport_core::notification::Kind;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::improve::{self as ix, IdeaComment, IdeaDetail, IdeaFilter};
use rapport_store::listening::NoticeKind;
use rapport_store::rows as s;
use rapport_store::rows::improve as ip;
use rapport_store::{Result, StoreError};

const IDEA: &str = "SELECT id FROM ideas WHERE org_id = $1 AND id = $2";

// ---- Ideas ---------------------------------------------------------

async fn ideas_q(c: &mut Conn, org: Id, f: &IdeaFilter, id: Option<Id>) -> Result<Vec<im::Idea>> {
    let sql = format!(
        "{} WHERE i.org_id = $1 AND ($2 IS NULL OR i.id = $2) AND ($3 IS NULL OR i.status = $3) \
         AND ($4 IS NULL OR i.touchpoint_id = $4) AND ($5 IS NULL OR i.author_id = $5) \
         AND ($6 OR i.merged_into IS NULL) \
         AND ($7 IS NULL OR i.created_at < $7 OR (i.created_at = $7 AND i.id < $8)) \
         ORDER BY i.created_at DESC, i.id DESC LIMIT $9",
        ip::IDEA_SELECT
    );
    let rows: Vec<ip::IdeaRow> = sqlx::query_as(&sql)
        .bind(org)
        .bind(id)
        .bind(f.status.map(|s| s.key()))
        .bind(f.touchpoint)
        .bind(f.author)
        .bind(f.include_merged || id.is_some())
        .bind(f.after.map(|k| k.at))
        .bind(f.after.map(|k| k.id))
        .bind(if f.limit > 0 { f.limit } else { i64::MAX })
        .fetch_all(&mut *c)
        .await?;
    rows.into_iter().map(ip::IdeaRow::idea).collect()
}

pub(crate) async fn idea_one(c: &mut Conn, org: Id, id: Id) -> Result<im::Idea> {
    s::one(ideas_q(c, org, &IdeaFilter::default(), Some(id)).await?)
}

async fn idea_detail(c: &mut Conn, org: Id, id: Id) -> Result<IdeaDetail> {
    let idea = idea_one(c, org, id).await?;
    let voters: Vec<Id> =
        sqlx::query_scalar("SELECT person_id FROM idea_votes WHERE org_id = $1 AND idea_id = $2 ORDER BY person_id")
            .bind(org)
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
    let comments: Vec<(Id, Id, String, DateTime<Utc>)> = sqlx::query_as(
        "SELECT id, author_id, body, created_at FROM idea_comments WHERE org_id = $1 AND idea_id = $2 ORDER BY id",
    )
    .bind(org)
    .bind(id)
    .fetch_all(&mut *c)
    .await?;
    let case_ids: Vec<Id> =
        sqlx::query_scalar("SELECT case_id FROM idea_cases WHERE org_id = $1 AND idea_id = $2 ORDER BY case_id")
            .bind(org)
            .bind(id)
            .fetch_all(&mut *c)
            .await?;
    let root_cause_id: Option<Id> = sqlx::query_scalar("SELECT root_cause_id FROM ideas WHERE org_id = $1 AND id = $2")
        .bind(org)
        .bind(id)
        .fetch_one(&mut *c)
        .await?;
    Ok(IdeaDetail {
        idea,
        voters,
        comment_list: comments
            .into_iter()
            .map(|(cid, author_id, body, created_at)| IdeaComment { id: cid, idea_id: id, author_id, body, created_at })
            .collect(),
        case_ids,
        root_cause_id,
    })
}

pub(crate) async fn check_idea_refs(c: &mut Conn, org: Id, author: Id, idea: &im::IdeaInput) -> Result<()> {
    let mut e = FieldErrors::new();
    check(c, &mut e, PERSON, org, author, "author_id".into()).await?;
    if let Some(tp) = idea.touchpoint_id {
        check(c, &mut e, TOUCHPOINT, org, tp, "touchpoint_id".into()).await?;
    }
    if let Some(x) = idea.experience_id {
        check(c, &mut e, EXPERIENCE, org, x, "experience_id".into()).await?;
    }
    s::invalid_if_any(e)
}

pub(crate) async fn insert_idea(
    c: &mut Conn,
    org: Id,
    author: Id,
    idea: &im::IdeaInput,
    root_cause: Option<Id>,
) -> Result<Id> {
    let at = s::now();
    Ok(sqlx::query_scalar(
        "INSERT INTO ideas (org_id, title, body, author_id, source, touchpoint_id, experience_id, status, \
         root_cause_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'new', $8, $9, $9) RETURNING id",
    )
    .bind(org)
    .bind(&idea.title)
    .bind(&idea.body)
    .bind(author)
    .bind(ip::source_key(idea.source))
    .bind(idea.touchpoint_id)
    .bind(idea.experience_id)
    .bind(root_cause)
    .bind(at)
    .fetch_one(&mut *c)
    .await?)
}

async fn has_vote(c: &mut Conn, idea: Id, person: Id) -> Result<bool> {
    let v: Option<Id> = sqlx::query_scalar("SELECT person_id FROM idea_votes WHERE idea_id = $1 AND person_id = $2")
        .bind(idea)
        .bind(person)
        .fetch_optional(&mut *c)
        .await?;
    Ok(v.is_some())
}

async fn add_vote(c: &mut Conn, org: Id, idea: Id, person: Id, at: DateTime<Utc>) -> Result<()> {
    sqlx::query("INSERT INTO idea_votes (org_id, idea_id, person_id, created_at) VALUES ($1, $2, $3, $4)")
        .bind(org)
        .bind(idea)
        .bind(person)
        .bind(at)
        .execute(&mut *c)
        .await?;
    Ok(())
}

/// Sets an idea's status and tells its author (outbox and notice).
pub(crate) async fn move_idea(
    c: &mut Conn,
    org: Id,
    idea: &im::Idea,
    to: im::IdeaStatus,
    reason: Option<&str>,
) -> Result<im::Idea> {
    let at = s::now();
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    sqlx::query(
        "UPDATE ideas SET status = $3, status_reason = $4, updated_at = $5, \
         implemented_at = CASE WHEN $3 = 'implemented' THEN $5 ELSE implemented_at END \
         WHERE org_id = $1 AND id = $2",
    )
    .bind(org)
    .bind(idea.id)
    .bind(to.key())
    .bind(reason)
    .bind(at)
    .execute(&mut *c)
    .await?;
    let out = idea_one(c, org, idea.id).await?;
    let link = format!("/ideas/{}", out.id);
    let emails = notify_people(c, org, Kind::IdeaStatus, &[out.author_id], &out.title, &link, None).await?;
    enqueue_in(c, org, "idea.status", &ix::idea_status_payload(&out, emails)).await?;
    notify_in(c, org, NoticeKind::Idea, &[out.id]).await?;
    Ok(out)
}

async fn idea_of_the_day(store: &Backend, org: Id, today: NaiveDate) -> Result<Option<im::Idea>> {
    let f = IdeaFilter { include_merged: true, ..IdeaFilter::default() };
    let all = ideas_q(&mut *store.pool.acquire().await?, org, &f, None).await?;
    let scores: Vec<im::IdeaScore> = all
        .iter()
        .map(|i| im::IdeaScore {
            id: i.id,
            votes: i.votes,
            created_at: i.created_at,
            status: i.status,
            merged: i.merged_into.is_some(),
        })
        .collect();
    let pick = im::idea_of_the_day(&scores, today);
    Ok(all.into_iter().find(|i| Some(i.id) == pick))
}

#[async_trait]
impl rapport_store::Ideas for Backend {
    async fn create_idea(&self, org: Id, author: Id, idea: &im::IdeaInput) -> Result<im::Idea> {
        let mut tx = write(self, org).await?;
        check_idea_refs(&mut tx, org, author, idea).await?;
        let id = insert_idea(&mut tx, org, author, idea, None).await?;
        let out = idea_one(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn create_idea_from_root_cause(
        &self,
        org: Id,
        root_cause: Id,
        author: Id,
        idea: &im::IdeaInput,
    ) -> Result<IdeaDetail> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, ROOT_CAUSE, org, root_cause).await?;
        check_idea_refs(&mut tx, org, author, idea).await?;
        let id = insert_idea(&mut tx, org, author, idea, Some(root_cause)).await?;
        sqlx::query(
            "INSERT INTO idea_cases (org_id, idea_id, case_id) SELECT $1, $2, id FROM cases \
             WHERE org_id = $1 AND root_cause_id = $3 AND status = 'closed'",
        )
        .bind(org)
        .bind(id)
        .bind(root_cause)
        .execute(&mut *tx)
        .await?;
        let out = idea_detail(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn list_ideas(&self, org: Id, f: &IdeaFilter) -> Result<Vec<im::Idea>> {
        ideas_q(&mut *self.pool.acquire().await?, org, f, None).await
    }

    async fn get_idea(&self, org: Id, id: Id) -> Result<IdeaDetail> {
        idea_detail(&mut *self.pool.acquire().await?, org, id).await
    }

    async fn vote_idea(&self, org: Id, id: Id, person: Id) -> Result<im::Idea> {
        let mut tx = write(self, org).await?;
        let idea = idea_one(&mut tx, org, id).await?;
        im::idea::vote_check(&idea).map_err(StoreError::Invalid)?;
        let mut e = FieldErrors::new();
        check(&mut tx, &mut e, PERSON, org, person, "person_id".into()).await?;
        s::invalid_if_any(e)?;
        if has_vote(&mut tx, id, person).await? {
            return Err(StoreError::conflict("person_id", "already_voted", "has already voted for this idea"));
        }
        add_vote(&mut tx, org, id, person, s::now()).await?;
        let out = idea_one(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn unvote_idea(&self, org: Id, id: Id, person: Id) -> Result<im::Idea> {
        let mut tx = write(self, org).await?;
        idea_one(&mut tx, org, id).await?;
        let done = sqlx::query("DELETE FROM idea_votes WHERE org_id = $1 AND idea_id = $2 AND person_id = $3")
            .bind(org)
            .bind(id)
            .bind(person)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let out = idea_one(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn comment_idea(&self, org: Id, id: Id, person: Id, body: &str) -> Result<IdeaComment> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, IDEA, org, id).await?;
        let mut e = FieldErrors::new();
        check(&mut tx, &mut e, PERSON, org, person, "person_id".into()).await?;
        s::invalid_if_any(e)?;
        let at = s::now();
        let cid: Id = sqlx::query_scalar(
            "INSERT INTO idea_comments (org_id, idea_id, author_id, body, created_at) VALUES ($1, $2, $3, $4, $5) \
             RETURNING id",
        )
        .bind(org)
        .bind(id)
        .bind(person)
        .bind(body)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        // The idea's author hears of it, unless they wrote the comment.
        let idea = idea_one(&mut tx, org, id).await?;
        if idea.author_id != person {
            let link = format!("/ideas/{id}");
            let emails =
                notify_people(&mut tx, org, Kind::IdeaComment, &[idea.author_id], &idea.title, &link, None).await?;
            if !emails.is_empty() {
                let payload =
                    serde_json::json!({"email_to": emails, "title": idea.title, "summary": body, "url": link});
                enqueue_in(&mut tx, org, "idea.comment", &payload).await?;
            }
        }
        tx.commit().await?;
        Ok(IdeaComment { id: cid, idea_id: id, author_id: person, body: body.to_string(), created_at: at })
    }

    async fn set_idea_status(
        &self,
        org: Id,
        id: Id,
        to: im::IdeaStatus,
        reason: Option<&str>,
        actor: &str,
    ) -> Result<im::Idea> {
        let _ = actor;
        let mut tx = write(self, org).await?;
        let idea = idea_one(&mut tx, org, id).await?;
        if let Some(into) = idea.merged_into {
            return Err(StoreError::Invalid(FieldErrors::single(
                "status",
                "merged",
                format!("this idea was merged into idea {into}; move that one"),
            )));
        }
        im::transition(idea.status, to, reason).map_err(StoreError::Invalid)?;
        if to == im::IdeaStatus::Approved {
            im::idea::check_filed(idea.touchpoint_id, idea.experience_id).map_err(StoreError::Invalid)?;
        }
        let out = move_idea(&mut tx, org, &idea, to, reason).await?;
        let mut announced = Vec::new();
        if to == im::IdeaStatus::Implemented {
            announced.push(
                announce_in(
                    &mut tx,
                    org,
                    im::AnnouncementKind::IdeaImplemented,
                    out.id,
                    out.touchpoint_id,
                    out.experience_id,
                    &out.title,
                    None,
                )
                .await?,
            );
        }
        tx.commit().await?;
        notify_after(self, org, NoticeKind::Idea, &[id]);
        notify_after(self, org, NoticeKind::Announcement, &announced);
        Ok(out)
    }

    async fn file_idea(&self, org: Id, id: Id, tp: Option<Id>, x: Option<Id>) -> Result<im::Idea> {
        let mut tx = write(self, org).await?;
        let idea = idea_one(&mut tx, org, id).await?;
        im::idea::check_filed(tp, x).map_err(StoreError::Invalid)?;
        let input =
            im::IdeaInput { title: idea.title, body: None, touchpoint_id: tp, experience_id: x, source: idea.source };
        check_idea_refs(&mut tx, org, idea.author_id, &input).await?;
        sqlx::query(
            "UPDATE ideas SET touchpoint_id = $3, experience_id = $4, updated_at = $5 WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id)
        .bind(tp)
        .bind(x)
        .bind(s::now())
        .execute(&mut *tx)
        .await?;
        let out = idea_one(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn merge_idea(&self, org: Id, duplicate: Id, target: Id) -> Result<im::Idea> {
        let mut tx = write(self, org).await?;
        let dup = idea_one(&mut tx, org, duplicate).await?;
        let into = match idea_one(&mut tx, org, target).await {
            Err(StoreError::NotFound) => return Err(StoreError::unknown_id("target_id")),
            other => other?,
        };
        im::merge_check(&into, &dup).map_err(StoreError::Invalid)?;
        let voters = |id: Id| {
            sqlx::query_scalar::<_, Id>("SELECT person_id FROM idea_votes WHERE org_id = $1 AND idea_id = $2")
                .bind(org)
                .bind(id)
        };
        let target_voters: Vec<Id> = voters(target).fetch_all(&mut *tx).await?;
        let dup_voters: Vec<Id> = voters(duplicate).fetch_all(&mut *tx).await?;
        let merged = im::idea::merge_voters(&target_voters, &dup_voters);
        let at = s::now();
        for person in &merged.added {
            add_vote(&mut tx, org, target, *person, at).await?;
        }
        sqlx::query("DELETE FROM idea_votes WHERE org_id = $1 AND idea_id = $2")
            .bind(org)
            .bind(duplicate)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE ideas SET merged_into = $3, updated_at = $4 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(duplicate)
            .bind(target)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        let out = idea_one(&mut tx, org, target).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn idea_of_the_day(&self, org: Id, today: NaiveDate) -> Result<Option<im::Idea>> {
        idea_of_the_day(self, org, today).await
    }

    async fn idea_rows(&self, org: Id) -> Result<Vec<im::IdeaRow>> {
        let rows: Vec<(Id, Option<String>, DateTime<Utc>, String, Option<DateTime<Utc>>)> = sqlx::query_as(
            "SELECT i.author_id, p.department, i.created_at, i.status, i.implemented_at FROM ideas i \
             LEFT JOIN people p ON p.id = i.author_id AND p.org_id = i.org_id \
             WHERE i.org_id = $1 AND i.merged_into IS NULL ORDER BY i.id",
        )
        .bind(org)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(author_id, department, created, status, implemented)| {
                Ok(im::IdeaRow {
                    author_id,
                    department,
                    created_on: created.date_naive(),
                    status: ip::idea_status(&status)?,
                    implemented_on: implemented.map(|d| d.date_naive()),
                })
            })
            .collect()
    }
}
