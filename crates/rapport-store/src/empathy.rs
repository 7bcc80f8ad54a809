//! A6. Empathy maps per touchpoint (says, thinks, does, feels; pains,
//! gains), with evidence and versions.
//!
//! A map is kept per touchpoint and segment (`None`: the general map);
//! every save writes a new version and never changes an earlier one. Cited
//! responses, cases and themes are checked to be the organization's in
//! the writing transaction; their quotes (a response's comment, a case's
//! title, a theme's name) are read when the map is read, so an erased
//! comment leaves the map with it.

use crate::error::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::plan::empathy::{EmpathyMap, MapInput, Suggestion, Summary, VersionInfo};
use rapport_core::Id;

#[async_trait]
pub trait EmpathyMaps: Send + Sync {
    /// The map's current version (`version` None) or a given one; `None`
    /// when it has no such version. `NotFound` for another organization's
    /// touchpoint; an unknown segment is a 422 naming `segment_id`.
    async fn empathy_map(
        &self,
        org: Id,
        touchpoint: Id,
        segment: Option<Id>,
        version: Option<i64>,
    ) -> Result<Option<EmpathyMap>>;

    /// Saves the map as its next version. Evidence that is not the
    /// organization's is a 422 naming `entries[i].evidence`, and nothing is
    /// written.
    async fn save_empathy_map(
        &self,
        org: Id,
        touchpoint: Id,
        segment: Option<Id>,
        map: &MapInput,
        author: &str,
        now: DateTime<Utc>,
    ) -> Result<EmpathyMap>;

    /// The map's versions, newest first (at most 200).
    async fn empathy_versions(&self, org: Id, touchpoint: Id, segment: Option<Id>) -> Result<Vec<VersionInfo>>;

    /// The segments that have a map of this touchpoint, by id.
    async fn empathy_segments(&self, org: Id, touchpoint: Id) -> Result<Vec<Id>>;

    /// The current general maps of these touchpoints, summarized (those
    /// with a map only).
    async fn empathy_summaries(&self, org: Id, touchpoints: &[Id]) -> Result<Vec<Summary>>;

    /// The touchpoint's latest comments (at most `SUGGESTIONS`, newest
    /// first), read from an index of commented responses.
    async fn empathy_suggestions(&self, org: Id, touchpoint: Id) -> Result<Vec<Suggestion>>;
}
