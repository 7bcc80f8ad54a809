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
//!   `scale_max` N; any other scale is reported. CSAT and CES are never guessed:
//!   a 1-5 scale imports as a rating of 5, which the builder can change.
//! - Conditions become `show_if` only when they are a single comparison on an
//!   earlier imported question that Rapport can express; otherwise the
//!   question is imported without it and the report says so.
//!
//! # Qualtrics QSF
//! | QSF (`QuestionType`/`Selector`) | Rapport |
//! | --- | --- |
//! | `MC`/`NPS` (or `NPS`) | nps |
//! | `MC`/`SAVR` `SAHR` `SACOL` `DL` `SB` (or sub-selector `SingleAnswer`) | single_choice |
//! | `MC`/`MAVR` `MAHR` `MACOL` `MSB` (or sub-selector `MultipleAnswer`) | multiple_choice |
//! | `TE`/`SL` `ML` `ESTB` | text |
//! | `Slider` with one statement: `STAR` with 3-10 stars, or 1..N whole numbers | rating N |
//! | `Matrix`/`Likert`, single answer, one statement, 3-10 scale points | rating N |
//! | `DB` | reported: display text, not a question |
//! | anything else (`TE`/`FORM`, other matrices and sliders, `RO`, `CS`, `Timing`, `Meta`, `FileUpload`...) | reported |
//!
//! Order follows the survey flow (`FL`) through the blocks (`BL`); questions in
//! the trash or in blocks outside the flow are reported, questions inside a
//! flow branch are imported without the branch condition (reported). Title:
//! `SurveyEntry.SurveyName`; the main language is `SurveyEntry.SurveyLanguage`;
//! translations come from each question's `Language` blocks (`QuestionText`,
//! `Choices`). Required: `Validation.Settings.ForceResponse` `ON`. Display
//! logic with one expression (`Selected`/`NotSelected` of a choice, or a
//! numeric comparison) becomes `show_if`; other display logic and skip logic
//! are reported. A choice with a free-text box imports as a plain choice
//! (reported).
//!
//! # SurveyJS JSON
//! | SurveyJS `type` | Rapport |
//! | --- | --- |
//! | `rating` (`rateMin`/`rateMax`/`rateCount`/`rateStep` or `rateValues`) 0-10 | nps |
//! | `rating` 1..N, N from 3 to 10 | rating N (other scales reported) |
//! | `radiogroup`, `dropdown` | single_choice |
//! | `checkbox`, `tagbox` | multiple_choice |
//! | `boolean` | single_choice `yes`/`no` (`labelTrue`/`labelFalse`, else Yes/Sí, No) |
//! | `text`, `comment` | text |
//! | `panel` | its elements, in place |
//! | `html`, `image`, `expression`, `matrix*`, `file`, `signaturepad`, `ranking`, `multipletext`, `paneldynamic`... | reported |
//!
//! Elements come from the top-level `elements`/`questions` and from each of
//! `pages[]`. Strings may be plain or `{"default": ..., "en": ..., "es": ...}`;
//! `default` is in the survey's `locale` (English unless it says otherwise).
//! Title and intro: the survey's `title` and `description`. `isRequired` maps
//! to required. `visibleIf` of the forms `{q} = 5`, `{q} <= 6`,
//! `{q} != 'x'`, `{q} contains 'x'`, `{q} notempty` becomes `show_if`; other
//! conditions are reported. A page's or panel's `visibleIf` applies to the
//! questions in it that have none of their own (for the others it is
//! reported). `requiredIf`, validators, and the "Other", "None", "Select
//! all" and comment extras are reported. Hidden
//! questions (`visible: false`) and choices loaded from a URL or another
//! question are reported and not imported.
//!
//! # LimeSurvey LSS
//! | LimeSurvey `type` | Rapport |
//! | --- | --- |
//! | `L` list (radio), `!` list (dropdown), `O` list with comment | single_choice (answer options) |
//! | `M` multiple choice, `P` with comments | multiple_choice (subquestions) |
//! | `Y` yes/no | single_choice `yes`/`no` |
//! | `S`, `T`, `U` short/long/huge free text | text |
//! | `5` five-point choice | rating 5 |
//! | `X` text display | reported: display text, not a question |
//! | `N` numerical input, arrays, ranking, date, file upload, equation... | reported |
//!
//! Both the LimeSurvey 4+ layout (`question_l10ns`, `answer_l10ns`) and the
//! older one (a `language` column in each row) are read. Order: groups by
//! `group_order`, then `question_order`. Title and intro: the
//! `surveys_languagesettings` title and description (else welcome text);
//! the main language is the survey's `language`. `mandatory` `Y` is required.
//! A `relevance` that is one comparison (`Q1.NAOK <= 6`, `((Q2.NAOK == "A1"))`,
//! `!is_empty(Q3)`) becomes `show_if`; other relevance equations, the "Other"
//! option and comment boxes are reported.

