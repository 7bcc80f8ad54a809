//! 20-workday redesign sprints: scope, proposal, approval, and the
//! before/after snapshots taken from the score rollups.

use super::announce::{announce_in, name_of};
use super::case_setup::load_calendar;
use super::ideas::{idea_one, move_idea};
use super::measure::score_rows;
use super::{check, notify_after, write, Conn, PERSON, TOUCHPOINT};
use crate::dialect::Backend;
use async_trait::async_trait;
use chrono::NaiveDate;
use rapport_core::improve as im;
use rapport_core::measure::Tally;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::improve::{self as ix};
use rapport_store::listening::NoticeKind;
use rapport_store::measure::ScoreFilter;
use rapport_store::rows as s;
use rapport_store::rows::improve as ip;
use rapport_store::rows::listening as l;
use rapport_store::{Result, StoreError};

// ---- Sprints ---------------------------------------------------------

async fn sprints_q(c: &mut Conn, org: Id, id: Option<Id>) -> Result<Vec<im::Sprint>> {
    let sql =
        format!("{} WHERE org_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY start_on DESC, id DESC", ip::SPRINT_SELECT);
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
async fn snapshot(store: &Backend, org: Id, tp: Id, from: NaiveDate, to: NaiveDate) -> Result<im::Snapshot> {
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
async fn check_sprint_refs(c: &mut Conn, org: Id, leader: Id, team: &[Id], ideas: &[Id], already: &[Id]) -> Result<()> {
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
                    e.add(
                        field,
                        "not_ready",
                        format!("idea {id} is {}; a sprint takes up approved or planned ideas", idea.status.key()),
                    );
                }
            }
        }
    }
    s::invalid_if_any(e)
}

async fn set_sprint_scope(c: &mut Conn, org: Id, sprint: Id, team: &[Id], ideas: &[Id], before: &[Id]) -> Result<()> {
    for sql in [
        "DELETE FROM sprint_members WHERE org_id = $1 AND sprint_id = $2",
        "DELETE FROM sprint_ideas WHERE org_id = $1 AND sprint_id = $2",
    ] {
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

#[async_trait]
impl rapport_store::Sprints for Backend {
    async fn create_sprint(&self, org: Id, draft: &im::SprintDraft) -> Result<im::Sprint> {
        let cal = load_calendar(&mut *self.pool.acquire().await?, org).await?;
        let input = draft.validate(&cal).map_err(StoreError::Invalid)?;
        let mut tx = write(self, org).await?;
        let mut e = FieldErrors::new();
        check(&mut tx, &mut e, TOUCHPOINT, org, input.touchpoint_id, "touchpoint_id".into()).await?;
        s::invalid_if_any(e)?;
        check_sprint_refs(&mut tx, org, input.leader_id, &input.team_ids, &input.idea_ids, &[]).await?;
        drop(tx);
        let from = input.start - chrono::Days::new(ix::BASELINE_DAYS);
        let to = input.start.pred_opt().unwrap_or(input.start);
        let baseline = snapshot(self, org, input.touchpoint_id, from, to).await?;
        let mut tx = write(self, org).await?;
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
        notify_after(self, org, NoticeKind::Idea, &input.idea_ids);
        Ok(out)
    }

    async fn list_sprints(&self, org: Id) -> Result<Vec<im::Sprint>> {
        sprints_q(&mut *self.pool.acquire().await?, org, None).await
    }

    async fn get_sprint(&self, org: Id, id: Id) -> Result<im::Sprint> {
        sprint_one(&mut *self.pool.acquire().await?, org, id).await
    }

    async fn update_sprint(
        &self,
        org: Id,
        id: Id,
        draft: &im::sprint::SprintUpdateDraft,
        today: NaiveDate,
    ) -> Result<im::Sprint> {
        let mut tx = write(self, org).await?;
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
        notify_after(self, org, NoticeKind::Idea, &l::distinct(moved));
        Ok(out)
    }

    async fn submit_proposal(&self, org: Id, id: Id, person: Id, document: &str) -> Result<im::Sprint> {
        let mut tx = write(self, org).await?;
        let sprint = sprint_one(&mut tx, org, id).await?;
        if sprint.proposal.as_ref().is_some_and(|p| p.approved_at.is_some()) {
            return Err(StoreError::conflict("proposal", "already_approved", "the proposal is already approved"));
        }
        let mut e = FieldErrors::new();
        check(&mut tx, &mut e, PERSON, org, person, "person_id".into()).await?;
        s::invalid_if_any(e)?;
        sqlx::query(
            "UPDATE sprints SET proposal = $3, proposal_by = $4, proposal_at = $5 WHERE org_id = $1 AND id = $2",
        )
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

    async fn approve_proposal(&self, org: Id, id: Id, approver: Option<Id>) -> Result<im::Sprint> {
        let mut tx = write(self, org).await?;
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
        notify_after(self, org, NoticeKind::Announcement, &[ann]);
        Ok(out)
    }

    async fn finish_sprint(&self, org: Id, id: Id, today: NaiveDate) -> Result<im::Sprint> {
        let sprint = sprint_one(&mut *self.pool.acquire().await?, org, id).await?;
        if today < sprint.end {
            return Err(StoreError::Invalid(FieldErrors::single(
                "end",
                "not_over",
                format!("the sprint runs until {}; its outcome is measured after its last day", sprint.end),
            )));
        }
        let after = snapshot(self, org, sprint.touchpoint_id, sprint.start, sprint.end).await?;
        let before =
            sprint.baseline.clone().unwrap_or(im::Snapshot { from: sprint.start, to: sprint.start, tallies: vec![] });
        let result = im::outcome(before, after);
        let mut tx = write(self, org).await?;
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
}
