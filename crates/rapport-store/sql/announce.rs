//! The change channel. Announcements are written by [`announce_in`]
//! inside the transaction of the change they announce (an approved proposal,
//! an implemented idea, a touchpoint added or removed, a new intent
//! version), with their recipients fixed then, an outbox event and a notice.

use super::customers::lookup;
use super::notifications::notify_people;
use super::outbox::enqueue_in;
use super::{notify_in, write, Conn};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::improve as im;
use rapport_core::notification::Kind;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::improve::{self as ix};
use rapport_store::listening::NoticeKind;
use rapport_store::rows as s;
use rapport_store::{Result, StoreError};
use std::collections::HashMap;

// ---- Announcements ---------------------------------------------------

/// The people who deliver a touchpoint: its owner, its department's
/// active people, the agents routed to it.
pub(crate) async fn delivering(c: &mut Conn, org: Id, tp: Id) -> Result<Vec<Id>> {
    let owner: Option<Option<Id>> =
        sqlx::query_scalar("SELECT owner_id FROM touchpoints WHERE org_id = $1 AND id = $2")
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

pub(crate) async fn name_of(c: &mut Conn, sql: &'static str, org: Id, id: Option<Id>) -> Result<Option<String>> {
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
pub(crate) async fn announce_in(
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
        (None, Some(x)) => {
            sqlx::query_scalar(
                "SELECT touchpoint_id FROM interactions WHERE org_id = $1 AND experience_id = $2 \
             AND removed_at IS NULL ORDER BY position",
            )
            .bind(org)
            .bind(x)
            .fetch_all(&mut *c)
            .await?
        }
        (None, None) => {
            sqlx::query_scalar("SELECT id FROM touchpoints WHERE org_id = $1 ORDER BY id")
                .bind(org)
                .fetch_all(&mut *c)
                .await?
        }
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
    let out = s::one(announcements_q(c, org, Some(id), None, None, 0).await?)?;
    let link = format!("/announcements/{id}");
    let emails = notify_people(c, org, Kind::Announcement, &people, subject, &link, None).await?;
    enqueue_in(c, org, &kind.event(), &ix::announcement_payload(&out, emails)).await?;
    notify_in(c, org, NoticeKind::Announcement, &[id]).await?;
    Ok(id)
}

/// Announcements newest first (by id): one (`id`), or those sent to
/// `person`, older than `after`, at most `limit` (0 for all); their
/// recipients read in one look-up for the whole page.
async fn announcements_q(
    c: &mut Conn,
    org: Id,
    id: Option<Id>,
    person: Option<Id>,
    after: Option<Id>,
    limit: i64,
) -> Result<Vec<im::Announcement>> {
    // (id, kind, subject, touchpoint, experience, message, published at)
    type Row = (Id, String, Id, Option<Id>, Option<Id>, String, DateTime<Utc>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.id, a.kind, a.subject_id, a.touchpoint_id, a.experience_id, a.message, a.created_at \
         FROM announcements a WHERE a.org_id = $1 AND ($2 IS NULL OR a.id = $2) AND ($3 IS NULL OR EXISTS \
         (SELECT 1 FROM announcement_recipients r WHERE r.announcement_id = a.id AND r.person_id = $3)) \
         AND ($4 IS NULL OR a.id < $4) ORDER BY a.id DESC LIMIT $5",
    )
    .bind(org)
    .bind(id)
    .bind(person)
    .bind(after)
    .bind(if limit > 0 { limit } else { i64::MAX })
    .fetch_all(&mut *c)
    .await?;
    let ids: Vec<Id> = rows.iter().map(|r| r.0).collect();
    // (position, person, acknowledged at) of an announcement.
    type Recipient = (i64, Id, Option<DateTime<Utc>>);
    let recipients: Vec<(Id, i64, Id, Option<DateTime<Utc>>)> = lookup(
        c,
        "SELECT announcement_id, position, person_id, acknowledged_at FROM announcement_recipients WHERE",
        org,
        "announcement_id",
        &ids,
    )
    .await?;
    let mut by_announcement: HashMap<Id, Vec<Recipient>> = HashMap::new();
    for (aid, position, person, at) in recipients {
        by_announcement.entry(aid).or_default().push((position, person, at));
    }
    let mut out = Vec::with_capacity(rows.len());
    for (aid, kind, subject_id, touchpoint_id, experience_id, message, published_at) in rows {
        let mut listed = by_announcement.remove(&aid).unwrap_or_default();
        listed.sort_unstable();
        let who: Vec<(Id, Option<DateTime<Utc>>)> = listed.into_iter().map(|(_, p, at)| (p, at)).collect();
        out.push(im::Announcement {
            id: aid,
            kind: im::AnnouncementKind::parse(&kind)
                .ok_or_else(|| s::corrupt(format!("announcement kind {kind:?}")))?,
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

#[async_trait]
impl rapport_store::Announcements for Backend {
    async fn page_announcements(
        &self,
        org: Id,
        person: Option<Id>,
        after: Option<Id>,
        limit: i64,
    ) -> Result<Vec<im::Announcement>> {
        announcements_q(&mut *self.pool.acquire().await?, org, None, person, after, limit).await
    }

    async fn get_announcement(&self, org: Id, id: Id) -> Result<im::Announcement> {
        s::one(announcements_q(&mut *self.pool.acquire().await?, org, Some(id), None, None, 0).await?)
    }

    async fn acknowledge_announcement(&self, org: Id, id: Id, person: Id) -> Result<im::Announcement> {
        let mut tx = write(self, org).await?;
        let a = s::one(announcements_q(&mut tx, org, Some(id), None, None, 0).await?)?;
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
        let out = s::one(announcements_q(&mut tx, org, Some(id), None, None, 0).await?)?;
        tx.commit().await?;
        Ok(out)
    }
}
