//! The change channel (D6): every change to an experience is announced to
//! the people who deliver it, and each of them acknowledges it.
//!
//! What is announced: an approved sprint proposal, an implemented idea, a
//! touchpoint added or removed, a new version of the intent statement. Who
//! hears it: the touchpoint's owner, the people of its department and the
//! agents routed to it (for an experience-wide change, the caller passes
//! the union over its touchpoints). The list is fixed when the announcement
//! is published, so "who has not acknowledged" does not shift as people move.
//!
//! Texts are a Fluent key and arguments, translated by whoever shows them
//! (the UI in the reader's language); webhooks and e-mails, which have no
//! reader's language, use [`Message::english`].

use crate::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AnnouncementKind {
    ProposalApproved,
    IdeaImplemented,
    TouchpointAdded,
    TouchpointRemoved,
    IntentVersion,
}

impl AnnouncementKind {
    pub const ALL: [AnnouncementKind; 5] = [
        AnnouncementKind::ProposalApproved,
        AnnouncementKind::IdeaImplemented,
        AnnouncementKind::TouchpointAdded,
        AnnouncementKind::TouchpointRemoved,
        AnnouncementKind::IntentVersion,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AnnouncementKind::ProposalApproved => "proposal_approved",
            AnnouncementKind::IdeaImplemented => "idea_implemented",
            AnnouncementKind::TouchpointAdded => "touchpoint_added",
            AnnouncementKind::TouchpointRemoved => "touchpoint_removed",
            AnnouncementKind::IntentVersion => "intent_version",
        }
    }

    pub fn parse(s: &str) -> Option<AnnouncementKind> {
        AnnouncementKind::ALL.into_iter().find(|x| x.key() == s)
    }

    /// The outbox event name webhooks subscribe to, e.g.
    /// `announcement.idea_implemented`.
    pub fn event(self) -> String {
        format!("announcement.{}", self.key())
    }

    /// The Fluent key stem: `announcement-idea-implemented` (`-title` and
    /// `-summary` follow).
    fn fluent(self) -> String {
        format!("announcement-{}", self.key().replace('_', "-"))
    }
}

/// What an announcement's text is built from. `subject` is the changed
/// thing's name: the idea's title, the sprint's name, the touchpoint's
/// name, or the intent version ("Version 4").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parts<'a> {
    pub subject: &'a str,
    pub touchpoint: Option<&'a str>,
    pub experience: Option<&'a str>,
    /// Who made the change (an approver, an implementer).
    pub by: Option<&'a str>,
}

/// A translatable text: the UI looks `key` up with `args`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Message {
    pub title_key: String,
    pub summary_key: String,
    /// `subject`, and `touchpoint`, `experience`, `by` when known.
    pub args: BTreeMap<String, String>,
}

impl Message {
    pub fn new(kind: AnnouncementKind, parts: &Parts<'_>) -> Message {
        let mut args = BTreeMap::new();
        args.insert("subject".to_string(), parts.subject.trim().to_string());
        for (k, v) in [("touchpoint", parts.touchpoint), ("experience", parts.experience), ("by", parts.by)] {
            if let Some(v) = v.map(str::trim).filter(|v| !v.is_empty()) {
                args.insert(k.to_string(), v.to_string());
            }
        }
        let stem = kind.fluent();
        Message { title_key: format!("{stem}-title"), summary_key: format!("{stem}-summary"), args }
    }

    /// The English title and summary, for webhooks and e-mail.
    pub fn english(&self) -> (String, String) {
        let arg = |k: &str| self.args.get(k).map(String::as_str);
        let subject = arg("subject").unwrap_or("");
        let place = match (arg("touchpoint"), arg("experience")) {
            (Some(t), Some(x)) => format!(" at {t} ({x})"),
            (Some(t), None) => format!(" at {t}"),
            (None, Some(x)) => format!(" in {x}"),
            (None, None) => String::new(),
        };
        let by = arg("by").map(|b| format!(" by {b}")).unwrap_or_default();
        let kind = AnnouncementKind::ALL.into_iter().find(|k| self.title_key == format!("{}-title", k.fluent()));
        let (title, summary) = match kind {
            Some(AnnouncementKind::ProposalApproved) => {
                ("Redesign approved", format!("The proposal of \"{subject}\"{place} was approved{by}."))
            }
            Some(AnnouncementKind::IdeaImplemented) => {
                ("Idea implemented", format!("\"{subject}\"{place} is now how we work{by}."))
            }
            Some(AnnouncementKind::TouchpointAdded) => ("New touchpoint", format!("{subject} was added{place}{by}.")),
            Some(AnnouncementKind::TouchpointRemoved) => {
                ("Touchpoint removed", format!("{subject} was removed{place}{by}."))
            }
            Some(AnnouncementKind::IntentVersion) => {
                ("Intent statement updated", format!("{subject} of the intent statement was published{place}{by}."))
            }
            None => ("Change", format!("{subject}{place}{by}")),
        };
        (title.to_string(), summary)
    }
}

