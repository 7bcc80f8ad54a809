//! SurveyJS survey JSON. The mapping is described in the parent module.

use super::logic::{self, Cond};
use super::{choices, comparison, join, literal, localize, question, scale, scale_reason, yes_no, Builder, Format};
use super::{scalar_text, ImportError, Imported, Operand};
use crate::lang::Lang;
use crate::survey::{Choice, ConditionOp, Localized, QuestionType, NOT_APPLICABLE};
use serde::Deserialize;
use serde_json::Value;

/// One element of a page or panel; only what the import reads.
#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct Element {
    #[serde(rename = "type")]
    kind: String,
    name: Value,
    title: Value,
    is_required: bool,
    visible: Option<bool>,
    visible_if: Option<String>,
    required_if: Option<String>,
    choices: Vec<Value>,
    choices_by_url: Value,
    choices_from_question: Option<String>,
    rate_min: Option<f64>,
    rate_max: Option<f64>,
    rate_step: Option<f64>,
    rate_count: Option<f64>,
    rate_values: Vec<Value>,
    auto_generate: Option<bool>,
    label_true: Value,
    label_false: Value,
    value_true: Value,
    value_false: Value,
    elements: Vec<Value>,
    questions: Vec<Value>,
    has_other: bool,
    show_other_item: bool,
    has_none: bool,
    show_none_item: bool,
    has_select_all: bool,
    show_select_all_item: bool,
    has_comment: bool,
    show_comment_area: bool,
    validators: Vec<Value>,
    render_as: Option<String>,
    label: Value,
    input_type: Option<String>,
    min: Value,
    max: Value,
    step: Value,
    html: Value,
    items: Vec<Value>,
    columns: Vec<Value>,
    rows: Vec<Value>,
    cell_type: Option<String>,
    /// Rapport's own: `csat` or `ces` on a rating (see `survey_export`).
    rapport_type: Option<String>,
    rapport_decimals: Option<u8>,
    comment_text: Value,
    min_rate_description: Value,
    max_rate_description: Value,
}

pub(super) fn import(source: &str) -> Result<Imported, ImportError> {
    let root = super::parse_json(Format::SurveyJs, source)?;
    let list = |v: Option<&Value>| v.and_then(Value::as_array).cloned().unwrap_or_default();
    let pages = list(root.get("pages"));
    let top: Vec<Value> = [list(root.get("elements")), list(root.get("questions"))].concat();
    if pages.is_empty() && top.is_empty() && !["pages", "elements", "questions"].iter().any(|k| root.contains_key(*k)) {
        return Err(ImportError::not_a_survey(Format::SurveyJs, "it has no pages, elements or questions"));
    }
    let main_lang = root.get("locale").and_then(Value::as_str).map_or(Some(Lang::En), Lang::parse);
    let mut s = SurveyJs { b: Builder::default(), main_lang, unnamed: 0 };
    s.elements(&top, None);
    for page in &pages {
        let condition = page["visibleIf"].as_str().filter(|c| !c.trim().is_empty());
        s.elements(&[list(page.get("elements")), list(page.get("questions"))].concat(), condition);
    }
    let mut title = s.text(root.get("title").unwrap_or(&Value::Null));
    if title.en.trim().is_empty() {
        // Untitled: the first page's title names the survey, if it has one.
        let first = pages.iter().map(|p| s.text(&p["title"])).find(|t| !t.en.trim().is_empty());
        title = first.unwrap_or_default();
    }
    let intro = s.text(root.get("description").unwrap_or(&Value::Null));
    Ok(s.b.finish(title, intro))
}

struct SurveyJs {
    b: Builder,
    /// The language of `default` texts and plain strings (`locale`).
    main_lang: Option<Lang>,
    /// Elements met without a name, for report entries.
    unnamed: usize,
}

