//! Per-item summaries of a survey's numeric answers: each score, each row of
//! a matrix, each slider and number (`survey::scored_items`), tallied per
//! day at write time, so a survey's results (and a matrix row or a slider
//! as a metric over time) read a row per item and day, not the responses.
//!
//! Values are not always whole (a slider in steps of 0.5, a number with
//! decimals), so sums are floating point: merged in any order they agree to
//! about 1e-12 relative, far below what a mean is shown with.

use super::bucket::{bucket_start, buckets, Interval};
use super::dist::t_critical_95;
use super::estimate::{Estimate, MIN_SAMPLE};
use crate::survey::{item_value, scored_items, Localized, Question, QuestionType};
use chrono::NaiveDate;
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

/// One item's results over a period: overall and per bucket. (Not
/// `ItemResult`: that OpenAPI name is an ingested item's outcome, and two
/// schemas of one name overwrite each other in the document.)
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyItemResult {
    /// `key`, or `key.row` for a matrix row.
    pub key: String,
    /// The question's type (`matrix` for a row).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: QuestionType,
    pub label: Localized,
    /// The scale's ends; absent for an unbounded number.
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// The mean over the whole period, with its 95% interval.
    pub overall: Estimate,
    /// Per bucket (start day), empty buckets included.
    pub series: Vec<SurveyItemPoint>,
}

/// An item's mean in one bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyItemPoint {
    pub start: NaiveDate,
    pub estimate: Estimate,
}

/// The results of a survey's items over `from..=to` from their daily
/// tallies (`(day, item, tally)`), in the survey's order; items no longer
/// in the survey are left out.
pub fn item_results(
    questions: &[Question],
    days: &[(NaiveDate, String, ItemTally)],
    from: NaiveDate,
    to: NaiveDate,
    interval: Interval,
) -> Vec<SurveyItemResult> {
    let starts = buckets(from, to, interval);
    scored_items(questions)
        .into_iter()
        .map(|item| {
            let mut per = vec![ItemTally::default(); starts.len()];
            let mut overall = ItemTally::default();
            for (day, _, t) in days.iter().filter(|(d, k, _)| *k == item.key && (from..=to).contains(d)) {
                overall.add(t);
                let start = bucket_start(*day, interval, from);
                if let Ok(i) = starts.binary_search(&start) {
                    per[i].add(t);
                }
            }
            let series = starts
                .iter()
                .zip(&per)
                .map(|(start, t)| SurveyItemPoint { start: *start, estimate: t.estimate() })
                .collect();
            SurveyItemResult {
                key: item.key,
                kind: item.kind,
                label: item.label,
                min: item.min,
                max: item.max,
                overall: overall.estimate(),
                series,
            }
        })
        .collect()
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
    fn results_per_item_and_month() {
        let mut m = Question::new("m", QuestionType::Matrix, Localized { en: "Rate".into(), es: "Valore".into() });
        m.rows = vec![Choice { key: "a".into(), label: Localized { en: "Staff".into(), es: "Personal".into() } }];
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let days = vec![
            (d("2026-01-05"), "m.a".to_string(), ItemTally::of(4.0)),
            (d("2026-01-20"), "m.a".to_string(), ItemTally::of(2.0)),
            (d("2026-03-01"), "m.a".to_string(), ItemTally::of(5.0)),
            (d("2026-03-01"), "gone".to_string(), ItemTally::of(1.0)),
            (d("2025-12-31"), "m.a".to_string(), ItemTally::of(1.0)),
        ];
        let r = item_results(&[m], &days, d("2026-01-01"), d("2026-03-31"), Interval::Month);
        assert_eq!(r.len(), 1, "items no longer asked are left out");
        assert_eq!((r[0].key.as_str(), r[0].label.es.as_str()), ("m.a", "Valore: Personal"));
        assert_eq!((r[0].overall.n, r[0].overall.value), (3, Some(11.0 / 3.0)), "days outside the range left out");
        let means: Vec<Option<f64>> = r[0].series.iter().map(|p| p.estimate.value).collect();
        assert_eq!(means, [Some(3.0), None, Some(5.0)], "February is an empty bucket");
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
