//! A8. The CX council: members, meetings, agenda items, minutes, decisions
//! and action items. Every write holds the organization's lock
//! ([`write`]), checks the ids it names are the organization's, and keeps
//! agenda positions dense (0, 1, 2, … in order).

use super::{check, must_exist, returned_id, write, Conn, ACTIVE_PERSON};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::plan::council::agenda::{CouncilAgendaKind, DraftItem};
use rapport_core::plan::council::{
    CouncilActionInput, CouncilActionItem, CouncilAgendaItem, CouncilAgendaItemInput, CouncilDecision,
    CouncilDecisionInput, CouncilMeeting, CouncilMeetingInput, CouncilMeetingStatus, CouncilMember, CouncilMemberInput,
    CouncilRole, MAX_AGENDA_ITEMS,
};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::council::{ActionFilter, Council, COUNCIL_LIST_MAX};
use rapport_store::rows as s;
use rapport_store::{Result, StoreError};

const MEETING: &str = "SELECT id FROM council_meetings WHERE org_id = $1 AND id = $2";
const IDEA: &str = "SELECT id FROM ideas WHERE org_id = $1 AND id = $2";
const SPRINT: &str = "SELECT id FROM sprints WHERE org_id = $1 AND id = $2";
const INTENT_VERSION: &str = "SELECT id FROM intent_versions WHERE org_id = $1 AND id = $2";

const MEMBERS: &str = "SELECT id, person_id, role, created_at FROM council_members WHERE org_id = $1";
const MEETINGS: &str = "SELECT id, title, starts_at, duration_minutes, location, status, minutes, created_at, \
                        updated_at FROM council_meetings WHERE org_id = $1";
const AGENDA: &str = "SELECT id, meeting_id, position, kind, title, link FROM council_agenda_items WHERE org_id = $1";
const DECISIONS: &str = "SELECT id, meeting_id, text, idea_id, sprint_id, intent_version_id, created_at \
                         FROM council_decisions WHERE org_id = $1";
const ACTIONS: &str = "SELECT id, meeting_id, text, owner_id, due_on, done, done_at, created_at \
                       FROM council_actions WHERE org_id = $1";

type MemberRow = (Id, Id, String, DateTime<Utc>);
type MeetingRow = (Id, String, DateTime<Utc>, i64, Option<String>, String, String, DateTime<Utc>, DateTime<Utc>);
type AgendaRow = (Id, Id, i64, String, String, Option<String>);
type DecisionRow = (Id, Id, String, Option<Id>, Option<Id>, Option<Id>, DateTime<Utc>);
type ActionRow = (Id, Id, String, Id, NaiveDate, bool, Option<DateTime<Utc>>, DateTime<Utc>);

fn member(r: MemberRow) -> CouncilMember {
    CouncilMember {
        id: r.0,
        person_id: r.1,
        role: CouncilRole::parse(&r.2).unwrap_or(CouncilRole::Member),
        created_at: r.3,
    }
}

fn meeting(r: MeetingRow) -> CouncilMeeting {
    CouncilMeeting {
        id: r.0,
        title: r.1,
        starts_at: r.2,
        duration_minutes: r.3,
        location: r.4,
        status: CouncilMeetingStatus::parse(&r.5).unwrap_or(CouncilMeetingStatus::Planned),
        minutes: r.6,
        created_at: r.7,
        updated_at: r.8,
    }
}

fn agenda_item(r: AgendaRow) -> CouncilAgendaItem {
    CouncilAgendaItem {
        id: r.0,
        meeting_id: r.1,
        position: r.2,
        kind: CouncilAgendaKind::parse(&r.3).unwrap_or(CouncilAgendaKind::Custom),
        title: r.4,
        link: r.5,
    }
}

fn decision(r: DecisionRow) -> CouncilDecision {
    CouncilDecision {
        id: r.0,
        meeting_id: r.1,
        text: r.2,
        idea_id: r.3,
        sprint_id: r.4,
        intent_version_id: r.5,
        created_at: r.6,
    }
}

fn action(r: ActionRow) -> CouncilActionItem {
    CouncilActionItem {
        id: r.0,
        meeting_id: r.1,
        text: r.2,
        owner_id: r.3,
        due_on: r.4,
        done: r.5,
        done_at: r.6,
        created_at: r.7,
    }
}

