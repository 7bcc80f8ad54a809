//! The improvement loop's share of the SQL: ideas, sprints, announcements
//! and the communications plan.
//!
//! [`__sql_improve!`](crate::__sql_improve) is expanded by
//! [`impl_sql_store!`](crate::impl_sql_store) after the cases and outbox
//! parts and uses their helpers (`write`, `check`, `enqueue_in`,
//! `notify_in`, `load_calendar`, `score_rows`, ...). Announcements are
//! published by [`announce_in`] inside the transaction of the change they
//! announce (also touchpoint and intent writes in `sql.rs`).

use crate::error::Result;
use crate::sql::{corrupt, from_json};
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::improve::comms::CommsChannel;
use rapport_core::improve::sprint::{Proposal, SprintPhase};
use rapport_core::improve::{CommsItem, CommsStatus, Idea, IdeaSource, IdeaStatus, Outcome, Snapshot, Sprint};
use rapport_core::Id;

pub fn source_key(s: IdeaSource) -> &'static str {
    match s {
        IdeaSource::Web => "web",
        IdeaSource::Api => "api",
        IdeaSource::Email => "email",
    }
}

fn source(text: &str) -> Result<IdeaSource> {
    match text {
        "web" => Ok(IdeaSource::Web),
        "api" => Ok(IdeaSource::Api),
        "email" => Ok(IdeaSource::Email),
        _ => Err(corrupt(format!("idea source {text:?}"))),
    }
}

pub fn idea_status(text: &str) -> Result<IdeaStatus> {
    IdeaStatus::parse(text).ok_or_else(|| corrupt(format!("idea status {text:?}")))
}

pub const IDEA_SELECT: &str = "SELECT i.id, i.title, i.body, i.author_id, i.source, i.touchpoint_id, i.experience_id, \
     i.status, i.status_reason, i.merged_into, i.created_at, i.updated_at, \
     (SELECT COUNT(*) FROM idea_votes v WHERE v.idea_id = i.id) AS votes, \
     (SELECT COUNT(*) FROM idea_comments m WHERE m.idea_id = i.id) AS comments FROM ideas i";

#[derive(sqlx::FromRow)]
pub struct IdeaRow {
    id: Id,
    title: String,
    body: Option<String>,
    author_id: Id,
    source: String,
    touchpoint_id: Option<Id>,
    experience_id: Option<Id>,
    status: String,
    status_reason: Option<String>,
    merged_into: Option<Id>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    votes: i64,
    comments: i64,
}

