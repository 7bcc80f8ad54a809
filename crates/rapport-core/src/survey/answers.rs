//! Checking a response's answers against its survey's questions.
//!
//! Every answer is normalised to one shape per type (see the table in the
//! module above), so storage, exports and analytics read one form whatever
//! sent it: a JSON client, the public page's form fields, an import.

use super::{Question, QuestionType, Survey, NOT_APPLICABLE, OTHER};
use crate::validate::FieldErrors;
use chrono::NaiveDate;
use serde_json::{Map, Number, Value};

/// The longest free-text answer.
pub const MAX_TEXT_ANSWER: usize = 5000;
/// The longest field of a multiple short text answer.
pub const MAX_SHORT_TEXT: usize = 1000;

/// A problem with one answer: the field below `answers.<key>` (a row), a
/// code and an English message.
type Problem = (Option<String>, &'static str, String);

fn problem(code: &'static str, msg: impl Into<String>) -> Problem {
    (None, code, msg.into())
}

impl Survey {
    /// The questions to show given the answers so far, in order.
    pub fn visible<'a>(&'a self, answers: &'a Map<String, Value>) -> impl Iterator<Item = &'a Question> + 'a {
        self.questions.iter().filter(move |q| q.show_if.as_ref().is_none_or(|c| c.holds(answers)))
    }

    /// Checks answers against the questions: required ones present, numbers in
    /// range, choices known, dates real. Returns the answers of visible
    /// questions only, normalised (see the module's table).
    pub fn check_answers(&self, answers: &Map<String, Value>) -> Result<Map<String, Value>, FieldErrors> {
        // Most answers come nested already: fold (and copy) only when asked.
        let folded;
        let answers = if answers.keys().any(|k| k.contains('.')) {
            folded = fold_columns(&self.questions, answers);
            &folded
        } else {
            answers
        };
        let mut e = FieldErrors::new();
        for k in answers.keys() {
            let known = self.questions.iter().any(|q| {
                (&q.key == k && !q.kind.is_display()) || (q.other && k.strip_prefix(q.key.as_str()) == Some(".other"))
            });
            if !known {
                e.add(format!("answers.{k}"), "unknown_id", "is not a question of this survey");
            }
        }
        let mut kept = Map::new();
        // Visibility depends on the kept answers only, in question order.
        for q in self.questions.iter().filter(|q| !q.kind.is_display()) {
            if q.show_if.as_ref().is_some_and(|c| !c.holds(&kept)) {
                continue;
            }
            let field = format!("answers.{}", q.key);
            let raw = answers.get(&q.key).filter(|v| !is_blank(v));
            let Some(raw) = raw else {
                if q.required {
                    e.add(field, "required", "is required");
                }
                continue;
            };
            match normalise(q, raw) {
                Ok(v) => {
                    if q.other && chose_other(&v) {
                        let other = q.other_key();
                        match answers.get(&other).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()) {
                            Some(t) if t.chars().count() <= MAX_SHORT_TEXT => {
                                kept.insert(other, Value::from(t));
                            }
                            Some(_) => e.add(format!("answers.{other}"), "too_long", "must be at most 1000 characters"),
                            None => e.add(format!("answers.{other}"), "required", "say what the other is"),
                        }
                    }
                    kept.insert(q.key.clone(), v);
                }
                Err((Some(row), code, msg)) => e.add(format!("{field}.{row}"), code, msg),
                Err((None, code, msg)) => e.add(field, code, msg),
            }
        }
        e.into_result(kept)
    }
}

