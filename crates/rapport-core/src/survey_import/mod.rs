//! Importing surveys from other tools (B7): Qualtrics QSF, SurveyJS JSON and
//! LimeSurvey LSS.
//!
//! [`import`] reads a file's text and returns the questions Rapport can ask,
//! with their English and Spanish wording, plus a report of everything it did
//! not take over ([`Skipped`]): nothing is dropped silently. The caller attaches
//! a touchpoint ([`Imported::draft`]) and validates the result like any other
//! [`SurveyDraft`]; the import itself never fails because of one odd question,
//! only when the file is not a survey of the stated format at all.
//!
//! # Common rules
//! - Question keys come from the file's own names (QSF `DataExportTag`,
//!   SurveyJS `name`, LimeSurvey question code): lower-cased, accents folded,
//!   anything outside a-z0-9 turned into `_`, cut to 40 characters, and made
//!   unique with `_2`, `_3`... Choice keys come from the choice values (SurveyJS
//!   `value`, LimeSurvey answer code) or, for QSF whose choice ids are bare
//!   numbers, from the English label.
//! - Texts: English is the English text, else the file's main-language text;
//!   Spanish is the Spanish translation (any `es`/`es-XX` code, plain `es`
//!   preferred), else the main text when the file's main language is Spanish,
//!   else empty (the product then shows English). QSF and LimeSurvey texts are
//!   HTML: tags are stripped and entities decoded.
//! - Scales: 0-10 becomes NPS; 1..N with N from 3 to 10 becomes a rating with
//!   `scale_max` N. CSAT and CES are never guessed: a 1-5 scale imports as a
//!   rating of 5, which the builder can change.
//! - A question the file leaves without text takes one from its key ("Q1
//!   price"); a choice question with a single choice becomes a consent; one
//!   without choices of its own (carried forward, computed) is reported.
//! - Limits: what a survey cannot hold is reported, never the reason to
//!   refuse a file: questions past the 300th, a question whose validation
//!   fails (the validation's reason is the report's). Question texts are cut at
//!   5,000 characters and text blocks at 20,000; a welcome text over 2,000
//!   characters becomes the first text block. A file without a title takes
//!   "Imported survey" / "Encuesta importada".
//! - Conditions become `show_if` when Rapport can express them: one
//!   comparison (numbers compared, choices equal or not, answered), "any of"
//!   choices, two comparisons joined by and/or, and comparisons on one row of
//!   a matrix (`key.row`). Otherwise the question is imported without its
//!   condition and the report says so.
//! - [`Imported::counts`] says how many questions the file had (text blocks
//!   included; the trash, hidden and calculated elements not) and how many
//!   were imported as an equivalent question (nothing of them left out).
//!
//! # Qualtrics QSF
//! | QSF (`QuestionType`/`Selector`) | Rapport |
//! | --- | --- |
//! | `MC`/`NPS` (or `NPS`) | nps |
//! | `MC`/`SAVR` `SAHR` `SACOL` `DL` `SB` (or sub-selector `SingleAnswer`) | single_choice |
//! | `MC`/`MAVR` `MAHR` `MACOL` `MSB` (or sub-selector `MultipleAnswer`) | multiple_choice |
//! | a last choice with a text box (`TextEntry`) | `other: true` |
//! | `TE`/`SL` `ML` `ESTB` | text |
//! | `TE`/`FORM` | multi_text |
//! | `RO` | ranking |
//! | `DB` | text_block (its HTML) |
//! | `Slider`/`STAR` with 3-10 stars | a rating per statement |
//! | other `Slider`s | a slider per statement (min, max; step from `NumDecimals`) |
//! | `Matrix`/`Likert` single answer, `Matrix`/`Bipolar`, 2-10 scale points | matrix |
//! | `Matrix`/`Likert` multiple answer | a multiple_choice per statement |
//! | `Timing`, `Meta` | reported, not counted: recorded, never asked |
//! | anything else (`SBS`, `CS`, `HotSpot`, `FileUpload`, `Draw`...) | reported |
//!
//! Order follows the survey flow (`FL`) through the blocks (`BL`); questions in
//! the trash or in blocks outside the flow are reported but not counted as
//! lost, questions inside a flow branch are imported without the branch
//! condition (reported). Title: `SurveyEntry.SurveyName`; the main language is
//! `SurveyEntry.SurveyLanguage`; translations come from each question's
//! `Language` blocks (`QuestionText`, `Choices`, `Answers`). Required:
//! `Validation.Settings.ForceResponse` `ON`. Display logic whose expressions
//! (joined by their `Conjuction`) Rapport can express becomes `show_if`;
//! other display logic and skip logic are reported.
//!
//! # SurveyJS JSON
//! | SurveyJS `type` | Rapport |
//! | --- | --- |
//! | `rating` 0-10 | nps |
//! | `rating` 1..N, N from 3 to 10 | rating N (`csat`/`ces` with `rapportType`) |
//! | other numeric `rating`s | slider |
//! | `rating` with `rateValues` that are labels | single_choice |
//! | `radiogroup`, `dropdown` | single_choice |
//! | `checkbox`, `tagbox` | multiple_choice |
//! | `showOtherItem`/`hasOther` | `other: true` |
//! | `ranking` | ranking |
//! | `boolean` | single_choice `yes`/`no` (`labelTrue`/`labelFalse`); with `renderAs: checkbox`, consent |
//! | `text`, `comment` | text; `inputType` `number` numeric, `range` slider, `date` date |
//! | `multipletext` | multi_text |
//! | `matrix`; `matrixdropdown` with one choice column | matrix (a column valued `na` is "not applicable") |
//! | `html` | text_block |
//! | `panel` | its elements, in place |
//! | `expression`, `image`, `visible: false` | reported, not counted: not questions |
//! | `matrixdynamic`, `paneldynamic`, `file`, `signaturepad`, `imagepicker`... | reported |
//!
//! Elements come from the top-level `elements`/`questions` and from each of
//! `pages[]`. Strings may be plain or `{"default": ..., "en": ..., "es": ...}`;
//! `default` is in the survey's `locale` (English unless it says otherwise).
//! Title and intro: the survey's `title` (else the first page's) and
//! `description`. `isRequired` maps to required. `visibleIf` of comparisons
//! (`{q} = 5`, `{q} <= 6`, `{q} != 'x'`, `{q} contains 'x'`, `{q} anyof ['a',
//! 'b']`, `{q} notempty`, `{m.row} >= 4`) joined by and/or becomes `show_if`
//! as far as Rapport can express it; the rest is reported. A page's or
//! panel's `visibleIf` applies to the questions in it that have none of
//! their own. `requiredIf`, validators, and the "None", "Select all" and
//! comment extras are reported. Choices loaded from a URL or another question
//! are reported. [`crate::survey_export`] writes this format back.
//!
//! # LimeSurvey LSS
//! | LimeSurvey `type` | Rapport |
//! | --- | --- |
//! | `L` list (radio), `!` list (dropdown), `O` list with comment | single_choice (answer options) |
//! | `M` multiple choice, `P` with comments | multiple_choice (subquestions) |
//! | "Other" option on `L`, `!`, `M`, `P` | `other: true` |
//! | `Y` yes/no | single_choice `yes`/`no` |
//! | `G` gender | single_choice `female`/`male` |
//! | `S`, `T`, `U` short/long/huge free text | text |
//! | `5` five-point choice | rating 5 |
//! | `N` numerical input | numeric (min/max attributes; whole numbers when `num_value_int_only`) |
//! | `K` multiple numerical input | a numeric per field |
//! | `Q` multiple short text | multi_text |
//! | `R` ranking | ranking |
//! | `D` date | date |
//! | `X` text display | text_block (its HTML) |
//! | arrays `F`, `H`, `A` (1-5), `B` (1-10), `C` (yes/uncertain/no), `E` (increase/same/decrease), `1` dual scale with one scale | matrix |
//! | `*` equation, `I` language switch, hidden (`hidden` attribute, relevance `0`) | reported, not counted: not asked |
//! | `1` with two scales, `:` array of numbers, `;` array of texts, `|` file upload | reported |
//!
//! Both the LimeSurvey 4+ layout (`question_l10ns`, `answer_l10ns`) and the
//! older one (a `language` column in each row) are read. Order: groups by
//! `group_order`, then `question_order`. Title and intro: the
//! `surveys_languagesettings` title and description (else welcome text);
//! the main language is the survey's `language`. `mandatory` `Y` is required.
//! A `relevance` of comparisons (`Q1.NAOK <= 6`, `((Q2.NAOK == "A1"))`,
//! `!is_empty(Q3)`, `Q4_SQ001.NAOK == "A2"` on a row) joined by and/or
//! becomes `show_if` as far as Rapport can express it; other relevance
//! equations and comment boxes are reported.