impl SurveyJs {
    /// A plain string, or `{"default": ..., "en": ..., "es": ...}`.
    fn text(&self, v: &Value) -> Localized {
        match v {
            Value::String(s) => localize(s, self.main_lang, []),
            Value::Object(o) => {
                let main = o.get("default").and_then(Value::as_str).unwrap_or("");
                let translations = o.iter().filter(|(k, _)| *k != "default");
                let translations = translations.filter_map(|(k, v)| Some((k.as_str(), v.as_str()?.to_string())));
                localize(main, self.main_lang, translations)
            }
            _ => Localized::default(),
        }
    }

    /// Elements of a page or panel whose `visibleIf` (if any) is `inherited`.
    fn elements(&mut self, elements: &[Value], inherited: Option<&str>) {
        for v in elements {
            self.element(v, inherited);
        }
    }

    fn element(&mut self, v: &Value, inherited: Option<&str>) {
        let name = name_of(&v["name"]).unwrap_or_else(|| {
            self.unnamed += 1;
            format!("#{}", self.unnamed)
        });
        let e = match serde_json::from_value::<Element>(v.clone()) {
            Ok(e) => e,
            Err(err) => {
                let kind = v["type"].as_str().unwrap_or("");
                return self.b.skip(&name, kind, format!("not a readable SurveyJS element: {err}"));
            }
        };
        let kind = e.kind.as_str();
        let skip = |b: &mut Builder, reason: &str| b.skip(&name, kind, reason);
        let own = e.visible_if.as_deref().filter(|c| !c.trim().is_empty());
        let mut notes: Vec<String> = Vec::new();
        if let (Some(_), Some(outer)) = (own, inherited) {
            notes.push(format!(
                "the visibleIf \"{outer}\" of its page or panel is not imported; only its own condition is"
            ));
        }
        if e.visible == Some(false) {
            // Hidden elements are never asked (a script may show them): not lost.
            let also = if kind == "panel" { "; the questions in it are not imported either" } else { "" };
            return self.b.info(&name, kind, format!("hidden (visible: false), so never asked{also}"));
        }
        if matches!(kind, "expression" | "image") {
            let what = if kind == "image" { "an image" } else { "a calculated value" };
            return self.b.info(&name, kind, format!("{what}, not a question"));
        }
        if kind == "panel" {
            for n in notes {
                self.b.info(&name, kind, n);
            }
            return self.elements(&[e.elements, e.questions].concat(), own.or(inherited));
        }
        let title = if e.title.is_null() { localize(&name, Some(Lang::En), []) } else { self.text(&e.title) };
        let mut q = question(String::new(), QuestionType::Text, title, e.is_required);
        let mut values = Vec::new();
        let mut rows = Vec::new();
        match kind {
            "rating" => match rating_scale(&e) {
                Ok(Rating::Score(kind_to, max)) => {
                    q.kind = kind_to;
                    q.scale_max = max;
                    let hint = e.rapport_type.as_deref().and_then(QuestionType::parse);
                    if let Some(kind) =
                        hint.filter(|k| k.bounds(None) == kind_to.bounds(max) && k.bounds(None).is_some())
                    {
                        (q.kind, q.scale_max) = (kind, None);
                    }
                }
                Ok(Rating::Slider(min, max, step)) => {
                    q.kind = QuestionType::Slider;
                    (q.min, q.max, q.step) = (Some(min), Some(max), Some(step));
                }
                Ok(Rating::Labels) => {
                    q.kind = QuestionType::SingleChoice;
                    (q.choices, values) = choices(e.rate_values.iter().map(|c| self.choice(c)).collect());
                }
                Err(reason) => return skip(&mut self.b, &reason),
            },
            "radiogroup" | "dropdown" | "checkbox" | "tagbox" | "ranking" => {
                if e.choices_by_url.is_object() || e.choices_from_question.is_some() {
                    let from = if e.choices_from_question.is_some() { "another question" } else { "a web service" };
                    return skip(&mut self.b, &format!("its choices come from {from}; Rapport needs a fixed list"));
                }
                (q.choices, values) = choices(e.choices.iter().map(|c| self.choice(c)).collect());
                q.kind = match kind {
                    "radiogroup" | "dropdown" => QuestionType::SingleChoice,
                    "ranking" => QuestionType::Ranking,
                    _ => QuestionType::MultipleChoice,
                };
                q.other = kind != "ranking" && (e.has_other || e.show_other_item);
            }
            "boolean" if e.render_as.as_deref() == Some("checkbox") => {
                // A lone checkbox to tick: a consent.
                q.kind = QuestionType::Consent;
                let label = self.text(&e.label);
                if !label.en.is_empty() {
                    q.text = join(&q.text, &label);
                }
            }
            "boolean" => {
                q.kind = QuestionType::SingleChoice;
                let (t, f) = (scalar_text(&e.value_true), scalar_text(&e.value_false));
                let yes = [Some("true"), t.as_deref()].into_iter().flatten().collect::<Vec<_>>();
                let no = [Some("false"), f.as_deref()].into_iter().flatten().collect::<Vec<_>>();
                (q.choices, values) = yes_no(self.text(&e.label_true), self.text(&e.label_false), &yes, &no);
            }
            "text" => match e.input_type.as_deref().unwrap_or("text") {
                "number" => {
                    q.kind = QuestionType::Numeric;
                    (q.min, q.max) = (num(&e.min), num(&e.max));
                    // SurveyJS takes decimals unless told otherwise.
                    q.decimals = Some(e.rapport_decimals.unwrap_or(6));
                }
                "range" => {
                    q.kind = QuestionType::Slider;
                    (q.min, q.max, q.step) =
                        (num(&e.min).or(Some(0.0)), num(&e.max).or(Some(100.0)), num(&e.step).or(Some(1.0)));
                }
                "date" => q.kind = QuestionType::Date,
                "text" | "email" | "tel" | "url" | "color" => {}
                other => return skip(&mut self.b, &format!("a text box for \"{other}\" is not supported")),
            },
            "comment" => {}
            "slider" => {
                q.kind = QuestionType::Slider;
                (q.min, q.max, q.step) =
                    (num(&e.min).or(Some(0.0)), num(&e.max).or(Some(100.0)), num(&e.step).or(Some(1.0)));
            }
            "html" => {
                q.kind = QuestionType::TextBlock;
                q.required = false;
                q.text = self.text(&e.html);
            }
            "multipletext" => {
                q.kind = QuestionType::MultiText;
                let items = e.items.iter().map(|i| {
                    let n = name_of(&i["name"]).unwrap_or_default();
                    let label =
                        if i["title"].is_null() { localize(&n, Some(Lang::En), []) } else { self.text(&i["title"]) };
                    (n.clone(), n, label)
                });
                (q.rows, rows) = choices(items.collect());
            }
            "matrix" | "matrixdropdown" => {
                let scale = match matrix_scale(&e, kind) {
                    Ok(scale) => scale,
                    Err(reason) => return skip(&mut self.b, &reason),
                };
                q.kind = QuestionType::Matrix;
                let na = |c: &Value| scalar_text(c.get("value").unwrap_or(c)).as_deref() == Some(NOT_APPLICABLE);
                q.not_applicable = scale.iter().any(na);
                let scale: Vec<&Value> = scale.iter().filter(|c| !na(c)).collect();
                // Columns valued 0, 1, 2... keep their numbers as the scale's points.
                let numbers: Vec<Option<i64>> =
                    scale.iter().map(|c| scalar_text(c.get("value").unwrap_or(c))?.parse().ok()).collect();
                let from_zero = numbers.iter().enumerate().all(|(i, n)| *n == Some(i as i64));
                let lo = i64::from(!from_zero);
                q.scale_min = Some(lo);
                q.scale_max = Some(lo + scale.len() as i64 - 1);
                let mut labels = Vec::new();
                for (i, c) in scale.iter().enumerate() {
                    let (value, _, label) = self.choice(c);
                    values.push((value, (lo + i as i64).to_string()));
                    labels.push(Choice { key: format!("p{}", i + 1), label });
                }
                // Bare numbers are points without labels.
                if scale.iter().any(|c| c.get("text").is_some()) {
                    q.choices = labels;
                }
                (q.rows, rows) = choices(e.rows.iter().map(|c| self.choice(c)).collect());
            }
            other => return skip(&mut self.b, &unsupported(other)),
        }
        if matches!(q.kind, QuestionType::Slider | QuestionType::Matrix) {
            let end = |v: &Value| (!v.is_null()).then(|| self.text(v));
            (q.low_label, q.high_label) = (end(&e.min_rate_description), end(&e.max_rate_description));
        }
        q.key = self.b.keys.unique(&name, "question");
        for (on, what) in [
            ((e.has_other || e.show_other_item) && !q.other, "its \"Other\" choice with a text box is not imported"),
            (e.has_none || e.show_none_item, "its \"None\" choice is not imported"),
            (e.has_select_all || e.show_select_all_item, "its \"Select all\" choice is not imported"),
            (!e.validators.is_empty(), "its validators are not imported"),
            (
                e.required_if.as_deref().is_some_and(|r| !r.trim().is_empty()),
                "its requiredIf condition is not imported",
            ),
        ] {
            if on {
                notes.push(what.into());
            }
        }
        if let Some(expr) = own.or(inherited) {
            match logic::parse(expr, &leaf).and_then(|c| self.b.show_if(&c)) {
                Some(c) => q.show_if = Some(c),
                None => notes.push(format!(
                    "visibleIf \"{expr}\" is not a condition Rapport can keep; imported without it, so the question is always shown"
                )),
            }
        }
        self.b.push(q, &name, &name, kind, values);
        self.b.set_rows(rows);
        for n in notes {
            self.b.note(n);
        }
        if e.has_comment || e.show_comment_area {
            let label = if e.comment_text.is_null() {
                Localized { en: "Comment".into(), es: "Comentario".into() }
            } else {
                self.text(&e.comment_text)
            };
            self.b.comment(label, None);
        }
    }

