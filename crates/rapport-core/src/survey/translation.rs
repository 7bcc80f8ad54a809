//! Spanish texts still to write: every text of a survey whose Spanish is
//! missing, or is still the English one (what an import leaves, since it
//! copies the English into the Spanish so that the survey can be saved).
//!
//! Policy:
//! - a text is compared ignoring case and runs of whitespace; a text
//!   block's HTML is compared as plain text;
//! - a text with no English has nothing to translate;
//! - a number ("10", "4.5") reads the same in both languages and is never
//!   flagged;
//! - a short text of at most [`SHORT`] characters written the same in both
//!   languages ("OK", "No", "TV", a brand) is taken as deliberate; missing,
//!   it is still flagged;
//! - each gap names the text by the path of its field in the API
//!   (`questions[2].choices[1].label`), in the survey's order.

use super::{plain_text, Localized, Question};
use serde::Serialize;

/// Texts this short, identical in both languages, are not flagged.
pub const SHORT: usize = 3;

/// What is wrong with a Spanish text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TranslationGapKind {
    /// No Spanish at all: the public page shows the English.
    Missing,
    /// The Spanish is the English text.
    SameAsEnglish,
}

impl TranslationGapKind {
    pub fn key(self) -> &'static str {
        match self {
            TranslationGapKind::Missing => "missing",
            TranslationGapKind::SameAsEnglish => "same_as_english",
        }
    }
}

/// One text whose Spanish needs writing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TranslationGap {
    /// The field, as the API names it: `title`, `intro`,
    /// `questions[i].text`, `questions[i].choices[j].label`,
    /// `questions[i].rows[j].label`, `questions[i].low_label`,
    /// `questions[i].high_label`.
    pub path: String,
    pub kind: TranslationGapKind,
    /// The English text (plain text for a text block).
    pub english: String,
}

/// Lower case, whitespace runs as one space, trimmed.
fn folded(s: &str) -> String {
    s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ")
}

fn is_number(s: &str) -> bool {
    let s = s.trim().replace(',', ".");
    !s.is_empty() && s.parse::<f64>().is_ok_and(f64::is_finite)
}

/// The gap of one text, if it has one; `html` compares the plain text.
pub fn gap_of(text: &Localized, html: bool) -> Option<TranslationGapKind> {
    let (en, es) = if html { (plain_text(&text.en), plain_text(&text.es)) } else { (text.en.clone(), text.es.clone()) };
    let (en, es) = (folded(&en), folded(&es));
    if en.is_empty() || is_number(&en) {
        return None;
    }
    if es.is_empty() {
        return Some(TranslationGapKind::Missing);
    }
    (es == en && en.chars().count() > SHORT).then_some(TranslationGapKind::SameAsEnglish)
}

/// Every text of a survey whose Spanish is missing or still the English.
pub fn translation_gaps(title: &Localized, intro: &Localized, questions: &[Question]) -> Vec<TranslationGap> {
    let mut out = Vec::new();
    let mut check = |path: String, text: &Localized, html: bool| {
        if let Some(kind) = gap_of(text, html) {
            let english = if html { plain_text(&text.en) } else { text.en.clone() };
            out.push(TranslationGap { path, kind, english: english.trim().to_string() });
        }
    };
    check("title".into(), title, false);
    check("intro".into(), intro, false);
    for (i, q) in questions.iter().enumerate() {
        check(format!("questions[{i}].text"), &q.text, q.kind.is_display());
        for (j, c) in q.choices.iter().enumerate() {
            check(format!("questions[{i}].choices[{j}].label"), &c.label, false);
        }
        for (j, r) in q.rows.iter().enumerate() {
            check(format!("questions[{i}].rows[{j}].label"), &r.label, false);
        }
        if let Some(l) = &q.low_label {
            check(format!("questions[{i}].low_label"), l, false);
        }
        if let Some(l) = &q.high_label {
            check(format!("questions[{i}].high_label"), l, false);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::{Choice, QuestionType};
    use TranslationGapKind::*;

    fn loc(en: &str, es: &str) -> Localized {
        Localized { en: en.into(), es: es.into() }
    }

    fn choice(key: &str, en: &str, es: &str) -> Choice {
        Choice { key: key.into(), label: loc(en, es) }
    }

    #[test]
    fn each_kind_of_text_is_checked() {
        let mut nps = Question::new("nps", QuestionType::Nps, loc("Recommend us?", "¿Nos recomendaría?"));
        nps.required = true;
        let mut why = Question::new("why", QuestionType::SingleChoice, loc("Why?", "Why?"));
        why.choices = vec![
            choice("price", "Price", "Precio"),
            choice("staff", "Staff", "  STAFF "),
            choice("ten", "10", "10"),
            choice("ok", "OK", "OK"),
            choice("tv", "TV", ""),
        ];
        let mut m = Question::new("aspects", QuestionType::Matrix, loc("Rate each", "Valore cada uno"));
        m.rows = vec![choice("speed", "Delivery speed", "Delivery  speed"), choice("fit", "Fit", "Talla")];
        m.low_label = Some(loc("Poor", ""));
        m.high_label = Some(loc("Great", "Genial"));
        let block = Question::new(
            "hello",
            QuestionType::TextBlock,
            loc("<p>Thanks for your <strong>time</strong></p>", "<p>Thanks for your time</p>"),
        );
        let s = translation_gaps(&loc("Visit", "Visit"), &loc("Hello there", ""), &[nps, why, m, block]);
        let got: Vec<(&str, TranslationGapKind)> = s.iter().map(|g| (g.path.as_str(), g.kind)).collect();
        assert_eq!(
            got,
            [
                ("title", SameAsEnglish),
                ("intro", Missing),
                // "Why?" is four characters: flagged.
                ("questions[1].text", SameAsEnglish),
                ("questions[1].choices[1].label", SameAsEnglish),
                // A number and a short word kept as is are not; missing is.
                ("questions[1].choices[4].label", Missing),
                ("questions[2].rows[0].label", SameAsEnglish),
                ("questions[2].low_label", Missing),
                ("questions[3].text", SameAsEnglish),
            ]
        );
        assert_eq!(s[7].english, "Thanks for your time");
        assert_eq!(s[0].english, "Visit");
    }

    #[test]
    fn a_translated_survey_has_no_gaps_and_blank_english_is_not_a_gap() {
        let q = Question::new("q", QuestionType::Text, loc("Anything else?", "¿Algo más?"));
        assert!(translation_gaps(&loc("Shop", "Tienda"), &loc("", ""), &[q]).is_empty());
        assert_eq!(gap_of(&loc("  ", "x"), false), None);
        assert_eq!(gap_of(&loc("3,5", "3,5"), false), None);
        assert_eq!(gap_of(&loc("Café", "café"), false), Some(SameAsEnglish));
        assert_eq!(gap_of(&loc("<p><br></p>", ""), true), None);
    }
}
