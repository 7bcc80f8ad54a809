//! How cases open: from feedback that matches a case rule, inside the
//! ingestion's transaction, or by hand from a customer's timeline.
//!
//! Feedback of an anonymous (or erased) customer opens no case: there is
//! nobody to respond to. Feedback of a customer who already has an open case
//! at that touchpoint joins it instead of opening another. Feedback that
//! arrives more than a week after it happened opens none either
//! (`trigger::follow_up_fresh`: an import of history).

use super::case_flow::{case_histories, link_items, RoutingSetup};
use super::case_open::{open_cases, Opening};
use super::case_setup::case_rules;
use super::customers::lookup;
use super::rollups::survey_questions;
use super::Conn;
use chrono::{DateTime, Utc};
use rapport_core::case::closed_loop::is_detractor;
use rapport_core::case::history as h;
use rapport_core::case::trigger::{first_match, follow_up_fresh, CaseRule, Feedback};
use rapport_core::case::CaseTriage;
use rapport_core::measure::{score::answer_tallies, Scale};
use rapport_core::text::TextSummary;
use rapport_core::Id;
use rapport_store::cases::FeedbackFact;
use rapport_store::rows::listening as l;
use rapport_store::Result;
use serde_json::{Map as JsonMap, Value as JsonValue};

/// Opens or joins cases for the stored feedback; the ids of the cases
/// touched, for notices.
async fn cases_from_feedback(
    c: &mut Conn,
    org: Id,
    rules: &[CaseRule],
    facts: &[FeedbackFact],
    now: DateTime<Utc>,
) -> Result<Vec<Id>> {
    // (customer, touchpoint) → the rule that fired first, and the matching items.
    type Group<'a> = ((Id, Option<Id>), &'a CaseRule, Vec<&'a FeedbackFact>);
    let mut groups: Vec<Group<'_>> = Vec::new();
    for f in facts.iter().filter(|f| follow_up_fresh(f.at, now)) {
        let Some(customer) = f.customer_id else { continue };
        let seen = Feedback {
            scores: f.scores.clone(),
            texts: f.texts.iter().map(String::as_str).collect(),
            event_type: f.event_type.as_deref(),
            touchpoint_id: f.touchpoint_id,
            text: f.text,
            themes: f.themes.clone(),
        };
        let Some(rule) = first_match(rules, &seen) else { continue };
        let key = (customer, f.touchpoint_id);
        match groups.iter_mut().find(|g| g.0 == key) {
            Some(g) => g.2.push(f),
            None => groups.push((key, rule, vec![f])),
        }
    }
    if groups.is_empty() {
        return Ok(Vec::new());
    }
    let customers: Vec<Id> = l::distinct(groups.iter().map(|g| g.0 .0));
    let open: Vec<(Id, Id, Option<Id>)> = lookup(
        c,
        "SELECT id, customer_id, touchpoint_id FROM cases WHERE status = 'open' AND",
        org,
        "customer_id",
        &customers,
    )
    .await?;
    // Read once, and only when a case is opened.
    let mut setup: Option<RoutingSetup> = None;
    // Each group's case: an open one it joins, or the index of the case it opens.
    let mut cases: Vec<Result<Id, usize>> = Vec::with_capacity(groups.len());
    let mut openings: Vec<Opening<'_>> = Vec::new();
    for ((customer, touchpoint), rule, items) in &groups {
        let (customer, touchpoint) = (*customer, *touchpoint);
        if let Some(o) = open.iter().find(|o| o.1 == customer && o.2 == touchpoint) {
            cases.push(Ok(o.0));
            continue;
        }
        let channel = items[0].channel.as_deref();
        let setup = match &mut setup {
            Some(s) => s,
            None => setup.insert(RoutingSetup::load(c, org, &customers).await?),
        };
        let (routing, promise, reason) = setup.route(customer, touchpoint, channel, now);
        let triage = CaseTriage {
            priority: rule.priority.unwrap_or_default(),
            tags: rule.tags.clone(),
            assignment_reason: reason,
            detractor: items.iter().any(|f| {
                let scores: Vec<(&str, i64)> = f.scores.iter().map(|(s, v)| (s.key(), *v)).collect();
                f.kind == "response" && is_detractor(&scores)
            }),
        };
        let summary = format!(
            "Opened by the rule \"{}\". First response due {}.",
            rule.name,
            promise.first_response_due.format("%Y-%m-%d %H:%M UTC")
        );
        cases.push(Err(openings.len()));
        openings.push(Opening {
            title: &rule.name,
            customer,
            touchpoint,
            rule: Some(rule.id),
            routing,
            promise,
            triage,
            summary,
        });
    }
    let opened = open_cases(c, org, &openings, now).await?;
    // Written together: a batch may touch thousands of cases.
    let mut history: Vec<(Id, &str, Option<String>)> = Vec::new();
    let mut links: Vec<(Id, &str, Id, DateTime<Utc>)> = Vec::new();
    let mut touched = Vec::with_capacity(groups.len());
    for ((_, rule, items), case) in groups.iter().zip(cases) {
        let id = match case {
            Ok(id) => {
                let what: Vec<(&str, Id)> = items.iter().map(|f| (f.kind, f.id)).collect();
                history.push((id, "joined", Some(h::joined_detail(&what, &rule.name))));
                id
            }
            Err(i) => {
                let id = opened[i];
                let detail = h::opened_detail(rule.id, &rule.name, items[0].kind, items[0].id);
                history.push((id, "opened", Some(detail)));
                let o = &openings[i];
                if let Some(a) = o.routing.assignee_id {
                    history.push((id, "assigned", Some(h::assigned_detail(None, a, o.triage.assignment_reason))));
                }
                id
            }
        };
        links.extend(items.iter().map(|f| (id, f.kind, f.id, f.at)));
        touched.push(id);
    }
    case_histories(c, org, now, "system", &history).await?;
    link_items(c, org, &links).await?;
    Ok(touched)
}

