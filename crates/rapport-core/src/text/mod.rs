//! Text analytics of what customers write (C6): the language of a comment,
//! its sentiment as a whole and per sentence, and the flags a CX team acts
//! on (a WOW moment to recognise, anger to answer now).
//!
//! Policy: pure functions over `&str`, no I/O; lexicons ship inside the
//! binary (`data/`, licences in `NOTICE`). Any text gets a result: empty,
//! huge or mixed-language input never panics (long texts are analysed up to
//! [`ANALYSED_MAX`] bytes).

use crate::lang::Lang;
use serde::{Deserialize, Serialize};

mod analyze;
mod english;
mod flags;
pub mod key_phrases;
mod language;
mod lexicon;
mod lexicon_build;
mod phrases;
pub mod search;
mod sentences;
mod sentiment;
mod spanish;
#[cfg(test)]
mod tests;
pub mod theme_stats;
mod themes;
mod tokens;
pub mod trend;
mod wordmap;

pub use analyze::analyze;
pub use themes::{ThemeDef, ThemeDraft, ThemeInput, ThemeMatcher, KEYWORD_MAX, MAX_KEYWORDS, THEME_NAME_MAX};

/// Bytes of a text that are analysed; the rest is ignored (a comment is at
/// most 10,000 characters, the analyse endpoint at most 100,000).
pub const ANALYSED_MAX: usize = 100_000;

/// The overall tone of a text or sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Sentiment {
    Negative,
    Neutral,
    Positive,
    /// Clearly positive and clearly negative sentences in one text.
    Mixed,
}

impl Sentiment {
    pub const ALL: [Sentiment; 4] = [Sentiment::Negative, Sentiment::Neutral, Sentiment::Positive, Sentiment::Mixed];

    /// The stored code (a SMALLINT column).
    pub fn code(self) -> i16 {
        match self {
            Sentiment::Negative => 1,
            Sentiment::Neutral => 2,
            Sentiment::Positive => 3,
            Sentiment::Mixed => 4,
        }
    }

    pub fn from_code(code: i16) -> Option<Sentiment> {
        Sentiment::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn key(self) -> &'static str {
        match self {
            Sentiment::Negative => "negative",
            Sentiment::Neutral => "neutral",
            Sentiment::Positive => "positive",
            Sentiment::Mixed => "mixed",
        }
    }

    pub fn parse(s: &str) -> Option<Sentiment> {
        Sentiment::ALL.into_iter().find(|l| l.key() == s)
    }
}

/// A flag a CX team acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum FlagKind {
    /// Strong delight, worth recognising ("wow", "me encantó").
    Wow,
    /// Strong negative with anger cues (threats to leave, insults, capitals).
    Anger,
}

impl FlagKind {
    pub const ALL: [FlagKind; 2] = [FlagKind::Wow, FlagKind::Anger];

    pub fn key(self) -> &'static str {
        match self {
            FlagKind::Wow => "wow",
            FlagKind::Anger => "anger",
        }
    }

    pub fn parse(s: &str) -> Option<FlagKind> {
        FlagKind::ALL.into_iter().find(|f| f.key() == s)
    }
}

/// A flag and why it was raised (the words that raised it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Flag {
    pub kind: FlagKind,
    pub reason: String,
}

/// One sentence: byte offsets into the analysed text, its score and label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentenceSentiment {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// −1 (most negative) to 1 (most positive).
    pub score: f64,
    pub label: Sentiment,
}

/// The language a text is written in (English when unclear), as the
/// analyser decides it.
pub fn detect_language(text: &str) -> Lang {
    language::detect(text)
}

/// Everything the analyser says of one text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Analysis {
    /// The language analysed: the one given, else the one detected, else
    /// English.
    pub language: Lang,
    /// Whether `language` was detected rather than given.
    pub detected: bool,
    /// −1 (most negative) to 1 (most positive).
    pub score: f64,
    pub label: Sentiment,
    pub sentences: Vec<SentenceSentiment>,
    pub flags: Vec<Flag>,
}

impl Analysis {
    pub fn has(&self, kind: FlagKind) -> bool {
        self.flags.iter().any(|f| f.kind == kind)
    }
}

/// What is stored with a response so that lists filter by it; the rest of
/// an [`Analysis`] is recomputed when a response is shown.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TextSummary {
    /// −1 (most negative) to 1 (most positive).
    pub score: f64,
    pub label: Sentiment,
    pub wow: bool,
    pub anger: bool,
}

impl Analysis {
    pub fn summary(&self) -> TextSummary {
        TextSummary {
            score: self.score,
            label: self.label,
            wow: self.has(FlagKind::Wow),
            anger: self.has(FlagKind::Anger),
        }
    }
}

/// The largest char boundary of `s` at or below `max` (for cutting a text
/// without splitting a character).
pub(crate) fn floor_char_boundary(s: &str, max: usize) -> usize {
    if max >= s.len() {
        return s.len();
    }
    (0..=max).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}
