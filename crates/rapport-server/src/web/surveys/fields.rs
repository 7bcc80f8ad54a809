//! A survey's questions as the builder's plain form fields, and back.
//!
//! Every question row has the same fields, whatever its type (the page has
//! no scripts to show or hide them); the core's validation keeps only those
//! the type uses. Fields of row `i` are named `q{i}.<field>`:
//! - `key`, `type`, `text_en`, `text_es`, `required`;
//! - `choices` and `rows`: one `key=English|Spanish` per line; `other`;
//! - `scale_min`, `scale_max`, `not_applicable` (rating, matrix);
//! - `min`, `max`, `step`, `decimals` (number, slider);
//! - `low_en`, `low_es`, `high_en`, `high_es` (labels at the ends);
//! - `html_en`, `html_es`: a text block's HTML, in larger boxes;
//! - `show_q`, `show_op`, `show_value`, then `show_join` (`and`/`or`) and
//!   `show2_q`, `show2_op`, `show2_value` for a second condition.
//!
//! A number that cannot be read is an error named after the question
//! (`questions[3].min`, row numbers of the form), so it shows on its row.

use super::super::form::FormData;
use rapport_core::survey::{Choice, ConditionOp, Localized, Question, QuestionType, ShowIf, Survey};
use rapport_core::validate::FieldErrors;
use serde_json::Value;
use std::collections::BTreeMap;

/// Blank question rows a new form starts with, and rows added per click.
pub(super) const ROWS: usize = 3;
/// Question rows the form shows at most: as many as a survey may have, so
/// editing a long imported survey never drops its last questions.
pub(super) const MAX_ROWS: usize = rapport_core::survey::MAX_QUESTIONS;

/// The number of question rows the form asks for.
pub(super) fn row_count(v: Option<&str>) -> usize {
    v.and_then(|r| r.trim().parse().ok()).unwrap_or(ROWS).clamp(1, MAX_ROWS)
}

/// The form's values for a survey.
pub(super) fn values_of(s: &Survey) -> BTreeMap<String, String> {
    let mut v = BTreeMap::from([
        ("touchpoint_id".to_string(), s.touchpoint_id.to_string()),
        ("title_en".into(), s.title.en.clone()),
        ("title_es".into(), s.title.es.clone()),
        ("intro_en".into(), s.intro.en.clone()),
        ("intro_es".into(), s.intro.es.clone()),
        ("fatigue_days".into(), s.fatigue_days.to_string()),
        ("rows".into(), (s.questions.len() + 1).min(MAX_ROWS).to_string()),
    ]);
    for (i, q) in s.questions.iter().enumerate() {
        question_values(&mut v, i, q);
    }
    v
}

fn question_values(v: &mut BTreeMap<String, String>, i: usize, q: &Question) {
    let mut set = |k: &str, val: String| {
        if !val.is_empty() {
            v.insert(format!("q{i}.{k}"), val);
        }
    };
    let on = |b: bool| if b { "on".to_string() } else { String::new() };
    let num = |n: Option<f64>| n.map(|x| x.to_string()).unwrap_or_default();
    set("key", q.key.clone());
    set("type", q.kind.key().to_string());
    // A text block's HTML goes to the larger boxes meant for it.
    let (en, es) = if q.kind.is_display() { ("html_en", "html_es") } else { ("text_en", "text_es") };
    set(en, q.text.en.clone());
    set(es, q.text.es.clone());
    set("required", on(q.required));
    set("choices", lines_of(&q.choices));
    set("other", on(q.other));
    set("rows", lines_of(&q.rows));
    set("scale_min", q.scale_min.map(|x| x.to_string()).unwrap_or_default());
    set("scale_max", q.scale_max.map(|x| x.to_string()).unwrap_or_default());
    set("not_applicable", on(q.not_applicable));
    set("min", num(q.min));
    set("max", num(q.max));
    set("step", num(q.step));
    set("decimals", q.decimals.map(|x| x.to_string()).unwrap_or_default());
    for (name, label) in [("low", &q.low_label), ("high", &q.high_label)] {
        if let Some(l) = label {
            set(&format!("{name}_en"), l.en.clone());
            set(&format!("{name}_es"), l.es.clone());
        }
    }
    if let Some(c) = &q.show_if {
        set("show_q", c.question.clone());
        set("show_op", c.op.key().to_string());
        set("show_value", value_text(&c.value));
        // The core joins at most two conditions, so one level is all there is.
        let second = c.and.as_deref().map(|x| ("and", x)).or(c.or.as_deref().map(|x| ("or", x)));
        if let Some((join, c2)) = second {
            set("show_join", join.to_string());
            set("show2_q", c2.question.clone());
            set("show2_op", c2.op.key().to_string());
            set("show2_value", value_text(&c2.value));
        }
    }
}

