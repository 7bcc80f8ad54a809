//! The agenda Rapport drafts for a council meeting from the program's
//! state, as plain facts gathered by the server (bounded reads).
//!
//! Policy, in the agenda's order:
//! 1. intent criteria missed, then those at risk (in the statement's order);
//! 2. experience goals off target (missed before at risk, then by name);
//! 3. the top [`TOP_ROOT_CAUSES`] root causes of the period's closed cases
//!    (most cases first; none without cases);
//! 4. ideas awaiting review (new or under review), most votes first, then
//!    oldest, at most [`MAX_IDEAS`];
//! 5. sprints ending within [`SPRINT_DAYS`] days from today (today
//!    included; ended ones are not "ending"), soonest first;
//! 6. announcements someone has not acknowledged, most people waiting
//!    first, at most [`MAX_ANNOUNCEMENTS`].
//!
//! Each item has a kind (shown translated), a title (the subject's own
//! words) and the page it is about. An empty program drafts an empty
//! agenda: the meeting's planner writes their own items.

use crate::Id;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const TOP_ROOT_CAUSES: usize = 3;
pub const MAX_IDEAS: usize = 5;
pub const MAX_ANNOUNCEMENTS: usize = 5;
pub const SPRINT_DAYS: i64 = 14;

/// What an agenda item is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CouncilAgendaKind {
    CriterionMissed,
    CriterionAtRisk,
    GoalOffTarget,
    RootCause,
    IdeaAwaitingReview,
    SprintEnding,
    Announcement,
    /// Written by a person.
    Custom,
}

impl CouncilAgendaKind {
    pub const ALL: [CouncilAgendaKind; 8] = [
        CouncilAgendaKind::CriterionMissed,
        CouncilAgendaKind::CriterionAtRisk,
        CouncilAgendaKind::GoalOffTarget,
        CouncilAgendaKind::RootCause,
        CouncilAgendaKind::IdeaAwaitingReview,
        CouncilAgendaKind::SprintEnding,
        CouncilAgendaKind::Announcement,
        CouncilAgendaKind::Custom,
    ];

    pub fn key(self) -> &'static str {
        match self {
            CouncilAgendaKind::CriterionMissed => "criterion_missed",
            CouncilAgendaKind::CriterionAtRisk => "criterion_at_risk",
            CouncilAgendaKind::GoalOffTarget => "goal_off_target",
            CouncilAgendaKind::RootCause => "root_cause",
            CouncilAgendaKind::IdeaAwaitingReview => "idea_awaiting_review",
            CouncilAgendaKind::SprintEnding => "sprint_ending",
            CouncilAgendaKind::Announcement => "announcement",
            CouncilAgendaKind::Custom => "custom",
        }
    }

    pub fn parse(s: &str) -> Option<CouncilAgendaKind> {
        CouncilAgendaKind::ALL.into_iter().find(|x| x.key() == s)
    }

    /// The kind in English, for the calendar file (which has no reader's
    /// language).
    pub fn english(self) -> &'static str {
        match self {
            CouncilAgendaKind::CriterionMissed => "Intent criterion missed",
            CouncilAgendaKind::CriterionAtRisk => "Intent criterion at risk",
            CouncilAgendaKind::GoalOffTarget => "Goal off target",
            CouncilAgendaKind::RootCause => "Top root cause",
            CouncilAgendaKind::IdeaAwaitingReview => "Idea awaiting review",
            CouncilAgendaKind::SprintEnding => "Sprint ending",
            CouncilAgendaKind::Announcement => "Unacknowledged announcement",
            CouncilAgendaKind::Custom => "Item",
        }
    }
}

/// An intent criterion as evaluated now; only missed and at-risk ones make
/// the agenda.
#[derive(Debug, Clone, PartialEq)]
pub struct CriterionFact {
    /// A readable description, e.g. "NPS at least 30 · First purchase".
    pub label: String,
    pub missed: bool,
    pub at_risk: bool,
}

