//! The numbers a survey's answers hold, one item each: a scored question, a
//! matrix row, a numeric or slider question. Key-driver analysis takes them
//! as drivers, CSV exports as columns and the survey's results as means, so a
//! matrix row is analysed like a rating of its own.

use super::{Localized, Question, QuestionType};
use serde_json::{Map, Value};

/// One numeric item of a survey.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredItem {
    /// `key`, or `key.row` for a matrix row.
    pub key: String,
    /// The question's type.
    pub kind: QuestionType,
    /// The question's text, and for a matrix row "question: row".
    pub label: Localized,
    /// The scale's bounds; `None` for an unbounded numeric question.
    pub min: Option<f64>,
    pub max: Option<f64>,
}

fn label_of(q: &Question, row: Option<&super::Choice>) -> Localized {
    match row {
        None => q.text.clone(),
        Some(r) => Localized {
            en: format!("{}: {}", q.text.en, r.label.en),
            es: format!("{}: {}", q.text.get(crate::lang::Lang::Es), r.label.get(crate::lang::Lang::Es)),
        },
    }
}

/// Every numeric item of the questions, in order.
pub fn scored_items(questions: &[Question]) -> Vec<ScoredItem> {
    let mut out = Vec::new();
    for q in questions {
        let item = |key: String, label, min, max| ScoredItem { key, kind: q.kind, label, min, max };
        match q.kind {
            QuestionType::Matrix => {
                let (lo, hi) = q.matrix_scale();
                for r in &q.rows {
                    let key = format!("{}.{}", q.key, r.key);
                    out.push(item(key, label_of(q, Some(r)), Some(lo as f64), Some(hi as f64)));
                }
            }
            QuestionType::Numeric => out.push(item(q.key.clone(), label_of(q, None), q.min, q.max)),
            QuestionType::Slider => out.push(item(
                q.key.clone(),
                label_of(q, None),
                Some(q.min.unwrap_or(0.0)),
                Some(q.max.unwrap_or(100.0)),
            )),
            kind => {
                if let Some((lo, hi)) = kind.bounds(q.scale_max) {
                    out.push(item(q.key.clone(), label_of(q, None), Some(lo as f64), Some(hi as f64)));
                }
            }
        }
    }
    out
}

/// The number an item holds in a response's answers, if answered ("not
/// applicable" is not a number).
pub fn item_value(answers: &Map<String, Value>, key: &str) -> Option<f64> {
    let v = match key.split_once('.') {
        Some((q, row)) => answers.get(q)?.get(row)?,
        None => answers.get(key)?,
    };
    v.as_f64()
}