/// Keyed labels as the textarea shows them: `key=English|Spanish` per line.
fn lines_of(items: &[Choice]) -> String {
    items.iter().map(|c| format!("{}={}|{}", c.key, c.label.en, c.label.es)).collect::<Vec<_>>().join("\n")
}

/// Keyed labels from the textarea; a line without `=` is its own key and
/// English label.
fn items_of(text: Option<&str>) -> Vec<Choice> {
    let Some(text) = text else { return vec![] };
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (key, labels) = l.split_once('=').unwrap_or((l, l));
            let (en, es) = labels.split_once('|').unwrap_or((labels, ""));
            Choice {
                key: key.trim().to_string(),
                label: Localized { en: en.trim().to_string(), es: es.trim().to_string() },
            }
        })
        .collect()
}

/// A condition's value as typed: a list is comma-separated.
fn value_text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        v => v.to_string(),
    }
}

/// One typed value: a number when it reads as one (scores are compared as
/// numbers), otherwise the text (a choice key). Only plain decimals count:
/// a key like `1e5` stays a key.
fn typed_value(s: &str) -> Value {
    let s = s.trim();
    let plain = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'.');
    if plain {
        if let Ok(n) = s.parse::<i64>() {
            return Value::from(n);
        }
        if let Some(n) = s.parse::<f64>().ok().filter(|n| n.is_finite()) {
            return Value::from(n);
        }
    }
    Value::from(s)
}

/// The value of a condition: "any of" takes a comma-separated list.
fn condition_value(op: ConditionOp, text: Option<&str>) -> Value {
    match (op, text) {
        (_, None) => Value::Null,
        (ConditionOp::AnyOf, Some(t)) => {
            Value::Array(t.split(',').map(str::trim).filter(|x| !x.is_empty()).map(typed_value).collect())
        }
        (_, Some(t)) => typed_value(t),
    }
}

/// The questions in the form's rows, with the row number each came from
/// (blank rows are skipped). Unreadable numbers are added to `errors`.
pub(super) fn questions_of(form: &FormData, errors: &mut FieldErrors) -> (Vec<Question>, Vec<usize>) {
    let rows = row_count(form.get("rows"));
    let mut out = Vec::new();
    let mut used = Vec::new();
    for i in 0..rows {
        let row = Row { form, i };
        let texts = ["key", "text_en", "text_es", "html_en", "html_es"];
        if texts.iter().all(|k| row.filled(k).is_none()) {
            continue;
        }
        out.push(row.question(errors));
        used.push(i);
    }
    (out, used)
}

/// One question row of the form.
struct Row<'a> {
    form: &'a FormData,
    i: usize,
}

