//! Which tallies one response adds to: the first question of each scale
//! that the response answered, and one `Feedback` tally (positive or not)
//! from the first scored question it answered. Ingestion, the rollup
//! rebuild and the property test all call this one function, so a rollup
//! and a recomputation from raw rows cannot disagree on what counts.

use super::tally::{Scale, Tally};
use crate::survey::Question;
use serde_json::{Map, Value};

/// The (scale, tally) pairs a response contributes, at most one per scale.
pub fn answer_tallies(questions: &[Question], answers: &Map<String, Value>) -> Vec<(Scale, Tally)> {
    let mut out: Vec<(Scale, Tally)> = Vec::new();
    for q in questions {
        let Some(scale) = Scale::of_question(q.kind) else { continue };
        let Some(value) = answers.get(&q.key).and_then(Value::as_i64) else { continue };
        let max = q.kind.bounds(q.scale_max).map_or(value, |(_, hi)| hi);
        if out.is_empty() {
            out.push((Scale::Feedback, Tally::of(Scale::Feedback, scale.is_positive(value, max) as i64, 1)));
        }
        if !out.iter().any(|(s, _)| *s == scale) {
            out.push((scale, Tally::of(scale, value, max)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::{Localized, QuestionType};
    use serde_json::json;

    fn q(key: &str, kind: QuestionType, scale_max: Option<i64>) -> Question {
        Question { scale_max, ..Question::new(key, kind, Localized { en: key.into(), es: key.into() }) }
    }

    fn answers(v: serde_json::Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn first_question_of_each_scale_counts_and_feedback_follows_the_first_scored() {
        let qs = [
            q("why", QuestionType::Text, None),
            q("sat", QuestionType::Csat, None),
            q("nps", QuestionType::Nps, None),
            q("nps2", QuestionType::Nps, None),
            q("stars", QuestionType::Rating, Some(10)),
        ];
        let got = answer_tallies(&qs, &answers(json!({"why": "ok", "sat": 2, "nps": 9, "nps2": 0, "stars": 9})));
        assert_eq!(
            got,
            vec![
                (Scale::Feedback, Tally { n: 1, sum: 0, sum_sq: 0, high: 0, low: 1 }),
                (Scale::Csat, Tally { n: 1, sum: 2, sum_sq: 4, high: 0, low: 1 }),
                (Scale::Nps, Tally { n: 1, sum: 9, sum_sq: 81, high: 1, low: 0 }),
                (Scale::Rating, Tally { n: 1, sum: 9, sum_sq: 81, high: 1, low: 0 }),
            ]
        );
    }

    #[test]
    fn unanswered_questions_are_skipped() {
        let qs = [q("sat", QuestionType::Csat, None), q("nps", QuestionType::Nps, None)];
        let got = answer_tallies(&qs, &answers(json!({"nps": 10})));
        assert_eq!(got[0], (Scale::Feedback, Tally { n: 1, sum: 1, sum_sq: 1, high: 1, low: 0 }));
        assert_eq!(got[1].0, Scale::Nps);
        assert!(answer_tallies(&qs, &answers(json!({"other": 3}))).is_empty());
        assert!(answer_tallies(&[], &answers(json!({"nps": 3}))).is_empty());
    }
}
