//! F3. Gap analysis: which gap became which idea or sprint. (Stated
//! importance is the journey's, per touchpoint and segment; the gaps
//! themselves are computed from the rollups on every read, never stored.)

use crate::error::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::improve::{IdeaInput, SprintDraft};
use rapport_core::review::gap::GapKey;
use rapport_core::Id;
use serde::Serialize;

/// What a gap of an experience became.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapLink {
    pub experience_id: Id,
    pub key: GapKey,
    pub idea_id: Option<Id>,
    pub sprint_id: Option<Id>,
    pub created_at: DateTime<Utc>,
}

/// An idea or sprint made from a gap: `created` false when the gap had
/// one already (that one is answered, nothing is made).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GapMade {
    pub id: Id,
    pub created: bool,
}

#[async_trait]
pub trait GapAnalysis: Send + Sync {
    /// Every link of an experience's gaps (all segments).
    async fn gap_links(&self, org: Id, experience: Id) -> Result<Vec<GapLink>>;

    /// Creates the idea of a gap and links it, in one transaction under the
    /// organization's lock; when the gap already has an idea, answers it
    /// and creates nothing. `NotFound` for another organization's
    /// experience; `Invalid` as `create_idea`.
    async fn idea_from_gap(
        &self,
        org: Id,
        experience: Id,
        key: &GapKey,
        author: Id,
        idea: &IdeaInput,
    ) -> Result<GapMade>;

    /// Starts the sprint of a gap and links it; when the gap already has
    /// one, answers it. (The sprint is created as `create_sprint` does,
    /// baseline included, then linked; two clicks at the same instant may
    /// make two sprints, of which the gap links the first.)
    async fn sprint_from_gap(&self, org: Id, experience: Id, key: &GapKey, sprint: &SprintDraft) -> Result<GapMade>;
}
