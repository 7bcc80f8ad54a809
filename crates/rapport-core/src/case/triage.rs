//! D2. Triage of a case in the queue: its priority, its tags and why it is
//! with whom it is with.
//!
//! - Priority is one of four levels (low, normal, high, urgent); a case
//!   opens at `normal` unless the case rule that opened it says otherwise,
//!   and agents change it. The queue keeps its promise-due order: priority
//!   is a badge and a filter, not a second clock.
//! - Tags are short free labels: trimmed, lower-cased, inner spaces made
//!   `-`, only letters, digits, `-` and `_`; at most [`MAX_TAGS`] per case,
//!   each at most [`MAX_TAG_CHARS`] characters; duplicates kept once, in
//!   the order given.
//! - The assignment reason says which routing step chose the assignee, so
//!   the case page can say why.

use crate::validate::FieldErrors;
use serde::{Deserialize, Serialize};

pub const MAX_TAGS: usize = 10;
pub const MAX_TAG_CHARS: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::Low, Priority::Normal, Priority::High, Priority::Urgent];

    pub fn key(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    pub fn parse(s: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.key() == s.trim())
    }

    /// An optional priority as a form or the API sends it: empty is none,
    /// anything else must be one of the four (else a field error).
    pub fn field(e: &mut FieldErrors, field: &str, v: Option<&str>) -> Option<Priority> {
        let v = v.map(str::trim).filter(|v| !v.is_empty())?;
        let p = Priority::parse(v);
        if p.is_none() {
            e.add(field, "invalid", "must be low, normal, high or urgent");
        }
        p
    }
}

/// Which routing step gave the case its assignee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssignmentReason {
    /// A routing rule named the assignee.
    RoutingRule,
    /// The touchpoint's owner.
    TouchpointOwner,
    /// The governor of the listening post the feedback came through.
    PostGovernor,
    /// Nobody else: the organization's default queue owner.
    DefaultOwner,
    /// Someone chose the assignee (opening by hand, reassigning, bulk).
    Manual,
    /// The previous assignee handed their work over.
    Handover,
}

impl AssignmentReason {
    pub const ALL: [AssignmentReason; 6] = [
        AssignmentReason::RoutingRule,
        AssignmentReason::TouchpointOwner,
        AssignmentReason::PostGovernor,
        AssignmentReason::DefaultOwner,
        AssignmentReason::Manual,
        AssignmentReason::Handover,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AssignmentReason::RoutingRule => "routing_rule",
            AssignmentReason::TouchpointOwner => "touchpoint_owner",
            AssignmentReason::PostGovernor => "post_governor",
            AssignmentReason::DefaultOwner => "default_owner",
            AssignmentReason::Manual => "manual",
            AssignmentReason::Handover => "handover",
        }
    }

    pub fn parse(s: &str) -> Option<AssignmentReason> {
        AssignmentReason::ALL.into_iter().find(|r| r.key() == s)
    }
}

/// One tag normalised, or `None` when nothing is left of it.
pub fn normalize_tag(raw: &str) -> Option<String> {
    let words: Vec<String> = raw.split_whitespace().map(str::to_lowercase).collect();
    let joined = words.join("-");
    let tag: String = joined.chars().filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_').collect();
    let tag = tag.trim_matches('-').to_string();
    (!tag.is_empty()).then_some(tag)
}

/// Tags normalised (see the module docs); a field error for too many, too
/// long or empty ones.
pub fn tags(e: &mut FieldErrors, field: &str, raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in raw {
        match normalize_tag(r) {
            None => {
                e.add(field, "invalid", "a tag needs letters or digits");
                return Vec::new();
            }
            Some(t) if t.chars().count() > MAX_TAG_CHARS => {
                e.add(field, "too_long", format!("a tag is at most {MAX_TAG_CHARS} characters"));
                return Vec::new();
            }
            Some(t) if !out.contains(&t) => out.push(t),
            Some(_) => {}
        }
    }
    if out.len() > MAX_TAGS {
        e.add(field, "too_many", format!("at most {MAX_TAGS} tags"));
        return Vec::new();
    }
    out
}

/// Tags as a form sends them: one text, separated by commas.
pub fn split_tags(text: &str) -> Vec<String> {
    text.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect()
}

/// Tags as stored on the case row (comma-separated, normalised).
pub fn tags_text(tags: &[String]) -> String {
    tags.join(",")
}

pub fn tags_of(text: &str) -> Vec<String> {
    text.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priorities_round_trip_and_order() {
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.key()), Some(p));
        }
        assert!(Priority::Urgent > Priority::High && Priority::Low < Priority::Normal);
        let mut e = FieldErrors::new();
        assert_eq!(Priority::field(&mut e, "priority", Some(" high ")), Some(Priority::High));
        assert_eq!(Priority::field(&mut e, "priority", Some("")), None);
        assert!(e.is_empty());
        assert_eq!(Priority::field(&mut e, "priority", Some("asap")), None);
        assert_eq!(e.get("priority").unwrap().code, "invalid");
    }

    #[test]
    fn tags_are_normalised_and_bounded() {
        let mut e = FieldErrors::new();
        let got = tags(&mut e, "tags", &["  Late Delivery ".into(), "VIP!".into(), "vip".into(), "re_fund".into()]);
        assert_eq!(got, vec!["late-delivery", "vip", "re_fund"]);
        assert!(e.is_empty());
        let many: Vec<String> = (0..11).map(|i| format!("t{i}")).collect();
        tags(&mut e, "tags", &many);
        assert_eq!(e.get("tags").unwrap().code, "too_many");
        let mut e = FieldErrors::new();
        tags(&mut e, "tags", &["x".repeat(33)]);
        assert_eq!(e.get("tags").unwrap().code, "too_long");
        let mut e = FieldErrors::new();
        tags(&mut e, "tags", &["!!".into()]);
        assert_eq!(e.get("tags").unwrap().code, "invalid");
        assert_eq!(split_tags("a, b ,,c"), vec!["a", "b", "c"]);
        assert_eq!(tags_of(&tags_text(&["a".into(), "b".into()])), vec!["a", "b"]);
        assert!(tags_of("").is_empty());
    }

    #[test]
    fn reasons_round_trip() {
        for r in AssignmentReason::ALL {
            assert_eq!(AssignmentReason::parse(r.key()), Some(r));
        }
    }
}
