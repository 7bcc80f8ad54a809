//! What an analysis takes in and what it reports. The report types are
//! stored as JSON and served by the API, so they are plain data; every
//! figure in them is finite.

use serde::{Deserialize, Serialize};

/// The observations of one analysis: an outcome and `p` driver scores per
/// observation. A missing answer is any non-finite value (NaN); it drops the
/// whole observation. Not serde: JSON cannot carry NaN, so the server builds
/// this from stored responses rather than accepting it as a body.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DriverInput {
    /// One name per driver (a question or touchpoint), in row order.
    pub names: Vec<String>,
    /// The outcome per observation, e.g. likelihood to recommend 0–10.
    pub outcome: Vec<f64>,
    /// One row per observation, each with one score per name.
    pub drivers: Vec<Vec<f64>>,
    /// Empty, or one optional answer scale per driver, to express each
    /// driver's performance on 0–100.
    pub scales: Vec<Option<Scale>>,
}

/// The answer scale of a driver, e.g. 1–5 or 0–10.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scale {
    pub min: f64,
    pub max: f64,
}

/// How the analysis runs. Missing JSON fields take the defaults.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DriverOptions {
    /// Bootstrap resamples for the intervals (200); 0 reports none.
    pub bootstrap_samples: usize,
    /// Seed of the resampling, so a refit stores the same intervals.
    pub seed: u64,
    /// Coverage of the percentile intervals, strictly between 0 and 1.
    pub confidence: f64,
    /// Floor of the minimum sample (30); the minimum is the larger of this
    /// and ten observations per driver (see [`super::minimum_sample`]).
    pub min_sample: usize,
}

impl Default for DriverOptions {
    fn default() -> Self {
        DriverOptions { bootstrap_samples: 200, seed: 0, confidence: 0.95, min_sample: 30 }
    }
}

/// Which derived importance a chart uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportanceMethod {
    /// LMG, the Shapley value of R² (the default: exact, order-free).
    #[default]
    Lmg,
    /// Johnson's relative weights (its fast approximation).
    RelativeWeight,
}

/// The result of one analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DriverReport {
    /// Observations used: complete on the outcome and every driver.
    pub n: usize,
    /// Observations dropped for a missing value.
    pub dropped: usize,
    /// R² of the linear regression of the outcome on all drivers.
    pub r2: f64,
    /// One entry per driver, in input order.
    pub drivers: Vec<DriverResult>,
    pub bootstrap: BootstrapSummary,
}

/// One driver's importance and performance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DriverResult {
    pub name: String,
    /// Pearson correlation with the outcome.
    pub correlation: f64,
    pub lmg: Importance,
    pub relative_weight: Importance,
    pub performance: Performance,
}

/// A derived importance: `raw` is the driver's part of R² (the parts sum to
/// R²), `share` its part of the explained variance (the shares sum to 1; all
/// 0 when R² is 0). Intervals are bootstrap percentiles, absent when no
/// resampling ran or more than half the resamples were skipped.
///
/// Named `DerivedImportance` in the OpenAPI document: `Importance` is the
/// stated importance of a touchpoint to a segment (`journey::Importance`),
/// and two schemas of one name overwrite each other there.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = DerivedImportance))]
pub struct Importance {
    pub raw: f64,
    pub share: f64,
    pub raw_interval: Option<Interval>,
    pub share_interval: Option<Interval>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = DriverInterval))]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// How well the driver does: its mean over the observations used, and that
/// mean on 0–100 when the driver's scale was given.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Performance {
    pub mean: f64,
    pub scaled: Option<f64>,
}

/// What the resampling did: `used + skipped == requested`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BootstrapSummary {
    pub requested: usize,
    pub used: usize,
    /// Resamples in which a driver or the outcome came out constant, or the
    /// drivers collinear, so no importance could be computed.
    pub skipped: usize,
    pub confidence: f64,
    pub seed: u64,
}
