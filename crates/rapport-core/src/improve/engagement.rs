//! Employee engagement with ideas (E4): who submits ideas, whose ideas are
//! implemented, how much of each department takes part, and how that moves
//! month by month.
//!
//! Policy: every submitted idea counts, merged duplicates included (their
//! author did take part). Participation is distinct submitters over the
//! department's headcount, capped at 100% (people change departments, and a
//! row carries the department at the time of the idea); without a headcount
//! it is not computed. The monthly series has no gaps: a quiet month shows
//! zeros rather than vanishing from the chart.

use super::idea::IdeaStatus;
use crate::Id;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One idea, as engagement sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdeaRow {
    pub author_id: Id,
    pub department: Option<String>,
    pub created_on: NaiveDate,
    pub status: IdeaStatus,
    /// When it was implemented, for the monthly series.
    pub implemented_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonEngagement {
    pub person_id: Id,
    pub department: Option<String>,
    pub submitted: u32,
    pub implemented: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DepartmentEngagement {
    /// `None`: people without a department.
    pub department: Option<String>,
    pub submitters: u32,
    pub ideas: u32,
    pub implemented: u32,
    pub headcount: Option<u32>,
    /// Submitters as a percentage of the headcount, at most 100.
    pub participation: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthEngagement {
    /// `YYYY-MM`.
    pub month: String,
    pub submitted: u32,
    pub submitters: u32,
    pub implemented: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Engagement {
    /// Most ideas first, then most implemented, then by id.
    pub people: Vec<PersonEngagement>,
    /// Most submitters first, then by name (no department last).
    pub departments: Vec<DepartmentEngagement>,
    /// Oldest first, every month from the first idea to the last event.
    pub months: Vec<MonthEngagement>,
}

/// `headcounts`: people per department name, when known.
pub fn engagement(rows: &[IdeaRow], headcounts: &[(String, u32)]) -> Engagement {
    let implemented = |r: &IdeaRow| r.status == IdeaStatus::Implemented;

    let mut people: BTreeMap<Id, PersonEngagement> = BTreeMap::new();
    for r in rows {
        let p = people.entry(r.author_id).or_insert_with(|| PersonEngagement {
            person_id: r.author_id,
            department: None,
            submitted: 0,
            implemented: 0,
        });
        p.submitted += 1;
        p.implemented += u32::from(implemented(r));
    }
    let mut people: Vec<PersonEngagement> = people.into_values().collect();
    people.sort_by(|a, b| (b.submitted, b.implemented, a.person_id).cmp(&(a.submitted, a.implemented, b.person_id)));
    // A person's department is the one on their latest idea that has one.
    for p in &mut people {
        p.department = rows
            .iter()
            .filter(|r| r.author_id == p.person_id && r.department.is_some())
            .max_by_key(|r| r.created_on)
            .and_then(|r| r.department.clone());
    }

    let mut departments: BTreeMap<Option<String>, (BTreeSet<Id>, u32, u32)> = BTreeMap::new();
    for r in rows {
        let d = departments.entry(r.department.clone()).or_default();
        d.0.insert(r.author_id);
        d.1 += 1;
        d.2 += u32::from(implemented(r));
    }
    for (name, _) in headcounts {
        departments.entry(Some(name.clone())).or_default();
    }
    let mut departments: Vec<DepartmentEngagement> = departments
        .into_iter()
        .map(|(department, (submitters, ideas, implemented))| {
            let submitters = submitters.len() as u32;
            let headcount = department.as_ref().and_then(|d| headcounts.iter().find(|(n, _)| n == d).map(|h| h.1));
            let participation =
                headcount.filter(|h| *h > 0).map(|h| (100.0 * f64::from(submitters) / f64::from(h)).min(100.0));
            DepartmentEngagement { department, submitters, ideas, implemented, headcount, participation }
        })
        .collect();
    departments.sort_by(|a, b| {
        b.submitters
            .cmp(&a.submitters)
            .then(a.department.is_none().cmp(&b.department.is_none()))
            .then(a.department.cmp(&b.department))
    });

    Engagement { people, departments, months: months(rows) }
}

fn months(rows: &[IdeaRow]) -> Vec<MonthEngagement> {
    let key = |d: NaiveDate| (d.year(), d.month());
    let mut by_month: BTreeMap<(i32, u32), (u32, BTreeSet<Id>, u32)> = BTreeMap::new();
    for r in rows {
        let m = by_month.entry(key(r.created_on)).or_default();
        m.0 += 1;
        m.1.insert(r.author_id);
        if let Some(done) = r.implemented_on.filter(|_| r.status == IdeaStatus::Implemented) {
            by_month.entry(key(done)).or_default().2 += 1;
        }
    }
    let (Some(first), Some(last)) = (by_month.keys().next().copied(), by_month.keys().last().copied()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut y, mut m) = first;
    while (y, m) <= last {
        let (submitted, submitters, implemented) = by_month.remove(&(y, m)).unwrap_or_default();
        out.push(MonthEngagement {
            month: format!("{y:04}-{m:02}"),
            submitted,
            submitters: submitters.len() as u32,
            implemented,
        });
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(author: Id, dept: Option<&str>, created: &str, status: IdeaStatus, done: Option<&str>) -> IdeaRow {
        IdeaRow {
            author_id: author,
            department: dept.map(Into::into),
            created_on: created.parse().unwrap(),
            status,
            implemented_on: done.map(|d| d.parse().unwrap()),
        }
    }

    fn rows() -> Vec<IdeaRow> {
        use IdeaStatus::*;
        vec![
            row(1, Some("Stores"), "2026-09-03", Implemented, Some("2026-11-20")),
            row(1, Some("Stores"), "2026-09-15", Rejected, None),
            row(2, Some("Stores"), "2026-09-20", New, None),
            row(3, Some("Contact centre"), "2026-11-02", Implemented, Some("2026-11-25")),
            row(1, Some("Online"), "2026-11-05", UnderReview, None),
            row(4, None, "2026-11-06", New, None),
            row(3, Some("Contact centre"), "2026-11-09", Approved, None),
            row(3, Some("Contact centre"), "2026-11-10", New, None),
        ]
    }

    #[test]
    fn people_most_active_first() {
        let e = engagement(&rows(), &[]);
        let people: Vec<(Id, u32, u32)> = e.people.iter().map(|p| (p.person_id, p.submitted, p.implemented)).collect();
        assert_eq!(people, vec![(1, 3, 1), (3, 3, 1), (2, 1, 0), (4, 1, 0)], "ties by id");
        assert_eq!(e.people[0].department.as_deref(), Some("Online"), "the latest department");
        assert_eq!(e.people[3].department, None);
    }

    #[test]
    fn participation_by_department() {
        let heads = [("Stores".to_string(), 10), ("Contact centre".to_string(), 1), ("Finance".to_string(), 4)];
        let e = engagement(&rows(), &heads);
        // (department, submitters, ideas, implemented, participation)
        type Row<'a> = (Option<&'a str>, u32, u32, u32, Option<f64>);
        let got: Vec<Row<'_>> = e
            .departments
            .iter()
            .map(|d| (d.department.as_deref(), d.submitters, d.ideas, d.implemented, d.participation))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("Stores"), 2, 3, 1, Some(20.0)),
                (Some("Contact centre"), 1, 3, 1, Some(100.0)),
                (Some("Online"), 1, 1, 0, None),
                (None, 1, 1, 0, None),
                (Some("Finance"), 0, 0, 0, Some(0.0)),
            ]
        );
        let capped = engagement(&rows(), &[("Stores".to_string(), 1), ("Online".to_string(), 0)]);
        assert_eq!(capped.departments[0].participation, Some(100.0), "capped");
        let online = capped.departments.iter().find(|d| d.department.as_deref() == Some("Online")).unwrap();
        assert_eq!((online.headcount, online.participation), (Some(0), None));
    }

    #[test]
    fn monthly_series_without_gaps() {
        let e = engagement(&rows(), &[]);
        let got: Vec<(&str, u32, u32, u32)> =
            e.months.iter().map(|m| (m.month.as_str(), m.submitted, m.submitters, m.implemented)).collect();
        assert_eq!(got, vec![("2026-09", 3, 2, 0), ("2026-10", 0, 0, 0), ("2026-11", 5, 3, 2)]);
        let year_end = [row(1, None, "2026-12-30", IdeaStatus::Implemented, Some("2027-02-01"))];
        let months: Vec<String> = engagement(&year_end, &[]).months.into_iter().map(|m| m.month).collect();
        assert_eq!(months, vec!["2026-12", "2027-01", "2027-02"]);
        assert!(engagement(&[], &[]).months.is_empty());
    }
}
