//! The program: people, segments, the journey map, experiences and the
//! intent statement (A1-A5).

use crate::accounts::{Audit, Handover};
use crate::error::Result;
use async_trait::async_trait;
use chrono::NaiveDate;
use rapport_core::experience::{Experience, ExperienceInput, Interaction};
use rapport_core::intent::{IntentInput, IntentVersion};
use rapport_core::journey::{Stage, StageInput, Touchpoint, TouchpointInput};
use rapport_core::person::{Person, PersonInput};
use rapport_core::segment::{Segment, SegmentInput};
use rapport_core::Id;
/// The people who deliver the experience, and handing over what they own (A2).
#[async_trait]
pub trait People: Send + Sync {
    async fn list_people(&self, org: Id) -> Result<Vec<Person>>;

    async fn get_person(&self, org: Id, id: Id) -> Result<Person>;

    /// `Conflict` on an e-mail already used by a person of this organization.
    async fn create_person(&self, org: Id, person: &PersonInput) -> Result<Person>;

    async fn update_person(&self, org: Id, id: Id, person: &PersonInput) -> Result<Person>;

    /// Marks the person as left on `on`. What they led or owned stays
    /// assigned to them, and so shows as a coverage gap until handed over.
    async fn deactivate_person(&self, org: Id, id: Id, on: NaiveDate, audit: Option<&Audit<'_>>) -> Result<Person>;

    async fn reactivate_person(&self, org: Id, id: Id) -> Result<Person>;

    /// Moves every experience `from` leads, every touchpoint `from` owns and
    /// every listening post `from` governs and every open case assigned to
    /// `from` to `to`, in one transaction.
    /// `Invalid` (field `to`) when `to` is unknown or has left.
    async fn handover(&self, org: Id, from: Id, to: Id, audit: Option<&Audit<'_>>) -> Result<Handover>;

    /// `Conflict` while the person still leads, owns or governs anything.
    async fn delete_person(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()>;
}

/// Customer segments defined by rules (A4).
#[async_trait]
pub trait Segments: Send + Sync {
    async fn list_segments(&self, org: Id) -> Result<Vec<Segment>>;

    async fn get_segment(&self, org: Id, id: Id) -> Result<Segment>;

    /// Each segment's number of members (kept at write time; a segment
    /// without members is absent).
    async fn segment_sizes(&self, org: Id) -> Result<std::collections::BTreeMap<Id, i64>>;

    /// `Conflict` on a duplicate name.
    async fn create_segment(&self, org: Id, segment: &SegmentInput) -> Result<Segment>;

    async fn update_segment(&self, org: Id, id: Id, segment: &SegmentInput) -> Result<Segment>;

    /// Also removes the segment from experiences and touchpoint importances.
    async fn delete_segment(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()>;
}

/// The journey map: stages and their touchpoints (A5).
#[async_trait]
pub trait Journey: Send + Sync {
    async fn list_stages(&self, org: Id) -> Result<Vec<Stage>>;

    /// Without a position, goes after the last stage; with one, later stages
    /// shift down.
    async fn create_stage(&self, org: Id, stage: &StageInput) -> Result<Stage>;

    async fn update_stage(&self, org: Id, id: Id, stage: &StageInput) -> Result<Stage>;

    /// `Conflict` while touchpoints are on it.
    async fn delete_stage(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()>;

    /// Ordered by stage position, then touchpoint position.
    async fn list_touchpoints(&self, org: Id) -> Result<Vec<Touchpoint>>;

    async fn get_touchpoint(&self, org: Id, id: Id) -> Result<Touchpoint>;

    /// `Invalid` when the stage, owner or an importance segment is not in
    /// this organization.
    async fn create_touchpoint(&self, org: Id, tp: &TouchpointInput) -> Result<Touchpoint>;

    async fn update_touchpoint(&self, org: Id, id: Id, tp: &TouchpointInput) -> Result<Touchpoint>;

    /// Removes it from experiences too (kept in their interaction history);
    /// its listening posts stay, covering no touchpoint; its responses and
    /// events are kept. `Conflict` while surveys are attached to it.
    async fn delete_touchpoint(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()>;
}

/// Experience plans and their key interactions (A1).
#[async_trait]
pub trait Experiences: Send + Sync {
    async fn list_experiences(&self, org: Id) -> Result<Vec<Experience>>;

    async fn get_experience(&self, org: Id, id: Id) -> Result<Experience>;

    /// `Invalid` when the leader or a segment is not in this organization.
    async fn create_experience(&self, org: Id, exp: &ExperienceInput) -> Result<Experience>;

    async fn update_experience(&self, org: Id, id: Id, exp: &ExperienceInput) -> Result<Experience>;

    async fn delete_experience(&self, org: Id, id: Id, audit: &Audit<'_>) -> Result<()>;

    /// Adds a touchpoint as a key interaction (at the end of the path when no
    /// position is given). `Conflict` when it is already a current one.
    async fn add_interaction(&self, org: Id, exp: Id, touchpoint: Id, position: Option<i64>) -> Result<Experience>;

    /// Ends the interaction; it stays in the history. `NotFound` when it is
    /// not a current interaction.
    async fn remove_interaction(
        &self,
        org: Id,
        exp: Id,
        touchpoint: Id,
        audit: Option<&Audit<'_>>,
    ) -> Result<Experience>;

    /// Every interaction the experience ever had, current and removed, oldest first.
    async fn interaction_history(&self, org: Id, exp: Id) -> Result<Vec<Interaction>>;
}

/// The versioned intent statement (A3).
#[async_trait]
pub trait Intent: Send + Sync {
    async fn current_intent(&self, org: Id) -> Result<Option<IntentVersion>>;

    /// Newest first.
    async fn list_intent_versions(&self, org: Id) -> Result<Vec<IntentVersion>>;

    /// Stores the next version; earlier ones are kept unchanged. `Invalid`
    /// when a criterion's scope names an experience or touchpoint elsewhere.
    /// A [`Audit::created`] subject is completed with the version number.
    async fn create_intent_version(
        &self,
        org: Id,
        intent: &IntentInput,
        created_by: Option<&str>,
        audit: Option<&Audit<'_>>,
    ) -> Result<IntentVersion>;
}
