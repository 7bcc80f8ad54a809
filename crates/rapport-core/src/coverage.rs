//! Ownership coverage (A2): every experience needs an active leader and every
//! touchpoint an active owner. Anything whose person has left, or that never
//! had one, is a gap until it is handed over. Computed, never stored, so it
//! cannot go stale.

use crate::experience::Experience;
use crate::journey::Touchpoint;
use crate::person::Person;
use crate::Id;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoveragePart {
    pub covered: usize,
    pub total: usize,
    pub percent: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GapKind {
    Experience,
    Touchpoint,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum GapReason {
    /// Nobody was ever assigned.
    Unassigned,
    /// The assigned person has left; hand it over.
    PersonLeft,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Gap {
    pub kind: GapKind,
    pub id: Id,
    pub name: String,
    pub reason: GapReason,
    /// The person who left, when that is the reason.
    pub person_id: Option<Id>,
    pub person_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    /// Share of experiences and touchpoints together that have an active
    /// accountable person; the goal is 100. With nothing to cover it is
    /// 100 by convention, and `nothing_to_cover` says so.
    pub percent: f64,
    /// No experience and no touchpoint yet: there is nothing to be covered,
    /// which pages say instead of "100%, everything covered".
    pub nothing_to_cover: bool,
    pub experiences: CoveragePart,
    pub touchpoints: CoveragePart,
    pub gaps: Vec<Gap>,
}

fn percent(covered: usize, total: usize) -> f64 {
    if total == 0 {
        return 100.0;
    }
    (covered as f64 * 1000.0 / total as f64).round() / 10.0
}

fn check<'a>(people: &HashMap<Id, &'a Person>, who: Option<Id>) -> Option<(GapReason, Option<&'a Person>)> {
    match who.and_then(|id| people.get(&id).copied()) {
        Some(p) if p.is_active() => None,
        Some(p) => Some((GapReason::PersonLeft, Some(p))),
        None => Some((GapReason::Unassigned, None)),
    }
}

pub fn compute(experiences: &[Experience], touchpoints: &[Touchpoint], people: &[Person]) -> Coverage {
    let by_id: HashMap<Id, &Person> = people.iter().map(|p| (p.id, p)).collect();
    let mut gaps = Vec::new();
    let mut gap = |kind, id, name: &str, found: Option<(GapReason, Option<&Person>)>| match found {
        None => true,
        Some((reason, person)) => {
            gaps.push(Gap {
                kind,
                id,
                name: name.to_string(),
                reason,
                person_id: person.map(|p| p.id),
                person_name: person.map(|p| p.name.clone()),
            });
            false
        }
    };
    let exp_covered =
        experiences.iter().filter(|e| gap(GapKind::Experience, e.id, &e.name, check(&by_id, e.leader_id))).count();
    let tp_covered =
        touchpoints.iter().filter(|t| gap(GapKind::Touchpoint, t.id, &t.name, check(&by_id, t.owner_id))).count();
    Coverage {
        percent: percent(exp_covered + tp_covered, experiences.len() + touchpoints.len()),
        nothing_to_cover: experiences.is_empty() && touchpoints.is_empty(),
        experiences: CoveragePart {
            covered: exp_covered,
            total: experiences.len(),
            percent: percent(exp_covered, experiences.len()),
        },
        touchpoints: CoveragePart {
            covered: tp_covered,
            total: touchpoints.len(),
            percent: percent(tp_covered, touchpoints.len()),
        },
        gaps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experience::{Goal, Period};
    use crate::metric::Metric;
    use chrono::{NaiveDate, Utc};

    fn person(id: Id, left: bool) -> Person {
        Person {
            id,
            name: format!("P{id}"),
            email: format!("p{id}@x.io"),
            department: None,
            role: None,
            joined_on: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            left_on: left.then(|| NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()),
        }
    }

    fn exp(id: Id, leader: Option<Id>) -> Experience {
        Experience {
            id,
            name: format!("E{id}"),
            customer_definition: None,
            segment_ids: vec![],
            goal: Goal { metric: Metric::Nps, target: 30.0, period: Period::Quarter, behaviour_id: None },
            leader_id: leader,
            interactions: vec![],
            created_at: Utc::now(),
        }
    }

    fn tp(id: Id, owner: Option<Id>) -> Touchpoint {
        Touchpoint {
            id,
            name: format!("T{id}"),
            description: None,
            stage_id: 1,
            position: 1,
            channel: None,
            department: None,
            owner_id: owner,
            importance: vec![],
        }
    }

    #[test]
    fn empty_program_is_fully_covered() {
        let c = compute(&[], &[], &[]);
        assert_eq!(c.percent, 100.0);
        assert!(c.gaps.is_empty());
        assert!(c.nothing_to_cover, "0 of 0 is nothing to cover, not full coverage");
    }

    #[test]
    fn anything_to_cover_is_not_nothing() {
        assert!(!compute(&[exp(1, None)], &[], &[]).nothing_to_cover);
        assert!(!compute(&[], &[tp(2, Some(1))], &[person(1, false)]).nothing_to_cover);
    }

    #[test]
    fn leaving_and_unassigned_are_gaps() {
        let people = [person(1, false), person(2, true)];
        let exps = [exp(10, Some(1)), exp(11, Some(2))];
        let tps = [tp(20, Some(1)), tp(21, None), tp(22, Some(2)), tp(23, Some(99))];
        let c = compute(&exps, &tps, &people);
        assert_eq!((c.experiences.covered, c.experiences.total), (1, 2));
        assert_eq!(c.experiences.percent, 50.0);
        assert_eq!((c.touchpoints.covered, c.touchpoints.total), (1, 4));
        assert_eq!(c.percent, 33.3, "2 of 6");
        assert_eq!(c.gaps.len(), 4);
        let left: Vec<Id> = c.gaps.iter().filter(|g| g.reason == GapReason::PersonLeft).map(|g| g.id).collect();
        assert_eq!(left, vec![11, 22]);
        assert_eq!(c.gaps[0].person_name.as_deref(), Some("P2"));
        assert_eq!(c.gaps.iter().find(|g| g.id == 23).unwrap().reason, GapReason::Unassigned);
    }

    #[test]
    fn percent_rounds_to_one_decimal() {
        assert_eq!(percent(2, 3), 66.7);
        assert_eq!(percent(0, 5), 0.0);
    }
}
