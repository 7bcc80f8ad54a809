//! A8. The CX council: cross-functional members, meetings with an agenda
//! drafted from the program's state, minutes, decisions and action items.
//!
//! Policy:
//! - A member is a person of the organization with a council role (chair,
//!   member or secretary); a person sits once. Department coverage counts
//!   the departments of the organization's active people and which of them
//!   have an active member (`coverage`).
//! - A meeting starts at an instant (UTC, shown in the organization's time
//!   zone), lasts 5 to 600 minutes and is planned or held. Its agenda is
//!   drafted by [`agenda::draft`] from plain facts when it is created, then
//!   edited freely (at most [`MAX_AGENDA_ITEMS`] items).
//! - Decisions may point at an idea, a sprint or an intent version of the
//!   same organization (the store checks). Action items have an owner (an
//!   active person), a due date and a done flag; the owner or a planner
//!   ticks them.
//! - Every text is bounded here, so a body the API accepts is one the
//!   store keeps.

pub mod agenda;
pub mod ics;
mod input;

pub use input::*;

use crate::person::Person;
use crate::Id;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most items one meeting's agenda holds.
pub const MAX_AGENDA_ITEMS: usize = 50;

/// A member's part in the council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CouncilRole {
    Chair,
    Member,
    Secretary,
}

impl CouncilRole {
    pub const ALL: [CouncilRole; 3] = [CouncilRole::Chair, CouncilRole::Member, CouncilRole::Secretary];

    pub fn key(self) -> &'static str {
        match self {
            CouncilRole::Chair => "chair",
            CouncilRole::Member => "member",
            CouncilRole::Secretary => "secretary",
        }
    }

    pub fn parse(s: &str) -> Option<CouncilRole> {
        CouncilRole::ALL.into_iter().find(|x| x.key() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CouncilMeetingStatus {
    Planned,
    Held,
}

impl CouncilMeetingStatus {
    pub const ALL: [CouncilMeetingStatus; 2] = [CouncilMeetingStatus::Planned, CouncilMeetingStatus::Held];

    pub fn key(self) -> &'static str {
        match self {
            CouncilMeetingStatus::Planned => "planned",
            CouncilMeetingStatus::Held => "held",
        }
    }

    pub fn parse(s: &str) -> Option<CouncilMeetingStatus> {
        CouncilMeetingStatus::ALL.into_iter().find(|x| x.key() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilMember {
    pub id: Id,
    pub person_id: Id,
    pub role: CouncilRole,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilMeeting {
    pub id: Id,
    pub title: String,
    /// When it starts (UTC).
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i64,
    /// A room or a link.
    pub location: Option<String>,
    pub status: CouncilMeetingStatus,
    /// Markdown.
    pub minutes: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CouncilMeeting {
    pub fn ends_at(&self) -> DateTime<Utc> {
        self.starts_at + chrono::Duration::minutes(self.duration_minutes)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilAgendaItem {
    pub id: Id,
    pub meeting_id: Id,
    /// From 0, in the agenda's order.
    pub position: i64,
    pub kind: agenda::CouncilAgendaKind,
    pub title: String,
    /// A page of Rapport the item is about (a path such as `/ideas/3`).
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilDecision {
    pub id: Id,
    pub meeting_id: Id,
    pub text: String,
    pub idea_id: Option<Id>,
    pub sprint_id: Option<Id>,
    pub intent_version_id: Option<Id>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilActionItem {
    pub id: Id,
    pub meeting_id: Id,
    pub text: String,
    pub owner_id: Id,
    pub due_on: NaiveDate,
    pub done: bool,
    pub done_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Which departments of the organization have a council member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilCoverage {
    /// Departments with at least one active member, by name.
    pub covered: Vec<String>,
    /// Departments of active people with no active member, by name.
    pub missing: Vec<String>,
    pub covered_count: i64,
    pub total: i64,
}

/// The departments of the active people (trimmed, compared ignoring case,
/// written as first met in name order) and which have an active member.
/// People without a department are left out: they name no department.
pub fn coverage(people: &[Person], members: &[CouncilMember]) -> CouncilCoverage {
    let sitting: Vec<Id> = members.iter().map(|m| m.person_id).collect();
    // key (lower case) -> (shown name, covered)
    let mut departments: BTreeMap<String, (String, bool)> = BTreeMap::new();
    let mut active: Vec<&Person> = people.iter().filter(|p| p.is_active()).collect();
    active.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
    for p in active {
        let Some(d) = p.department.as_deref().map(str::trim).filter(|d| !d.is_empty()) else { continue };
        let entry = departments.entry(d.to_lowercase()).or_insert_with(|| (d.to_string(), false));
        entry.1 |= sitting.contains(&p.id);
    }
    let mut out = CouncilCoverage { total: departments.len() as i64, ..CouncilCoverage::default() };
    for (_, (name, covered)) in departments {
        if covered {
            out.covered.push(name);
        } else {
            out.missing.push(name);
        }
    }
    out.covered_count = out.covered.len() as i64;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(id: Id, name: &str, department: Option<&str>, left: bool) -> Person {
        Person {
            id,
            name: name.into(),
            email: format!("{id}@example.com"),
            department: department.map(Into::into),
            role: None,
            joined_on: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            left_on: left.then(|| NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()),
        }
    }

    fn member(person_id: Id) -> CouncilMember {
        CouncilMember { id: person_id * 10, person_id, role: CouncilRole::Member, created_at: Utc::now() }
    }

    #[test]
    fn coverage_names_the_departments_without_a_member() {
        let people = vec![
            person(1, "Ana", Some("Operations"), false),
            person(2, "Ben", Some("Finance"), false),
            person(3, "Cy", Some(" operations "), false),
            person(4, "Di", Some("Logistics"), false),
            person(5, "Ed", None, false),
            // Someone who left names no department any more, even as a member.
            person(6, "Flo", Some("Legal"), true),
            person(7, "Gus", Some("Marketing"), false),
        ];
        let c = coverage(&people, &[member(3), member(5), member(6), member(7)]);
        assert_eq!(c.covered, vec!["Marketing", "Operations"]);
        assert_eq!(c.missing, vec!["Finance", "Logistics"]);
        assert_eq!((c.covered_count, c.total), (2, 4));
    }

    #[test]
    fn an_empty_organization_has_nothing_to_cover() {
        let c = coverage(&[], &[]);
        assert_eq!((c.covered_count, c.total), (0, 0));
        assert!(c.missing.is_empty() && c.covered.is_empty());
    }

    #[test]
    fn roles_and_statuses_read_back() {
        for r in CouncilRole::ALL {
            assert_eq!(CouncilRole::parse(r.key()), Some(r));
        }
        for s in CouncilMeetingStatus::ALL {
            assert_eq!(CouncilMeetingStatus::parse(s.key()), Some(s));
        }
        assert_eq!(CouncilRole::parse("boss"), None);
    }
}
