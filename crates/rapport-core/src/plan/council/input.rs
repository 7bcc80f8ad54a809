//! What a council form or JSON body may hold, and its validation: every
//! text bounded, every field named in its error.

use super::agenda::CouncilAgendaKind;
use super::{CouncilMeetingStatus, CouncilRole};
use crate::validate::{optional_text, required_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Deserialize;

pub const MAX_TITLE: usize = 200;
pub const MAX_AGENDA_TITLE: usize = 300;
pub const MAX_LOCATION: usize = 500;
pub const MAX_LINK: usize = 500;
pub const MAX_MINUTES_TEXT: usize = 20_000;
pub const MAX_DECISION: usize = 2_000;
pub const MAX_ACTION: usize = 1_000;
pub const MIN_DURATION: i64 = 5;
pub const MAX_DURATION: i64 = 600;
/// Meetings and due dates fall in these years (a typo such as 0026 or
/// 9999 is refused rather than stored).
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;

fn year_ok(y: i32) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&y)
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilMemberDraft {
    /// The person who sits on the council (required when adding).
    pub person_id: Option<Id>,
    /// chair, member (default) or secretary.
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilMemberInput {
    pub person_id: Id,
    pub role: CouncilRole,
}

impl CouncilMemberDraft {
    /// `person_required`: adding a member needs the person; changing one's
    /// role does not.
    pub fn validate(&self, person_required: bool) -> Result<CouncilMemberInput, FieldErrors> {
        let mut e = FieldErrors::new();
        if person_required && self.person_id.is_none() {
            e.add("person_id", "required", "choose the person");
        }
        let role = match self.role.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => CouncilRole::Member,
            Some(r) => CouncilRole::parse(r).unwrap_or_else(|| {
                e.add("role", "invalid", "must be chair, member or secretary");
                CouncilRole::Member
            }),
        };
        e.into_result(CouncilMemberInput { person_id: self.person_id.unwrap_or_default(), role })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilMeetingDraft {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub title: Option<String>,
    /// When it starts, e.g. `2026-12-10T09:00:00Z` (years 2000 to 2100).
    pub starts_at: Option<DateTime<Utc>>,
    /// 5 to 600 minutes; 60 when left out.
    #[cfg_attr(feature = "openapi", schema(minimum = 5, maximum = 600))]
    pub duration_minutes: Option<i64>,
    /// A room or a video link.
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub location: Option<String>,
    /// planned (default) or held.
    pub status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilMeetingInput {
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i64,
    pub location: Option<String>,
    pub status: CouncilMeetingStatus,
}

impl CouncilMeetingDraft {
    pub fn validate(&self) -> Result<CouncilMeetingInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = required_text(&mut e, "title", self.title.as_deref(), MAX_TITLE);
        let starts_at = match self.starts_at {
            None => {
                e.add("starts_at", "required", "is required");
                DateTime::<Utc>::UNIX_EPOCH
            }
            Some(t) if !year_ok(t.year()) => {
                e.add("starts_at", "out_of_range", format!("must be in the years {FIRST_YEAR} to {LAST_YEAR}"));
                t
            }
            Some(t) => t,
        };
        let duration_minutes = self.duration_minutes.unwrap_or(60);
        if !(MIN_DURATION..=MAX_DURATION).contains(&duration_minutes) {
            e.add("duration_minutes", "out_of_range", format!("must be {MIN_DURATION} to {MAX_DURATION} minutes"));
        }
        let location = optional_text(&mut e, "location", self.location.as_deref(), MAX_LOCATION);
        let status = match self.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => CouncilMeetingStatus::Planned,
            Some(s) => CouncilMeetingStatus::parse(s).unwrap_or_else(|| {
                e.add("status", "invalid", "must be planned or held");
                CouncilMeetingStatus::Planned
            }),
        };
        e.into_result(CouncilMeetingInput { title, starts_at, duration_minutes, location, status })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilMinutesDraft {
    /// Markdown; empty clears the minutes.
    #[cfg_attr(feature = "openapi", schema(max_length = 20000))]
    pub minutes: Option<String>,
}

impl CouncilMinutesDraft {
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        let text = optional_text(&mut e, "minutes", self.minutes.as_deref(), MAX_MINUTES_TEXT).unwrap_or_default();
        e.into_result(text)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilAgendaItemDraft {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 300))]
    pub title: Option<String>,
    /// A page of Rapport (a path starting with `/`) or an http(s) address.
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub link: Option<String>,
    /// Where it goes, from 0 (the agenda's end when left out or past it).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 49))]
    pub position: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilAgendaItemInput {
    pub kind: CouncilAgendaKind,
    pub title: String,
    pub link: Option<String>,
    pub position: Option<i64>,
}

/// A link an agenda item may carry: one of Rapport's own pages or a web
/// address, never a scheme that runs anything.
pub fn is_agenda_link(s: &str) -> bool {
    let local = s.starts_with('/') && !s.starts_with("//") && !s.contains('\\');
    let web = s.starts_with("https://") || s.starts_with("http://");
    (local || web) && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl CouncilAgendaItemDraft {
    /// A person's item is `custom`; the kind of a drafted item is kept by
    /// the store when it is edited.
    pub fn validate(&self) -> Result<CouncilAgendaItemInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = required_text(&mut e, "title", self.title.as_deref(), MAX_AGENDA_TITLE);
        let link = optional_text(&mut e, "link", self.link.as_deref(), MAX_LINK);
        if link.as_deref().is_some_and(|l| e.get("link").is_none() && !is_agenda_link(l)) {
            e.add("link", "invalid", "must be a path of Rapport (starting with /) or an http(s) address");
        }
        if let Some(p) = self.position {
            if !(0..super::MAX_AGENDA_ITEMS as i64).contains(&p) {
                e.add("position", "out_of_range", format!("must be 0 to {}", super::MAX_AGENDA_ITEMS - 1));
            }
        }
        e.into_result(CouncilAgendaItemInput { kind: CouncilAgendaKind::Custom, title, link, position: self.position })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilDecisionDraft {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub text: Option<String>,
    /// The idea it approves, rejects or plans (same organization).
    pub idea_id: Option<Id>,
    /// The sprint it starts or steers.
    pub sprint_id: Option<Id>,
    /// The intent version it produced.
    pub intent_version_id: Option<Id>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilDecisionInput {
    pub text: String,
    pub idea_id: Option<Id>,
    pub sprint_id: Option<Id>,
    pub intent_version_id: Option<Id>,
}

impl CouncilDecisionDraft {
    pub fn validate(&self) -> Result<CouncilDecisionInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let text = required_text(&mut e, "text", self.text.as_deref(), MAX_DECISION);
        e.into_result(CouncilDecisionInput {
            text,
            idea_id: self.idea_id,
            sprint_id: self.sprint_id,
            intent_version_id: self.intent_version_id,
        })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilActionDraft {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub text: Option<String>,
    /// Who does it: an active person of the organization.
    pub owner_id: Option<Id>,
    /// By when (years 2000 to 2100).
    pub due_on: Option<NaiveDate>,
    #[serde(default)]
    pub done: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouncilActionInput {
    pub text: String,
    pub owner_id: Id,
    pub due_on: NaiveDate,
    pub done: bool,
}

impl CouncilActionDraft {
    pub fn validate(&self) -> Result<CouncilActionInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let text = required_text(&mut e, "text", self.text.as_deref(), MAX_ACTION);
        if self.owner_id.is_none() {
            e.add("owner_id", "required", "choose who does it");
        }
        let due_on = match self.due_on {
            None => {
                e.add("due_on", "required", "is required");
                NaiveDate::default()
            }
            Some(d) if !year_ok(d.year()) => {
                e.add("due_on", "out_of_range", format!("must be in the years {FIRST_YEAR} to {LAST_YEAR}"));
                d
            }
            Some(d) => d,
        };
        e.into_result(CouncilActionInput {
            text,
            owner_id: self.owner_id.unwrap_or_default(),
            due_on,
            done: self.done.unwrap_or(false),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn field(e: FieldErrors) -> Vec<String> {
        e.0.into_keys().collect()
    }

    #[test]
    fn a_meeting_is_bounded() {
        let ok = CouncilMeetingDraft {
            title: Some(" Council ".into()),
            starts_at: Some(Utc.with_ymd_and_hms(2026, 12, 10, 9, 0, 0).unwrap()),
            ..Default::default()
        };
        let m = ok.validate().unwrap();
        assert_eq!((m.title.as_str(), m.duration_minutes, m.status), ("Council", 60, CouncilMeetingStatus::Planned));
        for d in [4, 601, -1] {
            let bad = CouncilMeetingDraft { duration_minutes: Some(d), ..ok.clone() };
            assert_eq!(field(bad.validate().unwrap_err()), vec!["duration_minutes"]);
        }
        for d in [5, 600] {
            assert!(CouncilMeetingDraft { duration_minutes: Some(d), ..ok.clone() }.validate().is_ok());
        }
        let far =
            CouncilMeetingDraft { starts_at: Some(Utc.with_ymd_and_hms(9999, 1, 1, 0, 0, 0).unwrap()), ..ok.clone() };
        assert_eq!(field(far.validate().unwrap_err()), vec!["starts_at"]);
        let bad = CouncilMeetingDraft { status: Some("maybe".into()), location: Some("x".repeat(501)), ..ok };
        assert_eq!(field(bad.validate().unwrap_err()), vec!["location", "status"]);
        assert_eq!(field(CouncilMeetingDraft::default().validate().unwrap_err()), vec!["starts_at", "title"]);
    }

    #[test]
    fn agenda_links_are_pages_or_web_addresses() {
        for ok in ["/ideas/3", "https://example.com/x", "http://intra/a?b=c"] {
            assert!(is_agenda_link(ok), "{ok}");
        }
        for bad in ["javascript:alert(1)", "//evil.example", "ideas/3", "/a b", "data:text/html,x", "/\\evil"] {
            assert!(!is_agenda_link(bad), "{bad}");
        }
        let d =
            CouncilAgendaItemDraft { title: Some("x".into()), link: Some("javascript:x".into()), position: Some(50) };
        assert_eq!(field(d.validate().unwrap_err()), vec!["link", "position"]);
    }

    #[test]
    fn actions_and_decisions_name_their_fields() {
        assert_eq!(field(CouncilActionDraft::default().validate().unwrap_err()), vec!["due_on", "owner_id", "text"]);
        let early = CouncilActionDraft {
            text: Some("Call".into()),
            owner_id: Some(1),
            due_on: NaiveDate::from_ymd_opt(1, 1, 1),
            done: None,
        };
        assert_eq!(field(early.validate().unwrap_err()), vec!["due_on"]);
        assert_eq!(field(CouncilDecisionDraft::default().validate().unwrap_err()), vec!["text"]);
        let nul = CouncilDecisionDraft { text: Some("a\0b".into()), ..Default::default() };
        assert_eq!(field(nul.validate().unwrap_err()), vec!["text"]);
        assert_eq!(field(CouncilMemberDraft::default().validate(true).unwrap_err()), vec!["person_id"]);
        let boss = CouncilMemberDraft { person_id: Some(1), role: Some("boss".into()) };
        assert_eq!(field(boss.validate(true).unwrap_err()), vec!["role"]);
    }
}