/// An announcement as stored and shown in the feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Announcement {
    pub id: Id,
    pub kind: AnnouncementKind,
    /// The idea, sprint, touchpoint or intent version it is about.
    pub subject_id: Id,
    pub touchpoint_id: Option<Id>,
    pub experience_id: Option<Id>,
    pub message: Message,
    pub recipients: Vec<Id>,
    pub acknowledged: Vec<Id>,
    pub published_at: DateTime<Utc>,
}

impl Announcement {
    pub fn pending(&self) -> Vec<Id> {
        pending(&self.recipients, &self.acknowledged)
    }
}

/// Who hears about a change: the owner, the department, the routed agents,
/// in that order, each person once.
pub fn recipients(owner: Option<Id>, department_people: &[Id], routed_agents: &[Id]) -> Vec<Id> {
    let mut out: Vec<Id> = Vec::new();
    for id in owner.iter().chain(department_people).chain(routed_agents) {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

/// Recipients who have not acknowledged yet, in recipient order.
/// Acknowledgements from non-recipients are ignored.
pub fn pending(recipients: &[Id], acknowledged: &[Id]) -> Vec<Id> {
    recipients.iter().copied().filter(|r| !acknowledged.contains(r)).collect()
}

/// Whether `person` may acknowledge: only recipients do, once.
pub fn can_acknowledge(recipients: &[Id], acknowledged: &[Id], person: Id) -> bool {
    recipients.contains(&person) && !acknowledged.contains(&person)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_keys_and_events() {
        for k in AnnouncementKind::ALL {
            assert_eq!(AnnouncementKind::parse(k.key()), Some(k));
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{}\"", k.key()));
        }
        assert_eq!(AnnouncementKind::IdeaImplemented.event(), "announcement.idea_implemented");
        assert_eq!(AnnouncementKind::parse("sprint_started"), None);
    }

    #[test]
    fn recipients_are_deduplicated_in_a_stable_order() {
        assert_eq!(recipients(Some(5), &[3, 5, 8], &[8, 2, 3, 9]), vec![5, 3, 8, 2, 9]);
        assert_eq!(recipients(None, &[], &[4, 4]), vec![4]);
        assert!(recipients(None, &[], &[]).is_empty());
    }

    #[test]
    fn pending_is_who_has_not_acknowledged() {
        let to = recipients(Some(5), &[3, 8], &[2]);
        assert_eq!(pending(&to, &[]), vec![5, 3, 8, 2]);
        assert_eq!(pending(&to, &[8, 5, 77]), vec![3, 2], "77 is not a recipient");
        assert!(pending(&to, &[2, 3, 5, 8]).is_empty());
        assert!(can_acknowledge(&to, &[8], 3));
        assert!(!can_acknowledge(&to, &[8], 8), "once");
        assert!(!can_acknowledge(&to, &[], 77), "recipients only");
    }

    #[test]
    fn messages_are_keys_and_args() {
        let parts =
            Parts { subject: " Return slots ", touchpoint: Some("Returns desk"), experience: None, by: Some("") };
        let m = Message::new(AnnouncementKind::IdeaImplemented, &parts);
        assert_eq!(m.title_key, "announcement-idea-implemented-title");
        assert_eq!(m.summary_key, "announcement-idea-implemented-summary");
        let args: Vec<(&str, &str)> = m.args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(args, vec![("subject", "Return slots"), ("touchpoint", "Returns desk")], "blank parts are left out");
        assert_eq!(
            m.english(),
            ("Idea implemented".into(), "\"Return slots\" at Returns desk is now how we work.".into())
        );
        let v =
            Parts { subject: "Version 4", experience: Some("Buying online"), by: Some("Marta"), ..Default::default() };
        let (title, summary) = Message::new(AnnouncementKind::IntentVersion, &v).english();
        assert_eq!(title, "Intent statement updated");
        assert_eq!(summary, "Version 4 of the intent statement was published in Buying online by Marta.");
        let (_, summary) =
            Message::new(AnnouncementKind::ProposalApproved, &Parts { subject: "Desk", ..Default::default() })
                .english();
        assert_eq!(summary, "The proposal of \"Desk\" was approved.");
    }

    #[test]
    fn announcements_round_trip_and_report_pending() {
        let a = Announcement {
            id: 1,
            kind: AnnouncementKind::TouchpointAdded,
            subject_id: 4,
            touchpoint_id: Some(4),
            experience_id: Some(2),
            message: Message::new(AnnouncementKind::TouchpointAdded, &Parts { subject: "Chat", ..Default::default() }),
            recipients: vec![5, 3],
            acknowledged: vec![3],
            published_at: "2026-11-02T09:00:00Z".parse().unwrap(),
        };
        assert_eq!(a.pending(), vec![5]);
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(serde_json::from_str::<Announcement>(&json).unwrap(), a);
    }
}
