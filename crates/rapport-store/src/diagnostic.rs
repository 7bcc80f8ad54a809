//! F2. The 20-question diagnostic: rounds, answers by several people, scores over time.
//!
//! Policy: a round is opened (named, dated) and later closed; while open,
//! each person's answer to a question is replaced by their next one (one
//! row per round, person and question); once closed, answering is a
//! conflict (409 `closed`) and so is closing again. Scores are computed in
//! the core from the answers read back (`rapport_core::review::diagnostic::score`).

use crate::error::Result;
use crate::Audit;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::review::diagnostic::round::{AnswerInput, DiagnosticAnswer, DiagnosticRound, RoundInput};
use rapport_core::Id;

/// The most rounds the list and the trend read (newest first).
pub const MAX_ROUNDS: i64 = 200;

#[async_trait]
pub trait Diagnostics: Send + Sync {
    /// Opens a round. Audited.
    async fn create_diagnostic_round(&self, org: Id, round: &RoundInput, audit: &Audit<'_>) -> Result<DiagnosticRound>;

    /// The newest `limit` rounds (at most [`MAX_ROUNDS`]), newest first
    /// (by opening date, then id).
    async fn list_diagnostic_rounds(&self, org: Id, limit: i64) -> Result<Vec<DiagnosticRound>>;

    /// `NotFound` for another organization's round.
    async fn get_diagnostic_round(&self, org: Id, id: Id) -> Result<DiagnosticRound>;

    /// Closes an open round (a conflict on `id` when it already is). Audited.
    async fn close_diagnostic_round(
        &self,
        org: Id,
        id: Id,
        audit: &Audit<'_>,
        now: DateTime<Utc>,
    ) -> Result<DiagnosticRound>;

    /// Records a person's answers (some or all questions), replacing their
    /// earlier answers to the same questions. A closed round is a conflict
    /// on `round` (code `closed`); an unknown or departed person a 422 on
    /// `person_id`.
    async fn answer_diagnostic(
        &self,
        org: Id,
        round: Id,
        person: Id,
        answers: &[AnswerInput],
        now: DateTime<Utc>,
    ) -> Result<()>;

    /// The answers of the given rounds (at most [`MAX_ROUNDS`] of them), by
    /// round, person and question.
    async fn diagnostic_answers(&self, org: Id, rounds: &[Id]) -> Result<Vec<DiagnosticAnswer>>;
}
