//! Rounds of the diagnostic and the answers given in them, with their
//! validation.
//!
//! Policy: a round has a name (at most 200 characters) and the date it was
//! opened (2000-01-01 to 2100-12-31, so that a typo such as 0001-01-01 is
//! refused); an answer is a question key, a whole score from 1 to 5 and an
//! optional comment of at most 1,000 characters. One request answers at
//! most the twenty questions, each at most once.

use super::{question, MAX_SCORE, MIN_SCORE, QUESTIONS};
use crate::validate::{optional_text, required_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

pub const MAX_NAME: usize = 200;
pub const MAX_COMMENT: usize = 1000;

/// The earliest and latest date a round may be opened on.
pub fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()
}

pub fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiagnosticRound {
    pub id: Id,
    pub name: String,
    pub opened_on: NaiveDate,
    /// When it was closed; its answers are then frozen.
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl DiagnosticRound {
    pub fn is_closed(&self) -> bool {
        self.closed_at.is_some()
    }
}

/// One person's answer to one question of a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiagnosticAnswer {
    pub round_id: Id,
    pub person_id: Id,
    /// `q1` to `q20`.
    pub question: String,
    /// 1 to 5.
    pub score: i64,
    pub comment: Option<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiagnosticRoundDraft {
    /// At most 200 characters, e.g. "Q1 2026".
    pub name: Option<String>,
    /// 2000-01-01 to 2100-12-31; default today.
    pub opened_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundInput {
    pub name: String,
    pub opened_on: NaiveDate,
}

impl DiagnosticRoundDraft {
    pub fn validate(&self, today: NaiveDate) -> Result<RoundInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", self.name.as_deref(), MAX_NAME);
        let opened_on = self.opened_on.unwrap_or(today);
        if !(first_day()..=last_day()).contains(&opened_on) {
            e.add("opened_on", "out_of_range", "must be a date from 2000-01-01 to 2100-12-31");
        }
        e.into_result(RoundInput { name, opened_on })
    }
}

/// One answer as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DiagnosticAnswerDraft {
    /// `q1` to `q20`.
    pub question: Option<String>,
    /// 1 to 5.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub score: Option<i64>,
    /// At most 1,000 characters; blank or absent: none.
    pub comment: Option<String>,
}

/// A checked answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerInput {
    pub question: &'static str,
    pub score: i64,
    pub comment: Option<String>,
}

/// Checks answers to some or all of the questions, naming each bad field
/// `answers[i].question`, `answers[i].score` or `answers[i].comment`.
pub fn validate_answers(answers: Option<&[DiagnosticAnswerDraft]>) -> Result<Vec<AnswerInput>, FieldErrors> {
    let mut e = FieldErrors::new();
    let answers = answers.unwrap_or_default();
    if answers.is_empty() {
        e.add("answers", "required", "answer at least one question");
    } else if answers.len() > QUESTIONS.len() {
        e.add("answers", "too_many", format!("at most {} answers, one per question", QUESTIONS.len()));
        return Err(e);
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(answers.len());
    for (i, a) in answers.iter().enumerate() {
        let field = |f: &str| format!("answers[{i}].{f}");
        let key = a.question.as_deref().map(str::trim).unwrap_or("");
        let q = match question(key) {
            _ if key.is_empty() => {
                e.add(field("question"), "required", "name the question, q1 to q20");
                None
            }
            None => {
                e.add(field("question"), "unknown", "no such question: use q1 to q20");
                None
            }
            Some(q) if !seen.insert(q.key) => {
                e.add(field("question"), "duplicate", "each question is answered once");
                None
            }
            Some(q) => Some(q),
        };
        let score = match a.score {
            None => {
                e.add(field("score"), "required", "is required");
                None
            }
            Some(s) if !(MIN_SCORE..=MAX_SCORE).contains(&s) => {
                e.add(field("score"), "out_of_range", "must be a whole number from 1 to 5");
                None
            }
            Some(s) => Some(s),
        };
        let comment = optional_text(&mut e, &field("comment"), a.comment.as_deref(), MAX_COMMENT);
        if let (Some(q), Some(score)) = (q, score) {
            out.push(AnswerInput { question: q.key, score, comment });
        }
    }
    e.into_result(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(q: &str, s: i64) -> DiagnosticAnswerDraft {
        DiagnosticAnswerDraft { question: Some(q.into()), score: Some(s), comment: None }
    }

    #[test]
    fn answers_name_their_bad_fields() {
        let ok = validate_answers(Some(&[a("q1", 1), a("q20", 5)])).unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!((ok[1].question, ok[1].score), ("q20", 5));
        let long = DiagnosticAnswerDraft { comment: Some("x".repeat(1001)), ..a("q2", 3) };
        let e = validate_answers(Some(&[a("q1", 0), a("q99", 3), a("q1", 6), long, a("q3", 3)])).unwrap_err();
        assert_eq!(e.get("answers[0].score").map(|x| x.code), Some("out_of_range"));
        assert_eq!(e.get("answers[1].question").map(|x| x.code), Some("unknown"));
        assert_eq!(e.get("answers[2].question").map(|x| x.code), Some("duplicate"));
        assert_eq!(e.get("answers[2].score").map(|x| x.code), Some("out_of_range"));
        assert_eq!(e.get("answers[3].comment").map(|x| x.code), Some("too_long"));
        assert!(e.get("answers[4].score").is_none());
        assert!(validate_answers(None).unwrap_err().get("answers").is_some());
        let many: Vec<_> = (0..21).map(|i| a(&format!("q{}", i % 20 + 1), 3)).collect();
        assert_eq!(validate_answers(Some(&many)).unwrap_err().get("answers").map(|x| x.code), Some("too_many"));
        let blank = DiagnosticAnswerDraft { comment: Some("  ".into()), ..a("q5", 4) };
        assert_eq!(validate_answers(Some(&[blank])).unwrap()[0].comment, None);
    }

    #[test]
    fn rounds_need_a_name_and_a_sane_date() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let r = DiagnosticRoundDraft { name: Some(" Q1 ".into()), opened_on: None }.validate(today).unwrap();
        assert_eq!(r, RoundInput { name: "Q1".into(), opened_on: today });
        let bad = DiagnosticRoundDraft { name: None, opened_on: NaiveDate::from_ymd_opt(1, 1, 1) };
        let e = bad.validate(today).unwrap_err();
        assert!(e.get("name").is_some() && e.get("opened_on").is_some());
    }
}
