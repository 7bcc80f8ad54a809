//! Builders of expected values for the format tests.

use crate::survey::{Choice, ConditionOp, Localized, Question, QuestionType, ShowIf, SurveyDraft};
use crate::survey_import::Skipped;
use serde_json::Value;

pub fn l(en: &str, es: &str) -> Localized {
    Localized { en: en.into(), es: es.into() }
}

pub fn q(key: &str, kind: QuestionType, en: &str, es: &str) -> Question {
    crate::survey_import::question(key.into(), kind, l(en, es), false)
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
