//! Surveys (B1): questions per touchpoint in English and Spanish, skip logic,
//! answer validation and the fatigue rule.
//!
//! A survey's questions are a list; each has a stable `key` by which answers
//! are sent (`{"nps": 9, "why": "fast"}`). A question with `show_if` is asked
//! only when an earlier answer meets the condition; answers to questions that
//! were not shown are dropped, never stored.
//!
//! # Answers by question type
//! | type | answer | example |
//! | --- | --- | --- |
//! | `nps`, `csat`, `ces`, `rating` | a whole number on the scale | `9` |
//! | `single_choice` | a choice key (`"other"` with `"<key>.other": text` when offered) | `"pro"` |
//! | `multiple_choice` | choice keys | `["speed", "price"]` |
//! | `text` | text (at most 5,000 characters) | `"fast"` |
//! | `matrix` | per row key, a point of the scale or `"na"` when offered | `{"staff": 5, "price": "na"}` |
//! | `numeric` | a number within min/max, at most `decimals` decimals | `3.5` |
//! | `slider` | min + a whole number of steps, within max | `70` |
//! | `ranking` | every choice key once, first = best | `["price", "speed"]` |
//! | `date` | an existing date, `YYYY-MM-DD` | `"2026-03-01"` |
//! | `multi_text` | per row key, text (at most 1,000 characters) | `{"city": "Lyon"}` |
//! | `text_block` | none: display text (introductions, section headers) | |
//! | `consent` | `true` (a required consent must be given) | `true` |

mod answers;
pub mod arrange;
mod columns;
mod condition;
pub mod distribution;
mod draft;
mod items;
mod rich_text;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_types;
pub mod translation;

pub use columns::{answer_cell, answer_columns, AnswerColumn};
pub use condition::{ConditionOp, ShowIf};
pub use draft::{check_publishable, MAX_CHOICES, MAX_QUESTIONS, MAX_QUESTION_TEXT, MAX_ROWS, MAX_TEXT_BLOCK};
pub use items::{item_value, scored_items, ScoredItem};
pub use rich_text::{plain_text, sanitize_html};

use crate::lang::Lang;
use crate::Id;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// A text in both of the product's languages.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Localized {
    pub en: String,
    pub es: String,
}

impl Localized {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            // A missing translation shows the English text rather than nothing.
            Lang::Es if self.es.trim().is_empty() => &self.en,
            Lang::Es => &self.es,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    /// 0-10 likelihood to recommend.
    Nps,
    /// 1-5 satisfaction.
    Csat,
    /// 1-7 agreement that the company made it easy (CES 2.0).
    Ces,
    /// 1..scale_max stars or points.
    Rating,
    SingleChoice,
    MultipleChoice,
    #[default]
    Text,
    /// Rows, each rated on one scale (`scale_min`..`scale_max`, points
    /// optionally labelled by `choices`), optionally "not applicable".
    Matrix,
    /// A number typed in (`min`, `max`, `decimals`).
    Numeric,
    /// A number picked on a range (`min`, `max`, `step`, labels at the ends).
    Slider,
    /// The `choices` put in order.
    Ranking,
    /// A calendar date.
    Date,
    /// Labelled short text fields (`rows`).
    MultiText,
    /// Display-only rich text: an introduction, a consent text, a section
    /// header. Takes no answer.
    TextBlock,
    /// A single checkbox to agree.
    Consent,
}

impl QuestionType {
    pub const ALL: [QuestionType; 15] = [
        QuestionType::Nps,
        QuestionType::Csat,
        QuestionType::Ces,
        QuestionType::Rating,
        QuestionType::SingleChoice,
        QuestionType::MultipleChoice,
        QuestionType::Text,
        QuestionType::Matrix,
        QuestionType::Numeric,
        QuestionType::Slider,
        QuestionType::Ranking,
        QuestionType::Date,
        QuestionType::MultiText,
        QuestionType::TextBlock,
        QuestionType::Consent,
    ];