mod build;
mod logic;
mod lss;
mod qsf;
mod surveyjs;

use crate::lang::Lang;
use crate::segment::scalar_text;
use crate::survey::{plain_text as plain, Choice, ConditionOp, Localized, Question, QuestionType, SurveyDraft};
use crate::Id;
use build::Builder;
#[cfg(test)]
use build::Keys;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Spanish missing from the file starts as the English.
fn fill(l: &mut Localized) {
    if l.es.trim().is_empty() {
        l.es = l.en.clone();
    }
}

fn fill_question(q: &mut Question) {
    fill(&mut q.text);
    q.choices.iter_mut().chain(q.rows.iter_mut()).for_each(|c| fill(&mut c.label));
    q.low_label.iter_mut().chain(q.high_label.iter_mut()).for_each(fill);
}

/// The file formats surveys are imported from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Qualtrics survey export (`.qsf`, JSON).
    Qsf,
    /// SurveyJS survey definition (JSON).
    SurveyJs,
    /// LimeSurvey survey structure export (`.lss`, XML).
    Lss,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Qsf, Format::SurveyJs, Format::Lss];

    /// The name used in the API and the CLI: `qsf`, `surveyjs`, `lss`.
    pub fn key(self) -> &'static str {
        match self {
            Format::Qsf => "qsf",
            Format::SurveyJs => "surveyjs",
            Format::Lss => "lss",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        let s = s.trim().to_ascii_lowercase();
        Format::ALL.into_iter().find(|f| f.key() == s)
    }

    /// A human name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Qsf => "Qualtrics QSF",
            Format::SurveyJs => "SurveyJS JSON",
            Format::Lss => "LimeSurvey LSS",
        }
    }

    /// Recognises a file by its content: LimeSurvey's XML document, a QSF's
    /// `SurveyEntry`/`SurveyElements`, or a SurveyJS object with `pages`,
    /// `elements` or `questions`.
    pub fn detect(source: &str) -> Option<Format> {
        let s = source.trim_start_matches('\u{feff}').trim_start();
        if s.starts_with('<') {
            let lime = s.contains("<LimeSurveyDocType>") || (s.contains("<document") && s.contains("<questions>"));
            return lime.then_some(Format::Lss);
        }
        let Ok(Value::Object(o)) = serde_json::from_str::<Value>(s) else { return None };
        if o.contains_key("SurveyElements") || o.contains_key("SurveyEntry") {
            Some(Format::Qsf)
        } else if ["pages", "elements", "questions"].iter().any(|k| o.contains_key(*k)) {
            Some(Format::SurveyJs)
        } else {
            None
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Something in the file that was not imported, or not entirely.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Skipped {
    /// Its id or name in the source file.
    pub element: String,
    /// Its type in the source file.
    pub kind: String,
    /// Why it was not imported, in English.
    pub reason: String,
}

/// The result of an import: a survey draft without a touchpoint, and the report.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Imported {
    pub title: Localized,
    pub intro: Localized,
    pub questions: Vec<Question>,
    /// What was left out, in the order met in the file.
    pub report: Vec<Skipped>,
    /// How much of the file was kept.
    #[serde(default)]
    pub counts: Counts,
}

/// Questions of the file (text blocks included; the trash, hidden and
/// calculated elements not) and how many were imported as an equivalent
/// question: nothing of them (condition, comment box) left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    pub in_file: usize,
    pub kept: usize,
}

