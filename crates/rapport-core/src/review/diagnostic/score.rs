//! Scoring a round: per question, per area and overall, the spread between
//! answerers, and the trend from one round to the next.
//!
//! Definitions (each figure is over the answers given; an unanswered
//! question counts for nothing, not for zero):
//! - a question's mean is the mean of its answers (1–5);
//! - an area's mean is the mean of its answered questions' means (each
//!   question weighs the same, however many answered it), and its percent
//!   is that mean as a share of the maximum score, `mean / 5 × 100` (so an
//!   area answered all 1s shows 20%, all 5s 100%);
//! - the overall mean is the mean of the answered areas' means (each area
//!   weighs the same), its percent likewise `mean / 5 × 100`;
//! - the spread is between answerers: for a question, the population
//!   standard deviation (the answerers are the whole group, not a sample)
//!   and the lowest and highest answer; for an area or overall, the same
//!   over each answerer's own mean of their answers there;
//! - answerers disagree on a question when its answers span 2 points or
//!   more (`max − min ≥ 2`, e.g. a 2 and a 4);
//! - the trend compares each round with the round before it (by opening
//!   date, then id): the delta is this round's mean less that round's, when
//!   both have one.

use super::round::DiagnosticAnswer;
use super::{DiagnosticArea, MAX_SCORE, QUESTIONS};
use crate::Id;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The span of answers at which answerers are said to disagree.
pub const DISAGREEMENT_RANGE: f64 = 2.0;

