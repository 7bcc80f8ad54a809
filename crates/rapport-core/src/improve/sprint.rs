//! Touchpoint redesign sprints (D5). A sprint gives one touchpoint a team,
//! the ideas it takes up and exactly [`SPRINT_WORKDAYS`] workdays on the
//! organization's calendar, in three phases: brainstorm, propose (the leader
//! approves the proposal document) and execute.
//!
//! Policy:
//! - the sprint begins on the first workday on or after the chosen start (a
//!   start on a weekend or a holiday begins the next workday) and ends on its
//!   20th workday; both dates are stored and never change — not by an edit
//!   (refused with a field error: change the scope, the ideas, instead) and
//!   not when an admin later adds a holiday (the dates were promised);
//! - by default the phases take 5, 5 and 10 workdays; custom brainstorm and
//!   propose ends must be workdays inside the sprint, in order, leaving each
//!   phase at least one workday, and cannot move once they have passed;
//! - a phase lasts from its start until the next one starts, so the weekend
//!   after brainstorm is still brainstorm;
//! - the leader is always on the team; only the leader approves the proposal;
//! - once the sprint is done its team and ideas are history and stay.

use crate::calendar::WorkCalendar;
use crate::validate::{required_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::outcome::{Outcome, Snapshot};

pub const SPRINT_WORKDAYS: u32 = 20;
/// Default workdays of brainstorm and propose; execute takes the rest.
pub const BRAINSTORM_WORKDAYS: u32 = 5;
pub const PROPOSE_WORKDAYS: u32 = 5;

const MAX_TEAM: usize = 50;
const MAX_IDEAS: usize = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Brainstorm,
    Propose,
    Execute,
}

impl Phase {
    pub const ALL: [Phase; 3] = [Phase::Brainstorm, Phase::Propose, Phase::Execute];

    pub fn key(self) -> &'static str {
        match self {
            Phase::Brainstorm => "brainstorm",
            Phase::Propose => "propose",
            Phase::Execute => "execute",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|x| x.key() == s)
    }
}

/// One phase's first and last day (both workdays) and its workdays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SprintPhase {
    pub phase: Phase,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub workdays: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SprintStatus {
    Planned,
    Brainstorm,
    Propose,
    Execute,
    Done,
}

