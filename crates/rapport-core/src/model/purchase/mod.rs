//! Purchase behaviour (C7): how often each customer will buy again, whether
//! they are still a customer, what they spend, and what they are worth.
//!
//! Policy:
//! - The figures are those of lifetimes 0.11.3, the Python library analysts
//!   check against: the per-customer summary (`summary_data_from_
//!   transaction_data`), BG/NBD (Fader, Hardie & Lee 2005), Gamma-Gamma
//!   spend (Fader & Hardie's note 025) and lifetime value reproduce its
//!   arithmetic, and `tests/purchase_cdnow.rs` checks them on CDNOW.
//! - Fits are maximum likelihood by BFGS with exact gradients over
//!   log-parameters from fixed starts, so a refit on the same data stores the same figures;
//!   identical customers are counted once with a weight.
//! - A fit is refused with a [`PurchaseError`] rather than stored when the
//!   data are too thin, the spend is all zero, or the optimiser does not
//!   settle on a finite optimum.
//! - Scoring is cheap: closed forms plus one ₂F₁ per expected-purchase
//!   figure ([`hyp2f1`], written here so its accuracy is ours to test).

mod bfgs;
mod bgnbd;
mod bgnbd_fit;
mod clv;
mod connection;
mod error;
mod gamma_gamma;
pub mod hyp2f1;
mod optimise;
mod score;
mod special;
mod summary;
#[cfg(test)]
mod tests;

pub use bgnbd::BgNbd;
pub use bgnbd_fit::{MIN_CUSTOMERS, MIN_REPEAT, PENALTIES};
pub use clv::{discounted_purchases, discounted_value};
pub use error::PurchaseError;
pub use gamma_gamma::GammaGamma;
pub use score::{score, score_all, PurchaseScore, ScoreSettings};
pub use summary::{calibration_and_holdout, summarize, Holdout, Summary};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The models' time unit: lifetimes' `freq='D'` or `freq='W'`. Frequency,
/// recency, age and horizons are counted in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = PurchasePeriod))]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Day,
    /// Monday to Sunday, as pandas' weekly periods.
    #[default]
    Week,
}

impl Period {
    /// The period a day falls in, as a count from a fixed Monday, so that the
    /// difference of two indices is the number of whole periods between
    /// their starts (how lifetimes measures recency and age).
    pub(crate) fn index(self, day: NaiveDate) -> i64 {
        // Day 1 of the common era, 0001-01-01, is a Monday.
        let days = i64::from(day.num_days_from_ce()) - 1;
        match self {
            Period::Day => days,
            Period::Week => days.div_euclid(7),
        }
    }

    /// Periods per month in lifetimes' lifetime value: 30 days, or 4.345
    /// weeks (its constants, kept so the values agree).
    pub fn per_month(self) -> f64 {
        match self {
            Period::Day => 30.0,
            Period::Week => 4.345,
        }
    }
}