    /// A choice item: a plain value, or `{"value": ..., "text": ...}`.
    fn choice(&self, item: &Value) -> (String, String, Localized) {
        let (value, text) = match item {
            Value::Object(o) => (o.get("value").and_then(scalar_text).unwrap_or_default(), o.get("text")),
            other => (scalar_text(other).unwrap_or_default(), None),
        };
        let label = match text {
            Some(t) if !t.is_null() => self.text(t),
            _ => localize(&value, Some(Lang::En), []),
        };
        (value.clone(), value, label)
    }
}

/// What a `rating` becomes.
enum Rating {
    /// NPS, or a rating 1..N.
    Score(QuestionType, Option<i64>),
    /// Another numeric scale: a slider from min to max.
    Slider(f64, f64, f64),
    /// `rateValues` that are labels, not numbers: a single choice.
    Labels,
}

/// NPS or a rating from `rateValues`, or `rateMin`/`rateMax` (else `rateCount`)/`rateStep`.
fn rating_scale(e: &Element) -> Result<Rating, String> {
    let (min, max, step) = if e.rate_values.is_empty() || e.auto_generate == Some(true) {
        let min = e.rate_min.unwrap_or(1.0);
        let step = e.rate_step.unwrap_or(1.0);
        (min, e.rate_max.unwrap_or_else(|| min + (e.rate_count.unwrap_or(5.0) - 1.0) * step), step)
    } else {
        let values: Vec<f64> =
            e.rate_values.iter().filter_map(|v| scalar_text(v.get("value").unwrap_or(v))?.parse().ok()).collect();
        let consecutive = values.len() == e.rate_values.len() && values.windows(2).all(|w| w[1] == w[0] + 1.0);
        match (consecutive, values.first(), values.last()) {
            (true, Some(first), Some(last)) => (*first, *last, 1.0),
            _ => return Ok(Rating::Labels),
        }
    };
    if step == 1.0 {
        if let Some((kind, max)) = scale(min, max) {
            return Ok(Rating::Score(kind, max));
        }
    }
    if max > min && step > 0.0 {
        return Ok(Rating::Slider(min, max, step));
    }
    Err(scale_reason(min, max))
}

