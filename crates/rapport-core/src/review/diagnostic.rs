//! F2. The 20-question diagnostic of seed 002 ("20 questions to begin your
//! own customer experience diagnostic"): twenty questions in four areas of
//! five (personnel; processes and technology; customers; financials),
//! answered in rounds on a 1–5 scale by several people, scored per question,
//! per area and overall with the spread between answerers, compared round
//! to round, and set beside the evidence Rapport holds.
//!
//! Policy:
//! - the questions are stable keys (`q1`..`q20`, in the seed's order); their
//!   words live in the catalogues (`diagnostic.ftl`), the English ones
//!   exactly as the seed writes them;
//! - a round is opened by someone who edits the plan; while it is open each
//!   person may answer any question and change an answer; closing it
//!   freezes every answer;
//! - scoring is in [`score`], the suggestions from evidence in [`evidence`].

pub mod evidence;
pub mod round;
pub mod score;

use serde::Serialize;

/// The four areas of the seed, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticArea {
    Personnel,
    ProcessesTechnology,
    Customers,
    Financials,
}

impl DiagnosticArea {
    pub const ALL: [DiagnosticArea; 4] = [
        DiagnosticArea::Personnel,
        DiagnosticArea::ProcessesTechnology,
        DiagnosticArea::Customers,
        DiagnosticArea::Financials,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DiagnosticArea::Personnel => "personnel",
            DiagnosticArea::ProcessesTechnology => "processes_technology",
            DiagnosticArea::Customers => "customers",
            DiagnosticArea::Financials => "financials",
        }
    }

    /// The area's questions, in order.
    pub fn questions(self) -> impl Iterator<Item = &'static Question> {
        QUESTIONS.iter().filter(move |q| q.area == self)
    }
}

/// One of the twenty questions: its key and area (the words are in the
/// catalogues under `diagnostic-q-<key>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    pub key: &'static str,
    /// 1 to 20, the seed's order.
    pub number: u8,
    pub area: DiagnosticArea,
}

const fn q(key: &'static str, number: u8, area: DiagnosticArea) -> Question {
    Question { key, number, area }
}

use DiagnosticArea::{Customers, Financials, Personnel, ProcessesTechnology};

/// The twenty questions, five per area, in the seed's order.
pub const QUESTIONS: [Question; 20] = [
    q("q1", 1, Personnel),
    q("q2", 2, Personnel),
    q("q3", 3, Personnel),
    q("q4", 4, Personnel),
    q("q5", 5, Personnel),
    q("q6", 6, ProcessesTechnology),
    q("q7", 7, ProcessesTechnology),
    q("q8", 8, ProcessesTechnology),
    q("q9", 9, ProcessesTechnology),
    q("q10", 10, ProcessesTechnology),
    q("q11", 11, Customers),
    q("q12", 12, Customers),
    q("q13", 13, Customers),
    q("q14", 14, Customers),
    q("q15", 15, Customers),
    q("q16", 16, Financials),
    q("q17", 17, Financials),
    q("q18", 18, Financials),
    q("q19", 19, Financials),
    q("q20", 20, Financials),
];

/// The lowest and highest answer.
pub const MIN_SCORE: i64 = 1;
pub const MAX_SCORE: i64 = 5;

/// The question with this key.
pub fn question(key: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.key == key)
}

/// The catalogue key of a question's words.
pub fn text_key(q: &Question) -> String {
    format!("diagnostic-q-{}", q.key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_areas_of_five_in_order() {
        for (i, q) in QUESTIONS.iter().enumerate() {
            assert_eq!(usize::from(q.number), i + 1);
            assert_eq!(q.key, format!("q{}", i + 1));
            assert_eq!(q.area, DiagnosticArea::ALL[i / 5]);
        }
        for a in DiagnosticArea::ALL {
            assert_eq!(a.questions().count(), 5);
        }
        assert_eq!(question("q14").map(|q| q.area), Some(DiagnosticArea::Customers));
        assert!(question("q21").is_none());
    }
}