impl Imported {
    /// A draft for the given touchpoint, ready for [`SurveyDraft::validate`]:
    /// wording the file has only in English is used for Spanish too, to be
    /// translated in the builder.
    pub fn draft(&self, touchpoint_id: Id) -> SurveyDraft {
        let mut draft = SurveyDraft {
            touchpoint_id: Some(touchpoint_id),
            title: Some(self.title.clone()),
            intro: Some(self.intro.clone()),
            questions: self.questions.clone(),
            fatigue_days: None,
        };
        draft.title.iter_mut().chain(draft.intro.iter_mut()).for_each(fill);
        draft.questions.iter_mut().for_each(fill_question);
        draft
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The text is not JSON or XML at all.
    #[error("this is not a valid {format} file: {detail}")]
    Syntax { format: Format, detail: String },
    /// Well-formed, but not a survey of that format.
    #[error("this is not a {format} survey: {detail}")]
    NotASurvey { format: Format, detail: String },
    /// [`import_any`] could not tell the format.
    #[error(
        "the file's format was not recognised: expected a Qualtrics .qsf, a SurveyJS .json or a LimeSurvey .lss survey"
    )]
    UnknownFormat,
}

impl ImportError {
    fn syntax(format: Format, detail: impl std::fmt::Display) -> Self {
        ImportError::Syntax { format, detail: detail.to_string() }
    }
    fn not_a_survey(format: Format, detail: impl Into<String>) -> Self {
        ImportError::NotASurvey { format, detail: detail.into() }
    }
}

