//! Checking a survey as written (the builder, the API, an import) before it
//! is saved.
//!
//! The limits fit real surveys, measured on the import corpus
//! (`tests/fixtures/surveys/`): the longest LimeSurvey test survey has 224
//! questions, a country list has 195 choices, consent texts run to several
//! thousand characters. Above these a survey is a data-entry form, not a
//! customer survey, and the public page would be unusable on a phone.

use super::{is_key, sanitize_html, Choice, Localized, Question, QuestionType, SurveyDraft, SurveyInput, OTHER};
use crate::validate::{optional_text, required_text, FieldErrors};

/// Questions per survey (text blocks included).
pub const MAX_QUESTIONS: usize = 300;
/// Choices (or ranking items, or matrix scale labels) per question.
pub const MAX_CHOICES: usize = 200;
/// Rows of a matrix or fields of a multiple short text question.
pub const MAX_ROWS: usize = 100;
/// Characters of a question's text: consent wording sits in the question.
pub const MAX_QUESTION_TEXT: usize = 5_000;
/// Characters of a text block's HTML.
pub const MAX_TEXT_BLOCK: usize = 20_000;
/// Points a slider may take: (max − min) / step.
const MAX_SLIDER_POINTS: f64 = 100_000.0;

fn localized(e: &mut FieldErrors, field: &str, v: Option<&Localized>, max: usize, required: bool) -> Localized {
    let v = v.cloned().unwrap_or_default();
    let en = if required {
        required_text(e, &format!("{field}.en"), Some(&v.en), max)
    } else {
        optional_text(e, &format!("{field}.en"), Some(&v.en), max).unwrap_or_default()
    };
    let es = if required {
        required_text(e, &format!("{field}.es"), Some(&v.es), max)
    } else {
        optional_text(e, &format!("{field}.es"), Some(&v.es), max).unwrap_or_default()
    };
    Localized { en, es }
}

/// Keyed labels (choices or rows): unique keys, both languages.
fn labelled(e: &mut FieldErrors, field: &str, items: &[Choice], max: usize) -> Vec<Choice> {
    if items.len() > max {
        e.add(field, "too_many", format!("at most {max}"));
    }
    let mut keys: Vec<&str> = Vec::new();
    let mut out = Vec::with_capacity(items.len());
    for (j, c) in items.iter().take(max).enumerate() {
        if !is_key(&c.key) || keys.contains(&c.key.as_str()) {
            e.add(format!("{field}[{j}].key"), "invalid_key", "needs a unique key of a-z, 0-9 and _");
        }
        keys.push(&c.key);
        let label = localized(e, &format!("{field}[{j}].label"), Some(&c.label), 1000, true);
        out.push(Choice { key: c.key.clone(), label });
    }
    out
}

fn finite(e: &mut FieldErrors, field: &str, v: Option<f64>) -> Option<f64> {
    match v {
        Some(x) if !x.is_finite() || x.abs() > 1e12 => {
            e.add(field, "out_of_range", "must be a number between -1e12 and 1e12");
            None
        }
        v => v,
    }
}