/// Answers sent in the shape of the answers table (`survey::columns`: a
/// CSV import of an export, a spreadsheet), folded into the nested shape:
/// `key.row` of a matrix or short-text question into its object, and
/// `key.item` ranks of a ranking into `{item: rank}` (ordered by
/// [`ranking`]). Anything else passes as it is.
fn fold_columns(questions: &[Question], answers: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in answers {
        let nested = k.split_once('.').and_then(|(q, part)| {
            let question = questions.iter().find(|x| x.key == q)?;
            let folds = question.kind.has_rows() || question.kind == QuestionType::Ranking;
            (folds && !answers.contains_key(q)).then_some((q, part))
        });
        match nested {
            Some((q, part)) => {
                let entry = out.entry(q.to_string()).or_insert_with(|| Value::Object(Map::new()));
                if let Some(o) = entry.as_object_mut() {
                    o.insert(part.to_string(), v.clone());
                }
            }
            None => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

fn chose_other(v: &Value) -> bool {
    match v {
        Value::String(s) => s == OTHER,
        Value::Array(a) => a.iter().any(|x| x.as_str() == Some(OTHER)),
        _ => false,
    }
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.values().all(is_blank),
        _ => false,
    }
}

fn number(raw: &Value) -> Option<f64> {
    match raw {
        Value::Number(n) => n.as_f64(),
        // A form sends text; accept a decimal comma as Spanish speakers type it.
        Value::String(s) => s.trim().replace(',', ".").parse::<f64>().ok().filter(|n| n.is_finite()),
        _ => None,
    }
}

fn whole_in(raw: &Value, lo: i64, hi: i64) -> Result<Value, Problem> {
    match number(raw) {
        Some(n) if n.fract() == 0.0 && n >= lo as f64 && n <= hi as f64 => Ok(Value::from(n as i64)),
        _ => Err(problem("out_of_range", format!("must be a whole number from {lo} to {hi}"))),
    }
}

/// A number as JSON: whole numbers stay integers.
fn json_number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9e15 {
        Value::from(n as i64)
    } else {
        Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

fn text(raw: &Value, max: usize) -> Result<Value, Problem> {
    match raw.as_str() {
        Some(s) if s.chars().count() <= max => Ok(Value::from(s.trim())),
        Some(_) => Err(problem("too_long", format!("must be at most {max} characters"))),
        None => Err(problem("invalid_type", "must be text")),
    }
}

fn keys_of(raw: &Value) -> Vec<&str> {
    match raw {
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        Value::String(s) => vec![s.as_str()],
        _ => vec![],
    }
}

fn normalise(q: &Question, raw: &Value) -> Result<Value, Problem> {
    if let Some((lo, hi)) = q.kind.bounds(q.scale_max) {
        return whole_in(raw, lo, hi);
    }
    let known = |k: &str| q.choices.iter().any(|c| c.key == k) || (q.other && k == OTHER);
    match q.kind {
        QuestionType::SingleChoice => match raw.as_str() {
            Some(k) if known(k) => Ok(Value::from(k)),
            _ => Err(problem("invalid_choice", "is not one of the choices")),
        },
        QuestionType::MultipleChoice => {
            let items = keys_of(raw);
            if items.is_empty() || !items.iter().all(|k| known(k)) {
                return Err(problem("invalid_choice", "must be keys of the choices"));
            }
            let mut keys: Vec<String> = Vec::with_capacity(items.len());
            for k in items {
                if !keys.iter().any(|x| x == k) {
                    keys.push(k.to_string());
                }
            }
            Ok(Value::from(keys))
        }
        QuestionType::Ranking => ranking(q, raw),
        QuestionType::Matrix => matrix(q, raw),
        QuestionType::MultiText => multi_text(q, raw),
        QuestionType::Numeric => numeric(q, raw),
        QuestionType::Slider => slider(q, raw),
        QuestionType::Date => match raw.as_str().map(str::trim) {
            Some(s) if s.len() == 10 && NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() => Ok(Value::from(s)),
            _ => Err(problem("invalid_date", "must be a date that exists, as YYYY-MM-DD")),
        },
        QuestionType::Consent => match raw {
            Value::Bool(b) => Ok(Value::Bool(*b)),
            Value::String(s) if matches!(s.as_str(), "true" | "on" | "yes" | "1") => Ok(Value::Bool(true)),
            Value::String(s) if matches!(s.as_str(), "false" | "off" | "no" | "0") => Ok(Value::Bool(false)),
            _ => Err(problem("invalid_type", "must be true or false")),
        }
        .and_then(|v| {
            if q.required && v == Value::Bool(false) {
                Err(problem("required", "must be agreed to"))
            } else {
                Ok(v)
            }
        }),
        QuestionType::TextBlock => Err(problem("no_answer", "is display text and takes no answer")),
        _ => text(raw, MAX_TEXT_ANSWER),
    }
}

fn ranking(q: &Question, raw: &Value) -> Result<Value, Problem> {
    // `{item: rank}` (the answers table's columns) reads as the items by rank.
    let by_rank: Option<Vec<&str>> = raw.as_object().map(|o| {
        let mut ranked: Vec<(f64, &str)> = o.iter().map(|(k, v)| (number(v).unwrap_or(f64::NAN), k.as_str())).collect();
        ranked.sort_by(|a, b| a.0.total_cmp(&b.0));
        ranked.into_iter().map(|(_, k)| k).collect()
    });
    if let Some(o) = raw.as_object() {
        let mut ranks: Vec<f64> = o.values().map(|v| number(v).unwrap_or(f64::NAN)).collect();
        ranks.sort_by(f64::total_cmp);
        if ranks.iter().enumerate().any(|(i, r)| *r != (i + 1) as f64) {
            let dup = ranks.windows(2).any(|w| w[0] == w[1]);
            return Err(if dup {
                problem("duplicate", "two items have the same rank")
            } else {
                problem("out_of_range", "ranks are the whole numbers 1, 2, 3…")
            });
        }
    }
    let items = by_rank.unwrap_or_else(|| keys_of(raw));
    if items.iter().any(|k| !q.choices.iter().any(|c| c.key == *k)) {
        return Err(problem("invalid_choice", "must be keys of the items"));
    }
    for (i, k) in items.iter().enumerate() {
        if items[..i].contains(k) {
            return Err(problem("duplicate", format!("ranks '{k}' twice")));
        }
    }
    if items.len() != q.choices.len() {
        return Err(problem("incomplete", format!("must rank all {} items", q.choices.len())));
    }
    Ok(Value::from(items))
}

fn rows_of<'a>(q: &Question, raw: &'a Value) -> Result<&'a Map<String, Value>, Problem> {
    let o = raw.as_object().ok_or_else(|| problem("invalid_type", "must be an object of answers by row"))?;
    if let Some(k) = o.keys().find(|k| !q.rows.iter().any(|r| &r.key == *k)) {
        return Err((Some(k.clone()), "unknown_id", "is not a row of this question".into()));
    }
    Ok(o)
}

fn matrix(q: &Question, raw: &Value) -> Result<Value, Problem> {
    let (lo, hi) = q.matrix_scale();
    let mut out = Map::new();
    let given = rows_of(q, raw)?;
    for row in &q.rows {
        let Some(v) = given.get(&row.key).filter(|v| !is_blank(v)) else {
            if q.required {
                return Err((Some(row.key.clone()), "required", "is required".into()));
            }
            continue;
        };
        let v = if q.not_applicable && v.as_str() == Some(NOT_APPLICABLE) {
            Value::from(NOT_APPLICABLE)
        } else {
            whole_in(v, lo, hi).map_err(|(_, c, m)| (Some(row.key.clone()), c, m))?
        };
        out.insert(row.key.clone(), v);
    }
    Ok(Value::Object(out))
}

fn multi_text(q: &Question, raw: &Value) -> Result<Value, Problem> {
    let mut out = Map::new();
    for (k, v) in rows_of(q, raw)? {
        if is_blank(v) {
            continue;
        }
        let t = text(v, MAX_SHORT_TEXT).map_err(|(_, c, m)| (Some(k.clone()), c, m))?;
        out.insert(k.clone(), t);
    }
    Ok(Value::Object(out))
}

fn numeric(q: &Question, raw: &Value) -> Result<Value, Problem> {
    let n = number(raw).ok_or_else(|| problem("invalid_type", "must be a number"))?;
    let scale = 10f64.powi(i32::from(q.decimals.unwrap_or(0)));
    if ((n * scale).round() - n * scale).abs() > 1e-6 * scale.max(1.0) {
        return Err(problem("too_precise", format!("at most {} decimals", q.decimals.unwrap_or(0))));
    }
    if q.min.is_some_and(|lo| n < lo) || q.max.is_some_and(|hi| n > hi) {
        let range = match (q.min, q.max) {
            (Some(lo), Some(hi)) => format!("from {lo} to {hi}"),
            (Some(lo), None) => format!("at least {lo}"),
            (_, hi) => format!("at most {}", hi.unwrap_or_default()),
        };
        return Err(problem("out_of_range", format!("must be {range}")));
    }
    Ok(json_number((n * scale).round() / scale))
}

fn slider(q: &Question, raw: &Value) -> Result<Value, Problem> {
    let n = number(raw).ok_or_else(|| problem("invalid_type", "must be a number"))?;
    let (lo, hi, step) = (q.min.unwrap_or(0.0), q.max.unwrap_or(100.0), q.slider_step());
    let steps = (n - lo) / step;
    if n < lo || n > hi || (steps - steps.round()).abs() > 1e-6 {
        return Err(problem("out_of_range", format!("must be from {lo} to {hi} in steps of {step}")));
    }
    // Whole steps, without the float noise of 0.1 + 0.2.
    Ok(json_number(((lo + steps.round() * step) * 1e9).round() / 1e9))
}