/// Imports a survey file of the given format.
pub fn import(format: Format, source: &str) -> Result<Imported, ImportError> {
    let source = source.trim_start_matches('\u{feff}');
    match format {
        Format::Qsf => qsf::import(source),
        Format::SurveyJs => surveyjs::import(source),
        Format::Lss => lss::import(source),
    }
}

/// Imports a survey file whose format is recognised by [`Format::detect`].
pub fn import_any(source: &str) -> Result<(Format, Imported), ImportError> {
    let format = Format::detect(source).ok_or(ImportError::UnknownFormat)?;
    Ok((format, import(format, source)?))
}

/// Parses JSON, mapping a syntax error to [`ImportError::Syntax`].
fn parse_json(format: Format, source: &str) -> Result<serde_json::Map<String, Value>, ImportError> {
    match serde_json::from_str::<Value>(source) {
        Ok(Value::Object(o)) => Ok(o),
        Ok(_) => Err(ImportError::not_a_survey(format, "the file is JSON but not an object")),
        Err(e) => Err(ImportError::syntax(format, e)),
    }
}

/// English and Spanish from a text in the file's main language (`None`: a
/// language other than ours) and its translations by language code.
fn localize<'a>(
    main: &str,
    main_lang: Option<Lang>,
    translations: impl IntoIterator<Item = (&'a str, String)>,
) -> Localized {
    // Per language: (the code was exactly "en"/"es", text).
    let mut best: [Option<(bool, String)>; 2] = [None, None];
    for (code, text) in translations {
        let Some(lang) = Lang::parse(code) else { continue };
        if text.trim().is_empty() {
            continue;
        }
        let exact = code.trim().eq_ignore_ascii_case(lang.code());
        let slot = &mut best[lang as usize];
        if slot.as_ref().is_none_or(|(was_exact, _)| exact && !was_exact) {
            *slot = Some((exact, text.trim().to_string()));
        }
    }
    let [en, es] = best.map(|b| b.map(|(_, t)| t));
    let main = main.trim();
    let own = |lang| (main_lang == Some(lang) && !main.is_empty()).then(|| main.to_string());
    Localized {
        en: own(Lang::En).or(en).unwrap_or_else(|| main.to_string()),
        es: own(Lang::Es).or(es).unwrap_or_default(),
    }
}

/// NPS for a 0-10 scale, a rating for 1..N with N from 3 to 10.
fn scale(min: f64, max: f64) -> Option<(QuestionType, Option<i64>)> {
    match (min, max) {
        (0.0, 10.0) => Some((QuestionType::Nps, None)),
        (1.0, n) if n.fract() == 0.0 && (3.0..=10.0).contains(&n) => Some((QuestionType::Rating, Some(n as i64))),
        _ => None,
    }
}

fn scale_reason(min: f64, max: f64) -> String {
    format!("a scale from {min} to {max} has no Rapport equivalent (NPS is 0 to 10, ratings run from 1 to 3..10)")
}

