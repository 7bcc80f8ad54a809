//! Calibration: customers sorted by predicted probability and cut into
//! bins of equal size (deciles for 10), each with its mean prediction and
//! the rate actually observed. A calibrated model's two columns agree;
//! ranking (AUC) cannot show that.

use serde::{Deserialize, Serialize};

/// One bin of customers with neighbouring predictions.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalibrationBin {
    /// 1 for the lowest predictions.
    pub bin: usize,
    pub customers: usize,
    pub min_predicted: f64,
    pub max_predicted: f64,
    pub mean_predicted: f64,
    /// Share of the bin that churned.
    pub observed_rate: f64,
}

/// `bins` bins of `(predicted, churned)` pairs; sizes differ by at most one
/// customer, and a bin is left out when there are fewer customers than bins.
/// Equal predictions may fall on both sides of a boundary: the bins stay
/// equal in size, and the order among them is the input order.
pub fn calibration(scored: &[(f64, bool)], bins: usize) -> Vec<CalibrationBin> {
    let mut sorted = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let n = sorted.len();
    (0..bins)
        .map(|k| &sorted[k * n / bins..(k + 1) * n / bins])
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(k, part)| {
            let size = part.len() as f64;
            CalibrationBin {
                bin: k + 1,
                customers: part.len(),
                min_predicted: part[0].0,
                max_predicted: part[part.len() - 1].0,
                mean_predicted: part.iter().map(|s| s.0).sum::<f64>() / size,
                observed_rate: part.iter().filter(|s| s.1).count() as f64 / size,
            }
        })
        .collect()
}
