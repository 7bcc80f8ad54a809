//! A7. Perfect customer behaviours: rules over events, and the state that
//! counts them at write time.
//!
//! The rule and what its rate means are `rapport_core::plan::perfect_behaviour`.
//! The store keeps, per behaviour, the rows of
//! `rapport_core::plan::perfect_behaviour::state` inside every write that
//! changes a customer's activity (event and response ingestion, erasure,
//! `rapport rollups rebuild`), so a period's counts are range sums, never a
//! read of events per customer. Creating a behaviour, or changing its rule,
//! computes its rows from the customers' activity histories in the same
//! transaction, a bounded chunk of customers at a time.

use crate::error::Result;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::plan::perfect_behaviour::state::Counts;
use rapport_core::plan::perfect_behaviour::{BehaviourInput, Rule};
use rapport_core::Id;
use serde::Serialize;

/// A behaviour as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PerfectBehaviour {
    pub id: Id,
    pub experience_id: Id,
    pub name: String,
    pub name_es: Option<String>,
    pub owner_id: Id,
    pub target: f64,
    #[serde(flatten)]
    pub rule: Rule,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PerfectBehaviour {
    /// The behaviour as an input (for a change merged over it).
    pub fn input(&self) -> BehaviourInput {
        BehaviourInput {
            name: self.name.clone(),
            name_es: self.name_es.clone(),
            owner_id: self.owner_id,
            target: self.target,
            rule: self.rule.clone(),
        }
    }

    /// The name in a language (`es`: the Spanish one when set).
    pub fn name_in(&self, lang: &str) -> &str {
        match (&self.name_es, lang) {
            (Some(es), "es") => es,
            _ => &self.name,
        }
    }
}

#[async_trait]
pub trait PerfectBehaviours: Send + Sync {
    /// The behaviours of an experience (`None`: of every experience), by id.
    /// `NotFound` for another organization's experience.
    async fn list_behaviours(&self, org: Id, experience: Option<Id>) -> Result<Vec<PerfectBehaviour>>;

    /// One behaviour; `NotFound` when not the organization's.
    async fn behaviour(&self, org: Id, id: Id) -> Result<PerfectBehaviour>;

    /// Adds a behaviour to an experience and counts it over the activity
    /// already stored. `NotFound` for another organization's experience;
    /// `Invalid` naming `owner_id` or `touchpoint_id` when not the
    /// organization's; `Conflict` on `experience_id` past
    /// `PER_EXPERIENCE_MAX` behaviours.
    async fn create_behaviour(&self, org: Id, experience: Id, b: &BehaviourInput) -> Result<PerfectBehaviour>;

    /// Replaces a behaviour; a changed rule recounts it.
    async fn update_behaviour(&self, org: Id, id: Id, b: &BehaviourInput) -> Result<PerfectBehaviour>;

    /// Deletes a behaviour. `Conflict` (`in_use`) while an experience's goal names it.
    async fn delete_behaviour(&self, org: Id, id: Id) -> Result<()>;

    /// Eligible and showing customers of each window `[from, to]`.
    async fn perfect_behaviour_counts(
        &self,
        org: Id,
        id: Id,
        windows: &[(NaiveDate, NaiveDate)],
    ) -> Result<Vec<Counts>>;
}