/// The right side of a condition, as written in the source.
#[derive(Debug, Clone, PartialEq)]
enum Operand {
    None,
    Num(f64),
    Text(String),
    Bool(bool),
    /// Several values (`anyof ['a', 'b']`).
    List(Vec<Operand>),
}

impl Operand {
    fn text(&self) -> Option<String> {
        match self {
            Operand::None => None,
            Operand::Num(n) if n.fract() == 0.0 => Some(format!("{}", *n as i64)),
            Operand::Num(n) => Some(n.to_string()),
            Operand::Text(s) => Some(s.clone()),
            Operand::Bool(b) => Some(b.to_string()),
            Operand::List(_) => None,
        }
    }
}

/// A literal of a condition: a number, a quoted string, or true/false.
fn literal(s: &str) -> Option<Operand> {
    let s = s.trim();
    if let Some(inner) = s.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        let items: Option<Vec<Operand>> = inner.split(',').map(literal).collect();
        return items.filter(|i| !i.is_empty()).map(Operand::List);
    }
    for q in ['\'', '"'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return (!inner.contains(q)).then(|| Operand::Text(inner.to_string()));
        }
    }
    match s {
        "true" => Some(Operand::Bool(true)),
        "false" => Some(Operand::Bool(false)),
        _ => s.parse::<f64>().ok().filter(|n| n.is_finite()).map(Operand::Num),
    }
}

/// Splits `left OP right` at its first comparison operator (outside quotes).
fn comparison(s: &str) -> Option<(&str, ConditionOp, &str)> {
    const OPS: &[(&str, ConditionOp)] = &[
        ("<=", ConditionOp::Lte),
        (">=", ConditionOp::Gte),
        ("!=", ConditionOp::Ne),
        ("<>", ConditionOp::Ne),
        ("==", ConditionOp::Eq),
        ("=", ConditionOp::Eq),
        ("<", ConditionOp::Lt),
        (">", ConditionOp::Gt),
    ];
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '<' | '>' | '=' | '!') => {
                let (token, op) = OPS.iter().find(|(t, _)| s[i..].starts_with(t))?;
                return Some((s[..i].trim(), *op, s[i + token.len()..].trim()));
            }
            _ => {}
        }
    }
    None
}

/// A question of the given type with no choices, scale or condition yet.
fn question(key: String, kind: QuestionType, text: Localized, required: bool) -> Question {
    Question { required, ..Question::new(&key, kind, text) }
}

/// Choices from `(source value, key hint, label)`, keyed from the hint (else
/// `choice_N`) and unique, with the value → key map conditions need.
fn choices(items: Vec<(String, String, Localized)>) -> (Vec<Choice>, Vec<(String, String)>) {
    build::keyed(items)
}

/// A question's text followed by a statement (a matrix row, a lone choice);
/// Spanish only when both parts have it.
fn join(question: &Localized, statement: &Localized) -> Localized {
    let both = |q: &str, s: &str| match (q.is_empty(), s.is_empty()) {
        (_, true) => q.to_string(),
        (true, false) => s.to_string(),
        _ => format!("{q} — {s}"),
    };
    let es_complete =
        (question.en.is_empty() || !question.es.is_empty()) && (statement.en.is_empty() || !statement.es.is_empty());
    Localized {
        en: both(&question.en, &statement.en),
        es: if es_complete { both(&question.es, &statement.es) } else { String::new() },
    }
}

/// The yes/no choices of a boolean question, with the source values of each.
fn yes_no(
    yes: Localized,
    no: Localized,
    yes_values: &[&str],
    no_values: &[&str],
) -> (Vec<Choice>, Vec<(String, String)>) {
    let or = |l: Localized, en: &str, es: &str| {
        if l.en.is_empty() {
            Localized { en: en.into(), es: es.into() }
        } else {
            l
        }
    };
    let choices = vec![
        Choice { key: "yes".into(), label: or(yes, "Yes", "Sí") },
        Choice { key: "no".into(), label: or(no, "No", "No") },
    ];
    let values = yes_values
        .iter()
        .map(|v| (v.to_string(), "yes".to_string()))
        .chain(no_values.iter().map(|v| (v.to_string(), "no".to_string())))
        .collect();
    (choices, values)
}

