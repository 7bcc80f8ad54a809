//! From the rows a fit reads to the core's inputs: a customer's purchases,
//! the churn model's dated history, and the ROCE year.

use chrono::{DateTime, NaiveDate, Utc};
use rapport_core::measure::score::answer_tallies;
use rapport_core::measure::Scale;
use rapport_core::model::churn::{CaseDates, CustomerHistory};
use rapport_core::model::roce::CustomerYear;
use rapport_core::plan::perfect_behaviour::state::{matches, shown_days};
use rapport_core::plan::perfect_behaviour::Rule;
use rapport_core::survey::Question;
use rapport_core::text::Sentiment;
use rapport_core::Id;
use rapport_store::ModelHistory;
use std::collections::HashMap;

fn day(t: DateTime<Utc>) -> NaiveDate {
    t.date_naive()
}

/// Purchases by day and amount (an amount left out counts as 0).
pub fn purchases(h: &ModelHistory) -> Vec<(NaiveDate, f64)> {
    h.events
        .iter()
        .filter(|e| e.kind == "purchase")
        .map(|e| (day(e.at), e.amount.filter(|a| a.is_finite() && *a >= 0.0).unwrap_or(0.0)))
        .collect()
}

/// The customer's likelihood-to-recommend answers (0–10): the NPS question
/// of each response's survey, as the metrics count it.
fn nps_scores(h: &ModelHistory, surveys: &HashMap<Id, Vec<Question>>) -> Vec<(NaiveDate, f64)> {
    h.responses
        .iter()
        .filter_map(|r| {
            let questions = surveys.get(&r.survey_id?)?;
            let (_, tally) = answer_tallies(questions, &r.answers).into_iter().find(|(s, _)| *s == Scale::Nps)?;
            Some((day(r.at), tally.sum as f64))
        })
        .collect()
}

/// The churn model's view of a customer.
pub fn churn_history(h: &ModelHistory, surveys: &HashMap<Id, Vec<Question>>) -> CustomerHistory {
    let dated = |kinds: &[&str]| -> Vec<NaiveDate> {
        h.events.iter().filter(|e| kinds.contains(&e.kind.as_str())).map(|e| day(e.at)).collect()
    };
    let negative = Some(Sentiment::Negative.code());
    CustomerHistory {
        purchases: purchases(h),
        cancellations: dated(&["cancellation", "non_renewal"]),
        scores: nps_scores(h, surveys),
        cases: h
            .cases
            .iter()
            .map(|&(opened, closed, breached)| CaseDates {
                opened: day(opened),
                closed: closed.map(day),
                breached: breached.map(day),
            })
            .collect(),
        negative_comments: h
            .responses
            .iter()
            .filter(|r| r.anger || r.sentiment == negative)
            .map(|r| day(r.at))
            .collect(),
        contacts: dated(&["contact"]),
    }
}

/// The touchpoints the customer met in `[from, to)`, and the experiences
/// they belong to (`experiences`: touchpoint → experiences), each once.
pub fn met(h: &ModelHistory, experiences: &HashMap<Id, Vec<Id>>, from: NaiveDate, to: NaiveDate) -> (Vec<Id>, Vec<Id>) {
    let inside = |t: DateTime<Utc>| (from..to).contains(&day(t));
    let mut tps: Vec<Id> = h.events.iter().filter(|e| inside(e.at)).filter_map(|e| e.touchpoint_id).collect();
    tps.extend(h.responses.iter().filter(|r| inside(r.at)).map(|r| r.touchpoint_id));
    tps.sort_unstable();
    tps.dedup();
    let mut exps: Vec<Id> = tps.iter().filter_map(|tp| experiences.get(tp)).flatten().copied().collect();
    exps.sort_unstable();
    exps.dedup();
    (exps, tps)
}

/// Whether the customer showed the perfect behaviour on a day from `since`
/// on, by the rule's own definition (`plan::perfect_behaviour::state`),
/// from their events (each event counts once).
pub fn showed(h: &ModelHistory, rule: &Rule, since: NaiveDate) -> bool {
    let m = matches(rule, h.events.iter().map(|e| (day(e.at), e.kind.as_str(), e.touchpoint_id, 1)));
    shown_days(rule, &m).last().is_some_and(|d| *d >= since)
}

/// The customer's year `[from, to)` for the ROCE facts (scores set later).
pub fn year(h: &ModelHistory, from: NaiveDate, to: NaiveDate) -> CustomerYear {
    let events: Vec<(NaiveDate, &str, Option<f64>, Option<&str>)> =
        h.events.iter().map(|e| (day(e.at), e.kind.as_str(), e.amount, e.reason.as_deref())).collect();
    let nps: Vec<(NaiveDate, i16)> = h.responses.iter().filter_map(|r| Some((day(r.at), r.nps_band?))).collect();
    let cases: Vec<NaiveDate> = h.cases.iter().map(|c| day(c.0)).collect();
    CustomerYear::tally(&events, &nps, &cases, from, to)
}