impl Row<'_> {
    fn name(&self, k: &str) -> String {
        format!("q{}.{k}", self.i)
    }

    fn filled(&self, k: &str) -> Option<&str> {
        self.form.filled(&self.name(k))
    }

    fn text(&self, k: &str) -> String {
        self.filled(k).unwrap_or_default().to_string()
    }

    fn checked(&self, k: &str) -> bool {
        self.form.get(&self.name(k)).is_some()
    }

    /// The error's name: the question's field, on the form's row.
    fn field(&self, k: &str) -> String {
        format!("questions[{}].{k}", self.i)
    }

    fn number(&self, k: &str, errors: &mut FieldErrors) -> Option<f64> {
        let v = self.filled(k)?;
        let n = super::super::form::parse_number(v);
        if n.is_none() {
            errors.add(self.field(k), "not_a_number", "must be a number");
        }
        n
    }

    fn integer(&self, k: &str, errors: &mut FieldErrors) -> Option<i64> {
        let v = self.filled(k)?;
        let n = v.parse::<i64>().ok();
        if n.is_none() {
            errors.add(self.field(k), "not_a_number", "must be a whole number");
        }
        n
    }

    fn localized(&self, en: &str, es: &str) -> Localized {
        Localized { en: self.text(en), es: self.text(es) }
    }

    /// Labels at an end of the scale, when either language is filled.
    fn end_label(&self, end: &str) -> Option<Localized> {
        let l = self.localized(&format!("{end}_en"), &format!("{end}_es"));
        (!l.en.is_empty() || !l.es.is_empty()).then_some(l)
    }

    fn question(&self, errors: &mut FieldErrors) -> Question {
        let kind = self.filled("type").and_then(QuestionType::parse).unwrap_or(QuestionType::Text);
        let question = self.localized("text_en", "text_es");
        let html = self.localized("html_en", "html_es");
        // The larger boxes are the text block's; text typed in the other
        // pair is still kept, whichever pair was used.
        let blank = |l: &Localized| l.en.is_empty() && l.es.is_empty();
        let text = match (kind.is_display(), blank(&question), blank(&html)) {
            (true, _, false) | (false, true, false) => html,
            _ => question,
        };
        let decimals = self.integer("decimals", errors).and_then(|d| match u8::try_from(d) {
            Ok(d) => Some(d),
            Err(_) => {
                errors.add(self.field("decimals"), "out_of_range", "must be between 0 and 6");
                None
            }
        });
        Question {
            key: self.text("key"),
            kind,
            text,
            required: self.checked("required"),
            choices: items_of(self.filled("choices")),
            rows: items_of(self.filled("rows")),
            scale_min: self.integer("scale_min", errors),
            scale_max: self.integer("scale_max", errors),
            min: self.number("min", errors),
            max: self.number("max", errors),
            step: self.number("step", errors),
            decimals,
            low_label: self.end_label("low"),
            high_label: self.end_label("high"),
            not_applicable: self.checked("not_applicable"),
            other: self.checked("other"),
            show_if: self.show_if(errors),
        }
    }

    fn condition(&self, prefix: &str) -> Option<ShowIf> {
        let question = self.filled(&format!("{prefix}_q"))?;
        let op = self.filled(&format!("{prefix}_op")).and_then(ConditionOp::parse).unwrap_or_default();
        let value = condition_value(op, self.filled(&format!("{prefix}_value")));
        Some(ShowIf::new(question, op, value))
    }

    fn show_if(&self, errors: &mut FieldErrors) -> Option<ShowIf> {
        let first = self.condition("show");
        let second = self.condition("show2").map(Box::new);
        match (first, second) {
            (first, None) => first,
            (Some(mut c), Some(second)) => {
                // A second condition without a join is read as "and": the
                // narrower, so a question is not shown by mistake.
                match self.filled("show_join") {
                    Some("or") => c.or = Some(second),
                    _ => c.and = Some(second),
                }
                Some(c)
            }
            (None, Some(_)) => {
                errors.add(self.field("show_if.question"), "required", "fill the first condition first");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use rapport_core::survey::{SurveyDraft, SurveyStatus};
    use serde_json::json;

    fn loc(en: &str, es: &str) -> Localized {
        Localized { en: en.into(), es: es.into() }
    }

    fn items(pairs: &[(&str, &str, &str)]) -> Vec<Choice> {
        pairs.iter().map(|(k, en, es)| Choice { key: (*k).into(), label: loc(en, es) }).collect()
    }

    fn form_of(v: &BTreeMap<String, String>) -> FormData {
        FormData(v.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    /// A survey with every question type and every kind of condition, as
    /// the core's validation leaves it.
    fn every_type() -> Survey {
        let q = |key: &str, kind| Question::new(key, kind, loc(&format!("{key}?"), &format!("¿{key}?")));
        let mut qs: Vec<Question> = QuestionType::ALL.iter().map(|t| q(t.key(), *t)).collect();
        let by = |qs: &[Question], kind: QuestionType| -> usize { qs.iter().position(|q| q.kind == kind).unwrap() };
        let i = by(&qs, QuestionType::Nps);
        qs[i].required = true;
        let i = by(&qs, QuestionType::Rating);
        qs[i].scale_max = Some(7);
        for kind in [QuestionType::SingleChoice, QuestionType::MultipleChoice, QuestionType::Ranking] {
            let i = by(&qs, kind);
            qs[i].choices = items(&[("price", "Price", "Precio"), ("staff", "Staff", "Personal")]);
            qs[i].other = kind != QuestionType::Ranking;
            qs[i].show_if = Some(ShowIf::new("nps", ConditionOp::Lte, json!(6)));
        }
        let i = by(&qs, QuestionType::Matrix);
        qs[i].rows = items(&[("staff", "Staff", "Personal"), ("price", "Price = value", "Precio")]);
        qs[i].choices = items(&[("bad", "Bad", "Mal"), ("ok", "OK", "Bien"), ("good", "Good", "Muy bien")]);
        qs[i].scale_min = Some(0);
        qs[i].not_applicable = true;
        let i = by(&qs, QuestionType::Numeric);
        (qs[i].min, qs[i].max, qs[i].decimals) = (Some(-2.5), Some(1000.0), Some(2));
        let i = by(&qs, QuestionType::Slider);
        (qs[i].min, qs[i].max, qs[i].step) = (Some(0.0), Some(10.0), Some(0.5));
        qs[i].low_label = Some(loc("Not at all", "Nada"));
        qs[i].high_label = Some(loc("Extremely", "Muchísimo"));
        // A matrix row, joined with "and"; "any of" with a list, joined with "or".
        let mut c = ShowIf::new("matrix.staff", ConditionOp::Gte, json!(1));
        c.and = Some(Box::new(ShowIf::new("numeric", ConditionOp::Gt, json!(2.5))));
        let i = by(&qs, QuestionType::Date);
        qs[i].show_if = Some(c);
        let mut c = ShowIf::new("single_choice", ConditionOp::AnyOf, json!(["price", "other", 3]));
        c.or = Some(Box::new(ShowIf::new("multiple_choice", ConditionOp::Includes, json!("staff"))));
        let i = by(&qs, QuestionType::MultiText);
        qs[i].show_if = Some(c);
        qs[i].rows = items(&[("city", "City", "Ciudad"), ("zip", "Postcode", "Código postal")]);
        let i = by(&qs, QuestionType::TextBlock);
        qs[i].text = loc("<p>Thanks for <strong>your</strong> time.</p>", "<p>Gracias por su <em>tiempo</em>.</p>");
        let i = by(&qs, QuestionType::Consent);
        qs[i].required = true;
        qs[i].show_if = Some(ShowIf::new("text", ConditionOp::Answered, Value::Null));
        let draft = SurveyDraft {
            touchpoint_id: Some(4),
            title: Some(loc("Visit", "Visita")),
            intro: Some(loc("Hello", "Hola")),
            questions: qs,
            fatigue_days: Some(30),
        };
        let input = draft.validate().expect("the survey is valid");
        Survey {
            id: 1,
            touchpoint_id: input.touchpoint_id,
            title: input.title,
            intro: input.intro,
            questions: input.questions,
            fatigue_days: input.fatigue_days,
            status: SurveyStatus::Draft,
            token: "t".into(),
            created_at: Utc::now(),
        }
    }

    #[test]
    fn every_type_round_trips_through_the_form() {
        let s = every_type();
        let values = values_of(&s);
        assert_eq!(values["q12.show_value"], "price, other, 3");
        assert_eq!(values["q11.show_q"], "matrix.staff");
        assert!(values["q13.html_en"].contains("<strong>"));
        let mut e = FieldErrors::new();
        let (questions, used) = questions_of(&form_of(&values), &mut e);
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(used, (0..s.questions.len()).collect::<Vec<_>>());
        for (back, q) in questions.iter().zip(&s.questions) {
            assert_eq!(back, q, "{}", q.key);
        }
        assert_eq!(questions.len(), s.questions.len());
    }

    #[test]
    fn bad_numbers_are_named_on_their_row() {
        let f = FormData(
            [
                ("rows", "5"),
                ("q3.key", "n"),
                ("q3.type", "numeric"),
                ("q3.min", "ten"),
                ("q3.step", "1,5"),
                ("q3.decimals", "300"),
                ("q3.scale_min", "0.5"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .to_vec(),
        );
        let mut e = FieldErrors::new();
        let (qs, used) = questions_of(&f, &mut e);
        assert_eq!(used, vec![3]);
        assert_eq!(qs[0].step, Some(1.5));
        assert_eq!(e.get("questions[3].min").unwrap().code, "not_a_number");
        assert_eq!(e.get("questions[3].decimals").unwrap().code, "out_of_range");
        assert_eq!(e.get("questions[3].scale_min").unwrap().code, "not_a_number");
    }

    #[test]
    fn a_second_condition_needs_the_first() {
        let f = FormData(
            [("q0.key", "a"), ("q0.show2_q", "nps"), ("q1.key", "b"), ("q1.show_q", "nps"), ("q1.show2_q", "a")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .to_vec(),
        );
        let mut e = FieldErrors::new();
        let (qs, _) = questions_of(&f, &mut e);
        assert!(e.get("questions[0].show_if.question").is_some());
        // No join chosen: "and".
        assert_eq!(qs[1].show_if.as_ref().unwrap().and.as_ref().unwrap().question, "a");
    }
}