/// Builders of expected values for the format tests.
#[cfg(test)]
mod expect {
    use super::Skipped;
    use crate::survey::{Choice, ConditionOp, Localized, Question, QuestionType, ShowIf, SurveyDraft};
    use serde_json::Value;

    pub fn l(en: &str, es: &str) -> Localized {
        Localized { en: en.into(), es: es.into() }
    }

    pub fn q(key: &str, kind: QuestionType, en: &str, es: &str) -> Question {
        super::question(key.into(), kind, l(en, es), false)
    }

    pub fn required(mut q: Question) -> Question {
        q.required = true;
        q
    }

    pub fn rating(key: &str, max: i64, en: &str, es: &str) -> Question {
        let mut q = q(key, QuestionType::Rating, en, es);
        q.scale_max = Some(max);
        q
    }

    pub fn with_choices(mut q: Question, choices: &[(&str, &str, &str)]) -> Question {
        q.choices = choices.iter().map(|(key, en, es)| Choice { key: (*key).into(), label: l(en, es) }).collect();
        q
    }

    pub fn with_other(mut q: Question) -> Question {
        q.other = true;
        q
    }

    pub fn shown_if(mut q: Question, question: &str, op: ConditionOp, value: Value) -> Question {
        q.show_if = Some(ShowIf::new(question, op, value));
        q
    }

    pub fn skipped(element: &str, kind: &str, reason: &str) -> Skipped {
        Skipped { element: element.into(), kind: kind.into(), reason: reason.into() }
    }

