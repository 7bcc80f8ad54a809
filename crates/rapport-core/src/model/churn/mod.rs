//! Churn risk per customer (C7), with its reasons and its back-test.
//!
//! Policy:
//! - A cut-off is the first day the model does not see: [`features`] use
//!   only data dated strictly before it, and an outcome window starts on it.
//!   A customer with nothing dated before the cut-off is not scored yet.
//! - Churned over `[from, until)` means no purchase on any day of it, or a
//!   cancellation or non-renewal in it ([`CustomerHistory::churned`]).
//! - To score at cut-off C for a horizon of H days, the model learns from
//!   the past: features at C' = C − W, labels over `[C', C)`, with the
//!   window W = min(H, half the days of history before C). Half, so the
//!   customers described at C' have as much behind them as the window ahead
//!   of them; W < H only while the history is shorter than 2H.
//! - Ridge logistic regression (λ = 1) on standardized features, fitted by
//!   Newton's method (`logistic.rs`). A feature that is constant in the
//!   training customers, or that moves in lockstep (|r| ≥ 0.95) with one
//!   already in the model, is dropped and listed, never an error.
//! - When W < H, the probability over H extrapolates the one over W along
//!   a Weibull cumulative hazard whose shape is measured on the training
//!   window itself ([`ChurnModel::hazard_shape`]). The extrapolation keeps
//!   the order of customers, so it moves calibration, never AUC.
//! - Reasons: the three features whose coefficient × standardized deviation
//!   from the training mean raise the risk most, as stable keys ([`Feature`])
//!   with the customer's own value; the web layer words them.
//! - Refused with a [`ChurnError`]: a horizon under a day, no history, fewer
//!   than [`MIN_CUSTOMERS`] customers, or one class only in the labels.
//! - Pure and deterministic: the same histories and dates give the same
//!   model, scores and report. Scoring costs one pass over the features.

mod auc;
mod backtest;
mod calibration;
mod design;
mod error;
mod feature;
mod features;
mod history;
mod logistic;
mod score;
mod train;

#[cfg(test)]
mod tests;

pub use auc::auc;
pub use backtest::{backtest, BacktestReport, PeriodRow};
pub use calibration::{calibration, CalibrationBin};
pub use design::{Dropped, Term};
pub use error::ChurnError;
pub use feature::Feature;
pub use features::{features, FeatureVector};
pub use history::{CaseDates, CustomerHistory};
pub use score::{ChurnScore, Reason};
pub use train::{train, ChurnModel, MIN_CUSTOMERS};
