//! Training for a cut-off: choose the training window, describe customers
//! at its start, label them by its end, fit, and measure how churn grows
//! with the length of the window.

use super::design::{design, Dropped, Term};
use super::error::ChurnError;
use super::features::{features, FeatureVector};
use super::history::CustomerHistory;
use super::logistic;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Fewest training customers to learn from: with fewer, a handful of
/// people would decide every coefficient.
pub const MIN_CUSTOMERS: usize = 30;

/// λ of the ridge: a Gaussian prior with standard deviation 1 on each
/// standardized coefficient (one SD of a feature is a priori unlikely to
/// move the odds more than e² ≈ 7-fold). With thousands of customers the
/// data outweigh it; with dozens it keeps the fit finite and stable, even
/// when one feature separates churners from stayers.
const RIDGE: f64 = 1.0;

/// A fitted churn model, ready to score customers at `cutoff`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChurnModel {
    /// The day it scores at: the first day it has not seen.
    pub cutoff: NaiveDate,
    /// Days of the horizon scored, `[cutoff, cutoff + horizon_days)`.
    pub horizon_days: i64,
    /// Where the training customers were described (cutoff − window).
    pub training_cutoff: NaiveDate,
    /// Days of the training window `[training_cutoff, cutoff)` whose
    /// churn the model learned: min(horizon, half the history).
    pub window_days: i64,
    /// Shape β of the Weibull cumulative hazard that carries the window's
    /// probability to other lengths t: P(t) = P(window)^((t / window)^β).
    /// 1 is a constant hazard; below 1 the hazard falls with time, as when
    /// some customers have left for good. Measured on the training window,
    /// β = ln(ln S(W) / ln S(W/2)) / ln(W / (W/2)) with S(t) the share
    /// churned over its first t days, and held in [0, 1] (1 if undefined).
    pub hazard_shape: f64,
    pub intercept: f64,
    pub terms: Vec<Term>,
    pub dropped: Vec<Dropped>,
    /// Training customers, and how many of them churned over the window.
    pub customers: usize,
    pub churned: usize,
}

/// Trains a model to score at `cutoff` the churn over the next
/// `horizon_days`, from data dated before `cutoff` only.
pub fn train(histories: &[CustomerHistory], cutoff: NaiveDate, horizon_days: i64) -> Result<ChurnModel, ChurnError> {
    if horizon_days < 1 {
        return Err(ChurnError::InvalidHorizon(horizon_days));
    }
    let earliest =
        histories.iter().filter_map(|h| h.first_seen(cutoff)).min().ok_or(ChurnError::NoHistory { cutoff })?;
    let history_days = (cutoff - earliest).num_days();
    let window_days = horizon_days.min(history_days / 2);
    if window_days < 1 {
        return Err(ChurnError::TooLittleHistory { days: history_days, cutoff });
    }
    let start = cutoff - Duration::days(window_days);
    let (rows, known): (Vec<FeatureVector>, Vec<&CustomerHistory>) =
        histories.iter().filter_map(|h| features(h, start).map(|f| (f, h))).unzip();
    let y: Vec<bool> = known.iter().map(|h| h.churned(start, cutoff)).collect();
    let (customers, churned) = (y.len(), y.iter().filter(|c| **c).count());
    if customers < MIN_CUSTOMERS {
        return Err(ChurnError::TooFewCustomers { n: customers, min: MIN_CUSTOMERS, training_cutoff: start });
    }
    if churned == 0 || churned == customers {
        let through = cutoff - Duration::days(1);
        return Err(ChurnError::OneClass { n: customers, churned: churned > 0, from: start, through });
    }
    let mut design = design(&rows);
    let fit = logistic::fit(&design.x, design.terms.len(), &y, RIDGE).ok_or(ChurnError::NotConverged)?;
    for (term, c) in design.terms.iter_mut().zip(fit.coef) {
        term.coefficient = c;
    }
    Ok(ChurnModel {
        cutoff,
        horizon_days,
        training_cutoff: start,
        window_days,
        hazard_shape: hazard_shape(&known, start, window_days),
        intercept: fit.intercept,
        terms: design.terms,
        dropped: design.dropped,
        customers,
        churned,
    })
}

/// β from the share churned over the first half and the whole window (see
/// [`ChurnModel::hazard_shape`]). Held in [0, 1]: between "no one else
/// leaves after the window" and "everyone keeps their pace".
fn hazard_shape(known: &[&CustomerHistory], start: NaiveDate, window_days: i64) -> f64 {
    let half = window_days / 2;
    let share = |days: i64| {
        let until = start + Duration::days(days);
        known.iter().filter(|h| h.churned(start, until)).count() as f64 / known.len() as f64
    };
    if half < 1 {
        return 1.0;
    }
    let beta = (share(window_days).ln() / share(half).ln()).ln() / (window_days as f64 / half as f64).ln();
    if beta.is_finite() {
        beta.clamp(0.0, 1.0)
    } else {
        1.0
    }
}
