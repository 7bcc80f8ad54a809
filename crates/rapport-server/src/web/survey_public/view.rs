//! What the public form shows of each question: plain values for the
//! template, one shape per kind of control. Everything works as an HTML
//! form alone; nothing here assumes a script.

use super::Respondent;
use crate::web::ctx::translate_errors;
use crate::web::WebResult;
use axum::http::StatusCode;
use minijinja::context;
use rapport_core::lang::Lang;
use rapport_core::survey::{Choice, Question, QuestionType, Survey, NOT_APPLICABLE, OTHER};
use rapport_core::validate::FieldErrors;
use serde::Serialize;
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Option_ {
    value: String,
    id: String,
    label: String,
    checked: bool,
}

/// A matrix row, a short text field or a rank position.
#[derive(Serialize)]
struct RowView {
    name: String,
    id: String,
    label: String,
    options: Vec<Option_>,
    value: String,
    error: Option<String>,
}

#[derive(Serialize)]
struct QuestionView {
    key: String,
    kind: &'static str,
    /// The question; for a text block, its cleaned HTML.
    text: String,
    required: bool,
    options: Vec<Option_>,
    rows: Vec<RowView>,
    /// A typed answer (text, number, date, slider position).
    value: String,
    low: String,
    high: String,
    min: String,
    max: String,
    step: String,
    /// A line under the control: the range a number takes.
    hint: String,
    /// "Other, please specify" offered, and its text.
    other: bool,
    other_value: String,
    checked: bool,
    /// A matrix whose points have words, not only numbers.
    labelled: bool,
    error: Option<String>,
}

fn text_of(v: Option<&Json>) -> String {
    match v {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Null) | None => String::new(),
        Some(v) => v.to_string(),
    }
}

fn given(answers: &Map<String, Json>, key: &str) -> Vec<String> {
    match answers.get(key) {
        Some(Json::Array(a)) => a.iter().map(|v| text_of(Some(v))).collect(),
        v => vec![text_of(v)].into_iter().filter(|s| !s.is_empty()).collect(),
    }
}

fn number(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

fn options(q: &Question, choices: &[Choice], lang: Lang, picked: &[String], prefix: &str) -> Vec<Option_> {
    choices
        .iter()
        .map(|c| Option_ {
            value: c.key.clone(),
            id: format!("{prefix}-{}", c.key),
            label: c.label.get(lang).to_string(),
            checked: picked.contains(&c.key),
        })
        .chain(q.other.then(|| Option_ {
            value: OTHER.into(),
            id: format!("{prefix}-{OTHER}"),
            label: String::new(),
            checked: picked.iter().any(|p| p == OTHER),
        }))
        .collect()
}

/// Points lo..=hi, labelled with their number.
fn points(lo: i64, hi: i64, picked: &str, prefix: &str) -> Vec<Option_> {
    (lo..=hi)
        .map(|n| Option_ {
            value: n.to_string(),
            id: format!("{prefix}-{n}"),
            label: n.to_string(),
            checked: picked.trim() == n.to_string(),
        })
        .collect()
}

struct Ctx<'a> {
    lang: Lang,
    t: &'a dyn Fn(&str) -> String,
    /// "Place n" of a ranking.
    rank: &'a dyn Fn(usize) -> String,
    answers: &'a Map<String, Json>,
    messages: &'a BTreeMap<String, String>,
}

