//! What the models store (C5, C7, C8): refits and their progress, each
//! customer's scores, key-driver results and the ROCE inputs.
//!
//! Policy: models are fitted in the background (`rapport_server::model`),
//! never inside a request; pages read what the last refit stored. One refit
//! runs at a time per organization across every server sharing the
//! database: a run is claimed under a lease the runner renews with its
//! progress, and a server that finds a lease past takes the run over. The
//! reads that feed a fit go a page of customers (or responses) at a time, so
//! a refit at a million customers never holds them all in one statement.

use crate::accounts::Audit;
use crate::error::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::Id;
use serde::Serialize;

/// Where a refit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    Queued,
    Running,
    Done,
    Failed,
}

impl RunStatus {
    pub fn key(self) -> &'static str {
        match self {
            RunStatus::Queued => "queued",
            RunStatus::Running => "running",
            RunStatus::Done => "done",
            RunStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<RunStatus> {
        [RunStatus::Queued, RunStatus::Running, RunStatus::Done, RunStatus::Failed].into_iter().find(|r| r.key() == s)
    }
}

/// One refit as people see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelRun {
    pub id: Id,
    pub org_id: Id,
    pub status: RunStatus,
    /// What the run is doing (`queued`, `reading`, `purchase`, `churn`,
    /// `drivers`, `saving`, `done`).
    pub stage: String,
    /// 0..=100.
    pub progress: i64,
    /// `schedule`, or who asked (an e-mail or `token:NAME`).
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Why the run was refused or failed, readable by a leader.
    pub error: Option<String>,
    /// What the run found (parameters, back-test, ROCE aggregates).
    pub summary: Option<serde_json::Value>,
}

/// One customer's model inputs as stored: purchase and defection events,
/// scored responses and cases. Times are UTC.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelHistory {
    pub customer_id: Id,
    pub segments: Vec<Id>,
    /// Purchase, refund, cancellation, non_renewal, renewal and contact
    /// events, and those of the types a perfect behaviour counts.
    pub events: Vec<ModelEvent>,
    pub responses: Vec<ModelResponse>,
    pub cases: Vec<ModelCase>,
}

/// A case as a fit reads it: (opened, closed, first promise broken).
pub type ModelCase = (DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// An event as a fit reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelEvent {
    pub at: DateTime<Utc>,
    pub kind: String,
    pub touchpoint_id: Option<Id>,
    pub amount: Option<f64>,
    /// The `reason` attribute (cancellations, non-renewals), when text.
    pub reason: Option<String>,
}

/// A response as a fit reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelResponse {
    pub at: DateTime<Utc>,
    pub touchpoint_id: Id,
    pub survey_id: Option<Id>,
    pub answers: serde_json::Map<String, serde_json::Value>,
    /// rapport_core::measure::band: 1 low, 2 middle, 3 high.
    pub nps_band: Option<i16>,
    /// rapport_core::text::Sentiment code.
    pub sentiment: Option<i16>,
    pub anger: bool,
}

/// One response's answers as key drivers read them.
#[derive(Debug, Clone, PartialEq)]
pub struct DriverAnswers {
    pub id: Id,
    pub customer_id: Option<Id>,
    pub touchpoint_id: Id,
    pub survey_id: Option<Id>,
    pub answers: serde_json::Map<String, serde_json::Value>,
}

/// Scores to store for one customer.
#[derive(Debug, Clone, PartialEq)]
pub struct NewScore {
    pub customer_id: Id,
    /// None when no churn model could be fitted (the purchase figures stand).
    pub churn_risk: Option<f64>,
    pub p_alive: Option<f64>,
    pub expected_purchases: Option<f64>,
    pub lifetime_value: Option<f64>,
    pub value_at_risk: f64,
    /// JSON array of the top reasons.
    pub reasons: serde_json::Value,
}

/// A customer's stored scores, with who the customer is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerScore {
    pub customer_id: Id,
    pub external_id: String,
    pub name: Option<String>,
    /// For outreach from the at-risk list.
    pub email: Option<String>,
    /// None when no churn model could be fitted (the purchase figures stand).
    pub churn_risk: Option<f64>,
    pub p_alive: Option<f64>,
    pub expected_purchases: Option<f64>,
    pub lifetime_value: Option<f64>,
    pub value_at_risk: f64,
    pub reasons: serde_json::Value,
    pub run_id: Id,
    pub scored_at: DateTime<Utc>,
}

