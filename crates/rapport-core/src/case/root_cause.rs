//! Root causes: an editable taxonomy of why customers end up unhappy, and
//! the report that ranks them over a period, so the company fixes what
//! recurs. A closed case counts once, in the period it closed, under the
//! category its Document step named; money is the refunds and cancellations
//! linked to it.

use crate::measure::{bucket_start, buckets, Interval};
use crate::validate::{optional_text, required_text, FieldErrors};
use crate::Id;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RootCause {
    pub id: Id,
    pub name: String,
    pub description: Option<String>,
    /// Could the company have prevented it (a process, product or people
    /// failure) rather than something outside its control?
    pub preventable: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RootCauseDraft {
    pub name: Option<String>,
    pub description: Option<String>,
    pub preventable: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RootCauseInput {
    pub name: String,
    pub description: Option<String>,
    pub preventable: bool,
}

impl RootCauseDraft {
    pub fn validate(&self) -> Result<RootCauseInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", self.name.as_deref(), 120);
        let description = optional_text(&mut e, "description", self.description.as_deref(), 2000);
        e.into_result(RootCauseInput { name, description, preventable: self.preventable.unwrap_or(true) })
    }
}

/// One closed case as the report sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClosedCase {
    pub root_cause_id: Id,
    pub touchpoint_id: Option<Id>,
    pub closed_on: NaiveDate,
    /// Refunds and cancellations linked to the case.
    pub money: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TouchpointCount {
    pub touchpoint_id: Option<Id>,
    pub cases: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportRow {
    pub root_cause_id: Id,
    pub name: String,
    pub preventable: bool,
    /// Cases closed under it in the period.
    pub cases: i64,
    /// In the period of the same length just before.
    pub previous_cases: i64,
    /// Cases per bucket of the period, oldest first (the trend line).
    pub trend: Vec<i64>,
    pub by_touchpoint: Vec<TouchpointCount>,
    pub money: f64,
}

/// Root causes with cases in `from..=to` or the period before it, most
/// frequent first (ties: more money, then name). `trend` has one count per
/// bucket of `interval` starting at `from`.
pub fn report(
    causes: &[RootCause],
    cases: &[ClosedCase],
    from: NaiveDate,
    to: NaiveDate,
    interval: Interval,
) -> Vec<ReportRow> {
    let length = (to - from).num_days() + 1;
    let previous_from = from - Duration::days(length);
    let starts = buckets(from, to, interval);
    let mut rows: BTreeMap<Id, ReportRow> = BTreeMap::new();
    for c in cases.iter().filter(|c| c.closed_on >= previous_from && c.closed_on <= to) {
        let Some(cause) = causes.iter().find(|r| r.id == c.root_cause_id) else { continue };
        let row = rows.entry(cause.id).or_insert_with(|| ReportRow {
            root_cause_id: cause.id,
            name: cause.name.clone(),
            preventable: cause.preventable,
            cases: 0,
            previous_cases: 0,
            trend: vec![0; starts.len()],
            by_touchpoint: Vec::new(),
            money: 0.0,
        });
        if c.closed_on < from {
            row.previous_cases += 1;
            continue;
        }
        row.cases += 1;
        row.money += c.money;
        let start = bucket_start(c.closed_on, interval, from);
        if let Some(i) = starts.iter().position(|s| *s == start) {
            row.trend[i] += 1;
        }
        match row.by_touchpoint.iter_mut().find(|t| t.touchpoint_id == c.touchpoint_id) {
            Some(t) => t.cases += 1,
            None => row.by_touchpoint.push(TouchpointCount { touchpoint_id: c.touchpoint_id, cases: 1 }),
        }
    }
    let mut out: Vec<ReportRow> = rows.into_values().collect();
    for r in &mut out {
        r.by_touchpoint.sort_by(|a, b| b.cases.cmp(&a.cases).then(a.touchpoint_id.cmp(&b.touchpoint_id)));
    }
    out.sort_by(|a, b| b.cases.cmp(&a.cases).then(b.money.total_cmp(&a.money)).then_with(|| a.name.cmp(&b.name)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn cause(id: Id, name: &str, preventable: bool) -> RootCause {
        RootCause { id, name: name.into(), description: None, preventable }
    }

    fn closed(cause: Id, tp: Option<Id>, on: NaiveDate, money: f64) -> ClosedCase {
        ClosedCase { root_cause_id: cause, touchpoint_id: tp, closed_on: on, money }
    }

    #[test]
    fn ranks_by_frequency_with_trend_touchpoints_money_and_the_previous_period() {
        let causes = [cause(1, "Late delivery", true), cause(2, "Weather", false), cause(3, "Unused", true)];
        let cases = [
            closed(1, Some(10), d(11, 2), 25.0),
            closed(1, Some(10), d(11, 3), 0.0),
            closed(1, Some(11), d(11, 20), 40.0),
            closed(2, None, d(11, 9), 0.0),
            closed(2, None, d(10, 20), 0.0),    // previous period
            closed(1, Some(10), d(9, 1), 99.0), // too old for either period
        ];
        // November 2 to 29: four weeks starting on Mondays.
        let rows = report(&causes, &cases, d(11, 2), d(11, 29), Interval::Week);
        assert_eq!(rows.len(), 2, "causes without cases are left out");
        let late = &rows[0];
        assert_eq!((late.name.as_str(), late.cases, late.previous_cases), ("Late delivery", 3, 0));
        assert_eq!(late.trend, vec![2, 0, 1, 0]);
        assert_eq!(late.money, 65.0);
        assert!(late.preventable);
        assert_eq!(
            late.by_touchpoint,
            vec![
                TouchpointCount { touchpoint_id: Some(10), cases: 2 },
                TouchpointCount { touchpoint_id: Some(11), cases: 1 }
            ]
        );
        let weather = &rows[1];
        assert_eq!((weather.cases, weather.previous_cases), (1, 1));
        assert_eq!(weather.trend, vec![0, 1, 0, 0]);
    }

    #[test]
    fn a_cause_seen_only_before_the_period_still_shows_its_fall() {
        let causes = [cause(1, "Billing error", true)];
        let rows = report(&causes, &[closed(1, None, d(10, 30), 5.0)], d(11, 1), d(11, 30), Interval::Month);
        assert_eq!((rows[0].cases, rows[0].previous_cases, rows[0].money), (0, 1, 0.0));
        assert_eq!(rows[0].trend, vec![0]);
    }

    #[test]
    fn drafts() {
        assert_eq!(RootCauseDraft::default().validate().unwrap_err().get("name").unwrap().code, "required");
        let ok = RootCauseDraft { name: Some(" Late delivery ".into()), ..Default::default() }.validate().unwrap();
        assert_eq!(ok.name, "Late delivery");
        assert!(ok.preventable, "preventable unless said otherwise");
    }
}
