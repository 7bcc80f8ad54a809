//! A round as shown: its scores, its place in the trend and the evidence
//! suggestions; and the rounds' list with each one's overall and deltas.
//! Shared by the API and the pages.

use super::evidence;
use crate::error::AppError;
use crate::state::AppState;
use rapport_core::review::diagnostic::evidence::{suggestions, DiagnosticSuggestion};
use rapport_core::review::diagnostic::round::DiagnosticRound;
use rapport_core::review::diagnostic::score::{
    score_round, trend, DiagnosticScores, DiagnosticTrendPoint, ScoredRound,
};
use rapport_core::Id;
use rapport_store::diagnostic::MAX_ROUNDS;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// A round with its scores, trend and evidence.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosticRoundView {
    #[serde(flatten)]
    pub round: DiagnosticRound,
    pub scores: DiagnosticScores,
    /// This round's figures and deltas from the round before it.
    pub trend: Option<DiagnosticTrendPoint>,
    /// Evidence Rapport holds, beside the questions it bears on.
    pub suggestions: Vec<DiagnosticSuggestion>,
}

/// The rounds (newest first) with their scores, and the trend oldest first.
pub struct History {
    pub rounds: Vec<(DiagnosticRound, DiagnosticScores)>,
    pub trend: Vec<DiagnosticTrendPoint>,
}

/// The newest rounds (at most `MAX_ROUNDS`) scored, and their trend.
pub async fn history(state: &AppState, org: Id) -> Result<History, AppError> {
    let store = state.reads();
    let rounds = store.list_diagnostic_rounds(org, MAX_ROUNDS).await?;
    let ids: Vec<Id> = rounds.iter().map(|r| r.id).collect();
    let mut by_round: HashMap<Id, Vec<_>> = HashMap::new();
    for a in store.diagnostic_answers(org, &ids).await? {
        by_round.entry(a.round_id).or_default().push(a);
    }
    let rounds: Vec<(DiagnosticRound, DiagnosticScores)> = rounds
        .into_iter()
        .map(|r| {
            let scores = score_round(by_round.get(&r.id).map(Vec::as_slice).unwrap_or_default());
            (r, scores)
        })
        .collect();
    let points: Vec<ScoredRound<'_>> = rounds
        .iter()
        .map(|(r, s)| ScoredRound { id: r.id, name: &r.name, opened_on: r.opened_on, scores: s })
        .collect();
    let trend = trend(&points);
    Ok(History { rounds, trend })
}

/// One round (404 for another organization's) with its trend point and the
/// evidence suggestions.
pub async fn round_view(state: &AppState, org: Id, id: Id) -> Result<DiagnosticRoundView, AppError> {
    let round = state.store.get_diagnostic_round(org, id).await?;
    let History { rounds, trend } = history(state, org).await?;
    let scores = match rounds.into_iter().find(|(r, _)| r.id == id) {
        Some((_, s)) => s,
        // Older than the newest MAX_ROUNDS: scored alone, without a trend.
        None => score_round(&state.reads().diagnostic_answers(org, &[id]).await?),
    };
    let figures = evidence::gather(state, org).await?;
    Ok(DiagnosticRoundView {
        round,
        scores,
        trend: trend.into_iter().find(|p| p.round_id == id),
        suggestions: suggestions(&figures),
    })
}
