//! The improvement loop as storage sees it (D4–D7, E4): which ideas to list,
//! an idea with its voters, comments and linked cases, and the rules of the
//! change channel's outbox payloads. The domain lives in
//! `rapport_core::improve`; storage keeps its results.

use crate::accounts::Audit;
use crate::error::Result;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::improve::comms::CommsInput;
use rapport_core::improve::sprint::SprintUpdateDraft;
use rapport_core::improve::{Announcement, CommsItem, Idea, IdeaInput, IdeaRow, IdeaStatus, Sprint, SprintDraft};
use rapport_core::Id;
use serde::Serialize;

/// Which ideas to list; every condition is optional. Merged duplicates are
/// left out unless `include_merged`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IdeaFilter {
    pub status: Option<IdeaStatus>,
    pub touchpoint: Option<Id>,
    pub author: Option<Id>,
    pub include_merged: bool,
    /// Keyset paging: only the ideas after this one (newest first, by
    /// creation time, then id).
    pub after: Option<crate::listening::TimeKey>,
    /// At most this many; 0 for all.
    pub limit: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdeaComment {
    pub id: Id,
    pub idea_id: Id,
    pub author_id: Id,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// An idea with who voted, what was said and the cases it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdeaDetail {
    #[serde(flatten)]
    pub idea: Idea,
    /// People who voted, by id.
    pub voters: Vec<Id>,
    /// Oldest first.
    pub comment_list: Vec<IdeaComment>,
    /// The closed cases of the root cause the idea was created from.
    pub case_ids: Vec<Id>,
    pub root_cause_id: Option<Id>,
}

/// How many days before a sprint's start its baseline covers.
pub const BASELINE_DAYS: u64 = 30;

/// The outbox payload of an announcement: English title and summary (there
/// is no reader's language), a link, and e-mail to the recipients.
pub fn announcement_payload(a: &Announcement, emails: Vec<String>) -> serde_json::Value {
    let (title, summary) = a.message.english();
    serde_json::json!({
        "title": title,
        "summary": summary,
        "url": format!("/announcements/{}", a.id),
        "announcement": {
            "id": a.id,
            "kind": a.kind,
            "subject_id": a.subject_id,
            "touchpoint_id": a.touchpoint_id,
            "experience_id": a.experience_id,
            "recipients": a.recipients,
        },
        "email_to": emails,
    })
}

/// The outbox payload telling an idea's author its new status.
pub fn idea_status_payload(idea: &Idea, emails: Vec<String>) -> serde_json::Value {
    let reason = idea.status_reason.as_deref().map(|r| format!(" Reason: {r}")).unwrap_or_default();
    serde_json::json!({
        "title": format!("Your idea \"{}\" is {}", idea.title, idea.status.key().replace('_', " ")),
        "summary": format!("The idea \"{}\" moved to {}.{reason}", idea.title, idea.status.key().replace('_', " ")),
        "url": format!("/ideas/{}", idea.id),
        "idea": { "id": idea.id, "title": idea.title, "status": idea.status, "reason": idea.status_reason },
        "email_to": emails,
    })
}

/// Ideas from everyone: votes, comments, statuses, merges (D4).
#[async_trait]
pub trait Ideas: Send + Sync {
    /// `Invalid` when the author, touchpoint or experience is not in this
    /// organization.
    async fn create_idea(&self, org: Id, author: Id, idea: &IdeaInput) -> Result<Idea>;

    /// Creates an idea from a recurring root cause, linked to that cause's
    /// closed cases. `NotFound` for an unknown root cause.
    async fn create_idea_from_root_cause(
        &self,
        org: Id,
        root_cause: Id,
        author: Id,
        idea: &IdeaInput,
    ) -> Result<IdeaDetail>;

    /// Newest first, with vote and comment counts.
    async fn list_ideas(&self, org: Id, filter: &IdeaFilter) -> Result<Vec<Idea>>;

    async fn get_idea(&self, org: Id, id: Id) -> Result<IdeaDetail>;

    /// One vote per person: `Conflict` (field `person_id`, code
    /// `already_voted`) on a second; `Invalid` on a merged or closed idea or
    /// an unknown person.
    async fn vote_idea(&self, org: Id, id: Id, person: Id) -> Result<Idea>;

    /// Withdraws the person's vote; `NotFound` when there is none.
    async fn unvote_idea(&self, org: Id, id: Id, person: Id) -> Result<Idea>;

    async fn comment_idea(&self, org: Id, id: Id, person: Id, body: &str) -> Result<IdeaComment>;