/// A page of the at-risk list continues after this (value, customer id).
pub type RiskCursor = (f64, Id);

/// One key-driver result as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriverResult {
    pub experience_id: Id,
    /// 0: the experience's touchpoints as drivers (customers as observations).
    pub survey_id: Id,
    /// 0: everyone.
    pub segment_id: Id,
    pub run_id: Id,
    pub result: serde_json::Value,
}

/// Refits: queued, claimed under a lease, progress, outcome.
#[async_trait]
pub trait Refits: Send + Sync {
    /// Queues a refit, or answers the organization's queued or running one.
    async fn request_refit(&self, org: Id, by: &str, now: DateTime<Utc>) -> Result<ModelRun>;
    /// Claims the oldest queued run of any organization, or a running one
    /// whose lease is past, leasing it until `lease_until`.
    async fn claim_refit(&self, now: DateTime<Utc>, lease_until: DateTime<Utc>) -> Result<Option<ModelRun>>;
    /// Records progress and renews the lease; false when the run is no
    /// longer this runner's (finished, or taken over after a lapse).
    async fn refit_progress(
        &self,
        org: Id,
        run: Id,
        stage: &str,
        progress: i64,
        started_at: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool>;
    /// Ends a run: `Ok(summary)` done, `Err(reason)` failed.
    async fn finish_refit(
        &self,
        org: Id,
        run: Id,
        outcome: std::result::Result<serde_json::Value, String>,
        now: DateTime<Utc>,
    ) -> Result<()>;
    /// The organization's runs, newest first.
    async fn list_refits(&self, org: Id, limit: i64) -> Result<Vec<ModelRun>>;
    /// The last run that finished well.
    async fn last_fit(&self, org: Id) -> Result<Option<ModelRun>>;
    /// The organizations that have customers and no refit since `since`
    /// (the schedule).
    async fn orgs_due_refit(&self, since: DateTime<Utc>) -> Result<Vec<Id>>;
}

/// What a fit reads, a page at a time.
#[async_trait]
pub trait ModelInputs: Send + Sync {
    /// The model inputs of up to `limit` customers with ids after `after`,
    /// in id order.
    async fn model_histories(&self, org: Id, after: Id, limit: i64) -> Result<Vec<ModelHistory>>;
    /// Answers at `touchpoints` since `since` for key drivers, response
    /// ids after `after` in id order, of a segment's members when one is
    /// given.
    async fn driver_answers(
        &self,
        org: Id,
        touchpoints: &[Id],
        segment: Option<Id>,
        since: DateTime<Utc>,
        after: Id,
        limit: i64,
    ) -> Result<Vec<DriverAnswers>>;
}

/// What a fit writes and pages read: scores, key drivers, ROCE inputs.
#[async_trait]
pub trait ModelScores: Send + Sync {
    /// Stores (replaces) scores of a run.
    async fn save_scores(&self, org: Id, run: Id, scores: &[NewScore], now: DateTime<Utc>) -> Result<()>;
    /// Deletes scores left by runs before `run` (customers it did not score),
    /// and replaces the organization's key-driver results with `drivers`.
    async fn complete_scores(&self, org: Id, run: Id, drivers: &[DriverResult]) -> Result<()>;
    async fn customer_score(&self, org: Id, customer: Id) -> Result<Option<CustomerScore>>;
    /// The at-risk list: highest value at risk first, keyset-paged.
    async fn at_risk(&self, org: Id, after: Option<RiskCursor>, limit: i64) -> Result<Vec<CustomerScore>>;
    async fn driver_results(&self, org: Id, experience: Id) -> Result<Vec<DriverResult>>;

    /// The ROCE inputs leaders set (JSON), if any.
    async fn finance_inputs(&self, org: Id) -> Result<Option<serde_json::Value>>;
    async fn save_finance_inputs(&self, org: Id, inputs: &serde_json::Value, audit: &Audit<'_>) -> Result<()>;
}
