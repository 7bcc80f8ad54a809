//! A response's answers as people read them: each question's text in the
//! page's language and the chosen option's label, not the stored keys.

use rapport_core::lang::Lang;
use rapport_core::survey::Survey;
use serde_json::{Map, Value};

/// A stored value as text: strings as they are, lists joined by commas.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => {
            a.iter().map(|x| x.as_str().map(str::to_string).unwrap_or(x.to_string())).collect::<Vec<_>>().join(", ")
        }
        v => v.to_string(),
    }
}

/// (question text, answer) pairs of `answers` to `survey` (keys shown as
/// they are when the survey or question is gone).
pub fn answer_pairs(survey: Option<&Survey>, answers: &Map<String, Value>, lang: Lang) -> Vec<(String, String)> {
    answers
        .iter()
        .map(|(k, v)| {
            let q = survey.and_then(|s| s.questions.iter().find(|q| &q.key == k));
            let label = q.map(|q| q.text.get(lang).to_string()).unwrap_or_else(|| k.clone());
            let shown = match (q, v) {
                (Some(q), Value::String(c)) => {
                    q.choices.iter().find(|x| &x.key == c).map(|x| x.label.get(lang).to_string())
                }
                _ => None,
            };
            (label, shown.unwrap_or_else(|| value_text(v)))
        })
        .collect()
}
