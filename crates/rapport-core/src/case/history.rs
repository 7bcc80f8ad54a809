//! D2. A case's history lines: what happened, as keys and named arguments
//! the pages translate (no English stored for people to read).
//!
//! A line is stored as an action key (`opened`, `joined`, `assigned`,
//! `handover`, `escalated`, `breached`, `step`, `closed`, `reopened`,
//! `priority`, `tagged`) and a detail of space-separated `kind:value`
//! tokens, with a free text (a rule's name) last after ` name=`:
//!
//! - `opened`: `rule:2 response:13735 name=Detractors`, or by hand the
//!   note as written;
//! - `joined`: `response:12 event:13 name=Detractors`;
//! - `assigned`: `person:7 reason:default_owner`, or on a reassignment
//!   `person:4->person:7 reason:manual`;
//! - `handover`: `person:4->person:7`;
//! - `escalated`: `person:9`; `breached` and `step`: the key;
//!   `reopened`: the reason as written; `priority`: the key; `tagged`: the
//!   tags, comma-separated.
//!
//! Lines written before these formats are read too: `rule 2 (name) on
//! response 13735`, `response 12, event 13 (name)`, `person:7 (was
//! person:4)`. [`HistoryLine::parse`] never fails: what it cannot read is
//! [`HistoryLine::Other`].

use super::triage::{AssignmentReason, Priority};
use crate::Id;

/// One history line, read.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryLine {
    /// By a case rule (on a response or event), or by hand with a note.
    Opened {
        rule: Option<Id>,
        rule_name: Option<String>,
        item: Option<(String, Id)>,
        note: Option<String>,
    },
    Joined {
        items: Vec<(String, Id)>,
        rule_name: Option<String>,
    },
    Assigned {
        from: Option<Id>,
        to: Option<Id>,
        reason: Option<AssignmentReason>,
    },
    Handover {
        from: Option<Id>,
        to: Option<Id>,
    },
    Escalated {
        to: Option<Id>,
    },
    Breached {
        breach: Option<String>,
    },
    Step {
        step: Option<String>,
    },
    Closed,
    Reopened {
        reason: Option<String>,
    },
    Priority {
        priority: Option<Priority>,
    },
    Tagged {
        tags: Vec<String>,
    },
    Other {
        action: String,
        detail: Option<String>,
    },
}

/// `person:N`.
pub fn person(id: Id) -> String {
    format!("person:{id}")
}

fn person_of(token: &str) -> Option<Id> {
    token.trim().strip_prefix("person:")?.parse().ok()
}

/// The detail of a case opened by a rule.
pub fn opened_detail(rule: Id, rule_name: &str, kind: &str, item: Id) -> String {
    format!("rule:{rule} {kind}:{item} name={}", one_line(rule_name))
}

/// The detail of feedback joining an open case.
pub fn joined_detail(items: &[(&str, Id)], rule_name: &str) -> String {
    let items: Vec<String> = items.iter().map(|(k, id)| format!("{k}:{id}")).collect();
    format!("{} name={}", items.join(" "), one_line(rule_name))
}

/// The detail of an assignment: to whom, from whom (on a change) and why.
pub fn assigned_detail(from: Option<Id>, to: Id, reason: Option<AssignmentReason>) -> String {
    let who = match from {
        Some(f) => format!("{}->{}", person(f), person(to)),
        None => person(to),
    };
    match reason {
        Some(r) => format!("{who} reason:{}", r.key()),
        None => who,
    }
}

