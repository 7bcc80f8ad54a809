//! Response-time promises. A case promises a first response and a
//! resolution, each a number of working hours from when it opened, counted
//! on the organization's calendar. A promise is broken when its due time
//! passes before it is kept: the first response is kept by the Respond
//! step, the resolution by closing.

use super::routing::Routing;
use super::{Case, CaseStatus};
use crate::calendar::WorkCalendar;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Promise {
    pub first_response_due: DateTime<Utc>,
    pub resolution_due: DateTime<Utc>,
}

pub fn promise(calendar: &WorkCalendar, opened: DateTime<Utc>, routing: &Routing) -> Promise {
    Promise {
        first_response_due: calendar.add_working_minutes(opened, routing.first_response_hours * 60),
        resolution_due: calendar.add_working_minutes(opened, routing.resolution_hours * 60),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Breach {
    FirstResponse,
    Resolution,
}

impl Breach {
    pub fn key(self) -> &'static str {
        match self {
            Breach::FirstResponse => "first_response",
            Breach::Resolution => "resolution",
        }
    }
}

/// The promises broken as of `now`: late if not kept by their due time
/// (kept late still counts as broken, so reports tell the truth).
pub fn breaches(case: &Case, now: DateTime<Utc>) -> Vec<Breach> {
    let mut out = Vec::new();
    if case.first_responded_at.unwrap_or(now) > case.first_response_due {
        out.push(Breach::FirstResponse);
    }
    let closed = match case.status {
        CaseStatus::Closed => case.closed_at.unwrap_or(now),
        CaseStatus::Open => now,
    };
    if closed > case.resolution_due {
        out.push(Breach::Resolution);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(d: u32, h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, m, 0).unwrap()
    }

    fn case(opened: DateTime<Utc>, p: Promise) -> Case {
        Case {
            id: 1,
            title: "t".into(),
            customer: Some("c".into()),
            touchpoint_id: None,
            rule_id: None,
            status: CaseStatus::Open,
            assignee_id: None,
            opened_at: opened,
            first_response_due: p.first_response_due,
            resolution_due: p.resolution_due,
            first_responded_at: None,
            closed_at: None,
            escalated_at: None,
            escalated_to: None,
            root_cause_id: None,
            steps: vec![],
            items: vec![],
            history: vec![],
            triage: Default::default(),
        }
    }

    fn routing(first: i64, resolution: i64) -> Routing {
        Routing { assignee_id: None, rule_id: None, first_response_hours: first, resolution_hours: resolution }
    }

    #[test]
    fn promises_count_working_hours_only() {
        // Friday 2026-11-20 16:00 UTC, 09:00-17:00 Monday to Friday.
        let p = promise(&WorkCalendar::default(), at(20, 16, 0), &routing(4, 16));
        assert_eq!(p.first_response_due, at(23, 12, 0), "1 h on Friday, 3 h on Monday");
        assert_eq!(p.resolution_due, at(24, 16, 0), "1 + 8 + 7 hours: Tuesday at 16:00");
    }

    #[test]
    fn feedback_arriving_at_night_starts_the_clock_next_morning() {
        let p = promise(&WorkCalendar::default(), at(23, 22, 30), &routing(1, 8));
        assert_eq!(p.first_response_due, at(24, 10, 0));
        assert_eq!(p.resolution_due, at(24, 17, 0));
    }

    #[test]
    fn breaches_follow_the_clock_and_the_promises_kept() {
        let p = promise(&WorkCalendar::default(), at(23, 9, 0), &routing(2, 8));
        let mut c = case(at(23, 9, 0), p);
        assert!(breaches(&c, at(23, 11, 0)).is_empty(), "due at 11:00 exactly is not late yet");
        assert_eq!(breaches(&c, at(23, 11, 1)), vec![Breach::FirstResponse]);
        c.first_responded_at = Some(at(23, 10, 0));
        assert!(breaches(&c, at(23, 16, 0)).is_empty());
        assert_eq!(breaches(&c, at(23, 17, 1)), vec![Breach::Resolution]);
        assert!(c.is_overdue(at(24, 9, 0)));
        c.status = CaseStatus::Closed;
        c.closed_at = Some(at(23, 16, 59));
        assert!(breaches(&c, at(30, 9, 0)).is_empty(), "closed in time stays in time");
        c.first_responded_at = Some(at(23, 12, 0));
        assert_eq!(breaches(&c, at(30, 9, 0)), vec![Breach::FirstResponse], "a late response stays late");
    }

    #[test]
    fn the_next_due_time_moves_from_response_to_resolution() {
        let p = promise(&WorkCalendar::default(), at(23, 9, 0), &routing(2, 8));
        let mut c = case(at(23, 9, 0), p);
        assert_eq!(c.next_due(), at(23, 11, 0));
        c.first_responded_at = Some(at(23, 10, 0));
        assert_eq!(c.next_due(), at(23, 17, 0));
    }
}