/// One question, checked and cleaned; `earlier` are the questions before it.
fn question(e: &mut FieldErrors, i: usize, q: &Question, earlier: &[Question]) -> Question {
    let f = |k: &str| format!("questions[{i}].{k}");
    if !is_key(&q.key) {
        e.add(f("key"), "invalid_key", "use 1-40 characters of a-z, 0-9 and _");
    } else if earlier.iter().any(|x| x.key == q.key) {
        e.add(f("key"), "duplicate", "another question has this key");
    }
    let kind = q.kind;
    let mut out = Question::new(&q.key, kind, Localized::default());
    out.required = q.required && !kind.is_display();
    out.text = if kind.is_display() {
        let raw = localized(e, &f("text"), Some(&q.text), MAX_TEXT_BLOCK, true);
        Localized { en: sanitize_html(&raw.en), es: sanitize_html(&raw.es) }
    } else {
        localized(e, &f("text"), Some(&q.text), MAX_QUESTION_TEXT, true)
    };
    let min_choices = match kind {
        QuestionType::SingleChoice | QuestionType::MultipleChoice | QuestionType::Ranking => 2,
        _ => 0,
    };
    if kind.has_choices() || kind == QuestionType::Matrix {
        // An "other" box counts as a choice: one listed choice plus "other" is a real question.
        let offered = q.choices.len() + usize::from(q.other && kind != QuestionType::Ranking);
        if offered < min_choices {
            e.add(f("choices"), "required", "needs at least two choices");
        }
        out.choices = labelled(e, &f("choices"), &q.choices, MAX_CHOICES);
    }
    if matches!(kind, QuestionType::SingleChoice | QuestionType::MultipleChoice) {
        out.other = q.other;
        if q.other && q.choices.iter().any(|c| c.key == OTHER) {
            e.add(f("choices"), "duplicate", "the key \"other\" is kept for \"Other, please specify\"");
        }
    }
    if kind.has_rows() {
        if q.rows.is_empty() {
            e.add(f("rows"), "required", "needs at least one row");
        }
        out.rows = labelled(e, &f("rows"), &q.rows, MAX_ROWS);
    }
    match kind {
        QuestionType::Rating => {
            if q.scale_max.is_some_and(|m| !(3..=10).contains(&m)) {
                e.add(f("scale_max"), "out_of_range", "must be between 3 and 10");
            }
            out.scale_max = Some(q.scale_max.unwrap_or(5));
        }
        QuestionType::Matrix => matrix_scale(e, i, q, &mut out),
        QuestionType::Numeric => {
            out.min = finite(e, &f("min"), q.min);
            out.max = finite(e, &f("max"), q.max);
            if let (Some(lo), Some(hi)) = (out.min, out.max) {
                if lo > hi {
                    e.add(f("max"), "out_of_range", "must not be below min");
                }
            }
            if q.decimals.is_some_and(|d| d > 6) {
                e.add(f("decimals"), "out_of_range", "must be between 0 and 6");
            }
            out.decimals = q.decimals.filter(|d| *d > 0);
        }
        QuestionType::Slider => slider(e, i, q, &mut out),
        _ => {}
    }
    if let Some(cond) = &q.show_if {
        check_condition(e, &f("show_if"), cond, earlier, 0);
        out.show_if = Some(cond.clone());
    }
    out
}

fn ends(e: &mut FieldErrors, i: usize, q: &Question, out: &mut Question) {
    let f = |k: &str| format!("questions[{i}].{k}");
    out.low_label = q.low_label.as_ref().map(|l| localized(e, &f("low_label"), Some(l), 200, false));
    out.high_label = q.high_label.as_ref().map(|l| localized(e, &f("high_label"), Some(l), 200, false));
}

fn matrix_scale(e: &mut FieldErrors, i: usize, q: &Question, out: &mut Question) {
    let f = |k: &str| format!("questions[{i}].{k}");
    let lo = q.scale_min.unwrap_or(1);
    if !(0..=1).contains(&lo) {
        e.add(f("scale_min"), "out_of_range", "must be 0 or 1");
    }
    let hi = if q.choices.is_empty() { q.scale_max.unwrap_or(5) } else { lo + q.choices.len() as i64 - 1 };
    if !(2..=10).contains(&hi) || hi <= lo {
        let field = if q.choices.is_empty() { f("scale_max") } else { f("choices") };
        e.add(field, "out_of_range", "a matrix scale has 2 to 11 points and tops at 2 to 10");
    }
    out.scale_min = Some(lo);
    out.scale_max = Some(hi);
    out.not_applicable = q.not_applicable;
    ends(e, i, q, out);
}