    /// Moves an idea by the core's rules (`Invalid` otherwise; approving
    /// needs the idea filed on a touchpoint or experience). The author is
    /// told: outbox event `idea.status` (e-mail to the author) and a notice
    /// of kind `Idea`. Implementing announces `idea_implemented`.
    async fn set_idea_status(&self, org: Id, id: Id, to: IdeaStatus, reason: Option<&str>, actor: &str)
        -> Result<Idea>;

    /// Files an idea on a touchpoint and/or experience (e-mailed ideas
    /// arrive unfiled). `Invalid` when neither is given or one is elsewhere.
    async fn file_idea(&self, org: Id, id: Id, touchpoint: Option<Id>, experience: Option<Id>) -> Result<Idea>;

    /// Merges `duplicate` into `target`: voters move as a union, comments
    /// stay, the duplicate points at the target. Returns the target.
    async fn merge_idea(&self, org: Id, duplicate: Id, target: Id) -> Result<Idea>;

    /// The home page's idea of the day (core's choice among recent ideas).
    async fn idea_of_the_day(&self, org: Id, today: NaiveDate) -> Result<Option<Idea>>;

    /// Every idea as the engagement report reads it.
    async fn idea_rows(&self, org: Id) -> Result<Vec<IdeaRow>>;
}

/// 20-workday touchpoint redesign sprints (D5).
#[async_trait]
pub trait Sprints: Send + Sync {
    /// Validates with the organization's calendar (`Invalid` with the core's
    /// errors, or for unknown people, touchpoint or ideas; ideas must be
    /// approved or planned and move to in_sprint), snapshots the
    /// touchpoint's metrics over the `BASELINE_DAYS` before the start.
    async fn create_sprint(&self, org: Id, sprint: &SprintDraft) -> Result<Sprint>;

    /// By start, newest first.
    async fn list_sprints(&self, org: Id) -> Result<Vec<Sprint>>;

    async fn get_sprint(&self, org: Id, id: Id) -> Result<Sprint>;

    /// Changes the scope (name, leader, team, ideas, phase ends); the dates
    /// never change (`Invalid`, code `fixed_length`). Ideas taken up move to
    /// in_sprint, ideas dropped back to planned.
    async fn update_sprint(&self, org: Id, id: Id, update: &SprintUpdateDraft, today: NaiveDate) -> Result<Sprint>;

    /// Stores (or replaces, until approved) the proposal document.
    async fn submit_proposal(&self, org: Id, id: Id, person: Id, document: &str) -> Result<Sprint>;

    /// Only the leader approves (`Invalid`, field `approver`); announces
    /// `proposal_approved`.
    async fn approve_proposal(&self, org: Id, id: Id, approver: Option<Id>) -> Result<Sprint>;

    /// Snapshots the touchpoint over the sprint's days and stores the outcome
    /// (before and after). `Invalid` (field `end`) before the last day.
    async fn finish_sprint(&self, org: Id, id: Id, today: NaiveDate) -> Result<Sprint>;
}

/// The change channel: announcements and their acknowledgements (D6).
#[async_trait]
pub trait Announcements: Send + Sync {
    /// Newest first: all of them (`None`) or those sent to a person.
    async fn list_announcements(&self, org: Id, person: Option<Id>) -> Result<Vec<Announcement>> {
        self.page_announcements(org, person, None, 0).await
    }

    /// As `list_announcements`, only those older than the announcement
    /// `after` (keyset paging by id), at most `limit` (0 for all).
    async fn page_announcements(
        &self,
        org: Id,
        person: Option<Id>,
        after: Option<Id>,
        limit: i64,
    ) -> Result<Vec<Announcement>>;

    async fn get_announcement(&self, org: Id, id: Id) -> Result<Announcement>;

    /// `Invalid` (field `person_id`) unless a recipient; `Conflict` when
    /// already acknowledged.
    async fn acknowledge_announcement(&self, org: Id, id: Id, person: Id) -> Result<Announcement>;
}

/// The internal communications plan (D7).
#[async_trait]
pub trait Comms: Send + Sync {
    /// By date, then id.
    async fn list_comms(&self, org: Id) -> Result<Vec<CommsItem>>;

    async fn get_comms(&self, org: Id, id: Id) -> Result<CommsItem>;

    /// `Invalid` when the owner is not a person of the organization.
    async fn create_comms(&self, org: Id, item: &CommsInput) -> Result<CommsItem>;

    async fn update_comms(&self, org: Id, id: Id, item: &CommsInput) -> Result<CommsItem>;

    async fn delete_comms(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()>;
}