/// The detail of a handover.
pub fn handover_detail(from: Id, to: Id) -> String {
    format!("{}->{}", person(from), person(to))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits `… name=NAME` into the tokens and the name.
fn tokens_and_name(detail: &str) -> (Vec<&str>, Option<String>) {
    let (head, name) = match detail.find(" name=").or_else(|| detail.starts_with("name=").then_some(0)) {
        Some(i) => {
            let rest = &detail[i..];
            let name = rest.trim_start().trim_start_matches("name=");
            (&detail[..i], Some(name.to_string()).filter(|n| !n.is_empty()))
        }
        None => (detail, None),
    };
    (head.split_whitespace().collect(), name)
}

/// `kind:id` for a response or an event.
fn item_of(token: &str) -> Option<(String, Id)> {
    let (kind, id) = token.split_once(':')?;
    matches!(kind, "response" | "event").then_some(())?;
    Some((kind.to_string(), id.parse().ok()?))
}

/// `a->b` of two `person:N`.
fn pair(token: &str) -> Option<(Option<Id>, Option<Id>)> {
    let (a, b) = token.split_once("->")?;
    Some((person_of(a), person_of(b)))
}

impl HistoryLine {
    pub fn parse(action: &str, detail: Option<&str>) -> HistoryLine {
        let d = detail.map(str::trim).filter(|d| !d.is_empty());
        let other = || HistoryLine::Other { action: action.to_string(), detail: d.map(str::to_string) };
        match action {
            "opened" => match d {
                None => HistoryLine::Opened { rule: None, rule_name: None, item: None, note: None },
                Some(d) => opened(d).unwrap_or_else(|| HistoryLine::Opened {
                    rule: None,
                    rule_name: None,
                    item: None,
                    note: Some(d.to_string()),
                }),
            },
            "joined" => d.and_then(joined).unwrap_or_else(other),
            "assigned" => d.and_then(assigned).unwrap_or_else(other),
            "handover" => match d.and_then(|d| pair(d.split_whitespace().next()?)) {
                Some((from, to)) => HistoryLine::Handover { from, to },
                None => other(),
            },
            "escalated" => HistoryLine::Escalated { to: d.and_then(person_of) },
            "breached" => HistoryLine::Breached { breach: d.map(str::to_string) },
            "step" => HistoryLine::Step { step: d.map(str::to_string) },
            "closed" => HistoryLine::Closed,
            "reopened" => HistoryLine::Reopened { reason: d.map(str::to_string) },
            "priority" => HistoryLine::Priority { priority: d.and_then(Priority::parse) },
            "tagged" => HistoryLine::Tagged { tags: d.map(super::triage::tags_of).unwrap_or_default() },
            _ => other(),
        }
    }
}

fn opened(d: &str) -> Option<HistoryLine> {
    // Today's: `rule:2 response:13735 name=Detractors`.
    if d.starts_with("rule:") {
        let (tokens, rule_name) = tokens_and_name(d);
        let rule = tokens.first()?.strip_prefix("rule:")?.parse().ok();
        let item = tokens.get(1).and_then(|t| item_of(t));
        return Some(HistoryLine::Opened { rule, rule_name, item, note: None });
    }
    // Before: `rule 2 (Detractors) on response 13735`.
    let rest = d.strip_prefix("rule ")?;
    let (id, rest) = rest.split_once(' ')?;
    let rule = id.parse().ok()?;
    let at = rest.rfind(") on ")?;
    let rule_name = rest.get(1..at).map(str::to_string);
    let (kind, item) = rest[at + 5..].split_once(' ')?;
    let item = item_of(&format!("{kind}:{item}"));
    Some(HistoryLine::Opened { rule: Some(rule), rule_name, item, note: None })
}

fn joined(d: &str) -> Option<HistoryLine> {
    if d.contains(':') {
        let (tokens, rule_name) = tokens_and_name(d);
        let items: Vec<(String, Id)> = tokens.iter().filter_map(|t| item_of(t)).collect();
        return (!items.is_empty()).then_some(HistoryLine::Joined { items, rule_name });
    }
    // Before: `response 12, event 13 (Detractors)`.
    let (list, name) = match d.find(" (") {
        Some(i) => (&d[..i], d[i + 2..].strip_suffix(')').map(str::to_string)),
        None => (d, None),
    };
    let items: Vec<(String, Id)> = list
        .split(", ")
        .filter_map(|p| {
            let (k, id) = p.trim().split_once(' ')?;
            item_of(&format!("{k}:{id}"))
        })
        .collect();
    (!items.is_empty()).then_some(HistoryLine::Joined { items, rule_name: name })
}

fn assigned(d: &str) -> Option<HistoryLine> {
    let mut tokens = d.split_whitespace();
    let first = tokens.next()?;
    let (from, to) = match pair(first) {
        Some(p) => p,
        None => (None, Some(person_of(first)?)),
    };
    let mut line = HistoryLine::Assigned { from, to, reason: None };
    for t in tokens {
        if let HistoryLine::Assigned { from, reason, .. } = &mut line {
            if let Some(r) = t.strip_prefix("reason:") {
                *reason = AssignmentReason::parse(r);
            } else if let Some(was) = t.strip_suffix(')') {
                // Before: `person:7 (was person:4)`.
                *from = person_of(was).or(*from);
            }
        }
    }
    Some(line)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(a: &str, d: &str) -> HistoryLine {
        HistoryLine::parse(a, Some(d))
    }

    #[test]
    fn todays_details_read_back() {
        assert_eq!(
            parse("opened", &opened_detail(2, "Detractors  (NPS)", "response", 13735)),
            HistoryLine::Opened {
                rule: Some(2),
                rule_name: Some("Detractors (NPS)".into()),
                item: Some(("response".into(), 13735)),
                note: None
            }
        );
        assert_eq!(
            parse("joined", &joined_detail(&[("response", 12), ("event", 13)], "Refunds")),
            HistoryLine::Joined {
                items: vec![("response".into(), 12), ("event".into(), 13)],
                rule_name: Some("Refunds".into())
            }
        );
        assert_eq!(
            parse("assigned", &assigned_detail(Some(4), 7, Some(AssignmentReason::Manual))),
            HistoryLine::Assigned { from: Some(4), to: Some(7), reason: Some(AssignmentReason::Manual) }
        );
        assert_eq!(
            parse("assigned", &assigned_detail(None, 7, Some(AssignmentReason::DefaultOwner))),
            HistoryLine::Assigned { from: None, to: Some(7), reason: Some(AssignmentReason::DefaultOwner) }
        );
        assert_eq!(parse("handover", &handover_detail(4, 7)), HistoryLine::Handover { from: Some(4), to: Some(7) });
        assert_eq!(parse("priority", "urgent"), HistoryLine::Priority { priority: Some(Priority::Urgent) });
        assert_eq!(parse("tagged", "vip,refund"), HistoryLine::Tagged { tags: vec!["vip".into(), "refund".into()] });
    }

    #[test]
    fn legacy_details_read_back() {
        assert_eq!(
            parse("opened", "rule 2 (Detractors (NPS)) on response 13735"),
            HistoryLine::Opened {
                rule: Some(2),
                rule_name: Some("Detractors (NPS)".into()),
                item: Some(("response".into(), 13735)),
                note: None
            }
        );
        assert_eq!(
            parse("joined", "response 12, event 13 (Refunds)"),
            HistoryLine::Joined {
                items: vec![("response".into(), 12), ("event".into(), 13)],
                rule_name: Some("Refunds".into())
            }
        );
        assert_eq!(
            parse("assigned", "person:7 (was person:4)"),
            HistoryLine::Assigned { from: Some(4), to: Some(7), reason: None }
        );
        assert_eq!(parse("assigned", "person:7"), HistoryLine::Assigned { from: None, to: Some(7), reason: None });
        assert_eq!(parse("escalated", "person:9"), HistoryLine::Escalated { to: Some(9) });
        assert_eq!(parse("step", "respond"), HistoryLine::Step { step: Some("respond".into()) });
        assert_eq!(
            parse("opened", "Called about the parcel"),
            HistoryLine::Opened {
                rule: None,
                rule_name: None,
                item: None,
                note: Some("Called about the parcel".into())
            }
        );
        assert_eq!(HistoryLine::parse("closed", None), HistoryLine::Closed);
        assert_eq!(
            parse("assigned", "somebody"),
            HistoryLine::Other { action: "assigned".into(), detail: Some("somebody".into()) }
        );
    }

    proptest! {
        #[test]
        fn parsing_never_panics(action in "[a-z]{0,10}", detail in ".{0,80}") {
            for a in [action.as_str(), "opened", "joined", "assigned", "handover", "tagged"] {
                let _ = HistoryLine::parse(a, Some(&detail));
            }
        }

        #[test]
        fn assignments_round_trip(from in proptest::option::of(1i64..1_000_000), to in 1i64..1_000_000) {
            let d = assigned_detail(from, to, Some(AssignmentReason::Handover));
            prop_assert_eq!(
                HistoryLine::parse("assigned", Some(&d)),
                HistoryLine::Assigned { from, to: Some(to), reason: Some(AssignmentReason::Handover) }
            );
        }
    }
}
