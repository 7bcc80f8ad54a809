//! Surveys (B1): questions per touchpoint in English and Spanish, skip logic,
//! answer validation and the fatigue rule.
//!
//! A survey's questions are a list; each has a stable `key` by which answers
//! are sent (`{"nps": 9, "why": "fast"}`). A question with `show_if` is asked
//! only when an earlier answer meets the condition; answers to questions that
//! were not shown are dropped, never stored.

use crate::lang::Lang;
use crate::validate::{optional_text, required_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    Text,
}

impl QuestionType {
    /// Inclusive bounds of a numeric answer, or `None` for non-numeric types.
    pub fn bounds(self, scale_max: Option<i64>) -> Option<(i64, i64)> {
        match self {
            QuestionType::Nps => Some((0, 10)),
            QuestionType::Csat => Some((1, 5)),
            QuestionType::Ces => Some((1, 7)),
            QuestionType::Rating => Some((1, scale_max.unwrap_or(5))),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Choice {
    pub key: String,
    pub label: Localized,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConditionOp {
    Eq,
    Ne,
    Lt,
    Lte,
    Gt,
    Gte,
    /// A multiple-choice answer includes the value.
    Includes,
    /// The question was answered at all.
    Answered,
}

/// Show a question only when an earlier answer meets this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShowIf {
    pub question: String,
    pub op: ConditionOp,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub value: Value,
}

impl ShowIf {
    pub fn holds(&self, answers: &Map<String, Value>) -> bool {
        let Some(a) = answers.get(&self.question).filter(|v| !v.is_null()) else { return false };
        let num = |v: &Value| v.as_f64();
        match self.op {
            ConditionOp::Answered => true,
            ConditionOp::Eq => loose_eq(a, &self.value),
            ConditionOp::Ne => !loose_eq(a, &self.value),
            ConditionOp::Includes => a.as_array().is_some_and(|xs| xs.iter().any(|x| loose_eq(x, &self.value))),
            op => match (num(a), num(&self.value)) {
                (Some(x), Some(y)) => match op {
                    ConditionOp::Lt => x < y,
                    ConditionOp::Lte => x <= y,
                    ConditionOp::Gt => x > y,
                    _ => x >= y,
                },
                _ => false,
            },
        }
    }
}

fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::Number(y)) | (Value::Number(y), Value::String(x)) => {
            x.parse::<f64>().ok() == y.as_f64()
        }
        _ => a == b,
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    /// Stable key answers are sent by: a-z, 0-9, '_' (max 40).
    pub key: String,
    #[serde(rename = "type")]
    pub kind: QuestionType,
    pub text: Localized,
    #[serde(default)]
    pub required: bool,
    /// Choices of single/multiple choice questions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    /// Top of a rating scale (3-10, default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_max: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<ShowIf>,
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

pub const MAX_QUESTIONS: usize = 50;
pub const MAX_CHOICES: usize = 30;

fn localized(e: &mut FieldErrors, field: &str, v: Option<&Localized>, max: usize, required: bool) -> Localized {
    let v = v.cloned().unwrap_or_default();
    let en = if required {
        required_text(e, &format!("{field}.en"), Some(&v.en), max)
    } else {
        optional_text(e, &format!("{field}.en"), Some(&v.en), max).unwrap_or_default()
    };
    let es = if required {
        required_text(e, &format!("{field}.es"), Some(&v.es), max)
    } else {
        optional_text(e, &format!("{field}.es"), Some(&v.es), max).unwrap_or_default()
    };
    Localized { en, es }
}

impl SurveyDraft {
    pub fn validate(&self) -> Result<SurveyInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let touchpoint_id = self.touchpoint_id.unwrap_or_else(|| {
            e.add("touchpoint_id", "required", "is required");
            0
        });
        let title = localized(&mut e, "title", self.title.as_ref(), 200, true);
        let intro = localized(&mut e, "intro", self.intro.as_ref(), 2000, false);
        let fatigue_days = self.fatigue_days.unwrap_or(0);
        if !(0..=3650).contains(&fatigue_days) {
            e.add("fatigue_days", "out_of_range", "must be between 0 and 3650");
        }
        if self.questions.is_empty() {
            e.add("questions", "required", "needs at least one question");
        }
        if self.questions.len() > MAX_QUESTIONS {
            e.add("questions", "too_many", format!("at most {MAX_QUESTIONS} questions"));
        }
        let mut seen: Vec<&str> = Vec::new();
        let mut questions = Vec::with_capacity(self.questions.len());
        for (i, q) in self.questions.iter().enumerate() {
            let f = |k: &str| format!("questions[{i}].{k}");
            if !is_key(&q.key) {
                e.add(f("key"), "invalid_key", "use 1-40 characters of a-z, 0-9 and _");
            } else if seen.contains(&q.key.as_str()) {
                e.add(f("key"), "duplicate", "another question has this key");
            }
            let text = localized(&mut e, &f("text"), Some(&q.text), 1000, true);
            let choice_type = matches!(q.kind, QuestionType::SingleChoice | QuestionType::MultipleChoice);
            if choice_type && q.choices.len() < 2 {
                e.add(f("choices"), "required", "needs at least two choices");
            }
            if q.choices.len() > MAX_CHOICES {
                e.add(f("choices"), "too_many", format!("at most {MAX_CHOICES} choices"));
            }
            let mut choice_keys: Vec<&str> = Vec::new();
            let mut choices = Vec::new();
            for (j, c) in q.choices.iter().enumerate() {
                if !is_key(&c.key) || choice_keys.contains(&c.key.as_str()) {
                    e.add(
                        format!("questions[{i}].choices[{j}].key"),
                        "invalid_key",
                        "needs a unique key of a-z, 0-9 and _",
                    );
                }
                choice_keys.push(&c.key);
                let label = localized(&mut e, &format!("questions[{i}].choices[{j}].label"), Some(&c.label), 200, true);
                choices.push(Choice { key: c.key.clone(), label });
            }
            if q.kind == QuestionType::Rating && q.scale_max.is_some_and(|m| !(3..=10).contains(&m)) {
                e.add(f("scale_max"), "out_of_range", "must be between 3 and 10");
            }
            if let Some(cond) = &q.show_if {
                // Only earlier questions can decide, so a survey never loops.
                if !seen.contains(&cond.question.as_str()) {
                    e.add(f("show_if.question"), "unknown_id", "must name an earlier question");
                }
                if let Some(text) = cond.value.as_str() {
                    crate::validate::no_nul(&mut e, &f("show_if.value"), text);
                }
            }
            seen.push(&q.key);
            questions.push(Question {
                key: q.key.clone(),
                kind: q.kind,
                text,
                required: q.required,
                choices: if choice_type { choices } else { Vec::new() },
                scale_max: if q.kind == QuestionType::Rating { Some(q.scale_max.unwrap_or(5)) } else { None },
                show_if: q.show_if.clone(),
            });
        }
        e.into_result(SurveyInput { touchpoint_id, title, intro, questions, fatigue_days })
    }
}

impl Survey {
    /// The questions to show given the answers so far, in order.
    pub fn visible<'a>(&'a self, answers: &'a Map<String, Value>) -> impl Iterator<Item = &'a Question> + 'a {
        self.questions.iter().filter(move |q| q.show_if.as_ref().is_none_or(|c| c.holds(answers)))
    }