fn slider(e: &mut FieldErrors, i: usize, q: &Question, out: &mut Question) {
    let f = |k: &str| format!("questions[{i}].{k}");
    let lo = finite(e, &f("min"), q.min.or(Some(0.0)));
    let hi = finite(e, &f("max"), q.max.or(Some(100.0)));
    let step = finite(e, &f("step"), q.step.or(Some(1.0)));
    if let (Some(lo), Some(hi), Some(step)) = (lo, hi, step) {
        if hi <= lo {
            e.add(f("max"), "out_of_range", "must be above min");
        } else if step <= 0.0 || (hi - lo) / step > MAX_SLIDER_POINTS {
            e.add(f("step"), "out_of_range", "must be above 0 and give at most 100,000 points");
        }
    }
    out.min = lo;
    out.max = hi;
    out.step = step;
    ends(e, i, q, out);
}

/// A condition names an earlier question (so a survey never loops), a row
/// that question has, and joins at most two comparisons.
fn check_condition(e: &mut FieldErrors, field: &str, c: &super::ShowIf, earlier: &[Question], depth: usize) {
    let target = earlier.iter().find(|q| q.key == c.question_key());
    match (target, c.question.split_once('.')) {
        (None, _) => e.add(format!("{field}.question"), "unknown_id", "must name an earlier question"),
        (Some(q), Some((_, row))) if !q.rows.iter().any(|r| r.key == row) => {
            e.add(format!("{field}.question"), "unknown_id", "must name a row of that question")
        }
        _ => {}
    }
    if let Some(text) = c.value.as_str() {
        crate::validate::no_nul(e, &format!("{field}.value"), text);
    }
    if c.value.as_array().is_some_and(|a| a.len() > MAX_CHOICES || a.iter().any(|v| v.is_array() || v.is_object())) {
        e.add(format!("{field}.value"), "invalid", "a list of at most 200 plain values");
    }
    let joined = [("and", &c.and), ("or", &c.or)];
    let used = joined.iter().filter(|(_, j)| j.is_some()).count();
    if used > 0 && depth > 0 {
        e.add(field.to_string(), "too_deep", "joins at most two conditions");
    } else if used > 1 {
        e.add(field.to_string(), "invalid", "use either and or or, not both");
    }
    for (name, j) in joined {
        if let Some(j) = j {
            check_condition(e, &format!("{field}.{name}"), j, earlier, depth + 1);
        }
    }
}

/// Whether a survey with these questions may be published (or stay
/// published when edited): it asks at least one question. A draft may have
/// none yet (a survey being written, or imported from a file that held only
/// text or questions Rapport cannot ask), so [`SurveyDraft::validate`] does
/// not require one.
pub fn check_publishable(questions: &[Question]) -> Result<(), FieldErrors> {
    if questions.iter().any(|q| !q.kind.is_display()) {
        Ok(())
    } else {
        Err(FieldErrors::single("questions", "required", "a published survey asks at least one question"))
    }
}

impl SurveyDraft {
    /// Checks and cleans a survey as written. A draft may ask nothing yet;
    /// publishing asks for a question ([`check_publishable`]).
    pub fn validate(&self) -> Result<SurveyInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let touchpoint_id = self.touchpoint_id.unwrap_or_else(|| {
            e.add("touchpoint_id", "required", "is required");
            0
        });
        let title = localized(&mut e, "title", self.title.as_ref(), 200, true);
        let intro = localized(&mut e, "intro", self.intro.as_ref(), 2000, false);
        let fatigue_days = self.fatigue_days.unwrap_or(0);
        if !(0..=3650).contains(&fatigue_days) {
            e.add("fatigue_days", "out_of_range", "must be between 0 and 3650");
        }
        if self.questions.len() > MAX_QUESTIONS {
            e.add("questions", "too_many", format!("at most {MAX_QUESTIONS} questions"));
        }
        let mut questions: Vec<Question> = Vec::with_capacity(self.questions.len().min(MAX_QUESTIONS));
        for (i, q) in self.questions.iter().take(MAX_QUESTIONS).enumerate() {
            let checked = question(&mut e, i, q, &questions);
            questions.push(checked);
        }
        e.into_result(SurveyInput { touchpoint_id, title, intro, questions, fatigue_days })
    }
}