/// The spread of a set of values (answers, or answerers' means).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiagnosticSpread {
    /// Population standard deviation.
    pub sd: f64,
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiagnosticQuestionScore {
    pub question: &'static str,
    pub number: u8,
    pub area: DiagnosticArea,
    /// How many people answered it.
    pub answered: i64,
    pub mean: Option<f64>,
    pub spread: Option<DiagnosticSpread>,
    /// The answers span 2 points or more.
    pub disagree: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiagnosticAreaScore {
    pub area: DiagnosticArea,
    /// Mean of its answered questions' means, 1–5.
    pub mean: Option<f64>,
    /// `mean / 5 × 100`.
    pub percent: Option<f64>,
    /// Over each answerer's mean of their answers in the area.
    pub spread: Option<DiagnosticSpread>,
    /// Of its five questions, how many have at least one answer.
    pub answered_questions: i64,
    /// Of its questions, how many answerers disagree on.
    pub disagreements: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiagnosticScores {
    /// People who answered at least one question.
    pub answerers: i64,
    /// Mean of the answered areas' means, 1–5.
    pub overall: Option<f64>,
    /// `overall / 5 × 100`.
    pub overall_percent: Option<f64>,
    /// Over each answerer's mean of all their answers.
    pub overall_spread: Option<DiagnosticSpread>,
    pub areas: Vec<DiagnosticAreaScore>,
    pub questions: Vec<DiagnosticQuestionScore>,
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

pub fn spread(v: &[f64]) -> Option<DiagnosticSpread> {
    let m = mean(v)?;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64;
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some(DiagnosticSpread { sd: var.sqrt(), min, max })
}

fn percent(mean: Option<f64>) -> Option<f64> {
    mean.map(|m| m / MAX_SCORE as f64 * 100.0)
}

/// Each answerer's mean of the answers that `keep` selects.
fn answerer_means<'a>(answers: &[&'a DiagnosticAnswer], keep: impl Fn(&'a DiagnosticAnswer) -> bool) -> Vec<f64> {
    let mut by: BTreeMap<Id, Vec<f64>> = BTreeMap::new();
    for a in answers.iter().copied().filter(|a| keep(a)) {
        by.entry(a.person_id).or_default().push(a.score as f64);
    }
    by.values().filter_map(|v| mean(v)).collect()
}

/// The scores of one round's answers (answers to unknown questions are
/// ignored).
pub fn score_round(answers: &[DiagnosticAnswer]) -> DiagnosticScores {
    let known: Vec<&DiagnosticAnswer> = answers.iter().filter(|a| super::question(&a.question).is_some()).collect();
    let questions: Vec<DiagnosticQuestionScore> = QUESTIONS
        .iter()
        .map(|q| {
            let v: Vec<f64> = known.iter().filter(|a| a.question == q.key).map(|a| a.score as f64).collect();
            let spread = spread(&v);
            DiagnosticQuestionScore {
                question: q.key,
                number: q.number,
                area: q.area,
                answered: v.len() as i64,
                mean: mean(&v),
                spread,
                disagree: spread.is_some_and(|s| s.max - s.min >= DISAGREEMENT_RANGE),
            }
        })
        .collect();
    let areas: Vec<DiagnosticAreaScore> = DiagnosticArea::ALL
        .iter()
        .map(|&area| {
            let of_area: Vec<&DiagnosticQuestionScore> = questions.iter().filter(|q| q.area == area).collect();
            let means: Vec<f64> = of_area.iter().filter_map(|q| q.mean).collect();
            let m = mean(&means);
            DiagnosticAreaScore {
                area,
                mean: m,
                percent: percent(m),
                spread: spread(&answerer_means(&known, |a| {
                    super::question(&a.question).is_some_and(|q| q.area == area)
                })),
                answered_questions: means.len() as i64,
                disagreements: of_area.iter().filter(|q| q.disagree).count() as i64,
            }
        })
        .collect();
    let overall = mean(&areas.iter().filter_map(|a| a.mean).collect::<Vec<_>>());
    let answerers: BTreeSet<Id> = known.iter().map(|a| a.person_id).collect();
    DiagnosticScores {
        answerers: answerers.len() as i64,
        overall,
        overall_percent: percent(overall),
        overall_spread: spread(&answerer_means(&known, |_| true)),
        areas,
        questions,
    }
}

/// One round in the trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiagnosticTrendPoint {
    pub round_id: Id,
    pub name: String,
    pub opened_on: NaiveDate,
    pub answerers: i64,
    pub overall: Option<f64>,
    /// This round's overall less the previous round's.
    pub overall_delta: Option<f64>,
    pub areas: Vec<DiagnosticAreaTrend>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiagnosticAreaTrend {
    pub area: DiagnosticArea,
    pub mean: Option<f64>,
    pub delta: Option<f64>,
}

/// A round with its scores, as the trend reads it.
pub struct ScoredRound<'a> {
    pub id: Id,
    pub name: &'a str,
    pub opened_on: NaiveDate,
    pub scores: &'a DiagnosticScores,
}

fn delta(now: Option<f64>, before: Option<f64>) -> Option<f64> {
    Some(now? - before?)
}

/// The rounds oldest first (by opening date, then id), each with its deltas
/// from the one before.
pub fn trend(rounds: &[ScoredRound<'_>]) -> Vec<DiagnosticTrendPoint> {
    let mut sorted: Vec<&ScoredRound<'_>> = rounds.iter().collect();
    sorted.sort_by_key(|r| (r.opened_on, r.id));
    let mut out: Vec<DiagnosticTrendPoint> = Vec::with_capacity(sorted.len());
    for r in sorted {
        let prev = out.last();
        let areas = r
            .scores
            .areas
            .iter()
            .map(|a| {
                let before = prev.and_then(|p| p.areas.iter().find(|x| x.area == a.area)).and_then(|x| x.mean);
                DiagnosticAreaTrend { area: a.area, mean: a.mean, delta: delta(a.mean, before) }
            })
            .collect();
        out.push(DiagnosticTrendPoint {
            round_id: r.id,
            name: r.name.to_string(),
            opened_on: r.opened_on,
            answerers: r.scores.answerers,
            overall: r.scores.overall,
            overall_delta: delta(r.scores.overall, prev.and_then(|p| p.overall)),
            areas,
        });
    }
    out
}

#[cfg(test)]
#[path = "score_tests.rs"]
mod tests;
