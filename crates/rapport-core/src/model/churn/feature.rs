//! The features of churn risk as stable machine keys. The API and the web
//! layer use the keys (the English and Spanish wording lives there), so a
//! key never changes meaning; a new signal gets a new key.

use serde::{Deserialize, Serialize};

/// Days in the "recent" windows: a quarter, long enough to see a monthly
/// buyer buy and short enough that an answered complaint has faded.
pub(crate) const RECENT_DAYS: i64 = 90;
/// Days in the longer purchase window, for buyers slower than monthly.
pub(crate) const LONG_DAYS: i64 = 180;

/// One feature of a customer at a cut-off. The declaration order is the
/// model's order: purchase behaviour first (the strongest signals, all-time
/// before windowed), then subscription and experience signals. When two
/// features move in lockstep in the training data the later one is dropped,
/// so the order decides which of the two stays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// Days since the last purchase (since first seen, if none).
    DaysSincePurchase,
    /// Days with a purchase after the first one.
    RepeatPurchases,
    /// Days since the customer was first seen.
    TenureDays,
    /// Mean spend per day with a purchase (0 if none).
    MeanSpend,
    /// Days since the last purchase over the mean gap between purchase days;
    /// 0 before a second purchase (then `repeat_purchases` = 0 says it).
    OverdueRatio,
    /// Days with a purchase in the last 90 days.
    #[serde(rename = "purchases_90d")]
    Purchases90d,
    /// Days with a purchase in the last 180 days.
    #[serde(rename = "purchases_180d")]
    Purchases180d,
    /// Cancellations and non-renewals in the last 90 days.
    #[serde(rename = "cancellations_90d")]
    Cancellations90d,
    /// The last survey score, 0–10 (missing if never answered).
    LastScore,
    /// 1 if the last score was 0–6, else 0.
    Detractor,
    /// 1 if the customer never answered a survey, else 0.
    NoScore,
    /// Cases open at the cut-off.
    OpenCases,
    /// Cases whose deadline was breached in the last 90 days.
    #[serde(rename = "breached_cases_90d")]
    BreachedCases90d,
    /// Negative or angry comments in the last 90 days.
    #[serde(rename = "negative_comments_90d")]
    NegativeComments90d,
    /// Contacts (calls, chats, emails) in the last 90 days.
    #[serde(rename = "contacts_90d")]
    Contacts90d,
    /// Days since the last dated activity of any kind.
    DaysSinceActivity,
}

impl Feature {
    pub const COUNT: usize = 16;

    /// Every feature, in the model's order.
    pub const ALL: [Feature; Feature::COUNT] = [
        Feature::DaysSincePurchase,
        Feature::RepeatPurchases,
        Feature::TenureDays,
        Feature::MeanSpend,
        Feature::OverdueRatio,
        Feature::Purchases90d,
        Feature::Purchases180d,
        Feature::Cancellations90d,
        Feature::LastScore,
        Feature::Detractor,
        Feature::NoScore,
        Feature::OpenCases,
        Feature::BreachedCases90d,
        Feature::NegativeComments90d,
        Feature::Contacts90d,
        Feature::DaysSinceActivity,
    ];

    /// The stable key, as serialized (e.g. `"days_since_purchase"`).
    pub fn key(self) -> &'static str {
        match self {
            Feature::DaysSincePurchase => "days_since_purchase",
            Feature::RepeatPurchases => "repeat_purchases",
            Feature::TenureDays => "tenure_days",
            Feature::MeanSpend => "mean_spend",
            Feature::OverdueRatio => "overdue_ratio",
            Feature::Purchases90d => "purchases_90d",
            Feature::Purchases180d => "purchases_180d",
            Feature::Cancellations90d => "cancellations_90d",
            Feature::LastScore => "last_score",
            Feature::Detractor => "detractor",
            Feature::NoScore => "no_score",
            Feature::OpenCases => "open_cases",
            Feature::BreachedCases90d => "breached_cases_90d",
            Feature::NegativeComments90d => "negative_comments_90d",
            Feature::Contacts90d => "contacts_90d",
            Feature::DaysSinceActivity => "days_since_activity",
        }
    }

    /// The value the model sees. Days, counts, spend and ratios are skewed
    /// (a few customers sit far out), so they enter as ln(1 + x): the step
    /// from 0 to 1 purchase weighs more than from 40 to 41, and a whale does
    /// not set the slope for everyone. Scores and flags enter as they are.
    pub(crate) fn model_value(self, raw: f64) -> f64 {
        match self {
            Feature::LastScore | Feature::Detractor | Feature::NoScore => raw,
            _ => raw.max(0.0).ln_1p(),
        }
    }
}