impl IdeaRow {
    pub fn idea(self) -> Result<Idea> {
        Ok(Idea {
            id: self.id,
            title: self.title,
            body: self.body,
            author_id: self.author_id,
            source: source(&self.source)?,
            touchpoint_id: self.touchpoint_id,
            experience_id: self.experience_id,
            status: idea_status(&self.status)?,
            status_reason: self.status_reason,
            votes: self.votes,
            comments: self.comments,
            merged_into: self.merged_into,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

pub const SPRINT_SELECT: &str = "SELECT id, touchpoint_id, name, leader_id, start_on, end_on, phases, proposal, \
     proposal_by, proposal_at, approved_by, approved_at, baseline, outcome, created_at FROM sprints";

#[derive(sqlx::FromRow)]
pub struct SprintRow {
    id: Id,
    touchpoint_id: Id,
    name: String,
    leader_id: Id,
    start_on: NaiveDate,
    end_on: NaiveDate,
    phases: String,
    proposal: Option<String>,
    proposal_by: Option<Id>,
    proposal_at: Option<DateTime<Utc>>,
    approved_by: Option<Id>,
    approved_at: Option<DateTime<Utc>>,
    baseline: Option<String>,
    outcome: Option<String>,
    created_at: DateTime<Utc>,
}

impl SprintRow {
    pub fn id(&self) -> Id {
        self.id
    }

    pub fn sprint(self, team_ids: Vec<Id>, idea_ids: Vec<Id>) -> Result<Sprint> {
        let phases: Vec<SprintPhase> = from_json("sprint phases", &self.phases)?;
        let proposal = match (self.proposal, self.proposal_by, self.proposal_at) {
            (Some(document), Some(submitted_by), Some(submitted_at)) => Some(Proposal {
                document,
                submitted_by,
                submitted_at,
                approved_by: self.approved_by,
                approved_at: self.approved_at,
            }),
            _ => None,
        };
        let baseline: Option<Snapshot> =
            self.baseline.as_deref().map(|b| from_json("sprint baseline", b)).transpose()?;
        let outcome: Option<Outcome> = self.outcome.as_deref().map(|o| from_json("sprint outcome", o)).transpose()?;
        Ok(Sprint {
            id: self.id,
            touchpoint_id: self.touchpoint_id,
            name: self.name,
            leader_id: self.leader_id,
            team_ids,
            idea_ids,
            start: self.start_on,
            end: self.end_on,
            phases,
            proposal,
            baseline,
            outcome,
            created_at: self.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct CommsRow {
    id: Id,
    title: String,
    audience: String,
    channel: String,
    day: NaiveDate,
    owner_id: Id,
    status: String,
}

pub const COMMS_SELECT: &str = "SELECT id, title, audience, channel, day, owner_id, status FROM comms_items";

impl CommsRow {
    pub fn item(self) -> Result<CommsItem> {
        Ok(CommsItem {
            id: self.id,
            title: self.title,
            audience: self.audience,
            channel: CommsChannel::parse(&self.channel)
                .ok_or_else(|| corrupt(format!("comms channel {:?}", self.channel)))?,
            date: self.day,
            owner_id: self.owner_id,
            status: CommsStatus::parse(&self.status)
                .ok_or_else(|| corrupt(format!("comms status {:?}", self.status)))?,
        })
    }
}

/// The improvement loop's methods' bodies; see the module documentation.
#[doc(hidden)]
#[macro_export]
macro_rules! __sql_improve {
    (store: $store:ty, database: $db:ty $(,)?) => {
        use $crate::improve::{self as ix, IdeaComment, IdeaDetail, IdeaFilter};
        use $crate::sql::improve as ip;
        use $crate::sql::__private::rapport_core::improve as im;

        const IDEA: &str = "SELECT id FROM ideas WHERE org_id = $1 AND id = $2";

        // ---- Ideas ---------------------------------------------------------

        async fn ideas_q(c: &mut Conn, org: Id, f: &IdeaFilter, id: Option<Id>) -> Result<Vec<im::Idea>> {
            let sql = format!(
                "{} WHERE i.org_id = $1 AND ($2 IS NULL OR i.id = $2) AND ($3 IS NULL OR i.status = $3) \
                 AND ($4 IS NULL OR i.touchpoint_id = $4) AND ($5 IS NULL OR i.author_id = $5) \
                 AND ($6 OR i.merged_into IS NULL) ORDER BY i.created_at DESC, i.id DESC",
                ip::IDEA_SELECT
            );
            let rows: Vec<ip::IdeaRow> = sqlx::query_as(&sql)
                .bind(org)
                .bind(id)
                .bind(f.status.map(|s| s.key()))
                .bind(f.touchpoint)
                .bind(f.author)
                .bind(f.include_merged || id.is_some())
                .fetch_all(&mut *c)
                .await?;
            rows.into_iter().map(ip::IdeaRow::idea).collect()
        }

        async fn idea_one(c: &mut Conn, org: Id, id: Id) -> Result<im::Idea> {
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
            let root_cause_id: Option<Id> =
                sqlx::query_scalar("SELECT root_cause_id FROM ideas WHERE org_id = $1 AND id = $2")
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

        async fn emails_of(c: &mut Conn, org: Id, people: &[Id]) -> Result<Vec<String>> {
            let mut out = Vec::new();
            for p in people {
                let email: Option<String> = sqlx::query_scalar("SELECT email FROM people WHERE org_id = $1 AND id = $2")
                    .bind(org)
                    .bind(*p)
                    .fetch_optional(&mut *c)
                    .await?;
                out.extend(email);
            }
            Ok(out)
        }

        async fn check_idea_refs(c: &mut Conn, org: Id, author: Id, idea: &im::IdeaInput) -> Result<()> {
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

        async fn insert_idea(c: &mut Conn, org: Id, author: Id, idea: &im::IdeaInput, root_cause: Option<Id>) -> Result<Id> {
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

        async fn create_idea(store: &$store, org: Id, author: Id, idea: &im::IdeaInput) -> Result<im::Idea> {
            let mut tx = write(store, org).await?;
            check_idea_refs(&mut tx, org, author, idea).await?;
            let id = insert_idea(&mut tx, org, author, idea, None).await?;
            let out = idea_one(&mut tx, org, id).await?;
            tx.commit().await?;
            Ok(out)
        }

        async fn create_idea_from_root_cause(
            store: &$store,
            org: Id,
            root_cause: Id,
            author: Id,
            idea: &im::IdeaInput,
        ) -> Result<IdeaDetail> {
            let mut tx = write(store, org).await?;
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

        async fn list_ideas(store: &$store, org: Id, f: &IdeaFilter) -> Result<Vec<im::Idea>> {
            ideas_q(&mut *store.pool.acquire().await?, org, f, None).await
        }

        async fn get_idea(store: &$store, org: Id, id: Id) -> Result<IdeaDetail> {
            idea_detail(&mut *store.pool.acquire().await?, org, id).await
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

        async fn vote_idea(store: &$store, org: Id, id: Id, person: Id) -> Result<im::Idea> {
            let mut tx = write(store, org).await?;
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

        async fn unvote_idea(store: &$store, org: Id, id: Id, person: Id) -> Result<im::Idea> {
            let mut tx = write(store, org).await?;
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

        async fn comment_idea(store: &$store, org: Id, id: Id, person: Id, body: &str) -> Result<IdeaComment> {
            let mut tx = write(store, org).await?;
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
            tx.commit().await?;
            Ok(IdeaComment { id: cid, idea_id: id, author_id: person, body: body.to_string(), created_at: at })
        }

        /// Sets an idea's status and tells its author (outbox and notice).
        async fn move_idea(c: &mut Conn, org: Id, idea: &im::Idea, to: im::IdeaStatus, reason: Option<&str>) -> Result<im::Idea> {
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
            let emails = emails_of(c, org, &[out.author_id]).await?;
            enqueue_in(c, org, "idea.status", &ix::idea_status_payload(&out, emails)).await?;
            notify_in(c, org, NoticeKind::Idea, &[out.id]).await?;
            Ok(out)
        }

        async fn set_idea_status(
            store: &$store,
            org: Id,
            id: Id,
            to: im::IdeaStatus,
            reason: Option<&str>,
            actor: &str,
        ) -> Result<im::Idea> {
            let _ = actor;
            let mut tx = write(store, org).await?;
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
                    announce_in(&mut tx, org, im::AnnouncementKind::IdeaImplemented, out.id, out.touchpoint_id, out.experience_id, &out.title, None)
                        .await?,
                );
            }
            tx.commit().await?;
            notify_after(store, org, NoticeKind::Idea, &[id]);
            notify_after(store, org, NoticeKind::Announcement, &announced);
            Ok(out)
        }

        async fn file_idea(store: &$store, org: Id, id: Id, tp: Option<Id>, x: Option<Id>) -> Result<im::Idea> {
            let mut tx = write(store, org).await?;
            let idea = idea_one(&mut tx, org, id).await?;
            im::idea::check_filed(tp, x).map_err(StoreError::Invalid)?;
            let input = im::IdeaInput { title: idea.title, body: None, touchpoint_id: tp, experience_id: x, source: idea.source };
            check_idea_refs(&mut tx, org, idea.author_id, &input).await?;
            sqlx::query("UPDATE ideas SET touchpoint_id = $3, experience_id = $4, updated_at = $5 WHERE org_id = $1 AND id = $2")
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

        async fn merge_idea(store: &$store, org: Id, duplicate: Id, target: Id) -> Result<im::Idea> {
            let mut tx = write(store, org).await?;
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

        async fn idea_of_the_day(store: &$store, org: Id, today: NaiveDate) -> Result<Option<im::Idea>> {
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

        async fn idea_rows(store: &$store, org: Id) -> Result<Vec<im::IdeaRow>> {
            let rows: Vec<(Id, Option<String>, DateTime<Utc>, String, Option<DateTime<Utc>>)> = sqlx::query_as(
                "SELECT i.author_id, p.department, i.created_at, i.status, i.implemented_at FROM ideas i \
                 LEFT JOIN people p ON p.id = i.author_id AND p.org_id = i.org_id \
                 WHERE i.org_id = $1 AND i.merged_into IS NULL ORDER BY i.id",
            )
            .bind(org)
            .fetch_all(&store.pool)
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

        // ---- Announcements ---------------------------------------------------

        /// The people who deliver a touchpoint: its owner, its department's
        /// active people, the agents routed to it.
        async fn delivering(c: &mut Conn, org: Id, tp: Id) -> Result<Vec<Id>> {
            let owner: Option<Option<Id>> = sqlx::query_scalar("SELECT owner_id FROM touchpoints WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(tp)
                .fetch_optional(&mut *c)
                .await?;
            let department: Vec<Id> = sqlx::query_scalar(
                "SELECT p.id FROM people p JOIN touchpoints t ON t.org_id = p.org_id AND t.department = p.department \
                 WHERE p.org_id = $1 AND t.id = $2 AND p.left_on IS NULL ORDER BY p.id",
            )
            .bind(org)
            .bind(tp)
            .fetch_all(&mut *c)
            .await?;
            let routed: Vec<Id> = sqlx::query_scalar(
                "SELECT DISTINCT assignee_id FROM routing_rules \
                 WHERE org_id = $1 AND touchpoint_id = $2 AND assignee_id IS NOT NULL ORDER BY assignee_id",
            )
            .bind(org)
            .bind(tp)
            .fetch_all(&mut *c)
            .await?;
            Ok(im::recipients(owner.flatten(), &department, &routed))
        }

        async fn name_of(c: &mut Conn, sql: &'static str, org: Id, id: Option<Id>) -> Result<Option<String>> {
            let Some(id) = id else { return Ok(None) };
            Ok(sqlx::query_scalar(sql).bind(org).bind(id).fetch_optional(&mut *c).await?)
        }

        /// Publishes an announcement inside the caller's transaction: stores it
        /// with its recipients (fixed now), writes the outbox event and the
        /// notice. The caller calls `notify_after` with the id once committed.
        /// A touchpoint's change goes to the people who deliver it; an
        /// experience's to those of its touchpoints; anything else (the intent
        /// statement) to those of every touchpoint.
        #[allow(clippy::too_many_arguments)]
        async fn announce_in(
            c: &mut Conn,
            org: Id,
            kind: im::AnnouncementKind,
            subject_id: Id,
            touchpoint: Option<Id>,
            experience: Option<Id>,
            subject: &str,
            by: Option<&str>,
        ) -> Result<Id> {
            let tps: Vec<Id> = match (touchpoint, experience) {
                (Some(tp), _) => vec![tp],
                (None, Some(x)) => sqlx::query_scalar(
                    "SELECT touchpoint_id FROM interactions WHERE org_id = $1 AND experience_id = $2 \
                     AND removed_at IS NULL ORDER BY position",
                )
                .bind(org)
                .bind(x)
                .fetch_all(&mut *c)
                .await?,
                (None, None) => sqlx::query_scalar("SELECT id FROM touchpoints WHERE org_id = $1 ORDER BY id")
                    .bind(org)
                    .fetch_all(&mut *c)
                    .await?,
            };
            let mut people: Vec<Id> = Vec::new();
            for tp in tps {
                people = im::recipients(None, &people, &delivering(c, org, tp).await?);
            }
            let tp_name = name_of(c, "SELECT name FROM touchpoints WHERE org_id = $1 AND id = $2", org, touchpoint).await?;
            let x_name = name_of(c, "SELECT name FROM experiences WHERE org_id = $1 AND id = $2", org, experience).await?;
            let parts = im::announce::Parts {
                subject,
                touchpoint: tp_name.as_deref().filter(|n| *n != subject),
                experience: x_name.as_deref(),
                by,
            };
            let message = im::Message::new(kind, &parts);
            let at = s::now();
            let id: Id = sqlx::query_scalar(
                "INSERT INTO announcements (org_id, kind, subject_id, touchpoint_id, experience_id, message, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(org)
            .bind(kind.key())
            .bind(subject_id)
            .bind(touchpoint)
            .bind(experience)
            .bind(s::to_json(&message)?)
            .bind(at)
            .bind(by)
            .fetch_one(&mut *c)
            .await?;
            for (i, person) in people.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO announcement_recipients (org_id, announcement_id, person_id, position) VALUES ($1, $2, $3, $4)",
                )
                .bind(org)
                .bind(id)
                .bind(*person)
                .bind(i as i64)
                .execute(&mut *c)
                .await?;
            }
            let out = s::one(announcements_q(c, org, Some(id), None).await?)?;
            let emails = emails_of(c, org, &people).await?;
            enqueue_in(c, org, &kind.event(), &ix::announcement_payload(&out, emails)).await?;
            notify_in(c, org, NoticeKind::Announcement, &[id]).await?;
            Ok(id)
        }

        async fn announcements_q(c: &mut Conn, org: Id, id: Option<Id>, person: Option<Id>) -> Result<Vec<im::Announcement>> {
            let rows: Vec<(Id, String, Id, Option<Id>, Option<Id>, String, DateTime<Utc>)> = sqlx::query_as(
                "SELECT a.id, a.kind, a.subject_id, a.touchpoint_id, a.experience_id, a.message, a.created_at \
                 FROM announcements a WHERE a.org_id = $1 AND ($2 IS NULL OR a.id = $2) AND ($3 IS NULL OR EXISTS \
                 (SELECT 1 FROM announcement_recipients r WHERE r.announcement_id = a.id AND r.person_id = $3)) \
                 ORDER BY a.id DESC",
            )
            .bind(org)
            .bind(id)
            .bind(person)
            .fetch_all(&mut *c)
            .await?;
            let mut out = Vec::with_capacity(rows.len());
            for (aid, kind, subject_id, touchpoint_id, experience_id, message, published_at) in rows {
                let who: Vec<(Id, Option<DateTime<Utc>>)> = sqlx::query_as(
                    "SELECT person_id, acknowledged_at FROM announcement_recipients \
                     WHERE org_id = $1 AND announcement_id = $2 ORDER BY position",
                )
                .bind(org)
                .bind(aid)
                .fetch_all(&mut *c)
                .await?;
                out.push(im::Announcement {
                    id: aid,
                    kind: im::AnnouncementKind::parse(&kind).ok_or_else(|| s::corrupt(format!("announcement kind {kind:?}")))?,
                    subject_id,
                    touchpoint_id,
                    experience_id,
                    message: s::from_json("announcement message", &message)?,
                    recipients: who.iter().map(|(p, _)| *p).collect(),
                    acknowledged: who.iter().filter(|(_, at)| at.is_some()).map(|(p, _)| *p).collect(),
                    published_at,
                });
            }
            Ok(out)
        }

        async fn list_announcements(store: &$store, org: Id, person: Option<Id>) -> Result<Vec<im::Announcement>> {
            announcements_q(&mut *store.pool.acquire().await?, org, None, person).await
        }

        async fn get_announcement(store: &$store, org: Id, id: Id) -> Result<im::Announcement> {
            s::one(announcements_q(&mut *store.pool.acquire().await?, org, Some(id), None).await?)
        }

        async fn acknowledge_announcement(store: &$store, org: Id, id: Id, person: Id) -> Result<im::Announcement> {
            let mut tx = write(store, org).await?;
            let a = s::one(announcements_q(&mut tx, org, Some(id), None).await?)?;
            if a.acknowledged.contains(&person) {
                return Err(StoreError::conflict("person_id", "already_acknowledged", "has already acknowledged it"));
            }
            if !im::announce::can_acknowledge(&a.recipients, &a.acknowledged, person) {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "person_id",
                    "not_a_recipient",
                    "only the people the announcement was sent to acknowledge it",
                )));
            }
            sqlx::query(
                "UPDATE announcement_recipients SET acknowledged_at = $4 \
                 WHERE org_id = $1 AND announcement_id = $2 AND person_id = $3",
            )
            .bind(org)
            .bind(id)
            .bind(person)
            .bind(s::now())
            .execute(&mut *tx)
            .await?;
            let out = s::one(announcements_q(&mut tx, org, Some(id), None).await?)?;
            tx.commit().await?;
            Ok(out)
        }

        // ---- Sprints ---------------------------------------------------------

        async fn sprints_q(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<im::Sprint>> {
            let sql = format!(
                "{} WHERE org_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY start_on DESC, id DESC",
                ip::SPRINT_SELECT
            );
            let rows: Vec<ip::SprintRow> = sqlx::query_as(&sql).bind(org).bind(id).fetch_all(&mut *c).await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let sid = row.id();
                let team: Vec<Id> = sqlx::query_scalar(
                    "SELECT person_id FROM sprint_members WHERE org_id = $1 AND sprint_id = $2 ORDER BY position",
                )
                .bind(org)
                .bind(sid)
                .fetch_all(&mut *c)
                .await?;
                let ideas: Vec<Id> = sqlx::query_scalar(
                    "SELECT idea_id FROM sprint_ideas WHERE org_id = $1 AND sprint_id = $2 ORDER BY position",
                )
                .bind(org)
                .bind(sid)
                .fetch_all(&mut *c)
                .await?;
                out.push(row.sprint(team, ideas)?);
            }
            Ok(out)
        }

        async fn sprint_one(c: &mut Conn, org: Id, id: Id) -> Result<im::Sprint> {
            s::one(sprints_q(c, org, Some(id)).await?)
        }

        /// The touchpoint's tallies over `from..=to`, from the score rollups.
        async fn snapshot(store: &$store, org: Id, tp: Id, from: NaiveDate, to: NaiveDate) -> Result<im::Snapshot> {
            let mut tallies = Vec::new();
            for metric in im::outcome::SPRINT_METRICS {
                let Some(scale) = im::outcome::scale_of(metric) else { continue };
                let f = ScoreFilter { scale, segment: None, touchpoints: Some(vec![tp]), from, to };
                let mut tally = Tally::default();
                for row in score_rows(store, org, &f).await? {
                    tally.add(&row.tally);
                }
                if tally.n > 0 {
                    tallies.push(im::outcome::ScaleTally { scale, tally });
                }
            }
            Ok(im::Snapshot { from, to, tallies })
        }

        /// Checks the people and ideas a sprint names; ideas must be live and
        /// approved or planned unless already in this sprint.
        async fn check_sprint_refs(
            c: &mut Conn,
            org: Id,
            leader: Id,
            team: &[Id],
            ideas: &[Id],
            already: &[Id],
        ) -> Result<()> {
            let mut e = FieldErrors::new();
            check(c, &mut e, PERSON, org, leader, "leader_id".into()).await?;
            for (i, p) in team.iter().enumerate() {
                if *p != leader {
                    check(c, &mut e, PERSON, org, *p, format!("team_ids[{i}]")).await?;
                }
            }
            for (i, id) in ideas.iter().enumerate() {
                let field = format!("idea_ids[{i}]");
                match idea_one(c, org, *id).await {
                    Err(StoreError::NotFound) => s::unknown(&mut e, field),
                    Err(other) => return Err(other),
                    Ok(_) if already.contains(id) => {}
                    Ok(idea) => {
                        if idea.merged_into.is_some()
                            || !matches!(idea.status, im::IdeaStatus::Approved | im::IdeaStatus::Planned)
                        {
                            e.add(field, "not_ready", format!("idea {id} is {}; a sprint takes up approved or planned ideas", idea.status.key()));
                        }
                    }
                }
            }
            s::invalid_if_any(e)
        }

        async fn set_sprint_scope(c: &mut Conn, org: Id, sprint: Id, team: &[Id], ideas: &[Id], before: &[Id]) -> Result<()> {
            for sql in ["DELETE FROM sprint_members WHERE org_id = $1 AND sprint_id = $2", "DELETE FROM sprint_ideas WHERE org_id = $1 AND sprint_id = $2"] {
                sqlx::query(sql).bind(org).bind(sprint).execute(&mut *c).await?;
            }
            for (i, p) in team.iter().enumerate() {
                sqlx::query("INSERT INTO sprint_members (org_id, sprint_id, person_id, position) VALUES ($1, $2, $3, $4)")
                    .bind(org)
                    .bind(sprint)
                    .bind(*p)
                    .bind(i as i64)
                    .execute(&mut *c)
                    .await?;
            }
            for (i, idea) in ideas.iter().enumerate() {
                sqlx::query("INSERT INTO sprint_ideas (org_id, sprint_id, idea_id, position) VALUES ($1, $2, $3, $4)")
                    .bind(org)
                    .bind(sprint)
                    .bind(*idea)
                    .bind(i as i64)
                    .execute(&mut *c)
                    .await?;
                if !before.contains(idea) {
                    let it = idea_one(c, org, *idea).await?;
                    move_idea(c, org, &it, im::IdeaStatus::InSprint, None).await?;
                }
            }
            for idea in before.iter().filter(|i| !ideas.contains(i)) {
                let it = idea_one(c, org, *idea).await?;
                if it.status == im::IdeaStatus::InSprint {
                    move_idea(c, org, &it, im::IdeaStatus::Planned, Some("dropped from the sprint's scope")).await?;
                }
            }
            Ok(())
        }

        async fn create_sprint(store: &$store, org: Id, draft: &im::SprintDraft) -> Result<im::Sprint> {
            let cal = load_calendar(&mut *store.pool.acquire().await?, org).await?;
            let input = draft.validate(&cal).map_err(StoreError::Invalid)?;
            let mut tx = write(store, org).await?;
            let mut e = FieldErrors::new();
            check(&mut tx, &mut e, TOUCHPOINT, org, input.touchpoint_id, "touchpoint_id".into()).await?;
            s::invalid_if_any(e)?;
            check_sprint_refs(&mut tx, org, input.leader_id, &input.team_ids, &input.idea_ids, &[]).await?;
            drop(tx);
            let from = input.start - $crate::sql::__private::chrono::Days::new(ix::BASELINE_DAYS);
            let to = input.start.pred_opt().unwrap_or(input.start);
            let baseline = snapshot(store, org, input.touchpoint_id, from, to).await?;
            let mut tx = write(store, org).await?;
            let id: Id = sqlx::query_scalar(
                "INSERT INTO sprints (org_id, touchpoint_id, name, leader_id, start_on, end_on, phases, baseline, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(org)
            .bind(input.touchpoint_id)
            .bind(&input.name)
            .bind(input.leader_id)
            .bind(input.start)
            .bind(input.end)
            .bind(s::to_json(&input.phases)?)
            .bind(s::to_json(&baseline)?)
            .bind(s::now())
            .fetch_one(&mut *tx)
            .await?;
            check_sprint_refs(&mut tx, org, input.leader_id, &input.team_ids, &input.idea_ids, &[]).await?;
            set_sprint_scope(&mut tx, org, id, &input.team_ids, &input.idea_ids, &[]).await?;
            let out = sprint_one(&mut tx, org, id).await?;
            tx.commit().await?;
            notify_after(store, org, NoticeKind::Idea, &input.idea_ids);
            Ok(out)
        }

        async fn list_sprints(store: &$store, org: Id) -> Result<Vec<im::Sprint>> {
            sprints_q(&mut *store.pool.acquire().await?, org, None).await
        }

        async fn get_sprint(store: &$store, org: Id, id: Id) -> Result<im::Sprint> {
            sprint_one(&mut *store.pool.acquire().await?, org, id).await
        }

        async fn update_sprint(
            store: &$store,
            org: Id,
            id: Id,
            draft: &im::sprint::SprintUpdateDraft,
            today: NaiveDate,
        ) -> Result<im::Sprint> {
            let mut tx = write(store, org).await?;
            let sprint = sprint_one(&mut tx, org, id).await?;
            let cal = load_calendar(&mut tx, org).await?;
            let up = draft.validate(&sprint, &cal, today).map_err(StoreError::Invalid)?;
            check_sprint_refs(&mut tx, org, up.leader_id, &up.team_ids, &up.idea_ids, &sprint.idea_ids).await?;
            sqlx::query("UPDATE sprints SET name = $3, leader_id = $4, phases = $5 WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(id)
                .bind(&up.name)
                .bind(up.leader_id)
                .bind(s::to_json(&up.phases)?)
                .execute(&mut *tx)
                .await?;
            set_sprint_scope(&mut tx, org, id, &up.team_ids, &up.idea_ids, &sprint.idea_ids).await?;
            let out = sprint_one(&mut tx, org, id).await?;
            tx.commit().await?;
            let moved: Vec<Id> = up.idea_ids.iter().chain(&sprint.idea_ids).copied().collect();
            notify_after(store, org, NoticeKind::Idea, &l::distinct(moved));
            Ok(out)
        }

        async fn submit_proposal(store: &$store, org: Id, id: Id, person: Id, document: &str) -> Result<im::Sprint> {
            let mut tx = write(store, org).await?;
            let sprint = sprint_one(&mut tx, org, id).await?;
            if sprint.proposal.as_ref().is_some_and(|p| p.approved_at.is_some()) {
                return Err(StoreError::conflict("proposal", "already_approved", "the proposal is already approved"));
            }
            let mut e = FieldErrors::new();
            check(&mut tx, &mut e, PERSON, org, person, "person_id".into()).await?;
            s::invalid_if_any(e)?;
            sqlx::query("UPDATE sprints SET proposal = $3, proposal_by = $4, proposal_at = $5 WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(id)
                .bind(document)
                .bind(person)
                .bind(s::now())
                .execute(&mut *tx)
                .await?;
            let out = sprint_one(&mut tx, org, id).await?;
            tx.commit().await?;
            Ok(out)
        }

        async fn approve_proposal(store: &$store, org: Id, id: Id, approver: Option<Id>) -> Result<im::Sprint> {
            let mut tx = write(store, org).await?;
            let sprint = sprint_one(&mut tx, org, id).await?;
            im::sprint::approve_check(&sprint, approver).map_err(StoreError::Invalid)?;
            sqlx::query("UPDATE sprints SET approved_by = $3, approved_at = $4 WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(id)
                .bind(approver)
                .bind(s::now())
                .execute(&mut *tx)
                .await?;
            let by = name_of(&mut tx, "SELECT name FROM people WHERE org_id = $1 AND id = $2", org, approver).await?;
            let ann = announce_in(
                &mut tx,
                org,
                im::AnnouncementKind::ProposalApproved,
                id,
                Some(sprint.touchpoint_id),
                None,
                &sprint.name,
                by.as_deref(),
            )
            .await?;
            let out = sprint_one(&mut tx, org, id).await?;
            tx.commit().await?;
            notify_after(store, org, NoticeKind::Announcement, &[ann]);
            Ok(out)
        }

        async fn finish_sprint(store: &$store, org: Id, id: Id, today: NaiveDate) -> Result<im::Sprint> {
            let sprint = sprint_one(&mut *store.pool.acquire().await?, org, id).await?;
            if today < sprint.end {
                return Err(StoreError::Invalid(FieldErrors::single(
                    "end",
                    "not_over",
                    format!("the sprint runs until {}; its outcome is measured after its last day", sprint.end),
                )));
            }
            let after = snapshot(store, org, sprint.touchpoint_id, sprint.start, sprint.end).await?;
            let before = sprint.baseline.clone().unwrap_or(im::Snapshot { from: sprint.start, to: sprint.start, tallies: vec![] });
            let result = im::outcome(before, after);
            let mut tx = write(store, org).await?;
            sprint_one(&mut tx, org, id).await?;
            sqlx::query("UPDATE sprints SET outcome = $3 WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(id)
                .bind(s::to_json(&result)?)
                .execute(&mut *tx)
                .await?;
            let out = sprint_one(&mut tx, org, id).await?;
            tx.commit().await?;
            Ok(out)
        }

        // ---- Communications plan ---------------------------------------------

        async fn comms_q(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<im::CommsItem>> {
            let sql = format!("{} WHERE org_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY day, id", ip::COMMS_SELECT);
            let rows: Vec<ip::CommsRow> = sqlx::query_as(&sql).bind(org).bind(id).fetch_all(&mut *c).await?;
            rows.into_iter().map(ip::CommsRow::item).collect()
        }

        async fn list_comms(store: &$store, org: Id) -> Result<Vec<im::CommsItem>> {
            comms_q(&mut *store.pool.acquire().await?, org, None).await
        }

        async fn get_comms(store: &$store, org: Id, id: Id) -> Result<im::CommsItem> {
            s::one(comms_q(&mut *store.pool.acquire().await?, org, Some(id)).await?)
        }

        async fn save_comms(store: &$store, org: Id, id: Option<Id>, item: &im::comms::CommsInput) -> Result<im::CommsItem> {
            let mut tx = write(store, org).await?;
            let mut e = FieldErrors::new();
            check(&mut tx, &mut e, PERSON, org, item.owner_id, "owner_id".into()).await?;
            s::invalid_if_any(e)?;
            let id = match id {
                None => sqlx::query_scalar(
                    "INSERT INTO comms_items (org_id, title, audience, channel, day, owner_id, status, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(org)
                .bind(&item.title)
                .bind(&item.audience)
                .bind(item.channel.key())
                .bind(item.date)
                .bind(item.owner_id)
                .bind(item.status.key())
                .bind(s::now())
                .fetch_one(&mut *tx)
                .await?,
                Some(id) => {
                    let done = sqlx::query(
                        "UPDATE comms_items SET title = $3, audience = $4, channel = $5, day = $6, owner_id = $7, status = $8 \
                         WHERE org_id = $1 AND id = $2",
                    )
                    .bind(org)
                    .bind(id)
                    .bind(&item.title)
                    .bind(&item.audience)
                    .bind(item.channel.key())
                    .bind(item.date)
                    .bind(item.owner_id)
                    .bind(item.status.key())
                    .execute(&mut *tx)
                    .await?;
                    if done.rows_affected() == 0 {
                        return Err(StoreError::NotFound);
                    }
                    id
                }
            };
            let out = s::one(comms_q(&mut tx, org, Some(id)).await?)?;
            tx.commit().await?;
            Ok(out)
        }

        async fn delete_comms(store: &$store, org: Id, id: Id) -> Result<()> {
            let mut tx = write(store, org).await?;
            let done = sqlx::query("DELETE FROM comms_items WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            tx.commit().await?;
            Ok(())
        }
    };
}
