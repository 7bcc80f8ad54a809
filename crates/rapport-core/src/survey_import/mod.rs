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
//! | another choice with a text box | a text question after the list, shown when it is picked |
//! | `TE`/`SL` `ML` `ESTB` | text |
//! | `TE`/`FORM`, `Matrix`/`TE` (a text box per statement) | multi_text |
//! | `RO` | ranking |
//! | `DB` | text_block (its HTML) |
//! | `Slider`/`STAR` with 3-10 stars | a rating per statement |
//! | other `Slider`s | a slider per statement (min, max; step from `NumDecimals`) |
//! | `Matrix`/`Likert` single answer (radio, dropdown or drag and drop), `Matrix`/`Bipolar`, 2-10 scale points | matrix |
//! | `Matrix`/`Likert` multiple answer | a multiple_choice per statement |
//! | `Matrix` with one scale point | multiple_choice among the statements |
//! | `SBS` side by side | each column as the question it is (`Q1#1`, `Q1#2`...) |
//! | `Timing`, `Meta` | reported, not counted: recorded, never asked |
//! | anything else (`CS`, `HotSpot`, `FileUpload`, `Draw`, `PGR`...) | reported |
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
//! | other numeric `rating`s, `slider` | slider |
//! | `rating` with `rateValues` that are labels | single_choice |
//! | `radiogroup`, `dropdown` | single_choice |
//! | `checkbox`, `tagbox` | multiple_choice |
//! | `showOtherItem`/`hasOther` | `other: true` |
//! | `hasComment`/`showCommentArea` | a text question after it |
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
//! | `L` list (radio), `!` list (dropdown), `O` list with comment | single_choice (answer options); `O`'s comment a text question after it |
//! | `M` multiple choice, `P` with comments | multiple_choice (subquestions); `P`'s comment per choice a text question shown when it is picked |
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
//! | arrays `F`, `H`, `A` (1-5), `B` (1-10), `C` (yes/uncertain/no), `E` (increase/same/decrease) | matrix (one scale point: multiple_choice among the rows) |
//! | `1` dual scale | a matrix per scale |
//! | `;` array of texts | a multi_text per row (its fields the columns) |
//! | `:` array of numbers | checkboxes: a multiple_choice per row; dropdowns of 0/1..2-10: a matrix per column; else a numeric per cell |
//! | `*` equation, `I` language switch, hidden (`hidden` attribute, relevance `0`) | reported, not counted: not asked |
//! | `|` file upload | reported |
//!
//! Both the LimeSurvey 4+ layout (`question_l10ns`, `answer_l10ns`) and the
//! older one (a `language` column in each row) are read. Order: groups by
//! `group_order`, then `question_order`. Title and intro: the
//! `surveys_languagesettings` title and description (else welcome text);
//! the main language is the survey's `language`. `mandatory` `Y` is required.
//! A `relevance` of comparisons (`Q1.NAOK <= 6`, `((Q2.NAOK == "A1"))`,
//! `!is_empty(Q3)`, `Q4 != ""`, `Q4_SQ001.NAOK == "A2"` on a row,
//! `Q5_A == "Y"` for a checked choice, questions named by SGQA code
//! `123X4X56`, operators written `ge`, `lt`...) joined by and/or
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
#[path = "tests/expect.rs"]
mod expect;

#[cfg(test)]
#[path = "tests/mod.rs"]
mod tests;
