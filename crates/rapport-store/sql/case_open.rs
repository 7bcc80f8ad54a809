//! Opening the cases a batch of feedback opens, all at once.
//!
//! A batch of 5,000 responses from a large customer base opens about 2,000
//! cases. Opened one by one (`case_flow::insert_case` and `case_event`),
//! each cost ten statements, half a millisecond: two thirds of the whole
//! ingestion. Here each step is one statement per chunk for the whole
//! batch: the cases, their search terms and tags, reading them back, the
//! assignees' notifications and the outbox's `case.opened` events. What is
//! written is what the one-by-one path writes (the case-rule stories check
//! it on both backends).

use super::case_flow::cases_with_ids;
use super::case_queue::{add_tags, add_terms};
use super::ingest::insert_rows;
use super::notifications::notify_each;
use super::outbox::enqueue_each;
use super::Conn;
use chrono::{DateTime, Utc};
use rapport_core::case::promise::Promise;
use rapport_core::case::routing::Routing;
use rapport_core::case::triage::tags_text;
use rapport_core::case::{Case, CaseTriage};
use rapport_core::customer_search::terms;
use rapport_core::notification::Kind;
use rapport_core::Id;
use rapport_store::cases as k;
use rapport_store::{Result, StoreError};
use std::collections::HashMap;

/// A case to open: what routing and triage decided for it.
pub(crate) struct Opening<'a> {
    pub title: &'a str,
    pub customer: Id,
    pub touchpoint: Option<Id>,
    pub rule: Option<Id>,
    pub routing: Routing,
    pub promise: Promise,
    pub triage: CaseTriage,
    /// The `case.opened` event's summary.
    pub summary: String,
}

/// Opens `cases` at `opened`; their ids, in the order of `cases`.
pub(crate) async fn open_cases(c: &mut Conn, org: Id, cases: &[Opening<'_>], opened: DateTime<Utc>) -> Result<Vec<Id>> {
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    let head = "INSERT INTO cases (org_id, title, customer_id, touchpoint_id, rule_id, routing_rule_id, status, \
                assignee_id, opened_at, first_response_due, resolution_due, first_response_hours, resolution_hours, \
                priority, tags, assignment_reason, detractor) ";
    let ids = insert_rows(c, head, 17, cases, |b, k| {
        b.push_bind(org)
            .push_bind(k.title)
            .push_bind(k.customer)
            .push_bind(k.touchpoint)
            .push_bind(k.rule)
            .push_bind(k.routing.rule_id)
            .push_bind("open")
            .push_bind(k.routing.assignee_id)
            .push_bind(opened)
            .push_bind(k.promise.first_response_due)
            .push_bind(k.promise.resolution_due)
            .push_bind(k.routing.first_response_hours)
            .push_bind(k.routing.resolution_hours)
            .push_bind(k.triage.priority.key())
            .push_bind(tags_text(&k.triage.tags))
            .push_bind(k.triage.assignment_reason.map(|r| r.key()))
            .push_bind(k.triage.detractor);
    })
    .await?;
    let words: Vec<(String, Id)> =
        cases.iter().zip(&ids).flat_map(|(k, id)| terms(k.title, None, None).into_iter().map(|w| (w, *id))).collect();
    add_terms(c, org, &words).await?;
    let tags: Vec<(Id, &str)> =
        cases.iter().zip(&ids).flat_map(|(k, id)| k.triage.tags.iter().map(|t| (*id, t.as_str()))).collect();
    add_tags(c, org, &tags).await?;
    announce(c, org, cases, &ids).await?;
    Ok(ids)
}

/// Tells each case's assignee (a notification, and e-mail if they chose
/// it) and the webhooks (`case.opened` in the outbox), as `case_event`
/// does for one case.
async fn announce(c: &mut Conn, org: Id, cases: &[Opening<'_>], ids: &[Id]) -> Result<()> {
    let mut found: HashMap<Id, Case> = cases_with_ids(c, org, ids).await?.into_iter().map(|k| (k.id, k)).collect();
    let rows = ids.iter().map(|id| found.remove(id).ok_or(StoreError::NotFound)).collect::<Result<Vec<Case>>>()?;
    let links: Vec<String> = ids.iter().map(|id| format!("/cases/{id}")).collect();
    let to: Vec<(Id, &str, &str)> = cases
        .iter()
        .zip(&rows)
        .zip(&links)
        .filter_map(|((k, row), link)| Some((k.routing.assignee_id?, row.title.as_str(), link.as_str())))
        .collect();
    let mut emails = notify_each(c, org, Kind::CaseAssigned, &to, None).await?.into_iter();
    let payloads: Vec<serde_json::Value> = cases
        .iter()
        .zip(rows)
        .map(|(k, row)| {
            let to = if k.routing.assignee_id.is_some() { emails.next().unwrap_or_default() } else { Vec::new() };
            k::case_payload(&row, k.summary.clone(), to)
        })
        .collect();
    enqueue_each(c, org, "case.opened", &payloads).await
}
