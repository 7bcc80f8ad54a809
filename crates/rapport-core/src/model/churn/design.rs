//! The training customers as the model sees them: one standardized column
//! per kept feature. Standardizing puts every feature on one scale, so the
//! ridge shrinks them alike and coefficient × z reads directly as how far a
//! customer's value pushes the log-odds of churn.

use super::feature::Feature;
use super::features::FeatureVector;
use serde::{Deserialize, Serialize};

/// |r| at or above which a feature counts as moving in lockstep with one
/// already in the model (r² ≥ 0.9: under a tenth of it is its own).
pub(crate) const COLLINEAR: f64 = 0.95;

/// A feature in the model: its training mean and standard deviation on the
/// model's scale ([`Feature`] says which are ln(1 + x)), and the change in
/// log-odds of churn per standard deviation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Term {
    pub feature: Feature,
    pub mean: f64,
    pub sd: f64,
    pub coefficient: f64,
}

impl Term {
    /// Standard deviations from the training mean. A missing value (a score
    /// never given) is imputed at the mean, so it pushes neither way; the
    /// `no_score` flag carries what its absence says.
    pub(crate) fn z(&self, v: &FeatureVector) -> f64 {
        v.get(self.feature).map_or(0.0, |raw| (self.feature.model_value(raw) - self.mean) / self.sd)
    }
}

/// A feature left out of the model, and why.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Dropped {
    /// The same value for every training customer: nothing to learn from
    /// (e.g. no surveys yet, or a shop with no subscriptions).
    Constant { feature: Feature },
    /// Moves in lockstep with a feature already in the model. Their weights
    /// could not be told apart, and an arbitrary split would not carry over
    /// to the scoring date, where the two may part (e.g. purchases in the
    /// last 180 days equal all purchases while history is under 180 days).
    Collinear { feature: Feature, with: Feature, correlation: f64 },
}

/// Kept terms (coefficients still 0), dropped features, and the
/// standardized values, row-major: one row per customer, one column per term.
pub(crate) struct Design {
    pub terms: Vec<Term>,
    pub dropped: Vec<Dropped>,
    pub x: Vec<f64>,
}

pub(crate) fn design(rows: &[FeatureVector]) -> Design {
    let (mut terms, mut dropped, mut columns) = (Vec::new(), Vec::new(), Vec::<Vec<f64>>::new());
    for feature in Feature::ALL {
        let values: Vec<Option<f64>> = rows.iter().map(|r| r.get(feature).map(|v| feature.model_value(v))).collect();
        let present: Vec<f64> = values.iter().flatten().copied().collect();
        let n = present.len() as f64;
        let mean = present.iter().sum::<f64>() / n;
        // Population SD (÷ n), as scikit-learn's StandardScaler.
        let sd = (present.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n).sqrt();
        // Relative, so rounding in the mean of equal values reads as constant.
        if present.is_empty() || sd.is_nan() || sd <= 1e-9 * (1.0 + mean.abs()) {
            dropped.push(Dropped::Constant { feature });
            continue;
        }
        let z: Vec<f64> = values.iter().map(|v| v.map_or(0.0, |v| (v - mean) / sd)).collect();
        let twin = terms
            .iter()
            .zip(&columns)
            .map(|(t, c): (&Term, _)| (t.feature, correlation(&z, c)))
            .filter(|(_, r)| r.abs() >= COLLINEAR)
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()));
        if let Some((with, correlation)) = twin {
            dropped.push(Dropped::Collinear { feature, with, correlation });
            continue;
        }
        terms.push(Term { feature, mean, sd, coefficient: 0.0 });
        columns.push(z);
    }
    let x = (0..rows.len()).flat_map(|i| columns.iter().map(move |c| c[i])).collect();
    Design { terms, dropped, x }
}

/// Pearson's r of two centred columns.
fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let dot = |u: &[f64], v: &[f64]| u.iter().zip(v).map(|(x, y)| x * y).sum::<f64>();
    dot(a, b) / (dot(a, a) * dot(b, b)).sqrt()
}
