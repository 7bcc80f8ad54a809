//! E3. Recognition tied to customer outcomes, and the flag on people who
//! "make their numbers" while hurting the experience. The rules live in
//! `rapport_core::people::recognition`; storage keeps the kudos, their
//! monthly counts, and reads the period's cases and their customers'
//! responses for the flag.

use crate::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::people::recognition::{
    EvidenceKind, FlagRow, Kudos, KudosInput, KudosMonth, KudosSuggestion, Period, SprintLead,
};
use rapport_core::Id;
use serde::Serialize;

/// Which kudos to list, newest first; every condition is optional.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KudosFilter {
    /// Received by this person.
    pub person: Option<Id>,
    /// Counted under this department (a team's kudos, or a person's in it).
    pub department: Option<String>,
    /// Keyset paging: only kudos older than this id.
    pub after: Option<Id>,
    /// At most this many; 0 for all.
    pub limit: i64,
}

/// Who gives a kudos: their person (if their account has one) and the
/// account's name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Giver<'a> {
    pub person: Option<Id>,
    pub label: &'a str,
}

/// Something recent that could back a kudos, for the form's choices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceChoice {
    pub kind: EvidenceKind,
    pub id: Id,
    /// The case's or sprint's title, or the response's comment (cut).
    pub label: String,
    pub at: DateTime<Utc>,
}

/// How many suggestions and evidence choices are read at most.
pub const RECENT_MAX: i64 = 20;

/// Suggestions come from the last this many days.
pub const SUGGESTION_DAYS: i64 = 90;

#[async_trait]
pub trait Recognition: Send + Sync {
    /// Writes a kudos, counts it in the monthly summary and notifies the
    /// recipient (kind `kudos`). `Invalid` (field `person_id`) for a person
    /// not in the organization or gone; (field `evidence_id`) for evidence
    /// that is not the organization's, a case not closed with the
    /// customer's agreement, or a sprint without an improved outcome.
    async fn give_kudos(&self, org: Id, giver: Giver<'_>, kudos: &KudosInput) -> Result<Kudos>;

    async fn page_kudos(&self, org: Id, filter: &KudosFilter) -> Result<Vec<Kudos>>;

    /// The monthly summary, by month (newest first) then department; at
    /// most `months` months (0 for all).
    async fn kudos_months(&self, org: Id, months: i64) -> Result<Vec<KudosMonth>>;

    /// Kudos received per person (people only, not teams).
    async fn kudos_by_person(&self, org: Id) -> Result<Vec<(Id, i64)>>;

    /// Recent promoter or WOW comments naming exactly one active person
    /// (the latest `RECENT_MAX` of each, of the last `SUGGESTION_DAYS`).
    async fn kudos_suggestions(&self, org: Id, now: DateTime<Utc>) -> Result<Vec<KudosSuggestion>>;

    /// Recent cases closed with agreement and sprints that improved.
    async fn evidence_choices(&self, org: Id) -> Result<Vec<EvidenceChoice>>;

    /// The flag over a period: every agent with a case closed in it (or
    /// reopened in it and still open).
    async fn performance(&self, org: Id, period: Period) -> Result<Vec<FlagRow>>;

    /// Finished sprints: leader, last day, improved or not.
    async fn sprint_leads(&self, org: Id) -> Result<Vec<SprintLead>>;
}