async fn one_member(c: &mut Conn, org: Id, id: Id) -> Result<CouncilMember> {
    let sql = format!("{MEMBERS} AND id = $2");
    let r: Option<MemberRow> = sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(&mut *c).await?;
    r.map(member).ok_or(StoreError::NotFound)
}

async fn one_meeting(c: &mut Conn, org: Id, id: Id) -> Result<CouncilMeeting> {
    let sql = format!("{MEETINGS} AND id = $2");
    let r: Option<MeetingRow> = sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(&mut *c).await?;
    r.map(meeting).ok_or(StoreError::NotFound)
}

async fn one_item(c: &mut Conn, org: Id, id: Id) -> Result<CouncilAgendaItem> {
    let sql = format!("{AGENDA} AND id = $2");
    let r: Option<AgendaRow> = sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(&mut *c).await?;
    r.map(agenda_item).ok_or(StoreError::NotFound)
}

async fn one_decision(c: &mut Conn, org: Id, id: Id) -> Result<CouncilDecision> {
    let sql = format!("{DECISIONS} AND id = $2");
    let r: Option<DecisionRow> = sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(&mut *c).await?;
    r.map(decision).ok_or(StoreError::NotFound)
}

async fn one_action(c: &mut Conn, org: Id, id: Id) -> Result<CouncilActionItem> {
    let sql = format!("{ACTIONS} AND id = $2");
    let r: Option<ActionRow> = sqlx::query_as(&sql).bind(org).bind(id).fetch_optional(&mut *c).await?;
    r.map(action).ok_or(StoreError::NotFound)
}

async fn agenda_of(c: &mut Conn, org: Id, meeting: Id) -> Result<Vec<CouncilAgendaItem>> {
    let sql = format!("{AGENDA} AND meeting_id = $2 ORDER BY position, id");
    let rows: Vec<AgendaRow> = sqlx::query_as(&sql).bind(org).bind(meeting).fetch_all(&mut *c).await?;
    Ok(rows.into_iter().map(agenda_item).collect())
}

/// Writes the agenda's order: `ids` get positions 0, 1, 2, …
async fn renumber(c: &mut Conn, org: Id, ids: &[Id]) -> Result<()> {
    for (i, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE council_agenda_items SET position = $3 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(*id)
            .bind(i as i64)
            .execute(&mut *c)
            .await?;
    }
    Ok(())
}

/// Where an item goes: `position` clamped to the agenda's end.
fn place(ids: &mut Vec<Id>, id: Id, position: Option<i64>) {
    let at = position.map_or(ids.len(), |p| usize::try_from(p).unwrap_or(0).min(ids.len()));
    ids.insert(at, id);
}

async fn insert_item(
    c: &mut Conn,
    org: Id,
    meeting: Id,
    position: i64,
    kind: CouncilAgendaKind,
    title: &str,
    link: Option<&str>,
) -> Result<Id> {
    let row = sqlx::query(
        "INSERT INTO council_agenda_items (org_id, meeting_id, position, kind, title, link) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(org)
    .bind(meeting)
    .bind(position)
    .bind(kind.key())
    .bind(title)
    .bind(link)
    .fetch_one(&mut *c)
    .await?;
    returned_id(row)
}

async fn check_action(c: &mut Conn, org: Id, a: &CouncilActionInput) -> Result<()> {
    let mut e = FieldErrors::new();
    check(c, &mut e, ACTIVE_PERSON, org, a.owner_id, "owner_id".into()).await?;
    if e.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(e))
    }
}

#[async_trait]
impl Council for Backend {
    async fn list_council_members(&self, org: Id) -> Result<Vec<CouncilMember>> {
        let mut c = self.pool.acquire().await?;
        let sql = format!("{MEMBERS} ORDER BY created_at, id");
        let rows: Vec<MemberRow> = sqlx::query_as(&sql).bind(org).fetch_all(&mut *c).await?;
        Ok(rows.into_iter().map(member).collect())
    }