mod lss;
mod qsf;
mod surveyjs;

use crate::lang::Lang;
use crate::segment::scalar_text;
use crate::survey::{plain_text as plain, Choice, ConditionOp, Localized, Question, QuestionType, ShowIf, SurveyDraft};
use crate::Id;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

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
}

impl Imported {
    /// A draft for the given touchpoint, ready for [`SurveyDraft::validate`].
    pub fn draft(&self, touchpoint_id: Id) -> SurveyDraft {
        SurveyDraft {
            touchpoint_id: Some(touchpoint_id),
            title: Some(self.title.clone()),
            intro: Some(self.intro.clone()),
            questions: self.questions.clone(),
            fatigue_days: None,
        }
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

const MAX_KEY: usize = 40;

/// Hands out unique keys made of a-z, 0-9 and '_'.
#[derive(Default)]
struct Keys {
    taken: HashSet<String>,
    /// Per base, the suffix to try next: every smaller one is taken, so a file
    /// of thousands of same-named questions costs no more than distinct ones.
    next: HashMap<String, usize>,
}

impl Keys {
    /// A key from `raw`, else from `fallback`, made unique with `_2`, `_3`...
    fn unique(&mut self, raw: &str, fallback: &str) -> String {
        let mut base = slug(raw);
        if base.is_empty() {
            base = slug(fallback);
        }
        if base.is_empty() {
            base = "q".into();
        }
        let mut key = base.clone();
        if self.taken.contains(&key) {
            let n = self.next.entry(base.clone()).or_insert(2);
            loop {
                let suffix = format!("_{n}");
                key = format!("{}{suffix}", cut(&base, MAX_KEY - suffix.len()));
                *n += 1;
                if !self.taken.contains(&key) {
                    break;
                }
            }
        }
        self.taken.insert(key.clone());
        key
    }
}

/// Lower-case a-z0-9 with single '_' between words, at most 40 characters.
fn slug(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.chars().map(fold) {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    cut(&out, MAX_KEY).to_string()
}

/// At most `max` bytes of an ASCII key, without a trailing '_'.
fn cut(key: &str, max: usize) -> &str {
    key[..key.len().min(max)].trim_end_matches('_')
}

/// Spanish and other Latin accents to their plain letter.
fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        c => c,
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

/// A question being built, with what conditions on it need from the source.
struct Built {
    question: Question,
    /// Its id or name in the source file, as conditions refer to it.
    source: String,
    /// Source choice value → choice key.
    values: Vec<(String, String)>,
}

/// The right side of a condition, as written in the source.
#[derive(Debug, Clone, PartialEq)]
enum Operand {
    None,
    Num(f64),
    Text(String),
    Bool(bool),
}

impl Operand {
    fn text(&self) -> Option<String> {
        match self {
            Operand::None => None,
            Operand::Num(n) if n.fract() == 0.0 => Some(format!("{}", *n as i64)),
            Operand::Num(n) => Some(n.to_string()),
            Operand::Text(s) => Some(s.clone()),
            Operand::Bool(b) => Some(b.to_string()),
        }
    }
}

/// A literal of a condition: a number, a quoted string, or true/false.
fn literal(s: &str) -> Option<Operand> {
    let s = s.trim();
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

/// Collects an import's questions and report.
#[derive(Default)]
struct Builder {
    built: Vec<Built>,
    keys: Keys,
    report: Vec<Skipped>,
}

impl Builder {
    fn skip(&mut self, element: &str, kind: &str, reason: impl Into<String>) {
        self.report.push(Skipped { element: element.into(), kind: kind.into(), reason: reason.into() });
    }

    fn push(&mut self, question: Question, source: &str, values: Vec<(String, String)>) {
        self.built.push(Built { question, source: source.into(), values });
    }

    /// A `show_if` on an earlier question named `target` in the source, when
    /// Rapport can express it for that question's type.
    fn condition(&self, target: &str, op: ConditionOp, operand: &Operand) -> Option<ShowIf> {
        use ConditionOp::*;
        let b = self.built.iter().find(|b| b.source == target)?;
        let q = &b.question;
        let choice = |v: Option<String>| {
            let v = v?;
            b.values.iter().find(|(s, _)| *s == v).map(|(_, k)| Value::from(k.as_str()))
        };
        let (op, value) = match (q.kind, op) {
            (_, Answered) => (Answered, Value::Null),
            (_, Includes) if q.kind != QuestionType::MultipleChoice => return None,
            (kind, op) if kind.bounds(q.scale_max).is_some() => {
                let n = match operand {
                    Operand::Num(n) => *n,
                    Operand::Text(s) => s.trim().parse().ok()?,
                    _ => return None,
                };
                let value = if n.fract() == 0.0 { Value::from(n as i64) } else { Value::from(n) };
                (op, value)
            }
            (QuestionType::SingleChoice, Eq | Ne) => (op, choice(operand.text())?),
            (QuestionType::MultipleChoice, Eq | Includes) => (Includes, choice(operand.text())?),
            (QuestionType::Text, Eq | Ne) => (op, Value::from(operand.text()?)),
            _ => return None,
        };
        Some(ShowIf::new(&q.key, op, value))
    }

    fn finish(self, title: Localized, intro: Localized) -> Imported {
        Imported { title, intro, questions: self.built.into_iter().map(|b| b.question).collect(), report: self.report }
    }
}

/// A question of the given type with no choices, scale or condition yet.
fn question(key: String, kind: QuestionType, text: Localized, required: bool) -> Question {
    Question { required, ..Question::new(&key, kind, text) }
}

/// Choices from `(source value, key hint, label)`, keyed from the hint (else
/// `choice_N`) and unique, with the value → key map conditions need.
fn choices(items: Vec<(String, String, Localized)>) -> (Vec<Choice>, Vec<(String, String)>) {
    let mut keys = Keys::default();
    let mut values = Vec::new();
    let choices = items
        .into_iter()
        .enumerate()
        .map(|(i, (value, hint, label))| {
            let key = keys.unique(&hint, &format!("choice_{}", i + 1));
            values.push((value, key.clone()));
            Choice { key, label }
        })
        .collect();
    (choices, values)
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
        assert_eq!(keys.len(), n);
        assert_eq!((keys[0].as_str(), keys[1].as_str(), keys[n - 1].as_str()), ("q", "q_2", "q_3000"));
        let distinct: HashSet<&String> = keys.iter().collect();
        assert_eq!(distinct.len(), n);
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
        b.push(question("nps".into(), QuestionType::Nps, l.clone(), false), "Q1", vec![]);
        let mut one = question("plan".into(), QuestionType::SingleChoice, l.clone(), false);
        one.choices = choices(vec![("A1".into(), "A1".into(), l.clone())]).0;
        b.push(one, "Q2", vec![("A1".into(), "a1".into())]);
        b.push(
            question("many".into(), QuestionType::MultipleChoice, l.clone(), false),
            "Q3",
            vec![("x".into(), "x".into())],
        );
        b.push(question("why".into(), QuestionType::Text, l, false), "Q4", vec![]);
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
