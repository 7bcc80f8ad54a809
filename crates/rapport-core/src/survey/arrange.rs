//! Putting a survey's questions in another order, and copying one.
//!
//! Policy:
//! - a new order lists every question's key exactly once: an unknown key, a
//!   key given twice or a key left out is refused, naming `keys[i]` (or
//!   `keys` for one left out);
//! - skip logic only reads earlier answers (the core's draft validation
//!   enforces it), so an order that puts a question before the one its
//!   condition reads is refused, naming that question's place;
//! - a copy comes right after its original (so its condition still reads
//!   an earlier question) under a new key, `<key>_copy`, `<key>_copy2`, …,
//!   cut to the 40 characters a key may have.

use super::{Question, MAX_QUESTIONS};
use crate::validate::FieldErrors;
use std::collections::HashMap;

/// The keys a question's condition reads (before any `.row`).
pub fn condition_keys(q: &Question) -> Vec<&str> {
    q.show_if.as_ref().map(|c| c.parts().map(|p| p.question_key()).collect()).unwrap_or_default()
}

/// Checks that every condition reads a question placed before it; a
/// question placed after is reported on `field(i)` (`i`: the place of the
/// question with the condition).
pub fn check_order(questions: &[Question], field: impl Fn(usize) -> String) -> Result<(), FieldErrors> {
    let place: HashMap<&str, usize> = questions.iter().enumerate().map(|(i, q)| (q.key.as_str(), i)).collect();
    let mut e = FieldErrors::new();
    for (i, q) in questions.iter().enumerate() {
        if let Some(dep) = condition_keys(q).into_iter().find(|k| place.get(k).is_some_and(|&j| j >= i)) {
            e.add(field(i), "invalid_order", format!("is shown depending on \"{dep}\", which must come before it"));
        }
    }
    e.into_result(())
}

/// The questions in the order of `keys`, which must name each once.
pub fn reorder(questions: &[Question], keys: &[String]) -> Result<Vec<Question>, FieldErrors> {
    let mut e = FieldErrors::new();
    if keys.len() > MAX_QUESTIONS {
        return Err(FieldErrors::single("keys", "too_many", format!("at most {MAX_QUESTIONS} keys")));
    }
    let mut out: Vec<Question> = Vec::with_capacity(questions.len());
    for (i, k) in keys.iter().enumerate() {
        if out.iter().any(|q| &q.key == k) {
            e.add(format!("keys[{i}]"), "duplicate", "this key is already listed");
        } else if let Some(q) = questions.iter().find(|q| &q.key == k) {
            out.push(q.clone());
        } else {
            e.add(format!("keys[{i}]"), "unknown_id", "no question of the survey has this key");
        }
    }
    if e.is_empty() {
        if let Some(left) = questions.iter().find(|q| !keys.contains(&q.key)) {
            e.add("keys", "required", format!("lists every question's key once; \"{}\" is missing", left.key));
        }
    }
    e.into_result(())?;
    check_order(&out, |i| format!("keys[{i}]"))?;
    Ok(out)
}

/// The question of `key` moved to place `to` (0-based).
pub fn move_question(questions: &[Question], key: &str, to: usize) -> Result<Vec<Question>, FieldErrors> {
    let Some(from) = questions.iter().position(|q| q.key == key) else {
        return Err(FieldErrors::single("key", "unknown_id", "no question of the survey has this key"));
    };
    if to >= questions.len() {
        return Err(FieldErrors::single(
            "to",
            "out_of_range",
            format!("must be between 0 and {}", questions.len() - 1),
        ));
    }
    let mut out = questions.to_vec();
    let q = out.remove(from);
    out.insert(to, q);
    check_order(&out, |i| if i == to { "to".into() } else { format!("questions[{i}].show_if") })?;
    Ok(out)
}

/// A key not among `taken`: `<base>_copy`, then `<base>_copy2`, ….
pub fn unique_key<'a>(base: &str, taken: impl Iterator<Item = &'a str> + Clone) -> String {
    (1..)
        .map(|n| {
            let suffix = if n == 1 { "_copy".to_string() } else { format!("_copy{n}") };
            let room = 40 - suffix.len();
            let stem: String = base.chars().take(room).collect();
            format!("{stem}{suffix}")
        })
        .find(|k| !taken.clone().any(|t| t == k))
        .expect("an unused key")
}