    async fn add_council_member(&self, org: Id, m: &CouncilMemberInput) -> Result<CouncilMember> {
        let mut tx = write(self, org).await?;
        let mut e = FieldErrors::new();
        check(&mut tx, &mut e, ACTIVE_PERSON, org, m.person_id, "person_id".into()).await?;
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let sitting: Option<Id> =
            sqlx::query_scalar("SELECT id FROM council_members WHERE org_id = $1 AND person_id = $2")
                .bind(org)
                .bind(m.person_id)
                .fetch_optional(&mut *tx)
                .await?;
        if sitting.is_some() {
            return Err(StoreError::conflict("person_id", "taken", "already sits on the council"));
        }
        let row = sqlx::query(
            "INSERT INTO council_members (org_id, person_id, role, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(org)
        .bind(m.person_id)
        .bind(m.role.key())
        .bind(s::now())
        .fetch_one(&mut *tx)
        .await?;
        let id = returned_id(row)?;
        let out = one_member(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn set_council_role(&self, org: Id, id: Id, role: CouncilRole) -> Result<CouncilMember> {
        let mut tx = write(self, org).await?;
        let n = sqlx::query("UPDATE council_members SET role = $3 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .bind(role.key())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        let out = one_member(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn remove_council_member(&self, org: Id, id: Id) -> Result<()> {
        delete_row(self, org, "DELETE FROM council_members WHERE org_id = $1 AND id = $2", id).await
    }

    async fn list_council_meetings(&self, org: Id, limit: i64) -> Result<Vec<CouncilMeeting>> {
        let mut c = self.pool.acquire().await?;
        let sql = format!("{MEETINGS} ORDER BY starts_at DESC, id DESC LIMIT $2");
        let limit = if limit <= 0 { COUNCIL_LIST_MAX } else { limit.min(COUNCIL_LIST_MAX) };
        let rows: Vec<MeetingRow> = sqlx::query_as(&sql).bind(org).bind(limit).fetch_all(&mut *c).await?;
        Ok(rows.into_iter().map(meeting).collect())
    }

    async fn get_council_meeting(&self, org: Id, id: Id) -> Result<CouncilMeeting> {
        let mut c = self.pool.acquire().await?;
        one_meeting(&mut c, org, id).await
    }

    async fn create_council_meeting(
        &self,
        org: Id,
        m: &CouncilMeetingInput,
        agenda: &[DraftItem],
    ) -> Result<CouncilMeeting> {
        let mut tx = write(self, org).await?;
        let now = s::now();
        let row = sqlx::query(
            "INSERT INTO council_meetings (org_id, title, starts_at, duration_minutes, location, status, minutes, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, '', $7, $7) RETURNING id",
        )
        .bind(org)
        .bind(&m.title)
        .bind(m.starts_at)
        .bind(m.duration_minutes)
        .bind(&m.location)
        .bind(m.status.key())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id = returned_id(row)?;
        for (i, item) in agenda.iter().take(MAX_AGENDA_ITEMS).enumerate() {
            insert_item(&mut tx, org, id, i as i64, item.kind, &item.title, item.link.as_deref()).await?;
        }
        let out = one_meeting(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn update_council_meeting(&self, org: Id, id: Id, m: &CouncilMeetingInput) -> Result<CouncilMeeting> {
        let mut tx = write(self, org).await?;
        let n = sqlx::query(
            "UPDATE council_meetings SET title = $3, starts_at = $4, duration_minutes = $5, location = $6, \
             status = $7, updated_at = $8 WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id)
        .bind(&m.title)
        .bind(m.starts_at)
        .bind(m.duration_minutes)
        .bind(&m.location)
        .bind(m.status.key())
        .bind(s::now())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        let out = one_meeting(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn set_council_minutes(&self, org: Id, id: Id, minutes: &str) -> Result<CouncilMeeting> {
        let mut tx = write(self, org).await?;
        let n = sqlx::query("UPDATE council_meetings SET minutes = $3, updated_at = $4 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .bind(minutes)
            .bind(s::now())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        let out = one_meeting(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn delete_council_meeting(&self, org: Id, id: Id) -> Result<()> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, MEETING, org, id).await?;
        // Children first: SQLite enforces the cascade only with foreign keys on.
        for table in ["council_agenda_items", "council_decisions", "council_actions"] {
            let sql = format!("DELETE FROM {table} WHERE org_id = $1 AND meeting_id = $2");
            sqlx::query(&sql).bind(org).bind(id).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM council_meetings WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn council_agenda(&self, org: Id, meeting: Id) -> Result<Vec<CouncilAgendaItem>> {
        let mut c = self.pool.acquire().await?;
        must_exist(&mut c, MEETING, org, meeting).await?;
        agenda_of(&mut c, org, meeting).await
    }

    async fn get_council_agenda_item(&self, org: Id, id: Id) -> Result<CouncilAgendaItem> {
        let mut c = self.pool.acquire().await?;
        one_item(&mut c, org, id).await
    }

    async fn add_council_agenda_item(
        &self,
        org: Id,
        meeting: Id,
        item: &CouncilAgendaItemInput,
    ) -> Result<CouncilAgendaItem> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, MEETING, org, meeting).await?;
        let mut ids: Vec<Id> = agenda_of(&mut tx, org, meeting).await?.into_iter().map(|i| i.id).collect();
        if ids.len() >= MAX_AGENDA_ITEMS {
            return Err(StoreError::Invalid(FieldErrors::single(
                "title",
                "too_many",
                format!("an agenda holds at most {MAX_AGENDA_ITEMS} items"),
            )));
        }
        let id =
            insert_item(&mut tx, org, meeting, ids.len() as i64, item.kind, &item.title, item.link.as_deref()).await?;
        place(&mut ids, id, item.position);
        renumber(&mut tx, org, &ids).await?;
        let out = one_item(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn update_council_agenda_item(
        &self,
        org: Id,
        id: Id,
        item: &CouncilAgendaItemInput,
    ) -> Result<CouncilAgendaItem> {
        let mut tx = write(self, org).await?;
        let current = one_item(&mut tx, org, id).await?;
        sqlx::query("UPDATE council_agenda_items SET title = $3, link = $4 WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .bind(&item.title)
            .bind(&item.link)
            .execute(&mut *tx)
            .await?;
        if item.position.is_some() {
            let mut ids: Vec<Id> = agenda_of(&mut tx, org, current.meeting_id)
                .await?
                .into_iter()
                .map(|i| i.id)
                .filter(|i| *i != id)
                .collect();
            place(&mut ids, id, item.position);
            renumber(&mut tx, org, &ids).await?;
        }
        let out = one_item(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn delete_council_agenda_item(&self, org: Id, id: Id) -> Result<()> {
        let mut tx = write(self, org).await?;
        let current = one_item(&mut tx, org, id).await?;
        sqlx::query("DELETE FROM council_agenda_items WHERE org_id = $1 AND id = $2")
            .bind(org)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let ids: Vec<Id> = agenda_of(&mut tx, org, current.meeting_id).await?.into_iter().map(|i| i.id).collect();
        renumber(&mut tx, org, &ids).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn council_decisions(&self, org: Id, meeting: Id) -> Result<Vec<CouncilDecision>> {
        let mut c = self.pool.acquire().await?;
        must_exist(&mut c, MEETING, org, meeting).await?;
        let sql = format!("{DECISIONS} AND meeting_id = $2 ORDER BY id LIMIT {COUNCIL_LIST_MAX}");
        let rows: Vec<DecisionRow> = sqlx::query_as(&sql).bind(org).bind(meeting).fetch_all(&mut *c).await?;
        Ok(rows.into_iter().map(decision).collect())
    }

    async fn add_council_decision(&self, org: Id, meeting: Id, d: &CouncilDecisionInput) -> Result<CouncilDecision> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, MEETING, org, meeting).await?;
        let mut e = FieldErrors::new();
        for (sql, field, id) in [
            (IDEA, "idea_id", d.idea_id),
            (SPRINT, "sprint_id", d.sprint_id),
            (INTENT_VERSION, "intent_version_id", d.intent_version_id),
        ] {
            if let Some(id) = id {
                check(&mut tx, &mut e, sql, org, id, field.into()).await?;
            }
        }
        if !e.is_empty() {
            return Err(StoreError::Invalid(e));
        }
        let row = sqlx::query(
            "INSERT INTO council_decisions (org_id, meeting_id, text, idea_id, sprint_id, intent_version_id, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(org)
        .bind(meeting)
        .bind(&d.text)
        .bind(d.idea_id)
        .bind(d.sprint_id)
        .bind(d.intent_version_id)
        .bind(s::now())
        .fetch_one(&mut *tx)
        .await?;
        let id = returned_id(row)?;
        let out = one_decision(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn delete_council_decision(&self, org: Id, id: Id) -> Result<()> {
        delete_row(self, org, "DELETE FROM council_decisions WHERE org_id = $1 AND id = $2", id).await
    }

    async fn list_council_actions(&self, org: Id, f: &ActionFilter) -> Result<Vec<CouncilActionItem>> {
        let mut c = self.pool.acquire().await?;
        let sql = format!(
            "{ACTIONS} AND ($2 IS NULL OR meeting_id = $2) AND ($3 IS NULL OR owner_id = $3) \
             AND ($4 = FALSE OR done = FALSE) ORDER BY done, due_on, id LIMIT $5"
        );
        let limit = if f.limit <= 0 { COUNCIL_LIST_MAX } else { f.limit.min(COUNCIL_LIST_MAX) };
        let rows: Vec<ActionRow> = sqlx::query_as(&sql)
            .bind(org)
            .bind(f.meeting)
            .bind(f.owner)
            .bind(f.open_only)
            .bind(limit)
            .fetch_all(&mut *c)
            .await?;
        Ok(rows.into_iter().map(action).collect())
    }

    async fn get_council_action(&self, org: Id, id: Id) -> Result<CouncilActionItem> {
        let mut c = self.pool.acquire().await?;
        one_action(&mut c, org, id).await
    }

    async fn add_council_action(&self, org: Id, meeting: Id, a: &CouncilActionInput) -> Result<CouncilActionItem> {
        let mut tx = write(self, org).await?;
        must_exist(&mut tx, MEETING, org, meeting).await?;
        check_action(&mut tx, org, a).await?;
        let now = s::now();
        let row = sqlx::query(
            "INSERT INTO council_actions (org_id, meeting_id, text, owner_id, due_on, done, done_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(org)
        .bind(meeting)
        .bind(&a.text)
        .bind(a.owner_id)
        .bind(a.due_on)
        .bind(a.done)
        .bind(a.done.then_some(now))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id = returned_id(row)?;
        let out = one_action(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn update_council_action(&self, org: Id, id: Id, a: &CouncilActionInput) -> Result<CouncilActionItem> {
        let mut tx = write(self, org).await?;
        let current = one_action(&mut tx, org, id).await?;
        check_action(&mut tx, org, a).await?;
        let done_at = match (current.done, a.done) {
            (true, true) => current.done_at,
            (_, true) => Some(s::now()),
            (_, false) => None,
        };
        sqlx::query(
            "UPDATE council_actions SET text = $3, owner_id = $4, due_on = $5, done = $6, done_at = $7 \
             WHERE org_id = $1 AND id = $2",
        )
        .bind(org)
        .bind(id)
        .bind(&a.text)
        .bind(a.owner_id)
        .bind(a.due_on)
        .bind(a.done)
        .bind(done_at)
        .execute(&mut *tx)
        .await?;
        let out = one_action(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn set_council_action_done(&self, org: Id, id: Id, done: bool) -> Result<CouncilActionItem> {
        let mut tx = write(self, org).await?;
        let current = one_action(&mut tx, org, id).await?;
        if current.done != done {
            sqlx::query("UPDATE council_actions SET done = $3, done_at = $4 WHERE org_id = $1 AND id = $2")
                .bind(org)
                .bind(id)
                .bind(done)
                .bind(done.then(s::now))
                .execute(&mut *tx)
                .await?;
        }
        let out = one_action(&mut tx, org, id).await?;
        tx.commit().await?;
        Ok(out)
    }

    async fn delete_council_action(&self, org: Id, id: Id) -> Result<()> {
        delete_row(self, org, "DELETE FROM council_actions WHERE org_id = $1 AND id = $2", id).await
    }
}

/// Deletes one row of the organization; `NotFound` when there is none.
async fn delete_row(store: &Backend, org: Id, sql: &'static str, id: Id) -> Result<()> {
    let mut tx = write(store, org).await?;
    let gone = sqlx::query(sql).bind(org).bind(id).execute(&mut *tx).await?.rows_affected();
    if gone == 0 {
        return Err(StoreError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}
