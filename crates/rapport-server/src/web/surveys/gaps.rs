//! The builder's warning list of Spanish texts still to write (the core's
//! `survey::translation`), each with a link to its field on the form.
//!
//! The list is of the survey as the form holds it (saved, or as typed when
//! the form comes back), so a text fixed and shown again leaves the list.

use super::fields::questions_of;
use crate::i18n::I18n;
use crate::web::form::FormData;
use fluent_bundle::FluentValue;
use rapport_core::lang::Lang;
use rapport_core::survey::translation::translation_gaps;
use rapport_core::survey::Localized;
use rapport_core::validate::FieldErrors;
use serde::Serialize;
use std::collections::BTreeMap;

/// The English shown beside a gap, at most this many characters.
const SHOWN: usize = 80;

/// One warning line.
#[derive(Debug, Serialize)]
pub(super) struct GapView {
    /// "Question 3 · choice 2".
    pub what: String,
    /// `missing` or `same_as_english`.
    pub kind: &'static str,
    pub english: String,
    /// The id of the field to fix (`f-q2.choices`).
    pub field: String,
}

/// The warnings of the survey in the form's values.
pub(super) fn gaps_of(values: &BTreeMap<String, String>, i18n: &I18n, lang: Lang) -> Vec<GapView> {
    let form = FormData(values.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
    let (questions, used) = questions_of(&form, &mut FieldErrors::new());
    let loc = |k: &str| Localized {
        en: values.get(&format!("{k}_en")).cloned().unwrap_or_default(),
        es: values.get(&format!("{k}_es")).cloned().unwrap_or_default(),
    };
    translation_gaps(&loc("title"), &loc("intro"), &questions)
        .into_iter()
        .map(|g| {
            let (what, field) = place(&g.path, &used, &questions, i18n, lang);
            let english: String = g.english.chars().take(SHOWN).collect();
            let english = if g.english.chars().count() > SHOWN { format!("{english}…") } else { english };
            GapView { what, kind: g.kind.key(), english, field }
        })
        .collect()
}

/// What a path names, in words, and the id of its field on the form.
fn place(
    path: &str,
    used: &[usize],
    questions: &[rapport_core::survey::Question],
    i18n: &I18n,
    lang: Lang,
) -> (String, String) {
    let t = |k: &str, args: &[(&str, FluentValue<'_>)]| i18n.t(lang, k, args);
    match path {
        "title" => return (t("builder-gap-title", &[]), "f-title_es".into()),
        "intro" => return (t("builder-gap-intro", &[]), "f-intro_es".into()),
        _ => {}
    }
    // questions[i].rest
    let parsed = path
        .strip_prefix("questions[")
        .and_then(|t| t.split_once(']'))
        .and_then(|(n, rest)| Some((n.parse::<usize>().ok()?, rest.trim_start_matches('.'))));
    let Some((i, rest)) = parsed else { return (path.to_string(), String::new()) };
    let row = used.get(i).copied().unwrap_or(i);
    let n = |x: usize| FluentValue::from((x + 1) as i64);
    let question = t("survey-question-n", &[("n", n(row))]);
    let item =
        |name: &str| -> Option<usize> { rest.strip_prefix(name)?.strip_prefix('[')?.split(']').next()?.parse().ok() };
    let block = questions.get(i).is_some_and(|q| q.kind.is_display());
    let (detail, field) = if rest == "text" {
        (t("builder-gap-text", &[]), if block { "html_es" } else { "text_es" })
    } else if let Some(j) = item("choices") {
        (t("builder-gap-choice", &[("n", n(j))]), "choices")
    } else if let Some(j) = item("rows") {
        (t("builder-gap-row", &[("n", n(j))]), "rows")
    } else if rest == "low_label" {
        (t("builder-gap-low", &[]), "low_es")
    } else {
        (t("builder-gap-high", &[]), "high_es")
    };
    (format!("{question} · {detail}"), format!("f-q{row}.{field}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_name_the_forms_rows_and_fields() {
        let values: BTreeMap<String, String> = [
            ("title_en", "Visit"),
            ("title_es", "Visita"),
            ("q2.key", "why"),
            ("q2.type", "single_choice"),
            ("q2.text_en", "Why did you come?"),
            ("q2.text_es", "Why did you come?"),
            ("q2.choices", "price=Price|Precio\nstaff=Staff|"),
            ("q3.key", "hi"),
            ("q3.type", "text_block"),
            ("q3.html_en", "<p>Hello there</p>"),
            ("rows", "4"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let i18n = I18n::new();
        let gaps = gaps_of(&values, &i18n, Lang::Es);
        let got: Vec<(&str, &str)> = gaps.iter().map(|g| (g.field.as_str(), g.kind)).collect();
        assert_eq!(
            got,
            [("f-q2.text_es", "same_as_english"), ("f-q2.choices", "missing"), ("f-q3.html_es", "missing")]
        );
        assert!(gaps[1].what.contains('3') && gaps[1].what.contains('2'), "{}", gaps[1].what);
        assert_eq!(gaps[2].english, "Hello there");
    }
}
