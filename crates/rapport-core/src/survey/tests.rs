//! Unit tests of surveys: drafts, answers by type, skip logic.

use super::*;
use serde_json::{json, Value};

fn l(en: &str, es: &str) -> Localized {
    Localized { en: en.into(), es: es.into() }
}

fn q(key: &str, kind: QuestionType) -> Question {
    Question::new(key, kind, l("Q", "P"))
}

fn survey(questions: Vec<Question>) -> Survey {
    Survey {
        id: 1,
        touchpoint_id: 1,
        title: l("T", "T"),
        intro: Localized::default(),
        questions,
        fatigue_days: 30,
        status: SurveyStatus::Published,
        token: "t".into(),
        created_at: Utc::now(),
    }
}

fn choices(keys: &[&str]) -> Vec<Choice> {
    keys.iter().map(|k| Choice { key: (*k).into(), label: l(k, k) }).collect()
}

#[test]
fn localized_falls_back_to_english() {
    assert_eq!(l("Hi", "").get(Lang::Es), "Hi");
    assert_eq!(l("Hi", "Hola").get(Lang::Es), "Hola");
}

#[test]
fn numeric_answers_are_checked_against_the_scale() {
    let mut nps = q("nps", QuestionType::Nps);
    nps.required = true;
    let s =
        survey(vec![nps, q("csat", QuestionType::Csat), q("ces", QuestionType::Ces), q("stars", QuestionType::Rating)]);
    let ok = s.check_answers(json!({"nps": "10", "csat": 5, "ces": 1.0, "stars": 5}).as_object().unwrap()).unwrap();
    assert_eq!(ok["nps"], json!(10));
    assert_eq!(ok["ces"], json!(1));
    let e = s.check_answers(json!({"nps": 11, "csat": 0, "ces": 8, "stars": 2.5}).as_object().unwrap()).unwrap_err();
    for k in ["answers.nps", "answers.csat", "answers.ces", "answers.stars"] {
        assert_eq!(e.get(k).unwrap().code, "out_of_range", "{k}");
    }
    let e = s.check_answers(json!({"other": 1}).as_object().unwrap()).unwrap_err();
    assert_eq!(e.get("answers.nps").unwrap().code, "required");
    assert_eq!(e.get("answers.other").unwrap().code, "unknown_id");
}

#[test]
fn choices_and_text() {
    let mut one = q("plan", QuestionType::SingleChoice);
    one.choices = choices(&["a", "b"]);
    let mut many = q("why", QuestionType::MultipleChoice);
    many.choices = choices(&["fast", "cheap"]);
    let s = survey(vec![one, many, q("comment", QuestionType::Text)]);
    let ok = s
        .check_answers(json!({"plan": "a", "why": ["fast", "cheap"], "comment": "  great  "}).as_object().unwrap())
        .unwrap();
    assert_eq!(ok["why"], json!(["fast", "cheap"]));
    assert_eq!(ok["comment"], json!("great"));
    let e = s.check_answers(json!({"plan": "z", "why": ["slow"], "comment": 3}).as_object().unwrap()).unwrap_err();
    assert_eq!(e.get("answers.plan").unwrap().code, "invalid_choice");
    assert_eq!(e.get("answers.why").unwrap().code, "invalid_choice");
    assert_eq!(e.get("answers.comment").unwrap().code, "invalid_type");
}

#[test]
fn skip_logic_hides_and_drops_answers() {
    let mut why = q("why_low", QuestionType::Text);
    why.required = true;
    why.show_if = Some(ShowIf::new("nps", ConditionOp::Lte, json!(6)));
    let s = survey(vec![q("nps", QuestionType::Nps), why]);
    // Promoter: the follow-up is hidden, so not required, and dropped if sent.
    let ok = s.check_answers(json!({"nps": 9, "why_low": "x"}).as_object().unwrap()).unwrap();
    assert!(!ok.contains_key("why_low"));
    // Detractor: the follow-up is shown and required.
    let e = s.check_answers(json!({"nps": 3}).as_object().unwrap()).unwrap_err();
    assert_eq!(e.get("answers.why_low").unwrap().code, "required");
    let a = json!({"nps": 3}).as_object().unwrap().clone();
    assert_eq!(s.visible(&a).count(), 2);
    let a = json!({"nps": 10}).as_object().unwrap().clone();
    assert_eq!(s.visible(&a).count(), 1);
}

#[test]
fn conditions() {
    let a = json!({"n": 5, "m": ["x", "y"], "s": "5"}).as_object().unwrap().clone();
    let c = |question: &str, op, value| ShowIf::new(question, op, value);
    assert!(c("n", ConditionOp::Eq, json!(5)).holds(&a));
    assert!(c("s", ConditionOp::Eq, json!(5)).holds(&a), "numeric text equals the number");
    assert!(c("n", ConditionOp::Ne, json!(4)).holds(&a));
    assert!(c("n", ConditionOp::Lt, json!(6)).holds(&a));
    assert!(!c("n", ConditionOp::Gt, json!(5)).holds(&a));
    assert!(c("n", ConditionOp::Gte, json!(5)).holds(&a));
    assert!(c("m", ConditionOp::Includes, json!("y")).holds(&a));
    assert!(c("m", ConditionOp::Answered, Value::Null).holds(&a));
    assert!(!c("missing", ConditionOp::Answered, Value::Null).holds(&a));
    assert!(!c("missing", ConditionOp::Ne, json!(1)).holds(&a), "unanswered never holds");
}

#[test]
fn draft_validation() {
    let mut nps = q("nps", QuestionType::Nps);
    nps.text = l("How likely…?", "¿Qué probabilidad…?");
    let mut follow = q("why", QuestionType::Text);
    follow.show_if = Some(ShowIf::new("later", ConditionOp::Answered, Value::Null));
    let mut dup = q("nps", QuestionType::SingleChoice);
    dup.choices = choices(&["only"]);
    let d = SurveyDraft {
        touchpoint_id: Some(3),
        title: Some(l("After delivery", "")),
        intro: None,
        questions: vec![nps.clone(), follow, dup, q("Bad Key", QuestionType::Text)],
        fatigue_days: Some(-1),
    };
    let e = d.validate().unwrap_err();
    assert_eq!(e.get("title.es").unwrap().code, "required");
    assert_eq!(e.get("fatigue_days").unwrap().code, "out_of_range");
    assert_eq!(e.get("questions[1].show_if.question").unwrap().code, "unknown_id");
    assert_eq!(e.get("questions[2].key").unwrap().code, "duplicate");
    assert_eq!(e.get("questions[2].choices").unwrap().code, "required");
    assert_eq!(e.get("questions[3].key").unwrap().code, "invalid_key");
    let ok =
        SurveyDraft { title: Some(l("A", "B")), questions: vec![nps], fatigue_days: None, ..d }.validate().unwrap();
    assert_eq!(ok.fatigue_days, 0);
}

#[test]
fn fatigue_rule() {
    let now: DateTime<Utc> = "2026-06-30T12:00:00Z".parse().unwrap();
    let ago = |d| Some(now - Duration::days(d));
    assert!(is_fatigued(ago(29), now, 30));
    assert!(!is_fatigued(ago(30), now, 30), "exactly N days later may ask again");
    assert!(!is_fatigued(None, now, 30));
    assert!(!is_fatigued(ago(1), now, 0), "0 disables the rule");
}
