//! A response's answers as people read them: each question's text in the
//! page's language and the chosen option's label, not the stored keys; a
//! matrix or a set of short texts as one line per row; a ranking in order.
//! Questions come in the survey's order, answers to questions no longer in
//! the survey last, under their keys.

use rapport_core::lang::Lang;
use rapport_core::survey::{Choice, Question, QuestionType, Survey, NOT_APPLICABLE, OTHER};
use serde_json::{Map, Value};

/// A stored value as text: strings as they are, lists joined by commas.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(value_text).collect::<Vec<_>>().join(", "),
        Value::Bool(true) => "✓".into(),
        Value::Bool(false) => "✗".into(),
        v => v.to_string(),
    }
}

fn label_of(choices: &[Choice], key: &str, lang: Lang) -> Option<String> {
    choices.iter().find(|c| c.key == key).map(|c| c.label.get(lang).to_string())
}

/// A choice key as its label; "other" as what was typed for it.
fn choice_text(q: &Question, v: &Value, other: Option<&Value>, lang: Lang) -> String {
    let one = |x: &Value| match x.as_str() {
        Some(OTHER) if q.other => other.map(value_text).unwrap_or_else(|| OTHER.into()),
        Some(k) => label_of(&q.choices, k, lang).unwrap_or_else(|| k.to_string()),
        None => value_text(x),
    };
    match v {
        Value::Array(a) => a.iter().map(one).collect::<Vec<_>>().join(", "),
        v => one(v),
    }
}

/// One question's answer as (label, text) lines.
fn lines(q: &Question, v: &Value, answers: &Map<String, Value>, lang: Lang) -> Vec<(String, String)> {
    let text = q.text.get(lang).to_string();
    match q.kind {
        QuestionType::Matrix | QuestionType::MultiText => q
            .rows
            .iter()
            .filter_map(|r| {
                let a = v.get(&r.key)?;
                let shown = match a {
                    Value::String(s) if q.kind == QuestionType::Matrix && s == NOT_APPLICABLE => "N/A".to_string(),
                    Value::Number(n) if q.kind == QuestionType::Matrix && !q.choices.is_empty() => {
                        let (lo, _) = q.matrix_scale();
                        let at = n.as_i64().map(|p| p - lo).and_then(|i| usize::try_from(i).ok());
                        match at.and_then(|i| q.choices.get(i)) {
                            Some(c) => format!("{n} · {}", c.label.get(lang)),
                            None => n.to_string(),
                        }
                    }
                    a => value_text(a),
                };
                Some((format!("{text}: {}", r.label.get(lang)), shown))
            })
            .collect(),
        QuestionType::Ranking => {
            let items: Vec<String> = v
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, k)| format!("{}. {}", i + 1, choice_text(q, k, None, lang)))
                .collect();
            vec![(text, items.join(", "))]
        }
        QuestionType::SingleChoice | QuestionType::MultipleChoice => {
            vec![(text, choice_text(q, v, answers.get(&q.other_key()), lang))]
        }
        _ => vec![(text, value_text(v))],
    }
}

/// (question text, answer) pairs of `answers` to `survey` (keys shown as
/// they are when the survey or question is gone).
pub fn answer_pairs(survey: Option<&Survey>, answers: &Map<String, Value>, lang: Lang) -> Vec<(String, String)> {
    let questions = survey.map_or(&[][..], |s| s.questions.as_slice());
    let mut out: Vec<(String, String)> = Vec::new();
    for q in questions {
        if let Some(v) = answers.get(&q.key) {
            out.extend(lines(q, v, answers, lang));
        }
    }
    // Keys the survey does not (or no longer) ask, and "other" texts whose
    // question shows them already.
    let shown = |k: &str| {
        questions.iter().any(|q| q.key == k || (q.other && answers.contains_key(&q.key) && q.other_key() == k))
    };
    out.extend(answers.iter().filter(|(k, _)| !shown(k)).map(|(k, v)| (k.clone(), value_text(v))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_core::survey::{Localized, SurveyStatus};
    use serde_json::json;

    fn l(en: &str, es: &str) -> Localized {
        Localized { en: en.into(), es: es.into() }
    }

    #[test]
    fn every_type_reads_as_lines_in_the_survey_order() {
        let c = |k: &str, en: &str, es: &str| Choice { key: k.into(), label: l(en, es) };
        let mut matrix = Question::new("aspects", QuestionType::Matrix, l("Rate", "Valore"));
        matrix.rows = vec![c("staff", "Staff", "Personal"), c("price", "Price", "Precio")];
        matrix.choices = vec![c("bad", "Bad", "Mal"), c("ok", "OK", "Bien"), c("good", "Good", "Muy bien")];
        matrix.scale_min = Some(1);
        let mut rank = Question::new("order", QuestionType::Ranking, l("Order", "Orden"));
        rank.choices = vec![c("a", "Speed", "Rapidez"), c("b", "Price", "Precio")];
        let mut heard = Question::new("heard", QuestionType::SingleChoice, l("Heard", "Conoció"));
        heard.choices = vec![c("friend", "Friend", "Amigo")];
        heard.other = true;
        let consent = Question::new("agree", QuestionType::Consent, l("Agree", "Acepto"));
        let survey = Survey {
            id: 1,
            touchpoint_id: 1,
            title: l("T", "T"),
            intro: Localized::default(),
            questions: vec![matrix, rank, heard, consent],
            fatigue_days: 0,
            status: SurveyStatus::Published,
            token: "t".into(),
            created_at: chrono::Utc::now(),
        };
        let a = json!({"agree": true, "aspects": {"staff": 3, "price": "na"}, "heard": "other",
                       "heard.other": "Radio", "order": ["b", "a"], "gone": 4});
        let got = answer_pairs(Some(&survey), a.as_object().unwrap(), Lang::Es);
        let want = [
            ("Valore: Personal", "3 · Muy bien"),
            ("Valore: Precio", "N/A"),
            ("Orden", "1. Precio, 2. Rapidez"),
            ("Conoció", "Radio"),
            ("Acepto", "✓"),
            ("gone", "4"),
        ];
        let want: Vec<(String, String)> = want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(got, want);
    }
}