/// The survey with a copy of the question of `key` right after it; the
/// copy's key is returned too.
pub fn duplicate_question(questions: &[Question], key: &str) -> Result<(Vec<Question>, String), FieldErrors> {
    let Some(at) = questions.iter().position(|q| q.key == key) else {
        return Err(FieldErrors::single("key", "unknown_id", "no question of the survey has this key"));
    };
    if questions.len() >= MAX_QUESTIONS {
        return Err(FieldErrors::single("questions", "too_many", format!("at most {MAX_QUESTIONS} questions")));
    }
    let mut copy = questions[at].clone();
    copy.key = unique_key(key, questions.iter().map(|q| q.key.as_str()));
    let new_key = copy.key.clone();
    let mut out = questions.to_vec();
    out.insert(at + 1, copy);
    Ok((out, new_key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::{ConditionOp, Localized, QuestionType, ShowIf, SurveyDraft};
    use serde_json::json;

    fn q(key: &str) -> Question {
        Question::new(key, QuestionType::Text, Localized { en: key.into(), es: key.into() })
    }

    /// nps, why (shown when nps ≤ 6), more.
    fn survey() -> Vec<Question> {
        let mut nps = q("nps");
        nps.kind = QuestionType::Nps;
        let mut why = q("why");
        why.show_if = Some(ShowIf::new("nps", ConditionOp::Lte, json!(6)));
        vec![nps, why, q("more")]
    }

    fn keys(qs: &[Question]) -> Vec<&str> {
        qs.iter().map(|q| q.key.as_str()).collect()
    }

    fn strings(ks: &[&str]) -> Vec<String> {
        ks.iter().map(|k| k.to_string()).collect()
    }

    #[test]
    fn reorder_takes_every_key_once_and_keeps_conditions_after_their_question() {
        let s = survey();
        assert_eq!(keys(&reorder(&s, &strings(&["more", "nps", "why"])).unwrap()), ["more", "nps", "why"]);
        let e = reorder(&s, &strings(&["nps", "nope", "why", "more"])).unwrap_err();
        assert_eq!(e.get("keys[1]").unwrap().code, "unknown_id");
        let e = reorder(&s, &strings(&["nps", "why", "why"])).unwrap_err();
        assert_eq!(e.get("keys[2]").unwrap().code, "duplicate");
        let e = reorder(&s, &strings(&["nps", "why"])).unwrap_err();
        assert_eq!(e.get("keys").unwrap().code, "required");
        let e = reorder(&s, &strings(&["why", "nps", "more"])).unwrap_err();
        assert_eq!(e.get("keys[0]").unwrap().code, "invalid_order");
        assert!(e.get("keys[0]").unwrap().message.contains("nps"));
    }

    #[test]
    fn a_move_may_not_put_a_condition_before_its_question() {
        let s = survey();
        assert_eq!(keys(&move_question(&s, "more", 0).unwrap()), ["more", "nps", "why"]);
        assert_eq!(move_question(&s, "why", 0).unwrap_err().get("to").unwrap().code, "invalid_order");
        // Moving the question read below the one reading it names the latter.
        let e = move_question(&s, "nps", 2).unwrap_err();
        assert_eq!(e.get("questions[0].show_if").unwrap().code, "invalid_order");
        assert_eq!(move_question(&s, "x", 0).unwrap_err().get("key").unwrap().code, "unknown_id");
        assert_eq!(move_question(&s, "nps", 3).unwrap_err().get("to").unwrap().code, "out_of_range");
    }

    #[test]
    fn a_copy_follows_its_original_under_a_new_key_and_validates() {
        let s = survey();
        let (out, key) = duplicate_question(&s, "why").unwrap();
        assert_eq!(key, "why_copy");
        assert_eq!(keys(&out), ["nps", "why", "why_copy", "more"]);
        assert_eq!(out[2].show_if, s[1].show_if);
        let (out, key) = duplicate_question(&out, "why").unwrap();
        assert_eq!((key.as_str(), out.len()), ("why_copy2", 5));
        let long = "k".repeat(40);
        let copy = unique_key(&long, [long.as_str()].into_iter());
        assert_eq!(copy.len(), 40);
        assert!(copy.ends_with("_copy"));
        let draft = SurveyDraft {
            touchpoint_id: Some(1),
            title: Some(Localized { en: "T".into(), es: "T".into() }),
            questions: out,
            ..Default::default()
        };
        assert!(draft.validate().is_ok());
        assert_eq!(duplicate_question(&s, "x").unwrap_err().get("key").unwrap().code, "unknown_id");
    }
}