    /// Asserts question by question, for readable failures, then the whole list.
    pub fn questions(got: &[Question], want: &[Question]) {
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert_eq!(g, w, "question {i}");
        }
        assert_eq!(got, want);
    }

    /// The questions of `got` with the keys of `want`, compared with `want`;
    /// then every question's key and type against `kinds`.
    pub fn among(got: &[Question], want: &[Question], kinds: &[(&str, QuestionType)]) {
        let picked: Vec<Question> = got.iter().filter(|g| want.iter().any(|w| w.key == g.key)).cloned().collect();
        questions(&picked, want);
        let all: Vec<(&str, QuestionType)> = got.iter().map(|q| (q.key.as_str(), q.kind)).collect();
        assert_eq!(all, kinds);
    }

    pub fn report(got: &[Skipped], want: &[Skipped]) {
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert_eq!(g, w, "report entry {i}");
        }
        assert_eq!(got, want);
    }

    /// Validates a draft and fails with the field errors if it is not valid.
    pub fn valid(draft: SurveyDraft) {
        if let Err(e) = draft.validate() {
            panic!("the imported survey does not validate: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_slugs_made_unique() {
        let mut k = Keys::default();
        assert_eq!(k.unique("Q1.2", "x"), "q1_2");
        assert_eq!(k.unique("  ¿Cuál es tu opinión?  ", "x"), "cual_es_tu_opinion");
        assert_eq!(k.unique("q1_2", "x"), "q1_2_2");
        assert_eq!(k.unique("Q1-2", "x"), "q1_2_3");
        assert_eq!(k.unique("***", "Choice 4"), "choice_4");
        assert_eq!(k.unique("", ""), "q");
        let long = "a".repeat(50);
        assert_eq!(k.unique(&long, "x"), "a".repeat(40));
        assert_eq!(k.unique(&long, "x"), format!("{}_2", "a".repeat(38)));
        assert!(k.taken.iter().all(|key| crate::survey::is_key(key)), "{:?}", k.taken);
    }

    #[test]
    fn many_same_named_questions_get_keys_quickly() {
        // Each key used to be found by trying `_2`, `_3`... against every key
        // handed out: cubic, 16 s of CPU for a 100 kB file of 4,000 questions.
        let n = 3000;
        let elements: Vec<String> = (0..n).map(|_| r#"{"type": "text", "name": "q"}"#.to_string()).collect();
        let source = format!(r#"{{"elements": [{}]}}"#, elements.join(","));
        let keys: Vec<String> =
            import(Format::SurveyJs, &source).unwrap().questions.into_iter().map(|q| q.key).collect();
        // A survey holds at most 300 questions; the rest are reported.
        assert_eq!(keys.len(), 300);
        assert_eq!((keys[0].as_str(), keys[1].as_str(), keys[299].as_str()), ("q", "q_2", "q_300"));
        let distinct: std::collections::HashSet<&String> = keys.iter().collect();
        assert_eq!(distinct.len(), 300);
        let mut k = Keys::default();
        assert_eq!(k.unique("a_2", "x"), "a_2");
        assert_eq!(k.unique("a", "x"), "a");
        assert_eq!(k.unique("a", "x"), "a_3", "a_2 was taken by another question");
        assert_eq!(k.unique("a_4", "x"), "a_4");
        assert_eq!(k.unique("a", "x"), "a_5");
    }

    #[test]
    fn html_becomes_plain_text() {
        assert_eq!(plain("<p>How <b>likely</b>&nbsp;are you?</p>"), "How likely are you?");
        assert_eq!(plain("Line one<br/>line two"), "Line one line two");
        assert_eq!(plain("&iquest;Qu&eacute; tan probable?&#33; &#x41;"), "¿Qué tan probable?! A");
        assert_eq!(plain("1 < 2 & 3 > 2 &unknown; &"), "1 < 2 & 3 > 2 &unknown; &");
        assert_eq!(plain("<div style=\"x\">\n  Spaced\t out </div>"), "Spaced out");
    }

    #[test]
    fn english_and_spanish_are_picked() {
        let t = |pairs: &[(&'static str, &str)]| pairs.iter().map(|(c, t)| (*c, t.to_string())).collect::<Vec<_>>();
        let l = |en: &str, es: &str| Localized { en: en.into(), es: es.into() };
        assert_eq!(localize("Hi", Some(Lang::En), t(&[("ES-ES", "Hola (es)"), ("ES", "Hola")])), l("Hi", "Hola"));
        assert_eq!(localize("Hi", Some(Lang::En), t(&[("es-MX", "Qué onda")])), l("Hi", "Qué onda"));
        assert_eq!(localize("Hi", Some(Lang::En), t(&[("de", "Hallo")])), l("Hi", ""));
        // A Spanish main text is the Spanish one; with no English, English falls back to it.
        assert_eq!(localize("Hola", Some(Lang::Es), t(&[])), l("Hola", "Hola"));
        assert_eq!(localize("Hola", Some(Lang::Es), t(&[("en", "Hello")])), l("Hello", "Hola"));
        // Another main language: English from its translation.
        assert_eq!(localize("Hallo", None, t(&[("en", "Hello"), ("es", " ")])), l("Hello", ""));
        assert_eq!(localize("", Some(Lang::En), t(&[("en", "Hello")])), l("Hello", ""));
    }

    #[test]
    fn scales() {
        assert_eq!(scale(0.0, 10.0), Some((QuestionType::Nps, None)));
        assert_eq!(scale(1.0, 5.0), Some((QuestionType::Rating, Some(5))));
        assert_eq!(scale(1.0, 10.0), Some((QuestionType::Rating, Some(10))));
        for (lo, hi) in [(0.0, 5.0), (1.0, 2.0), (1.0, 11.0), (1.0, 4.5), (-5.0, 5.0)] {
            assert_eq!(scale(lo, hi), None, "{lo}..{hi}");
        }
    }

    #[test]
    fn literals_and_comparisons() {
        assert_eq!(literal(" 6 "), Some(Operand::Num(6.0)));
        assert_eq!(literal("'web site'"), Some(Operand::Text("web site".into())));
        assert_eq!(literal("\"A1\""), Some(Operand::Text("A1".into())));
        assert_eq!(literal("true"), Some(Operand::Bool(true)));
        assert_eq!(literal("'a' or 'b'"), None);
        assert_eq!(literal("x"), None);
        assert_eq!(comparison("{nps} <= 6"), Some(("{nps}", ConditionOp::Lte, "6")));
        assert_eq!(comparison("Q1.NAOK == \"A<1\""), Some(("Q1.NAOK", ConditionOp::Eq, "\"A<1\"")));
        assert_eq!(comparison("{a} <> 'x'"), Some(("{a}", ConditionOp::Ne, "'x'")));
        assert_eq!(comparison("{a} notempty"), None);
        assert_eq!(Operand::Num(3.0).text().as_deref(), Some("3"));
    }

    #[test]
    fn conditions_follow_the_target_type() {
        let mut b = Builder::default();
        let l = Localized::default();
        b.push(question("nps".into(), QuestionType::Nps, l.clone(), false), "Q1", "Q1", "t", vec![]);
        let mut one = question("plan".into(), QuestionType::SingleChoice, l.clone(), false);
        one.choices = choices(vec![("A1".into(), "A1".into(), l.clone())]).0;
        b.push(one, "Q2", "Q2", "t", vec![("A1".into(), "a1".into())]);
        b.push(
            question("many".into(), QuestionType::MultipleChoice, l.clone(), false),
            "Q3",
            "Q3",
            "t",
            vec![("x".into(), "x".into())],
        );
        b.push(question("why".into(), QuestionType::Text, l, false), "Q4", "Q4", "t", vec![]);
        let c = |t: &str, op, v: Operand| b.condition(t, op, &v).map(|s| (s.question, s.op, s.value));
        use ConditionOp::*;
        assert_eq!(c("Q1", Lte, Operand::Text("6".into())), Some(("nps".into(), Lte, Value::from(6))));
        assert_eq!(c("Q1", Eq, Operand::Text("x".into())), None);
        assert_eq!(c("Q2", Eq, Operand::Text("A1".into())), Some(("plan".into(), Eq, Value::from("a1"))));
        assert_eq!(c("Q2", Eq, Operand::Text("A9".into())), None, "unknown choice");
        assert_eq!(c("Q2", Gt, Operand::Text("A1".into())), None);
        assert_eq!(c("Q3", Eq, Operand::Text("x".into())), Some(("many".into(), Includes, Value::from("x"))));
        assert_eq!(c("Q3", Ne, Operand::Text("x".into())), None);
        assert_eq!(c("Q4", Answered, Operand::None), Some(("why".into(), Answered, Value::Null)));
        assert_eq!(c("Q9", Answered, Operand::None), None, "not an earlier question");
    }

    #[test]
    fn formats_are_detected_by_content() {
        assert_eq!(Format::detect("\u{feff} {\"SurveyEntry\": {}, \"SurveyElements\": []}"), Some(Format::Qsf));
        assert_eq!(Format::detect("{\"pages\": []}"), Some(Format::SurveyJs));
        assert_eq!(Format::detect("{\"elements\": []}"), Some(Format::SurveyJs));
        assert_eq!(
            Format::detect(
                "<?xml version=\"1.0\"?>\n<document><LimeSurveyDocType>Survey</LimeSurveyDocType></document>"
            ),
            Some(Format::Lss)
        );
        assert_eq!(Format::detect("<html></html>"), None);
        assert_eq!(Format::detect("{\"a\": 1}"), None);
        assert_eq!(Format::detect("not a survey"), None);
        assert_eq!(import_any("name,email\n").unwrap_err(), ImportError::UnknownFormat);
        assert_eq!(Format::parse(" SurveyJS "), Some(Format::SurveyJs));
        assert_eq!(Format::parse("csv"), None);
        assert_eq!(serde_json::to_value(Format::SurveyJs).unwrap(), Value::from("surveyjs"));
    }

    #[test]
    fn malformed_files_are_errors_with_a_clear_message() {
        let e = import(Format::Qsf, "{\"SurveyEntry\": ").unwrap_err();
        assert!(matches!(e, ImportError::Syntax { format: Format::Qsf, .. }), "{e:?}");
        assert!(e.to_string().starts_with("this is not a valid Qualtrics QSF file: EOF while parsing"), "{e}");
        let e = import(Format::SurveyJs, "[1, 2]").unwrap_err();
        assert_eq!(e.to_string(), "this is not a SurveyJS JSON survey: the file is JSON but not an object");
        let e = import(Format::Lss, "<document><questions>").unwrap_err();
        assert!(matches!(e, ImportError::Syntax { format: Format::Lss, .. }), "{e:?}");
        assert!(e.to_string().starts_with("this is not a valid LimeSurvey LSS file: "), "{e}");
    }
}