/// A freshly stored response as the case rules read it: (id, customer,
/// touchpoint, at, channel, survey, answers, comment, the comment's
/// analysis and themes).
pub(crate) type ResponseFact<'a> = (
    Id,
    Option<Id>,
    Id,
    DateTime<Utc>,
    Option<&'a str>,
    Option<Id>,
    &'a JsonMap<String, JsonValue>,
    Option<&'a str>,
    Option<TextSummary>,
    &'a [Id],
);

/// A freshly stored event as the case rules read it: (id, customer,
/// touchpoint, at, type).
pub(crate) type EventFact<'a> = (Id, Option<Id>, Option<Id>, DateTime<Utc>, &'a str);

/// Opens or joins cases for freshly stored responses.
pub(crate) async fn cases_from_responses(
    c: &mut Conn,
    org: Id,
    rows: &[ResponseFact<'_>],
    now: DateTime<Utc>,
) -> Result<Vec<Id>> {
    if rows.iter().all(|r| r.1.is_none()) {
        return Ok(Vec::new());
    }
    let rules = active_case_rules(c, org).await?;
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    let questions = survey_questions(c, org, rows.iter().filter_map(|r| r.5)).await?;
    let facts: Vec<FeedbackFact> = rows
        .iter()
        .filter(|r| r.1.is_some())
        .map(|(id, customer, touchpoint, at, channel, survey, answers, comment, text, themes)| {
            let asked = survey.and_then(|s| questions.get(&s));
            let scores = asked
                .map(|q| {
                    answer_tallies(q, answers)
                        .into_iter()
                        .filter(|(s, _)| *s != Scale::Feedback)
                        .map(|(s, t)| (s, t.sum))
                        .collect()
                })
                .unwrap_or_default();
            let mut texts: Vec<String> = comment.iter().map(|t| t.to_string()).collect();
            texts.extend(answers.values().filter_map(|v| v.as_str()).map(str::to_string));
            FeedbackFact {
                kind: "response",
                id: *id,
                customer_id: *customer,
                touchpoint_id: Some(*touchpoint),
                at: *at,
                channel: channel.map(str::to_string),
                scores,
                texts,
                event_type: None,
                text: *text,
                themes: themes.to_vec(),
            }
        })
        .collect();
    cases_from_feedback(c, org, &rules, &facts, now).await
}

/// Opens or joins cases for freshly stored events.
pub(crate) async fn cases_from_events(
    c: &mut Conn,
    org: Id,
    rows: &[EventFact<'_>],
    now: DateTime<Utc>,
) -> Result<Vec<Id>> {
    if rows.iter().all(|r| r.1.is_none()) {
        return Ok(Vec::new());
    }
    let rules = active_case_rules(c, org).await?;
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    let facts: Vec<FeedbackFact> = rows
        .iter()
        .filter(|r| r.1.is_some())
        .map(|(id, customer, touchpoint, at, kind)| FeedbackFact {
            kind: "event",
            id: *id,
            customer_id: *customer,
            touchpoint_id: *touchpoint,
            at: *at,
            channel: None,
            scores: Vec::new(),
            texts: Vec::new(),
            event_type: Some(kind.to_string()),
            text: None,
            themes: Vec::new(),
        })
        .collect();
    cases_from_feedback(c, org, &rules, &facts, now).await
}

/// The rules every ingestion with known customers reads, once per
/// batch (usually none or a handful).
async fn active_case_rules(c: &mut Conn, org: Id) -> Result<Vec<CaseRule>> {
    Ok(case_rules(c, org, None).await?.into_iter().filter(|r| r.active).collect())
}