impl SprintStatus {
    pub fn key(self) -> &'static str {
        match self {
            SprintStatus::Planned => "planned",
            SprintStatus::Brainstorm => "brainstorm",
            SprintStatus::Propose => "propose",
            SprintStatus::Execute => "execute",
            SprintStatus::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<SprintStatus> {
        use SprintStatus::*;
        [Planned, Brainstorm, Propose, Execute, Done].into_iter().find(|x| x.key() == s)
    }
}

/// Where a sprint with these phases stands on `today`.
pub fn status_on(phases: &[SprintPhase], today: NaiveDate) -> SprintStatus {
    let (Some(first), Some(last)) = (phases.first(), phases.last()) else { return SprintStatus::Planned };
    if today < first.start {
        return SprintStatus::Planned;
    }
    if today > last.end {
        return SprintStatus::Done;
    }
    match phases.iter().rev().find(|p| p.start <= today).map(|p| p.phase) {
        Some(Phase::Propose) => SprintStatus::Propose,
        Some(Phase::Execute) => SprintStatus::Execute,
        _ => SprintStatus::Brainstorm,
    }
}

/// The proposal document and its approval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Proposal {
    pub document: String,
    pub submitted_by: Id,
    pub submitted_at: DateTime<Utc>,
    pub approved_by: Option<Id>,
    pub approved_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sprint {
    pub id: Id,
    pub touchpoint_id: Id,
    pub name: String,
    pub leader_id: Id,
    /// The leader first.
    pub team_ids: Vec<Id>,
    pub idea_ids: Vec<Id>,
    /// The first workday.
    pub start: NaiveDate,
    /// The 20th workday.
    pub end: NaiveDate,
    pub phases: Vec<SprintPhase>,
    pub proposal: Option<Proposal>,
    /// The touchpoint's metrics when the sprint started.
    pub baseline: Option<Snapshot>,
    /// Before and after, once the sprint is done.
    pub outcome: Option<Outcome>,
    pub created_at: DateTime<Utc>,
}

impl Sprint {
    pub fn status(&self, today: NaiveDate) -> SprintStatus {
        status_on(&self.phases, today)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SprintDraft {
    pub touchpoint_id: Option<Id>,
    pub name: Option<String>,
    pub start: Option<NaiveDate>,
    pub leader_id: Option<Id>,
    pub team_ids: Option<Vec<Id>>,
    pub idea_ids: Option<Vec<Id>>,
    /// Last day of brainstorm; default: the 5th workday.
    pub brainstorm_end: Option<NaiveDate>,
    /// Last day of propose; default: the 10th workday.
    pub propose_end: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SprintInput {
    pub touchpoint_id: Id,
    pub name: String,
    pub leader_id: Id,
    pub team_ids: Vec<Id>,
    pub idea_ids: Vec<Id>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub phases: Vec<SprintPhase>,
}

impl SprintDraft {
    pub fn validate(&self, calendar: &WorkCalendar) -> Result<SprintInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", self.name.as_deref(), 120);
        if self.touchpoint_id.is_none() {
            e.add("touchpoint_id", "required", "choose the touchpoint the sprint redesigns");
        }
        if self.leader_id.is_none() {
            e.add("leader_id", "required", "choose the sprint's leader");
        }
        let team = team(&mut e, self.leader_id, self.team_ids.as_deref().unwrap_or_default());
        let idea_ids = ids(&mut e, "idea_ids", self.idea_ids.as_deref().unwrap_or_default(), MAX_IDEAS);
        let Some(start) = self.start else {
            e.add("start", "required", "choose the day the sprint starts");
            return Err(e);
        };
        let (earliest, latest) = start_bounds();
        if start < earliest || start > latest {
            e.add("start", "out_of_range", format!("must be a day from {earliest} to {latest}"));
            return Err(e);
        }
        let (first, end) = (calendar.sprint_end(start, 1), calendar.sprint_end(start, SPRINT_WORKDAYS));
        let phases = phases(&mut e, calendar, first, end, self.brainstorm_end, self.propose_end);
        e.into_result(SprintInput {
            touchpoint_id: self.touchpoint_id.unwrap_or_default(),
            name,
            leader_id: self.leader_id.unwrap_or_default(),
            team_ids: team,
            idea_ids,
            start: first,
            end,
            phases,
        })
    }
}

/// The first and last days a sprint may start on: 2000-01-01 to 2100-12-31.
/// Fixed rather than relative to today, so the rule needs no clock and a
/// sprint entered once stays valid on every later edit; wide enough for
/// any real plan (and for back-filling old sprints), narrow enough that a
/// slip such as 0001-01-01 or 9999-12-31 is refused instead of stored (and
/// that adding 20 workdays can never leave the calendar's range).
pub fn start_bounds() -> (NaiveDate, NaiveDate) {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    (day(2000, 1, 1), day(2100, 12, 31))
}

/// The default phases of a sprint starting on (or after) `start`.
pub fn default_phases(calendar: &WorkCalendar, start: NaiveDate) -> Vec<SprintPhase> {
    let (first, end) = (calendar.sprint_end(start, 1), calendar.sprint_end(start, SPRINT_WORKDAYS));
    phases(&mut FieldErrors::new(), calendar, first, end, None, None)
}

/// The three phases of the sprint `first..=end`, checking custom ends.
fn phases(
    e: &mut FieldErrors,
    cal: &WorkCalendar,
    first: NaiveDate,
    end: NaiveDate,
    brainstorm_end: Option<NaiveDate>,
    propose_end: Option<NaiveDate>,
) -> Vec<SprintPhase> {
    let b_end = brainstorm_end.unwrap_or_else(|| cal.add_workdays(first, BRAINSTORM_WORKDAYS - 1));
    let p_end = propose_end.unwrap_or_else(|| cal.add_workdays(first, BRAINSTORM_WORKDAYS + PROPOSE_WORKDAYS - 1));
    fn check(
        e: &mut FieldErrors,
        cal: &WorkCalendar,
        field: &str,
        day: NaiveDate,
        span: (NaiveDate, NaiveDate),
        what: &str,
    ) {
        let (after, before) = span;
        if !cal.is_workday(day) {
            e.add(field, "not_a_workday", format!("{day} is not a workday"));
        } else if day < after || day >= before {
            e.add(field, "out_of_range", format!("must be a workday from {after} to the day before {before}, {what}"));
        }
    }
    if brainstorm_end.is_some() {
        check(e, cal, "brainstorm_end", b_end, (first, p_end), "before the proposal phase ends");
    }
    // A default propose end is only questioned when brainstorm's own end is
    // fine: one mistake, one message.
    if propose_end.is_some() || (brainstorm_end.is_some() && e.get("brainstorm_end").is_none()) {
        let after = cal.add_workdays(b_end, 1);
        check(e, cal, "propose_end", p_end, (after, end), "after brainstorm and before the sprint's last day");
    }
    let spans = [(first, b_end), (cal.add_workdays(b_end, 1), p_end), (cal.add_workdays(p_end, 1), end)];
    Phase::ALL
        .into_iter()
        .zip(spans)
        .map(|(phase, (start, end))| SprintPhase { phase, start, end, workdays: cal.workdays_between(start, end) })
        .collect()
}

/// Positive ids, repeated ones counted once, in the order given.
fn ids(e: &mut FieldErrors, field: &str, given: &[Id], max: usize) -> Vec<Id> {
    let mut out: Vec<Id> = Vec::new();
    for (i, id) in given.iter().enumerate() {
        if *id <= 0 {
            e.add(format!("{field}[{i}]"), "invalid", "is not an id");
        } else if !out.contains(id) {
            out.push(*id);
        }
    }
    if out.len() > max {
        e.add(field, "too_many", format!("at most {max}"));
    }
    out
}

/// The team with the leader first (added when missing).
fn team(e: &mut FieldErrors, leader: Option<Id>, given: &[Id]) -> Vec<Id> {
    let mut team: Vec<Id> = leader.into_iter().collect();
    team.extend(ids(e, "team_ids", given, MAX_TEAM).into_iter().filter(|id| Some(*id) != leader));
    team
}

/// An edit of an existing sprint. Absent fields keep their value. `start`
/// and `end` exist only so that an attempt to move them gets a clear answer.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SprintUpdateDraft {
    pub name: Option<String>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub leader_id: Option<Id>,
    pub team_ids: Option<Vec<Id>>,
    pub idea_ids: Option<Vec<Id>>,
    pub brainstorm_end: Option<NaiveDate>,
    pub propose_end: Option<NaiveDate>,
}

/// The sprint's new values (all of them, changed or not).
#[derive(Debug, Clone, PartialEq)]
pub struct SprintUpdate {
    pub name: String,
    pub leader_id: Id,
    pub team_ids: Vec<Id>,
    pub idea_ids: Vec<Id>,
    pub phases: Vec<SprintPhase>,
}

impl SprintUpdateDraft {
    pub fn validate(
        &self,
        sprint: &Sprint,
        calendar: &WorkCalendar,
        today: NaiveDate,
    ) -> Result<SprintUpdate, FieldErrors> {
        let mut e = FieldErrors::new();
        let fixed = format!(
            "a sprint lasts exactly {SPRINT_WORKDAYS} workdays, here {} to {}; its dates cannot change, change its scope (the ideas it takes up) instead",
            sprint.start, sprint.end
        );
        // The same start written as the weekend before it is no change.
        if self.start.is_some_and(|s| calendar.sprint_end(s, 1) != sprint.start) {
            e.add("start", "fixed_length", fixed.clone());
        }
        if self.end.is_some_and(|d| d != sprint.end) {
            e.add("end", "fixed_length", fixed);
        }
        let name = match &self.name {
            Some(n) => required_text(&mut e, "name", Some(n), 120),
            None => sprint.name.clone(),
        };
        let done = today > sprint.end;
        let leader_id = self.leader_id.unwrap_or(sprint.leader_id);
        let mut scope = |field: &'static str, given: &Option<Vec<Id>>| {
            if given.is_some() && done {
                e.add(field, "sprint_done", "the sprint is done; its team and ideas are part of its history");
            }
        };
        scope("team_ids", &self.team_ids);
        scope("idea_ids", &self.idea_ids);
        let team_ids = team(&mut e, Some(leader_id), self.team_ids.as_deref().unwrap_or(&sprint.team_ids));
        let idea_ids = ids(&mut e, "idea_ids", self.idea_ids.as_deref().unwrap_or(&sprint.idea_ids), MAX_IDEAS);
        let old_end = |p: Phase| sprint.phases.iter().find(|x| x.phase == p).map(|x| x.end);
        let mut ended = |field: &'static str, new: Option<NaiveDate>, old: Option<NaiveDate>| {
            let passed = |d: Option<NaiveDate>| d.is_some_and(|d| d < today);
            if new.is_some() && new != old && (passed(new) || passed(old)) {
                e.add(field, "passed", "a phase end that has passed cannot move");
            }
        };
        ended("brainstorm_end", self.brainstorm_end, old_end(Phase::Brainstorm));
        ended("propose_end", self.propose_end, old_end(Phase::Propose));
        // Untouched phases stay as stored, even if a holiday was added since.
        let phases = if self.brainstorm_end.is_none() && self.propose_end.is_none() {
            sprint.phases.clone()
        } else {
            let b_end = self.brainstorm_end.or(old_end(Phase::Brainstorm));
            let p_end = self.propose_end.or(old_end(Phase::Propose));
            phases(&mut e, calendar, sprint.start, sprint.end, b_end, p_end)
        };
        e.into_result(SprintUpdate { name, leader_id, team_ids, idea_ids, phases })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposalDraft {
    pub document: Option<String>,
}

impl ProposalDraft {
    /// The document's trimmed text.
    pub fn validate(&self) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        let document = required_text(&mut e, "document", self.document.as_deref(), 50_000);
        e.into_result(document)
    }
}

/// Only the sprint's leader approves its proposal. `approver` is the person
/// linked to the signed-in account, if any.
pub fn check_approver(leader_id: Id, approver: Option<Id>) -> Result<(), FieldErrors> {
    if approver == Some(leader_id) {
        Ok(())
    } else {
        Err(FieldErrors::single("approver", "not_leader", "only the sprint's leader approves the proposal"))
    }
}

/// The approval of a sprint's proposal: there is one, not yet approved, and
/// the approver leads the sprint.
pub fn approve_check(sprint: &Sprint, approver: Option<Id>) -> Result<(), FieldErrors> {
    match &sprint.proposal {
        None => Err(FieldErrors::single("proposal", "missing", "the sprint has no proposal yet")),
        Some(p) if p.approved_at.is_some() => {
            Err(FieldErrors::single("proposal", "already_approved", "the proposal is already approved"))
        }
        Some(_) => check_approver(sprint.leader_id, approver),
    }
}

#[cfg(test)]
mod tests;
