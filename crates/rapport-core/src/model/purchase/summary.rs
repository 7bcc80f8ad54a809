//! A customer's purchases reduced to what the models read, exactly as
//! lifetimes' `summary_data_from_transaction_data` and
//! `calibration_and_holdout_data` do it:
//! - dates become periods (days, or Monday–Sunday weeks); purchases in the
//!   same period are one purchase whose amount is their sum;
//! - frequency counts the periods with purchases after the first, recency
//!   is the periods from the first to the last, t the periods from the first
//!   to the end's period, monetary the mean amount of the repeat periods (0
//!   with none). Lifetimes keeps a purchase when its *period* is not after
//!   the end's, so one later in the end's own week still counts: pass
//!   purchases up to the end only, as the store does, if that is unwanted.

use super::{Period, PurchaseError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What BG/NBD and Gamma-Gamma know of a customer, in periods.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = PurchaseSummary))]
pub struct Summary {
    /// Periods with purchases after the first (lifetimes' `frequency`, x).
    pub frequency: f64,
    /// Periods from the first purchase to the last (`recency`, tₓ).
    pub recency: f64,
    /// Periods from the first purchase to the end (`T`).
    pub t: f64,
    /// Mean amount per repeat period, 0 with none (`monetary_value`).
    pub monetary: f64,
}

/// What a customer did after the calibration end (lifetimes' holdout
/// columns), for checking predictions against what happened.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Holdout {
    /// Periods with purchases in the holdout (`frequency_holdout`).
    pub frequency: f64,
    /// Periods from the calibration end's to the observation end's.
    pub duration: f64,
    /// Mean amount of the holdout's purchases themselves, not per period
    /// (`monetary_value_holdout`, lifetimes' rule); 0 with none.
    pub monetary: f64,
}

/// The summary of one customer's `(day, amount)` purchases at `end`, or
/// `None` when none of them falls in a period up to the end's.
pub fn summarize(
    purchases: &[(NaiveDate, f64)],
    end: NaiveDate,
    period: Period,
) -> Result<Option<Summary>, PurchaseError> {
    check_amounts(purchases)?;
    let last = period.index(end);
    let mut by_period: Vec<(i64, f64)> =
        purchases.iter().map(|&(day, amount)| (period.index(day), amount)).filter(|&(p, _)| p <= last).collect();
    by_period.sort_by_key(|&(p, _)| p);
    let Some(&(first, _)) = by_period.first() else { return Ok(None) };
    // Sum each period's amounts; the first period is the first purchase.
    let mut repeat: Vec<(i64, f64)> = Vec::new();
    for &(p, amount) in by_period.iter().skip_while(|&&(q, _)| q == first) {
        match repeat.last_mut() {
            Some((q, sum)) if *q == p => *sum += amount,
            _ => repeat.push((p, amount)),
        }
    }
    let monetary = match repeat.len() {
        0 => 0.0,
        n => repeat.iter().map(|&(_, s)| s).sum::<f64>() / n as f64,
    };
    Ok(Some(Summary {
        frequency: repeat.len() as f64,
        recency: (repeat.last().map_or(first, |&(p, _)| p) - first) as f64,
        t: (last - first) as f64,
        monetary,
    }))
}

/// The summary at `calibration_end` of the purchases up to that day, and the
/// holdout of those after it up to `observation_end`; `None` for a customer
/// with no purchase by the calibration end (lifetimes leaves them out).
pub fn calibration_and_holdout(
    purchases: &[(NaiveDate, f64)],
    calibration_end: NaiveDate,
    observation_end: NaiveDate,
    period: Period,
) -> Result<Option<(Summary, Holdout)>, PurchaseError> {
    if observation_end < calibration_end {
        return Err(PurchaseError::InvalidWindow { calibration_end, observation_end });
    }
    check_amounts(purchases)?;
    let (calibration, holdout): (Vec<_>, Vec<_>) =
        purchases.iter().filter(|(day, _)| *day <= observation_end).partition(|(day, _)| *day <= calibration_end);
    let Some(summary) = summarize(&calibration, calibration_end, period)? else { return Ok(None) };
    let mut periods: Vec<i64> = holdout.iter().map(|&(day, _)| period.index(day)).collect();
    periods.sort_unstable();
    periods.dedup();
    let monetary = match holdout.len() {
        0 => 0.0,
        n => holdout.iter().map(|&(_, a)| a).sum::<f64>() / n as f64,
    };
    let duration = (period.index(observation_end) - period.index(calibration_end)) as f64;
    Ok(Some((summary, Holdout { frequency: periods.len() as f64, duration, monetary })))
}

/// Refuses summaries no purchase history produces (lifetimes' checks, and
/// finite non-negative spend).
pub(crate) fn check_summaries(customers: &[Summary]) -> Result<(), PurchaseError> {
    for (index, s) in customers.iter().enumerate() {
        let reason = if !(s.frequency >= 0.0 && s.frequency.is_finite() && s.frequency.fract() == 0.0) {
            "its frequency must be a whole number of periods, zero or more"
        } else if !(s.recency >= 0.0 && s.t.is_finite() && s.recency <= s.t) {
            "its recency must be between zero and its age t"
        } else if s.frequency == 0.0 && s.recency != 0.0 {
            "without repeat purchases its recency must be zero"
        } else if !(s.monetary >= 0.0 && s.monetary.is_finite()) {
            "its mean spend must be finite and zero or more"
        } else {
            continue;
        };
        return Err(PurchaseError::InvalidSummary { index, reason });
    }
    Ok(())
}

fn check_amounts(purchases: &[(NaiveDate, f64)]) -> Result<(), PurchaseError> {
    match purchases.iter().position(|&(_, a)| !(a.is_finite() && a >= 0.0)) {
        Some(index) => Err(PurchaseError::InvalidAmount { index, amount: purchases[index].1 }),
        None => Ok(()),
    }
}