    /// Checks answers against the questions: required ones present, numbers in
    /// range, choices known. Returns the answers of visible questions only,
    /// normalised (numbers as integers, choices as keys).
    pub fn check_answers(&self, answers: &Map<String, Value>) -> Result<Map<String, Value>, FieldErrors> {
        let mut e = FieldErrors::new();
        for k in answers.keys() {
            if !self.questions.iter().any(|q| &q.key == k) {
                e.add(format!("answers.{k}"), "unknown_id", "is not a question of this survey");
            }
        }
        let mut kept = Map::new();
        // Visibility depends on the kept answers only, in question order.
        for q in &self.questions {
            if let Some(c) = &q.show_if {
                if !c.holds(&kept) {
                    continue;
                }
            }
            let field = format!("answers.{}", q.key);
            let raw = answers.get(&q.key).filter(|v| !is_blank(v));
            let Some(raw) = raw else {
                if q.required {
                    e.add(field, "required", "is required");
                }
                continue;
            };
            match normalise(q, raw) {
                Ok(v) => {
                    kept.insert(q.key.clone(), v);
                }
                Err((code, msg)) => e.add(field, code, msg),
            }
        }
        e.into_result(kept)
    }
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

fn normalise(q: &Question, raw: &Value) -> Result<Value, (&'static str, String)> {
    if let Some((lo, hi)) = q.kind.bounds(q.scale_max) {
        let n = match raw {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        return match n {
            Some(n) if n.fract() == 0.0 && n >= lo as f64 && n <= hi as f64 => Ok(Value::from(n as i64)),
            _ => Err(("out_of_range", format!("must be a whole number from {lo} to {hi}"))),
        };
    }
    let known = |k: &str| q.choices.iter().any(|c| c.key == k);
    match q.kind {
        QuestionType::SingleChoice => match raw.as_str() {
            Some(k) if known(k) => Ok(Value::from(k)),
            _ => Err(("invalid_choice", "is not one of the choices".into())),
        },
        QuestionType::MultipleChoice => {
            let items: Vec<&str> = match raw {
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                Value::String(s) => vec![s.as_str()],
                _ => vec![],
            };
            if items.is_empty() || !items.iter().all(|k| known(k)) {
                return Err(("invalid_choice", "must be keys of the choices".into()));
            }
            let mut keys: Vec<String> = items.into_iter().map(String::from).collect();
            keys.dedup();
            Ok(Value::from(keys))
        }
        _ => match raw.as_str() {
            Some(s) if s.chars().count() <= 5000 => Ok(Value::from(s.trim())),
            Some(_) => Err(("too_long", "must be at most 5000 characters".into())),
            None => Err(("invalid_type", "must be text".into())),
        },
    }
}

/// The fatigue rule: a customer who answered this survey less than `days`
/// days before `now` is not asked again.
pub fn is_fatigued(last_answer: Option<DateTime<Utc>>, now: DateTime<Utc>, days: i64) -> bool {
    days > 0 && last_answer.is_some_and(|t| now - t < Duration::days(days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn l(en: &str, es: &str) -> Localized {
        Localized { en: en.into(), es: es.into() }
    }

    fn q(key: &str, kind: QuestionType) -> Question {
        Question {
            key: key.into(),
            kind,
            text: l("Q", "P"),
            required: false,
            choices: vec![],
            scale_max: None,
            show_if: None,
        }
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
        let s = survey(vec![
            nps,
            q("csat", QuestionType::Csat),
            q("ces", QuestionType::Ces),
            q("stars", QuestionType::Rating),
        ]);
        let ok = s.check_answers(json!({"nps": "10", "csat": 5, "ces": 1.0, "stars": 5}).as_object().unwrap()).unwrap();
        assert_eq!(ok["nps"], json!(10));
        assert_eq!(ok["ces"], json!(1));
        let e =
            s.check_answers(json!({"nps": 11, "csat": 0, "ces": 8, "stars": 2.5}).as_object().unwrap()).unwrap_err();
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
        why.show_if = Some(ShowIf { question: "nps".into(), op: ConditionOp::Lte, value: json!(6) });
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
        let c = |question: &str, op, value| ShowIf { question: question.into(), op, value };
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
        follow.show_if = Some(ShowIf { question: "later".into(), op: ConditionOp::Answered, value: Value::Null });
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
}
