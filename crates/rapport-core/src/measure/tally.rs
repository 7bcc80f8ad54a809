//! A tally is the mergeable summary of many answers on one scale: how many,
//! their sum and sum of squares (for means and their spread), and how many
//! were at the top and at the bottom of the scale (promoters and detractors,
//! top-2 box). Tallies add up, so per-day rollups merge into any period and
//! any set of touchpoints without going back to the raw answers.
//!
//! Answers are whole points, so the sums are integers and merging is exact.

use crate::metric::Metric;
use crate::survey::QuestionType;
use serde::{Deserialize, Serialize};

/// What a tally counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// 0-10; high = promoters (9-10), low = detractors (0-6).
    Nps,
    /// 1-5; high = satisfied (4-5, top-2 box), low = 1-2.
    Csat,
    /// 1-7 (CES 2.0); high = agrees it was easy (5-7), low = 1-3.
    Ces,
    /// 1..max points; high = the top two points, low = the bottom two.
    Rating,
    /// One per response that has a score: value 1 when positive, else 0
    /// (its first scored question decides; see [`Scale::is_positive`]).
    Feedback,
}

impl Scale {
    pub const ALL: [Scale; 5] = [Scale::Nps, Scale::Csat, Scale::Ces, Scale::Rating, Scale::Feedback];

    pub fn key(self) -> &'static str {
        match self {
            Scale::Nps => "nps",
            Scale::Csat => "csat",
            Scale::Ces => "ces",
            Scale::Rating => "rating",
            Scale::Feedback => "feedback",
        }
    }

    pub fn parse(s: &str) -> Option<Scale> {
        Scale::ALL.into_iter().find(|x| x.key() == s)
    }

    /// The scale a survey metric is tallied on; `None` for behaviour rates.
    pub fn of_metric(metric: Metric) -> Option<Scale> {
        match metric {
            Metric::Nps => Some(Scale::Nps),
            Metric::Csat => Some(Scale::Csat),
            Metric::Ces => Some(Scale::Ces),
            Metric::Rating => Some(Scale::Rating),
            Metric::PositiveFeedbackRate => Some(Scale::Feedback),
            Metric::RepeatPurchaseRate | Metric::ReferralRate | Metric::ChurnRate | Metric::PerfectBehaviour => None,
        }
    }

    /// The scale a question's answers are tallied on, if it has one.
    pub fn of_question(kind: QuestionType) -> Option<Scale> {
        match kind {
            QuestionType::Nps => Some(Scale::Nps),
            QuestionType::Csat => Some(Scale::Csat),
            QuestionType::Ces => Some(Scale::Ces),
            QuestionType::Rating => Some(Scale::Rating),
            _ => None,
        }
    }

    /// (high, low) for one answer; `max` is the top of a rating scale.
    pub fn classify(self, value: i64, max: i64) -> (bool, bool) {
        match self {
            Scale::Nps => (value >= 9, value <= 6),
            Scale::Csat => (value >= 4, value <= 2),
            Scale::Ces => (value >= 5, value <= 3),
            Scale::Rating => (value >= max - 1, value <= 2),
            Scale::Feedback => (value >= 1, value <= 0),
        }
    }

    /// Whether an answer counts as positive feedback: the high group of its
    /// scale (a promoter, a satisfied or an "easy" answer, a top-2 rating).
    pub fn is_positive(self, value: i64, max: i64) -> bool {
        self.classify(value, max).0
    }
}

/// The mergeable summary of answers on one scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tally {
    pub n: i64,
    pub sum: i64,
    pub sum_sq: i64,
    pub high: i64,
    pub low: i64,
}

impl Tally {
    /// The tally of one answer.
    pub fn of(scale: Scale, value: i64, max: i64) -> Tally {
        let (high, low) = scale.classify(value, max);
        Tally { n: 1, sum: value, sum_sq: value * value, high: high as i64, low: low as i64 }
    }

    pub fn add(&mut self, other: &Tally) {
        self.n += other.n;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
        self.high += other.high;
        self.low += other.low;
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| self.sum as f64 / self.n as f64)
    }
}

impl std::iter::Sum for Tally {
    fn sum<I: Iterator<Item = Tally>>(iter: I) -> Tally {
        iter.fold(Tally::default(), |mut acc, t| {
            acc.add(&t);
            acc
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nps_groups() {
        assert_eq!(Scale::Nps.classify(10, 10), (true, false));
        assert_eq!(Scale::Nps.classify(9, 10), (true, false));
        assert_eq!(Scale::Nps.classify(8, 10), (false, false));
        assert_eq!(Scale::Nps.classify(7, 10), (false, false));
        assert_eq!(Scale::Nps.classify(6, 10), (false, true));
        assert_eq!(Scale::Nps.classify(0, 10), (false, true));
    }

    #[test]
    fn top_two_boxes() {
        assert_eq!(Scale::Csat.classify(4, 5), (true, false));
        assert_eq!(Scale::Csat.classify(3, 5), (false, false));
        assert_eq!(Scale::Csat.classify(2, 5), (false, true));
        assert_eq!(Scale::Ces.classify(5, 7), (true, false));
        assert_eq!(Scale::Ces.classify(4, 7), (false, false));
        assert_eq!(Scale::Ces.classify(3, 7), (false, true));
        assert_eq!(Scale::Rating.classify(9, 10), (true, false));
        assert_eq!(Scale::Rating.classify(8, 10), (false, false));
        assert_eq!(Scale::Rating.classify(4, 5), (true, false));
    }

    #[test]
    fn tallies_merge_exactly() {
        let answers = [10, 9, 8, 3, 0, 6, 7];
        let whole: Tally = answers.iter().map(|&v| Tally::of(Scale::Nps, v, 10)).sum();
        assert_eq!(whole, Tally { n: 7, sum: 43, sum_sq: 100 + 81 + 64 + 9 + 36 + 49, high: 2, low: 3 });
        let mut left: Tally = answers[..3].iter().map(|&v| Tally::of(Scale::Nps, v, 10)).sum();
        let right: Tally = answers[3..].iter().map(|&v| Tally::of(Scale::Nps, v, 10)).sum();
        left.add(&right);
        assert_eq!(left, whole);
        assert_eq!(Tally::default().mean(), None);
    }

    #[test]
    fn keys_round_trip() {
        for s in Scale::ALL {
            assert_eq!(Scale::parse(s.key()), Some(s));
        }
    }
}
