//! The scores a refit stores per customer, one at a time or many at once.

use super::clv::{discount, month_ends};
use super::{BgNbd, GammaGamma, Period, PurchaseError, Summary};
use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
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
    Shared::new(bg, s, settings).with_spend(gg.expected_spend(s))
}

/// Scores every customer, in order; the same figures as [`score`] for each.
/// BG/NBD's figures depend on (x, tₓ, T) alone and lifetime value is the
/// expected spend times the discounted purchases, so customers who share
/// (x, tₓ, T) — a cohort's one-time buyers all do — are computed once.
pub fn score_all(bg: &BgNbd, gg: &GammaGamma, customers: &[Summary], settings: &ScoreSettings) -> Vec<PurchaseScore> {
    let key = |s: &Summary| (s.frequency.to_bits(), s.recency.to_bits(), s.t.to_bits());
    let mut order: Vec<usize> = (0..customers.len()).collect();
    order.sort_unstable_by_key(|&i| key(&customers[i]));
    let mut out = vec![PurchaseScore::default(); customers.len()];
    let mut shared: Option<((u64, u64, u64), Shared)> = None;
    for i in order {
        let s = &customers[i];
        let pattern = match shared {
            Some((k, pattern)) if k == key(s) => pattern,
            _ => {
                let pattern = Shared::new(bg, s, settings);
                shared = Some((key(s), pattern));
                pattern
            }
        };
        out[i] = pattern.with_spend(gg.expected_spend(s));
    }
    out
}

/// What customers with the same (x, tₓ, T) share.
#[derive(Clone, Copy)]
struct Shared {
    p_alive: f64,
    expected_purchases: f64,
    discounted_purchases: f64,
}

impl Shared {
    fn new(bg: &BgNbd, s: &Summary, settings: &ScoreSettings) -> Shared {
        let ScoreSettings { period, horizon, months, monthly_discount } = *settings;
        // The month ends and the horizon in one shared ₂F₁ pass.
        let mut horizons = month_ends(months, period);
        horizons.push(horizon);
        let expected = bg.expected_purchases_many(s, &horizons);
        let (by_month, at_horizon) = expected.split_at(months as usize);
        Shared {
            p_alive: bg.p_alive(s),
            expected_purchases: at_horizon[0],
            discounted_purchases: discount(by_month, monthly_discount),
        }
    }

    /// One customer's scores, given their expected spend per purchase.
    fn with_spend(self, expected_spend: f64) -> PurchaseScore {
        PurchaseScore {
            p_alive: self.p_alive,
            expected_purchases: self.expected_purchases,
            expected_spend,
            clv: expected_spend * self.discounted_purchases,
        }
    }
}
