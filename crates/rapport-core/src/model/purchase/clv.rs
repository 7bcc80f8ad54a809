//! Customer lifetime value, as lifetimes'
//! `GammaGammaFitter.customer_lifetime_value` computes it, and the scores
//! stored per customer.
//!
//! In plain words: the value over the next `months` months is, month by
//! month, the purchases BG/NBD expects in that month times the spend
//! Gamma-Gamma expects per purchase, discounted by the monthly rate
//! compounded for each month elapsed, summed. A month is lifetimes' fixed
//! length in the model's periods ([`Period::per_month`]: 30 days or 4.345
//! weeks), so month k covers periods ((k−1)·f, k·f] and is discounted by
//! (1 + rate)^k. The horizon is whole months; the rate is per month (0.01
//! is lifetimes' default, about 12.7% a year).

use super::{BgNbd, GammaGamma, Period, PurchaseError, Summary};
use serde::{Deserialize, Serialize};

impl GammaGamma {
    /// The customer's discounted value over `months` months (see the module
    /// notes); `monthly_discount` must exceed −1 ([`ScoreSettings::check`]).
    pub fn clv(&self, bg: &BgNbd, s: &Summary, months: u32, monthly_discount: f64, period: Period) -> f64 {
        discounted_value(bg, s, self.expected_spend(s), months, monthly_discount, period)
    }
}

/// The same value with a spend per purchase given rather than modelled:
/// what a refit uses when Gamma-Gamma cannot be fitted (spend that hardly
/// varies between customers leaves its parameters undetermined), with the
/// customer's own mean spend, or everyone's for a one-time buyer.
pub fn discounted_value(
    bg: &BgNbd,
    s: &Summary,
    spend: f64,
    months: u32,
    monthly_discount: f64,
    period: Period,
) -> f64 {
    let f = period.per_month();
    let (mut total, mut before) = (0.0, 0.0);
    for k in 1..=months {
        let until = f64::from(k) * f;
        // Expected purchases are cumulative: this month's is the change.
        let now = bg.expected_purchases(s, until);
        total += spend * (now - before) / (1.0 + monthly_discount).powf(until / f);
        before = now;
    }
    total
}

/// What a scoring run computes, stored with its scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ScoreSettings {
    /// The time unit of the summaries and of `horizon`.
    pub period: Period,
    /// Periods ahead for the expected purchases (52 weeks).
    pub horizon: f64,
    /// Months of lifetime value (12).
    pub months: u32,
    /// Discount rate per month (0.01).
    pub monthly_discount: f64,
}

impl Default for ScoreSettings {
    fn default() -> Self {
        ScoreSettings { period: Period::Week, horizon: 52.0, months: 12, monthly_discount: 0.01 }
    }
}

impl ScoreSettings {
    /// Refuses a horizon that is negative or not finite, and a discount rate
    /// of −100% or less (it would divide by zero or flip signs).
    pub fn check(&self) -> Result<(), PurchaseError> {
        if !(self.horizon >= 0.0 && self.horizon.is_finite()) {
            let (what, rule, value) = ("horizon", "a finite number of periods, zero or more", self.horizon);
            return Err(PurchaseError::InvalidSetting { what, rule, value });
        }
        if !(self.monthly_discount > -1.0 && self.monthly_discount.is_finite()) {
            let (what, rule, value) =
                ("monthly discount rate", "finite and above -1 (such as 0.01)", self.monthly_discount);
            return Err(PurchaseError::InvalidSetting { what, rule, value });
        }
        Ok(())
    }
}

/// One customer's purchase scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseScore {
    /// Probability the customer is still a customer.
    pub p_alive: f64,
    /// Expected repeat purchases over the settings' horizon.
    pub expected_purchases: f64,
    /// Expected spend per purchase.
    pub expected_spend: f64,
    /// Discounted lifetime value over the settings' months.
    pub clv: f64,
}

/// Scores one customer; `settings` must have passed [`ScoreSettings::check`].
pub fn score(bg: &BgNbd, gg: &GammaGamma, s: &Summary, settings: &ScoreSettings) -> PurchaseScore {
    PurchaseScore {
        p_alive: bg.p_alive(s),
        expected_purchases: bg.expected_purchases(s, settings.horizon),
        expected_spend: gg.expected_spend(s),
        clv: gg.clv(bg, s, settings.months, settings.monthly_discount, settings.period),
    }
}
