//! The improvement loop's rows: ideas, sprints, the communications plan.

use crate::error::Result;
use crate::rows::{corrupt, from_json};
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
