//! A customer's features at a cut-off, from data dated strictly before it.
//! Values are the customer's own, in plain units (days, counts, money, the
//! score), so a reason can show them; [`Feature::model_value`] turns them
//! into what the model sees.

use super::feature::{Feature, LONG_DAYS, RECENT_DAYS};
use super::history::CustomerHistory;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One value per [`Feature`], in [`Feature::ALL`] order. Only `last_score`
/// can be missing (never answered); `no_score` then says so.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FeatureVector {
    pub values: [Option<f64>; Feature::COUNT],
}

impl FeatureVector {
    pub fn get(&self, feature: Feature) -> Option<f64> {
        self.values[feature as usize]
    }
}

/// The features of `history` at `cutoff`, or `None` when the customer has
/// no dated activity before it (not a customer yet at that date).
/// Non-finite amounts count as purchases of 0; non-finite scores are ignored.
pub fn features(history: &CustomerHistory, cutoff: NaiveDate) -> Option<FeatureVector> {
    let first_seen = history.first_seen(cutoff)?;
    let last_activity = history.activity().filter(|d| *d < cutoff).max()?;
    let age = |d: NaiveDate| (cutoff - d).num_days();
    let recent = |d: NaiveDate, window: i64| d < cutoff && age(d) <= window;
    let count = |days: &[NaiveDate], window: i64| days.iter().filter(|d| recent(**d, window)).count() as f64;

    let mut bought: Vec<(NaiveDate, f64)> = history.purchases.iter().filter(|p| p.0 < cutoff).copied().collect();
    bought.sort_by_key(|p| p.0);
    let spent: f64 = bought.iter().map(|p| p.1).filter(|a| a.is_finite()).sum();
    let mut days: Vec<NaiveDate> = bought.iter().map(|p| p.0).collect();
    days.dedup();
    let n = days.len();
    let since_purchase = age(days.last().copied().unwrap_or(first_seen)) as f64;
    let repeat = n.saturating_sub(1) as f64;
    // Refunds can pull the mean below zero; no spend is the floor that means.
    let mean_spend = if n > 0 { (spent / n as f64).max(0.0) } else { 0.0 };
    // Distinct days, so the mean gap is at least one day.
    let overdue = if n >= 2 { since_purchase * repeat / (days[n - 1] - days[0]).num_days() as f64 } else { 0.0 };

    let last_score = history.scores.iter().filter(|s| s.0 < cutoff && s.1.is_finite()).max_by_key(|s| s.0).map(|s| s.1);
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    let open_cases = history.cases.iter().filter(|c| c.opened < cutoff && c.closed.is_none_or(|d| d >= cutoff)).count();
    let breached = history.cases.iter().filter_map(|c| c.breached).filter(|d| recent(*d, RECENT_DAYS)).count();

    let values = Feature::ALL.map(|f| match f {
        Feature::DaysSincePurchase => Some(since_purchase),
        Feature::RepeatPurchases => Some(repeat),
        Feature::TenureDays => Some(age(first_seen) as f64),
        Feature::MeanSpend => Some(mean_spend),
        Feature::OverdueRatio => Some(overdue),
        Feature::Purchases90d => Some(count(&days, RECENT_DAYS)),
        Feature::Purchases180d => Some(count(&days, LONG_DAYS)),
        Feature::Cancellations90d => Some(count(&history.cancellations, RECENT_DAYS)),
        Feature::LastScore => last_score,
        Feature::Detractor => Some(flag(last_score.is_some_and(|s| s <= 6.0))),
        Feature::NoScore => Some(flag(last_score.is_none())),
        Feature::OpenCases => Some(open_cases as f64),
        Feature::BreachedCases90d => Some(breached as f64),
        Feature::NegativeComments90d => Some(count(&history.negative_comments, RECENT_DAYS)),
        Feature::Contacts90d => Some(count(&history.contacts, RECENT_DAYS)),
        Feature::DaysSinceActivity => Some(age(last_activity) as f64),
    });
    Some(FeatureVector { values })
}