fn view(q: &Question, c: &Ctx<'_>) -> QuestionView {
    let lang = c.lang;
    let id = format!("q-{}", q.key);
    let name = format!("q.{}", q.key);
    let picked = given(c.answers, &q.key);
    let first = picked.first().cloned().unwrap_or_default();
    let mut v = QuestionView {
        key: q.key.clone(),
        kind: "text",
        text: q.text.get(lang).to_string(),
        required: q.required,
        options: Vec::new(),
        rows: Vec::new(),
        value: String::new(),
        low: q.low_label.as_ref().map(|l| l.get(lang).to_string()).unwrap_or_default(),
        high: q.high_label.as_ref().map(|l| l.get(lang).to_string()).unwrap_or_default(),
        min: q.min.map(number).unwrap_or_default(),
        max: q.max.map(number).unwrap_or_default(),
        step: String::new(),
        hint: String::new(),
        other: q.other,
        other_value: text_of(c.answers.get(&q.other_key())),
        checked: false,
        labelled: false,
        error: error_of(c.messages, &q.key),
    };
    if let Some((lo, hi)) = q.kind.bounds(q.scale_max) {
        let (low, high) = match q.kind {
            QuestionType::Nps => ("survey-scale-nps-low", "survey-scale-nps-high"),
            QuestionType::Ces => ("survey-scale-ces-low", "survey-scale-ces-high"),
            QuestionType::Csat => ("survey-scale-csat-low", "survey-scale-csat-high"),
            _ => ("survey-scale-rating-low", "survey-scale-rating-high"),
        };
        v.kind = "scale";
        v.options = points(lo, hi, &first, &id);
        v.low = (c.t)(low);
        v.high = (c.t)(high);
        return v;
    }
    match q.kind {
        QuestionType::SingleChoice | QuestionType::MultipleChoice => {
            v.kind = if q.kind == QuestionType::SingleChoice { "single" } else { "multiple" };
            v.options = options(q, &q.choices, lang, &picked, &id);
        }
        QuestionType::Matrix => {
            v.kind = "matrix";
            let (lo, hi) = q.matrix_scale();
            let labels: Vec<String> = q.choices.iter().map(|c| c.label.get(lang).to_string()).collect();
            v.labelled = !labels.is_empty();
            v.rows = q
                .rows
                .iter()
                .map(|r| {
                    let rid = format!("{id}-{}", r.key);
                    let chosen = text_of(c.answers.get(&q.key).and_then(|a| a.get(&r.key)));
                    let mut options = points(lo, hi, &chosen, &rid);
                    for (o, l) in options.iter_mut().zip(&labels) {
                        o.label = l.clone();
                    }
                    if q.not_applicable {
                        options.push(Option_ {
                            value: NOT_APPLICABLE.into(),
                            id: format!("{rid}-{NOT_APPLICABLE}"),
                            label: (c.t)("survey-not-applicable"),
                            checked: chosen == NOT_APPLICABLE,
                        });
                    }
                    RowView {
                        name: format!("{name}.{}", r.key),
                        id: rid,
                        label: r.label.get(lang).to_string(),
                        options,
                        value: String::new(),
                        error: c.messages.get(&format!("answers.{}.{}", q.key, r.key)).cloned(),
                    }
                })
                .collect();
            if labels.is_empty() {
                // The ends of the scale, with their numbers.
                if v.low.is_empty() {
                    v.low = (c.t)("survey-scale-rating-low");
                    v.high = (c.t)("survey-scale-rating-high");
                }
                v.low = format!("{lo} · {}", v.low);
                v.high = format!("{hi} · {}", v.high);
            }
        }
        QuestionType::MultiText => {
            v.kind = "multi_text";
            v.rows = q
                .rows
                .iter()
                .map(|r| RowView {
                    name: format!("{name}.{}", r.key),
                    id: format!("{id}-{}", r.key),
                    label: r.label.get(lang).to_string(),
                    options: Vec::new(),
                    value: text_of(c.answers.get(&q.key).and_then(|a| a.get(&r.key))),
                    error: c.messages.get(&format!("answers.{}.{}", q.key, r.key)).cloned(),
                })
                .collect();
        }
        QuestionType::Ranking => {
            v.kind = "ranking";
            v.rows = (1..=q.choices.len())
                .map(|n| {
                    let at = picked.get(n - 1).cloned().unwrap_or_default();
                    RowView {
                        name: format!("{name}.{n}"),
                        id: format!("{id}-{n}"),
                        label: (c.rank)(n),
                        options: options(q, &q.choices, lang, std::slice::from_ref(&at), &format!("{id}-{n}")),
                        value: String::new(),
                        error: None,
                    }
                })
                .collect();
        }
        QuestionType::Numeric => {
            v.kind = "numeric";
            v.value = first;
            let d = i32::from(q.decimals.unwrap_or(0));
            v.step = if d == 0 { "1".into() } else { format!("{}", 10f64.powi(-d)) };
            v.hint = match (q.min, q.max) {
                (Some(lo), Some(hi)) => format!("{} – {}", number(lo), number(hi)),
                (Some(lo), None) => format!("≥ {}", number(lo)),
                (None, Some(hi)) => format!("≤ {}", number(hi)),
                (None, None) => String::new(),
            };
        }
        QuestionType::Slider => {
            v.kind = "slider";
            let (lo, hi) = (q.min.unwrap_or(0.0), q.max.unwrap_or(100.0));
            v.min = number(lo);
            v.max = number(hi);
            v.step = number(q.slider_step());
            // A range input always has a value: start in the middle, on a step.
            let mid = lo + ((hi - lo) / 2.0 / q.slider_step()).round() * q.slider_step();
            v.value = if first.is_empty() { number(mid) } else { first };
            v.checked = !c.answers.is_empty() && !c.answers.contains_key(&q.key);
        }
        QuestionType::Date => {
            v.kind = "date";
            v.value = first;
        }
        QuestionType::TextBlock => v.kind = "text_block",
        QuestionType::Consent => {
            v.kind = "consent";
            v.checked = c.answers.get(&q.key) == Some(&Json::Bool(true));
        }
        _ => v.value = first,
    }
    v
}

/// The first message on the question or one of its rows.
fn error_of(messages: &BTreeMap<String, String>, key: &str) -> Option<String> {
    let own = format!("answers.{key}");
    let prefix = format!("{own}.");
    messages.iter().find(|(k, _)| **k == own || k.starts_with(&prefix)).map(|(_, m)| m.clone())
}

pub(super) fn form_page(
    r: &Respondent,
    token: &str,
    survey: &Survey,
    status: StatusCode,
    answers: &Map<String, Json>,
    nonce: &str,
    errors: &FieldErrors,
) -> WebResult {
    let lang = r.lang();
    let t = |k: &str| r.state.i18n.t(lang, k, &[]);
    let messages: BTreeMap<String, String> = translate_errors(&r.state, lang, errors);
    let rank = |n: usize| r.state.i18n.t(lang, "survey-rank-place", &[("n", (n as i64).into())]);
    let c = Ctx { lang, t: &t, rank: &rank, answers, messages: &messages };
    let questions: Vec<QuestionView> = survey.visible(answers).map(|q| view(q, &c)).collect();
    let error_count = questions.iter().filter(|q| q.error.is_some()).count();
    let action = match r.query_with(Some(lang)) {
        q if q.is_empty() => format!("/s/{token}"),
        q => format!("/s/{token}?{q}"),
    };
    r.render(
        status,
        "survey/public.html",
        token,
        context! {
            survey_title => survey.title.get(lang),
            intro => survey.intro.get(lang),
            questions => questions,
            nonce => nonce,
            action => action,
            error_count => error_count,
            // Shown again only because answers opened follow-up questions.
            follow_up => errors.is_empty() && !answers.is_empty(),
            survey_js_version => questions.iter().any(|q| q.kind == "slider").then(crate::web::assets::survey_js_version),
        },
    )
}
