//! A8. The CX council: members, meetings, agenda items, minutes, decisions
//! and action items. The rules (roles, bounds, the agenda's draft) are
//! `rapport_core::plan::council`; storage keeps the results and checks
//! that every id a write names is the organization's.

use crate::error::Result;
use async_trait::async_trait;
use rapport_core::plan::council::agenda::DraftItem;
use rapport_core::plan::council::{
    CouncilActionInput, CouncilActionItem, CouncilAgendaItem, CouncilAgendaItemInput, CouncilDecision,
    CouncilDecisionInput, CouncilMeeting, CouncilMeetingInput, CouncilMember, CouncilMemberInput, CouncilRole,
};
use rapport_core::Id;

/// Which action items to list; at most `limit` (capped at 500), soonest due first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ActionFilter {
    pub meeting: Option<Id>,
    pub owner: Option<Id>,
    pub open_only: bool,
    pub limit: i64,
}

/// The most rows one list answers.
pub const COUNCIL_LIST_MAX: i64 = 500;

#[async_trait]
pub trait Council: Send + Sync {
    /// Members, oldest first.
    async fn list_council_members(&self, org: Id) -> Result<Vec<CouncilMember>>;

    /// `Invalid` (field `person_id`) for a person not of the organization or
    /// no longer active; `Conflict` (`person_id`) when they already sit.
    async fn add_council_member(&self, org: Id, member: &CouncilMemberInput) -> Result<CouncilMember>;

    async fn set_council_role(&self, org: Id, id: Id, role: CouncilRole) -> Result<CouncilMember>;

    async fn remove_council_member(&self, org: Id, id: Id) -> Result<()>;

    /// Meetings, the latest start first, at most `limit` (capped at 500).
    async fn list_council_meetings(&self, org: Id, limit: i64) -> Result<Vec<CouncilMeeting>>;

    async fn get_council_meeting(&self, org: Id, id: Id) -> Result<CouncilMeeting>;

    /// Creates the meeting with its drafted agenda, in order.
    async fn create_council_meeting(
        &self,
        org: Id,
        meeting: &CouncilMeetingInput,
        agenda: &[DraftItem],
    ) -> Result<CouncilMeeting>;

    async fn update_council_meeting(&self, org: Id, id: Id, meeting: &CouncilMeetingInput) -> Result<CouncilMeeting>;

    async fn set_council_minutes(&self, org: Id, id: Id, minutes: &str) -> Result<CouncilMeeting>;

    /// The meeting with its agenda, decisions and action items.
    async fn delete_council_meeting(&self, org: Id, id: Id) -> Result<()>;

    /// A meeting's agenda in order.
    async fn council_agenda(&self, org: Id, meeting: Id) -> Result<Vec<CouncilAgendaItem>>;

    async fn get_council_agenda_item(&self, org: Id, id: Id) -> Result<CouncilAgendaItem>;

    /// Inserts at `position` (the end when none or past it), moving the
    /// others down. `Invalid` (field `title`) past the agenda's maximum.
    async fn add_council_agenda_item(
        &self,
        org: Id,
        meeting: Id,
        item: &CouncilAgendaItemInput,
    ) -> Result<CouncilAgendaItem>;

    /// New title and link; moved when a position is given. The kind stays.
    async fn update_council_agenda_item(
        &self,
        org: Id,
        id: Id,
        item: &CouncilAgendaItemInput,
    ) -> Result<CouncilAgendaItem>;

    async fn delete_council_agenda_item(&self, org: Id, id: Id) -> Result<()>;

    async fn council_decisions(&self, org: Id, meeting: Id) -> Result<Vec<CouncilDecision>>;

    /// `Invalid` naming `idea_id`, `sprint_id` or `intent_version_id` when
    /// one is not the organization's.
    async fn add_council_decision(&self, org: Id, meeting: Id, d: &CouncilDecisionInput) -> Result<CouncilDecision>;

    async fn delete_council_decision(&self, org: Id, id: Id) -> Result<()>;

    async fn list_council_actions(&self, org: Id, filter: &ActionFilter) -> Result<Vec<CouncilActionItem>>;

    async fn get_council_action(&self, org: Id, id: Id) -> Result<CouncilActionItem>;

    /// `Invalid` (field `owner_id`) unless an active person of the organization.
    async fn add_council_action(&self, org: Id, meeting: Id, a: &CouncilActionInput) -> Result<CouncilActionItem>;

    async fn update_council_action(&self, org: Id, id: Id, a: &CouncilActionInput) -> Result<CouncilActionItem>;

    /// Ticks (or unticks) an action item.
    async fn set_council_action_done(&self, org: Id, id: Id, done: bool) -> Result<CouncilActionItem>;

    async fn delete_council_action(&self, org: Id, id: Id) -> Result<()>;
}
