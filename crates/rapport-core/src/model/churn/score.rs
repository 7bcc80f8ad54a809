//! Scoring: a customer's probability of churning over the horizon, and the
//! features that raise it most. One pass over the model's terms, so a
//! million customers cost a million short loops.

use super::feature::Feature;
use super::features::{features, FeatureVector};
use super::history::CustomerHistory;
use super::logistic::softplus;
use super::train::ChurnModel;
use serde::{Deserialize, Serialize};

/// How many reasons a score gives: enough to act on, few enough to read.
pub const MAX_REASONS: usize = 3;

/// One customer's churn risk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChurnScore {
    /// Probability of churning over the model's horizon, 0–1.
    pub probability: f64,
    /// Up to three features that raise this customer's risk most, strongest
    /// first; fewer (or none) when fewer sit on the risky side of average.
    pub reasons: Vec<Reason>,
}

/// A feature that raises a customer's risk.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reason {
    pub feature: Feature,
    /// The customer's own value, in the feature's units (days, count,
    /// money, score 0–10, or 1 for a flag that is set).
    pub value: f64,
    /// The rise in log-odds of churn it causes against an average customer:
    /// coefficient × standardized deviation from the training mean.
    pub effect: f64,
}

impl ChurnModel {
    /// The score of a customer at the model's cut-off; `None` when the
    /// customer has no activity before it.
    pub fn score(&self, history: &CustomerHistory) -> Option<ChurnScore> {
        features(history, self.cutoff).map(|f| self.score_features(&f))
    }

    /// The score of features already computed at the model's cut-off.
    pub fn score_features(&self, f: &FeatureVector) -> ChurnScore {
        let mut eta = self.intercept;
        let mut reasons = Vec::new();
        for term in &self.terms {
            let effect = term.coefficient * term.z(f);
            eta += effect;
            if let (true, Some(value)) = (effect > 0.0, f.get(term.feature)) {
                reasons.push(Reason { feature: term.feature, value, effect });
            }
        }
        // Stable, so equal effects keep the model's feature order.
        reasons.sort_by(|a, b| b.effect.total_cmp(&a.effect));
        reasons.truncate(MAX_REASONS);
        ChurnScore { probability: self.extrapolate(eta, self.horizon_days), reasons }
    }

    /// Log-odds of churn over the training window.
    pub fn log_odds(&self, f: &FeatureVector) -> f64 {
        self.intercept + self.terms.iter().map(|t| t.coefficient * t.z(f)).sum::<f64>()
    }

    /// Probability of churning over the first `days` days from the cut-off.
    pub fn probability_within(&self, f: &FeatureVector, days: i64) -> f64 {
        self.extrapolate(self.log_odds(f), days)
    }

    /// From log-odds over the window to probability over `days`, along the
    /// Weibull hazard (see [`ChurnModel::hazard_shape`]); ln P = −ln(1 + e^−η)
    /// keeps it exact for probabilities near 0 or 1.
    pub(crate) fn extrapolate(&self, eta: f64, days: i64) -> f64 {
        let scale = (days.max(0) as f64 / self.window_days as f64).powf(self.hazard_shape);
        (-scale * softplus(-eta)).exp()
    }
}
