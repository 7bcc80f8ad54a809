//! The back-test: train and score at a past cut-off from the data before
//! it, then hold the scores against what happened in the holdout after it.

use super::auc::auc;
use super::calibration::{calibration, CalibrationBin};
use super::error::ChurnError;
use super::feature::Feature;
use super::features::features;
use super::train::{train, ChurnModel};
use super::CustomerHistory;
use chrono::{Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// How scores at a past cut-off fared over the holdout that followed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BacktestReport {
    /// The first day of the holdout; the model saw only the days before.
    pub cutoff: NaiveDate,
    /// The last day of the holdout, inclusive.
    pub holdout_end: NaiveDate,
    pub horizon_days: i64,
    /// Customers scored (active before the cut-off), and how many churned.
    pub customers: usize,
    pub churned: usize,
    pub base_rate: f64,
    pub mean_predicted: f64,
    /// AUC of the predicted probability for "churned in the holdout";
    /// `None` if every customer churned or none did.
    pub auc: Option<f64>,
    /// AUC of days since the last purchase alone: the baseline to beat.
    pub recency_auc: Option<f64>,
    /// Deciles of predicted probability.
    pub calibration: Vec<CalibrationBin>,
    /// Predicted against actual share churned from the cut-off to the end
    /// of each month of the holdout.
    pub periods: Vec<PeriodRow>,
    pub model: ChurnModel,
}

/// The share of customers who churned between the cut-off and `end`,
/// predicted (mean probability over those days) and observed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodRow {
    /// Last day of the period, inclusive.
    pub end: NaiveDate,
    /// Days from the cut-off through `end`.
    pub days: i64,
    pub predicted: f64,
    pub actual: f64,
}

/// Trains at `cutoff` for the horizon through `holdout_end` (inclusive),
/// scores every customer active before `cutoff`, and compares with
/// "churned in the holdout" (no purchase in it, or a cancellation).
pub fn backtest(
    histories: &[CustomerHistory],
    cutoff: NaiveDate,
    holdout_end: NaiveDate,
) -> Result<BacktestReport, ChurnError> {
    if holdout_end < cutoff {
        return Err(ChurnError::InvalidHoldout { cutoff, holdout_end });
    }
    let horizon_days = (holdout_end - cutoff).num_days() + 1;
    let model = train(histories, cutoff, horizon_days)?;
    let scored: Vec<(&CustomerHistory, f64, f64)> = histories
        .iter()
        .filter_map(|h| features(h, cutoff).map(|f| (h, model.log_odds(&f), f.get(Feature::DaysSincePurchase))))
        .map(|(h, eta, recency)| (h, eta, recency.unwrap_or(0.0)))
        .collect();
    let churned_by = |end: NaiveDate| scored.iter().map(move |s| s.0.churned(cutoff, end.succ_opt().unwrap_or(end)));
    let outcome: Vec<bool> = churned_by(holdout_end).collect();
    let predicted: Vec<(f64, bool)> =
        scored.iter().zip(&outcome).map(|(s, &c)| (model.extrapolate(s.1, horizon_days), c)).collect();
    let recency: Vec<(f64, bool)> = scored.iter().zip(&outcome).map(|(s, &c)| (s.2, c)).collect();
    let n = scored.len() as f64;
    let churned = outcome.iter().filter(|c| **c).count();
    let periods = period_ends(cutoff, holdout_end)
        .into_iter()
        .map(|end| {
            let days = (end - cutoff).num_days() + 1;
            let predicted = scored.iter().map(|s| model.extrapolate(s.1, days)).sum::<f64>() / n;
            let actual = churned_by(end).filter(|c| *c).count() as f64 / n;
            PeriodRow { end, days, predicted, actual }
        })
        .collect();
    Ok(BacktestReport {
        cutoff,
        holdout_end,
        horizon_days,
        customers: scored.len(),
        churned,
        base_rate: churned as f64 / n,
        mean_predicted: predicted.iter().map(|p| p.0).sum::<f64>() / n,
        auc: auc(&predicted),
        recency_auc: auc(&recency),
        calibration: calibration(&predicted, 10),
        periods,
        model,
    })
}

/// The last day of each month of the holdout counted from the cut-off
/// (cut-off 1 October: 31 October, 30 November, …), then `holdout_end`.
fn period_ends(cutoff: NaiveDate, holdout_end: NaiveDate) -> Vec<NaiveDate> {
    let mut ends: Vec<NaiveDate> = (1..)
        .map_while(|k| cutoff.checked_add_months(Months::new(k)))
        .map(|next| next - Duration::days(1))
        .take_while(|end| *end < holdout_end)
        .collect();
    ends.push(holdout_end);
    ends
}
