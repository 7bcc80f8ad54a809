//! The public form's fields → answers in the shape the core checks.
//!
//! Field names: `q.<key>` for a question's one value (or several, for a
//! multiple choice), `q.<key>.<row>` for a matrix row or a short text field,
//! `q.<key>.<n>` for the item at rank n, `q.<key>.other` for the "other"
//! text, `q.<key>.skip` for an optional slider left unanswered (a range
//! input always sends a value). Blank fields are left out, so `required`
//! is decided by the core alone.

use crate::web::form::FormData;
use rapport_core::survey::{Question, QuestionType, Survey};
use serde_json::{Map, Value as Json};

/// The answers a form carries, by question key, as `check_answers` reads
/// them (blank fields left out).
pub(super) fn answers_of(survey: &Survey, form: &FormData) -> Map<String, Json> {
    let mut out = Map::new();
    for q in &survey.questions {
        let name = format!("q.{}", q.key);
        if let Some(v) = answer(q, &name, form) {
            out.insert(q.key.clone(), v);
        }
        if q.other {
            if let Some(t) = form.filled(&format!("{name}.other")) {
                out.insert(q.other_key(), Json::from(t));
            }
        }
    }
    out
}

fn answer(q: &Question, name: &str, form: &FormData) -> Option<Json> {
    let one = || form.filled(name);
    match q.kind {
        QuestionType::TextBlock => None,
        QuestionType::MultipleChoice => {
            let all: Vec<Json> = form.all(name).into_iter().map(Json::from).collect();
            (!all.is_empty()).then_some(Json::Array(all))
        }
        QuestionType::Matrix | QuestionType::MultiText => {
            let rows: Map<String, Json> = q
                .rows
                .iter()
                .filter_map(|r| {
                    let v = form.filled(&format!("{name}.{}", r.key))?;
                    let v = if q.kind == QuestionType::Matrix { number_or_text(v) } else { Json::from(v) };
                    Some((r.key.clone(), v))
                })
                .collect();
            (!rows.is_empty()).then_some(Json::Object(rows))
        }
        QuestionType::Ranking => {
            let ranked: Vec<Json> =
                (1..=q.choices.len()).filter_map(|n| form.filled(&format!("{name}.{n}"))).map(Json::from).collect();
            (!ranked.is_empty()).then_some(Json::Array(ranked))
        }
        QuestionType::Slider if form.get(&format!("{name}.skip")).is_some() => None,
        QuestionType::Numeric | QuestionType::Slider => one().map(number_or_text),
        QuestionType::Consent => one().map(|_| Json::Bool(true)),
        // Numbers as numbers, so that skip conditions compare them.
        _ if q.kind.bounds(q.scale_max).is_some() => one().map(number_or_text),
        _ => one().map(Json::from),
    }
}

/// A number when the text is one (a decimal comma read as a point), else
/// the text, for the core to refuse with the field's name.
fn number_or_text(v: &str) -> Json {
    let n = v.trim().replace(',', ".").parse::<f64>().ok().filter(|n| n.is_finite());
    match n {
        Some(n) if n.fract() == 0.0 && n.abs() < 9e15 => Json::from(n as i64),
        Some(n) => serde_json::Number::from_f64(n).map_or_else(|| Json::from(v), Json::Number),
        None => Json::from(v),
    }
}