/// An experience goal judged on its current period.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalFact {
    pub experience_id: Id,
    /// e.g. "First purchase: NPS 22 (goal 30)".
    pub label: String,
    pub missed: bool,
    pub at_risk: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RootCauseFact {
    pub name: String,
    pub cases: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IdeaFact {
    pub id: Id,
    pub title: String,
    pub votes: i64,
    /// Whether it is new or under review (others are left out).
    pub awaiting_review: bool,
    /// Older ideas first among equal votes (a sortable stamp).
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SprintFact {
    pub id: Id,
    pub name: String,
    pub end: NaiveDate,
    /// Finished sprints are not "ending".
    pub finished: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AnnouncementFact {
    pub id: Id,
    pub title: String,
    /// Recipients who have not acknowledged it.
    pub pending: i64,
}

/// The program's state the agenda is drafted from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AgendaFacts {
    pub criteria: Vec<CriterionFact>,
    pub goals: Vec<GoalFact>,
    pub root_causes: Vec<RootCauseFact>,
    pub ideas: Vec<IdeaFact>,
    pub sprints: Vec<SprintFact>,
    pub announcements: Vec<AnnouncementFact>,
}

/// One drafted item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftItem {
    pub kind: CouncilAgendaKind,
    pub title: String,
    pub link: Option<String>,
}

fn item(kind: CouncilAgendaKind, title: &str, link: String) -> DraftItem {
    DraftItem { kind, title: title.chars().take(super::MAX_AGENDA_TITLE).collect(), link: Some(link) }
}

/// The drafted agenda (see the module's policy), at most
/// [`super::MAX_AGENDA_ITEMS`] items.
pub fn draft(facts: &AgendaFacts, today: NaiveDate) -> Vec<DraftItem> {
    use CouncilAgendaKind as K;
    let mut out = Vec::new();
    for c in facts.criteria.iter().filter(|c| c.missed) {
        out.push(item(K::CriterionMissed, &c.label, "/intent".into()));
    }
    for c in facts.criteria.iter().filter(|c| c.at_risk && !c.missed) {
        out.push(item(K::CriterionAtRisk, &c.label, "/intent".into()));
    }
    let mut goals: Vec<&GoalFact> = facts.goals.iter().filter(|g| g.missed || g.at_risk).collect();
    goals.sort_by(|a, b| b.missed.cmp(&a.missed).then(a.label.cmp(&b.label)));
    for g in goals {
        out.push(item(K::GoalOffTarget, &g.label, format!("/experiences/{}", g.experience_id)));
    }
    let mut causes: Vec<&RootCauseFact> = facts.root_causes.iter().filter(|r| r.cases > 0).collect();
    causes.sort_by(|a, b| b.cases.cmp(&a.cases).then(a.name.cmp(&b.name)));
    for r in causes.into_iter().take(TOP_ROOT_CAUSES) {
        out.push(item(K::RootCause, &format!("{} ({})", r.name, r.cases), "/root-causes".into()));
    }
    let mut ideas: Vec<&IdeaFact> = facts.ideas.iter().filter(|i| i.awaiting_review).collect();
    ideas.sort_by(|a, b| b.votes.cmp(&a.votes).then(a.created_at.cmp(&b.created_at)).then(a.id.cmp(&b.id)));
    for i in ideas.into_iter().take(MAX_IDEAS) {
        out.push(item(K::IdeaAwaitingReview, &i.title, format!("/ideas/{}", i.id)));
    }
    let last = today + chrono::Duration::days(SPRINT_DAYS);
    let mut sprints: Vec<&SprintFact> =
        facts.sprints.iter().filter(|s| !s.finished && s.end >= today && s.end <= last).collect();
    sprints.sort_by(|a, b| a.end.cmp(&b.end).then(a.id.cmp(&b.id)));
    for s in sprints {
        out.push(item(K::SprintEnding, &format!("{} ({})", s.name, s.end), format!("/sprints/{}", s.id)));
    }
    let mut news: Vec<&AnnouncementFact> = facts.announcements.iter().filter(|a| a.pending > 0).collect();
    news.sort_by(|a, b| b.pending.cmp(&a.pending).then(b.id.cmp(&a.id)));
    for a in news.into_iter().take(MAX_ANNOUNCEMENTS) {
        out.push(item(K::Announcement, &a.title, format!("/announcements/{}", a.id)));
    }
    out.truncate(super::MAX_AGENDA_ITEMS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    fn at(h: u32) -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 1, h, 0, 0).unwrap()
    }

    fn facts() -> AgendaFacts {
        AgendaFacts {
            criteria: vec![
                CriterionFact { label: "CSAT ok".into(), missed: false, at_risk: false },
                CriterionFact { label: "CES close".into(), missed: false, at_risk: true },
                CriterionFact { label: "NPS low".into(), missed: true, at_risk: false },
            ],
            goals: vec![
                GoalFact { experience_id: 7, label: "Delivery close".into(), missed: false, at_risk: true },
                GoalFact { experience_id: 8, label: "Returns low".into(), missed: true, at_risk: false },
                GoalFact { experience_id: 9, label: "Fine".into(), missed: false, at_risk: false },
            ],
            root_causes: vec![
                RootCauseFact { name: "Late".into(), cases: 3 },
                RootCauseFact { name: "Rude".into(), cases: 0 },
                RootCauseFact { name: "Broken".into(), cases: 9 },
                RootCauseFact { name: "Billing".into(), cases: 2 },
                RootCauseFact { name: "Lost".into(), cases: 1 },
            ],
            ideas: vec![
                IdeaFact { id: 1, title: "Old".into(), votes: 2, awaiting_review: true, created_at: at(1) },
                IdeaFact { id: 2, title: "Done".into(), votes: 50, awaiting_review: false, created_at: at(1) },
                IdeaFact { id: 3, title: "Popular".into(), votes: 5, awaiting_review: true, created_at: at(3) },
                IdeaFact { id: 4, title: "Newer".into(), votes: 2, awaiting_review: true, created_at: at(2) },
            ],
            sprints: vec![
                SprintFact { id: 1, name: "Later".into(), end: day(20), finished: false },
                SprintFact { id: 2, name: "Ended".into(), end: day(5), finished: false },
                SprintFact { id: 3, name: "Soon".into(), end: day(7), finished: false },
                SprintFact { id: 4, name: "Far".into(), end: day(21), finished: false },
                SprintFact { id: 5, name: "Finished".into(), end: day(8), finished: true },
            ],
            announcements: vec![
                AnnouncementFact { id: 1, title: "All read".into(), pending: 0 },
                AnnouncementFact { id: 2, title: "Some wait".into(), pending: 2 },
                AnnouncementFact { id: 3, title: "Many wait".into(), pending: 6 },
            ],
        }
    }

    #[test]
    fn each_kind_of_fact_becomes_an_item_in_order() {
        let items = draft(&facts(), day(6));
        let got: Vec<(&str, &str, Option<&str>)> =
            items.iter().map(|i| (i.kind.key(), i.title.as_str(), i.link.as_deref())).collect();
        assert_eq!(
            got,
            vec![
                ("criterion_missed", "NPS low", Some("/intent")),
                ("criterion_at_risk", "CES close", Some("/intent")),
                ("goal_off_target", "Returns low", Some("/experiences/8")),
                ("goal_off_target", "Delivery close", Some("/experiences/7")),
                ("root_cause", "Broken (9)", Some("/root-causes")),
                ("root_cause", "Late (3)", Some("/root-causes")),
                ("root_cause", "Billing (2)", Some("/root-causes")),
                ("idea_awaiting_review", "Popular", Some("/ideas/3")),
                ("idea_awaiting_review", "Old", Some("/ideas/1")),
                ("idea_awaiting_review", "Newer", Some("/ideas/4")),
                ("sprint_ending", "Soon (2026-12-07)", Some("/sprints/3")),
                ("sprint_ending", "Later (2026-12-20)", Some("/sprints/1")),
                ("announcement", "Many wait", Some("/announcements/3")),
                ("announcement", "Some wait", Some("/announcements/2")),
            ]
        );
    }

    #[test]
    fn a_sprint_ending_today_or_in_fourteen_days_is_ending() {
        let f = AgendaFacts {
            sprints: vec![
                SprintFact { id: 1, name: "Today".into(), end: day(6), finished: false },
                SprintFact { id: 2, name: "Edge".into(), end: day(20), finished: false },
                SprintFact { id: 3, name: "Past edge".into(), end: day(21), finished: false },
            ],
            ..AgendaFacts::default()
        };
        let ids: Vec<_> = draft(&f, day(6)).into_iter().map(|i| i.link.unwrap()).collect();
        assert_eq!(ids, vec!["/sprints/1", "/sprints/2"]);
    }

    #[test]
    fn an_empty_program_drafts_an_empty_agenda() {
        assert!(draft(&AgendaFacts::default(), day(6)).is_empty());
        // Facts that need no discussion draft nothing either.
        let f = AgendaFacts {
            criteria: vec![CriterionFact { label: "ok".into(), missed: false, at_risk: false }],
            root_causes: vec![RootCauseFact { name: "none".into(), cases: 0 }],
            announcements: vec![AnnouncementFact { id: 1, title: "read".into(), pending: 0 }],
            ..AgendaFacts::default()
        };
        assert!(draft(&f, day(6)).is_empty());
    }

    #[test]
    fn the_draft_is_bounded() {
        let f = AgendaFacts {
            criteria: (0..80).map(|i| CriterionFact { label: format!("c{i}"), missed: true, at_risk: false }).collect(),
            ideas: (0..80)
                .map(|i| IdeaFact { id: i, title: "x".repeat(900), votes: 0, awaiting_review: true, created_at: at(1) })
                .collect(),
            ..AgendaFacts::default()
        };
        let items = draft(&f, day(6));
        assert_eq!(items.len(), crate::plan::council::MAX_AGENDA_ITEMS);
        assert!(items.iter().all(|i| i.title.chars().count() <= crate::plan::council::MAX_AGENDA_TITLE));
    }

    #[test]
    fn kinds_read_back() {
        for k in CouncilAgendaKind::ALL {
            assert_eq!(CouncilAgendaKind::parse(k.key()), Some(k));
        }
    }
}
