//! Customer lifetime value, as lifetimes'
//! `GammaGammaFitter.customer_lifetime_value` computes it.
//!
//! In plain words: the value over the next `months` months is, month by
//! month, the purchases BG/NBD expects in that month times the spend
//! Gamma-Gamma expects per purchase, discounted by the monthly rate
//! compounded for each month elapsed, summed. A month is lifetimes' fixed
//! length in the model's periods ([`Period::per_month`]: 30 days or 4.345
//! weeks), so month k covers periods ((k−1)·f, k·f] and is discounted by
//! (1 + rate)^k. The horizon is whole months; the rate is per month (0.01
//! is lifetimes' default, about 12.7% a year).

use super::{BgNbd, GammaGamma, Period, Summary};

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
    spend * discounted_purchases(bg, s, months, monthly_discount, period)
}

/// The purchases BG/NBD expects over `months` months, each month's
/// discounted: lifetime value per unit of spend per purchase. It depends on
/// (x, tₓ, T) only, so customers who share those share it.
pub fn discounted_purchases(bg: &BgNbd, s: &Summary, months: u32, monthly_discount: f64, period: Period) -> f64 {
    discount(&bg.expected_purchases_many(s, &month_ends(months, period)), monthly_discount)
}

/// The ends of months 1..=`months`, in the model's periods.
pub(super) fn month_ends(months: u32, period: Period) -> Vec<f64> {
    (1..=months).map(|k| f64::from(k) * period.per_month()).collect()
}

/// Σ over months of (purchases expected by the month's end − by the last
/// month's end) / (1 + rate)^k: expected purchases are cumulative, so each
/// month's are the change.
pub(super) fn discount(cumulative: &[f64], monthly_discount: f64) -> f64 {
    let (mut total, mut before) = (0.0, 0.0);
    for (k, &now) in cumulative.iter().enumerate() {
        total += (now - before) / (1.0 + monthly_discount).powi(k as i32 + 1);
        before = now;
    }
    total
}
