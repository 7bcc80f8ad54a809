//! The outcome metrics a goal or an intent criterion can name. Their
//! computation arrives with the measurement engine; here they are names,
//! units and valid ranges.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Net Promoter Score, −100..100.
    Nps,
    /// % of 1-5 answers that are 4 or 5.
    Csat,
    /// Customer Effort Score 2.0, mean of 1-7 answers.
    Ces,
    /// Mean of rating answers, in the survey's own points (1..3-10).
    Rating,
    /// % of purchasing customers who purchased at least twice.
    RepeatPurchaseRate,
    /// % of customers who referred someone.
    ReferralRate,
    /// % of feedback that is positive.
    PositiveFeedbackRate,
    /// % of customers active at the start who cancelled or did not renew.
    ChurnRate,
    /// % of eligible customers who showed a perfect behaviour (A7); the
    /// goal or criterion names the behaviour (`behaviour_id`).
    PerfectBehaviour,
}

impl Metric {
    pub const ALL: [Metric; 9] = [
        Metric::Nps,
        Metric::Csat,
        Metric::Ces,
        Metric::Rating,
        Metric::RepeatPurchaseRate,
        Metric::ReferralRate,
        Metric::PositiveFeedbackRate,
        Metric::ChurnRate,
        Metric::PerfectBehaviour,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Metric::Nps => "nps",
            Metric::Csat => "csat",
            Metric::Ces => "ces",
            Metric::Rating => "rating",
            Metric::RepeatPurchaseRate => "repeat_purchase_rate",
            Metric::ReferralRate => "referral_rate",
            Metric::PositiveFeedbackRate => "positive_feedback_rate",
            Metric::ChurnRate => "churn_rate",
            Metric::PerfectBehaviour => "perfect_behaviour",
        }
    }

    pub fn parse(s: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == s)
    }

    /// The values a target or threshold may take.
    pub fn range(self) -> (f64, f64) {
        match self {
            Metric::Nps => (-100.0, 100.0),
            Metric::Ces => (1.0, 7.0),
            Metric::Rating => (1.0, 10.0),
            _ => (0.0, 100.0),
        }
    }

    /// Churn is the one metric where lower is better.
    pub fn higher_is_better(self) -> bool {
        self != Metric::ChurnRate
    }

    /// Behaviours customers show (leading to revenue) vs. what they say.
    pub fn is_behaviour(self) -> bool {
        matches!(self, Metric::RepeatPurchaseRate | Metric::ReferralRate | Metric::ChurnRate | Metric::PerfectBehaviour)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_serde_and_parse() {
        for m in Metric::ALL {
            assert_eq!(Metric::parse(m.key()), Some(m));
            assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{}\"", m.key()));
        }
        assert_eq!(Metric::parse("revenue"), None);
    }

    #[test]
    fn ranges_and_direction() {
        assert_eq!(Metric::Nps.range(), (-100.0, 100.0));
        assert_eq!(Metric::Ces.range(), (1.0, 7.0));
        assert!(!Metric::ChurnRate.higher_is_better());
        assert!(Metric::Csat.higher_is_better());
        assert!(Metric::ReferralRate.is_behaviour());
        assert!(!Metric::Nps.is_behaviour());
    }
}