/// The scale points of a matrix: its columns; of a matrix of dropdowns, the
/// choices of its one choice column.
fn matrix_scale(e: &Element, kind: &str) -> Result<Vec<Value>, String> {
    let scale = if kind == "matrix" {
        e.columns.clone()
    } else {
        let [column] = e.columns.as_slice() else {
            return Err(format!(
                "a matrix of dropdowns with {} columns asks several things per row; a Rapport matrix has one scale",
                e.columns.len()
            ));
        };
        let cell = column["cellType"].as_str().or(e.cell_type.as_deref()).unwrap_or("dropdown");
        if !matches!(cell, "dropdown" | "radiogroup" | "rating") {
            return Err(format!("a matrix of \"{cell}\" cells is not a scale"));
        }
        match column["choices"].as_array() {
            Some(c) if !c.is_empty() => c.clone(),
            _ => e.choices.clone(),
        }
    };
    let na = |c: &Value| scalar_text(c.get("value").unwrap_or(c)).as_deref() == Some(NOT_APPLICABLE);
    let points = scale.iter().filter(|c| !na(c)).count();
    if !(2..=11).contains(&points) {
        return Err(format!("a matrix scale of {points} points is not supported (2 to 11)"));
    }
    Ok(scale)
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// One comparison of a `visibleIf`: `{q} = 5`, `{q} <= 6`, `{q} != 'x'`,
/// `{q} contains 'x'`, `{q} anyof ['a', 'b']`, `{q} notempty`, `{q.row} = 3`.
fn leaf(expr: &str) -> Option<Cond> {
    let expr = super::logic::strip_parens(expr.trim());
    let rest = expr.strip_prefix('{')?;
    let (name, rest) = rest.split_once('}')?;
    let name = name.trim().to_string();
    let rest = rest.trim();
    let lower = rest.to_ascii_lowercase();
    if lower == "notempty" || lower == "isnotempty" {
        return Some(Cond::Leaf(name, ConditionOp::Answered, Operand::None));
    }
    for (word, op) in [("contains ", ConditionOp::Includes), ("anyof ", ConditionOp::AnyOf)] {
        if lower.starts_with(word) {
            return Some(Cond::Leaf(name, op, literal(&rest[word.len()..])?));
        }
    }
    let ("", op, value) = comparison(rest)? else { return None };
    Some(Cond::Leaf(name, op, literal(value)?))
}

fn unsupported(kind: &str) -> String {
    match kind {
        "html" => "display text, not a question".into(),
        "image" => "an image, not a question".into(),
        "expression" => "a calculated value, not a question".into(),
        "matrix" | "matrixdropdown" | "matrixdynamic" => {
            "matrix questions are not supported; Rapport asks one thing per question".into()
        }
        "multipletext" => "several text boxes in one question are not supported".into(),
        "file" => "file uploads are not supported".into(),
        "signaturepad" => "signatures are not supported".into(),
        "ranking" => "ranking questions are not supported".into(),
        "imagepicker" => "image choices are not supported".into(),
        "paneldynamic" => "repeating panels are not supported".into(),
        "" => "an element without a type".into(),
        other => format!("SurveyJS \"{other}\" questions are not supported"),
    }
}

fn name_of(v: &Value) -> Option<String> {
    scalar_text(v).filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
#[path = "tests/surveyjs.rs"]
mod tests;
