//! Per-item summaries of a survey's numeric answers: each score, each row of
//! a matrix, each slider and number (`survey::scored_items`), tallied per
//! day at write time, so a survey's results (and a matrix row or a slider
//! as a metric over time) read a row per item and day, not the responses.
//!
//! Values are not always whole (a slider in steps of 0.5, a number with
//! decimals), so sums are floating point: merged in any order they agree to
//! about 1e-12 relative, far below what a mean is shown with.

use super::dist::t_critical_95;
use super::estimate::{Estimate, MIN_SAMPLE};
use crate::survey::{item_value, scored_items, Question};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How many answers an item had, their sum and sum of squares.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ItemTally {
    pub n: i64,
    pub sum: f64,
    pub sum_sq: f64,
}

impl ItemTally {
    pub fn of(value: f64) -> ItemTally {
        ItemTally { n: 1, sum: value, sum_sq: value * value }
    }

    pub fn add(&mut self, other: &ItemTally) {
        self.n += other.n;
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
    }

    /// The tally with its sign flipped (taking answers away).
    pub fn negated(&self) -> ItemTally {
        ItemTally { n: -self.n, sum: -self.sum, sum_sq: -self.sum_sq }
    }

    /// The mean with its Student-t 95% interval.
    pub fn estimate(&self) -> Estimate {
        if self.n <= 0 {
            return Estimate::empty();
        }
        let n = self.n as f64;
        let mean = self.sum / n;
        let (interval, se) = if self.n >= 2 {
            let variance = ((self.sum_sq - self.sum * self.sum / n) / (n - 1.0)).max(0.0);
            let se = (variance / n).sqrt();
            (t_critical_95(n - 1.0).map(|q| (mean - q * se, mean + q * se)), Some(se))
        } else {
            (None, None)
        };
        Estimate {
            value: Some(mean),
            n: self.n,
            ci_low: interval.map(|i| i.0),
            ci_high: interval.map(|i| i.1),
            std_error: se,
            sufficient: self.n >= MIN_SAMPLE,
        }
    }
}

/// The numeric items one response answered: (item key, value). Ingestion,
/// the rollup rebuild and the property test all call this one function.
pub fn item_values(questions: &[Question], answers: &Map<String, Value>) -> Vec<(String, f64)> {
    scored_items(questions)
        .into_iter()
        .filter_map(|i| item_value(answers, &i.key).filter(|v| v.is_finite()).map(|v| (i.key, v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::{Choice, Localized, QuestionType};
    use serde_json::json;

    #[test]
    fn values_of_rows_sliders_and_scores() {
        let mut m = Question::new("m", QuestionType::Matrix, Localized::default());
        m.rows = vec![Choice { key: "a".into(), label: Localized::default() }];
        let qs = vec![Question::new("nps", QuestionType::Nps, Localized::default()), m];
        let a = json!({"nps": 9, "m": {"a": 4}, "other": 3});
        assert_eq!(item_values(&qs, a.as_object().unwrap()), vec![("nps".into(), 9.0), ("m.a".into(), 4.0)]);
    }

    #[test]
    fn the_estimate_matches_a_published_t_interval() {
        // Values 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample sd 2.138 (n − 1);
        // t(0.975, 7) = 2.364624; half-width 2.364624 · 2.138090 / √8 = 1.787.
        let t = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0].map(ItemTally::of).iter().fold(
            ItemTally::default(),
            |mut acc, x| {
                acc.add(x);
                acc
            },
        );
        let e = t.estimate();
        assert_eq!(e.value, Some(5.0));
        assert!((e.ci_high.unwrap() - 6.787_478).abs() < 1e-5, "{e:?}");
        assert!((e.std_error.unwrap() - 0.755_929).abs() < 1e-6, "{e:?}");
        let mut back = t;
        back.add(&t.negated());
        assert_eq!(back.n, 0);
        assert_eq!(ItemTally::of(3.0).estimate().ci_low, None, "one answer has no spread");
    }
}
