//! A survey's answers as a table: one column per thing a respondent can
//! give, in the survey's order, as spreadsheets and statistics tools read
//! survey exports (one row per response).
//!
//! - a scale, choice, text, number, slider, date or consent question: one
//!   column named by its key (a multiple choice holds its keys joined by
//!   `;`);
//! - "other, please specify": one more column, `<key>.other`;
//! - a matrix or multiple short text question: one column per row,
//!   `<key>.<row>` (a matrix cell holds the point, or `na`);
//! - a ranking: one column per item, `<key>.<item>`, holding the item's rank
//!   (1 = first), so each item can be averaged;
//! - a text block: none.

use super::{Question, QuestionType};
use serde_json::{Map, Value};

/// One column of a survey's answers table.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerColumn {
    /// The column's name: a question key, or `key.row` / `key.item` / `key.other`.
    pub name: String,
    question: usize,
    part: Part,
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Whole,
    Other,
    Row(String),
    Rank(String),
}

/// The columns of a survey's answers, in the survey's order.
pub fn answer_columns(questions: &[Question]) -> Vec<AnswerColumn> {
    let mut out = Vec::new();
    for (i, q) in questions.iter().enumerate() {
        let col = |name: String, part| AnswerColumn { name, question: i, part };
        match q.kind {
            QuestionType::TextBlock => {}
            QuestionType::Matrix | QuestionType::MultiText => {
                out.extend(q.rows.iter().map(|r| col(format!("{}.{}", q.key, r.key), Part::Row(r.key.clone()))))
            }
            QuestionType::Ranking => {
                out.extend(q.choices.iter().map(|c| col(format!("{}.{}", q.key, c.key), Part::Rank(c.key.clone()))))
            }
            _ => {
                out.push(col(q.key.clone(), Part::Whole));
                if q.other {
                    out.push(col(q.other_key(), Part::Other));
                }
            }
        }
    }
    out
}

/// A response's value in a column (`None`: not answered).
pub fn answer_cell(questions: &[Question], answers: &Map<String, Value>, column: &AnswerColumn) -> Option<Value> {
    let q = questions.get(column.question)?;
    let v = answers.get(&q.key);
    match &column.part {
        Part::Whole => match v? {
            Value::Array(keys) => {
                let joined: Vec<&str> = keys.iter().filter_map(Value::as_str).collect();
                Some(Value::from(joined.join(";")))
            }
            v => Some(v.clone()),
        },
        Part::Other => answers.get(&q.other_key()).cloned(),
        Part::Row(row) => v?.get(row).cloned(),
        Part::Rank(item) => {
            let at = v?.as_array()?.iter().position(|k| k.as_str() == Some(item.as_str()))?;
            Some(Value::from(at + 1))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::{Choice, Localized};
    use serde_json::json;

    #[test]
    fn one_column_per_thing_answered() {
        let c = |k: &str| Choice { key: k.into(), label: Localized::default() };
        let q = |k: &str, kind| Question::new(k, kind, Localized::default());
        let mut m = q("aspects", QuestionType::Matrix);
        m.rows = vec![c("staff"), c("price")];
        let mut r = q("order", QuestionType::Ranking);
        r.choices = vec![c("a"), c("b")];
        let mut many = q("used", QuestionType::MultipleChoice);
        many.choices = vec![c("app"), c("web")];
        many.other = true;
        let qs = vec![q("intro", QuestionType::TextBlock), q("nps", QuestionType::Nps), m, r, many];
        let cols = answer_columns(&qs);
        let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["nps", "aspects.staff", "aspects.price", "order.a", "order.b", "used", "used.other"]);
        let a = json!({"nps": 7, "aspects": {"price": "na"}, "order": ["b", "a"], "used": ["web", "other"],
                       "used.other": "kiosk"});
        let cells: Vec<Option<Value>> = cols.iter().map(|c| answer_cell(&qs, a.as_object().unwrap(), c)).collect();
        assert_eq!(
            cells,
            [
                Some(json!(7)),
                None,
                Some(json!("na")),
                Some(json!(2)),
                Some(json!(1)),
                Some(json!("web;other")),
                Some(json!("kiosk"))
            ]
        );
    }
}