    /// The type's name in the API (`single_choice`).
    pub fn key(self) -> &'static str {
        match self {
            QuestionType::Nps => "nps",
            QuestionType::Csat => "csat",
            QuestionType::Ces => "ces",
            QuestionType::Rating => "rating",
            QuestionType::SingleChoice => "single_choice",
            QuestionType::MultipleChoice => "multiple_choice",
            QuestionType::Text => "text",
            QuestionType::Matrix => "matrix",
            QuestionType::Numeric => "numeric",
            QuestionType::Slider => "slider",
            QuestionType::Ranking => "ranking",
            QuestionType::Date => "date",
            QuestionType::MultiText => "multi_text",
            QuestionType::TextBlock => "text_block",
            QuestionType::Consent => "consent",
        }
    }

    pub fn parse(s: &str) -> Option<QuestionType> {
        QuestionType::ALL.into_iter().find(|t| t.key() == s)
    }

    /// Inclusive bounds of a whole-number score answer, or `None` for types
    /// that are not one of the product's scores (a matrix row's scale is
    /// [`Question::matrix_scale`]).
    pub fn bounds(self, scale_max: Option<i64>) -> Option<(i64, i64)> {
        match self {
            QuestionType::Nps => Some((0, 10)),
            QuestionType::Csat => Some((1, 5)),
            QuestionType::Ces => Some((1, 7)),
            QuestionType::Rating => Some((1, scale_max.unwrap_or(5))),
            _ => None,
        }
    }

    /// Types whose `choices` are what is answered (or ordered).
    pub fn has_choices(self) -> bool {
        matches!(self, QuestionType::SingleChoice | QuestionType::MultipleChoice | QuestionType::Ranking)
    }

    /// Types whose `rows` are asked one by one.
    pub fn has_rows(self) -> bool {
        matches!(self, QuestionType::Matrix | QuestionType::MultiText)
    }

    /// Display text only: nothing to answer.
    pub fn is_display(self) -> bool {
        self == QuestionType::TextBlock
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Choice {
    pub key: String,
    pub label: Localized,
}

/// The choice key of "Other, please specify" when a question offers it; the
/// text typed goes under `"<question key>.other"`.
pub const OTHER: &str = "other";
/// A matrix row's answer when the respondent marks it "not applicable".
pub const NOT_APPLICABLE: &str = "na";

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    /// Stable key answers are sent by: a-z, 0-9, '_' (max 40).
    pub key: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    /// The question; for a text block, its HTML (a safe subset).
    pub text: Localized,
    #[serde(default)]
    pub required: bool,
    /// Choices of single/multiple choice questions, items of a ranking, and
    /// the labels of a matrix's scale points (lowest first), if it has them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// Rows of a matrix; labelled fields of a multiple short text question.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<Choice>,
    /// Bottom of a matrix's scale: 0 or 1 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_min: Option<i64>,
    /// Top of a rating scale (3-10, default 5) or of a matrix's (2-10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_max: Option<i64>,
    /// Lowest number a numeric or slider question takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Highest number a numeric or slider question takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// A slider's step (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    /// Decimals a numeric answer may have (0-6, default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u8>,
    /// Words at the low end of a slider or matrix scale ("Not at all").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low_label: Option<Localized>,
    /// Words at the high end ("Extremely").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high_label: Option<Localized>,
    /// A matrix offers "not applicable" on each row.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_applicable: bool,
    /// A single or multiple choice question offers "Other, please specify".
    #[serde(default, skip_serializing_if = "is_false")]
    pub other: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<ShowIf>,
}

impl Question {
    /// A question of a type with its text, everything else at defaults.
    pub fn new(key: &str, kind: QuestionType, text: Localized) -> Question {
        Question { key: key.into(), kind, text, ..Question::default() }
    }

    /// A matrix's scale, inclusive.
    pub fn matrix_scale(&self) -> (i64, i64) {
        let lo = self.scale_min.unwrap_or(1);
        let hi = if self.choices.is_empty() { self.scale_max.unwrap_or(5) } else { lo + self.choices.len() as i64 - 1 };
        (lo, hi)
    }

    /// A slider's step.
    pub fn slider_step(&self) -> f64 {
        self.step.filter(|s| *s > 0.0).unwrap_or(1.0)
    }

    /// The key under which the "other" text of this question is sent.
    pub fn other_key(&self) -> String {
        format!("{}.{OTHER}", self.key)
    }
}

pub fn is_key(s: &str) -> bool {
    (1..=40).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SurveyStatus {
    #[default]
    Draft,
    Published,
    Closed,
}

impl SurveyStatus {
    pub fn key(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "draft",
            SurveyStatus::Published => "published",
            SurveyStatus::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [SurveyStatus::Draft, SurveyStatus::Published, SurveyStatus::Closed].into_iter().find(|x| x.key() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Survey {
    pub id: Id,
    pub touchpoint_id: Id,
    pub title: Localized,
    /// Shown above the first question.
    pub intro: Localized,
    pub questions: Vec<Question>,
    /// Don't ask the same customer again within this many days (0: no rule).
    pub fatigue_days: i64,
    pub status: SurveyStatus,
    /// The secret part of the anonymous public link `/s/{token}`.
    pub token: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyDraft {
    pub touchpoint_id: Option<Id>,
    pub title: Option<Localized>,
    pub intro: Option<Localized>,
    #[serde(default)]
    pub questions: Vec<Question>,
    pub fatigue_days: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SurveyInput {
    pub touchpoint_id: Id,
    pub title: Localized,
    pub intro: Localized,
    pub questions: Vec<Question>,
    pub fatigue_days: i64,
}

/// The fatigue rule: a customer who answered this survey less than `days`
/// days before `now` is not asked again.
pub fn is_fatigued(last_answer: Option<DateTime<Utc>>, now: DateTime<Utc>, days: i64) -> bool {
    days > 0 && last_answer.is_some_and(|t| now - t < Duration::days(days))
}
