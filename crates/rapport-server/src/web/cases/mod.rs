//! Customer cases (D1–D3) in the web UI: the agent's queue, the case page
//! with the RESOLVED checklist, the root-cause taxonomy and report, and the
//! rules that open and route cases with the working calendar. (A customer's
//! profile lists their cases and opens one by hand: `web/customers.rs`.)
//!
//! Reading needs `ReadProgram`; working a case `WorkCases`; rules, the
//! calendar and the taxonomy `EditPlan`. Writes name the user as
//! `user:ID`, as the case history expects.

mod conversation;
mod history;
mod page;
mod queue;
mod queue_live;
#[cfg(test)]
mod queue_tests;
mod reply_templates;
mod root_causes;
pub(crate) mod rules;
mod steps;
#[cfg(test)]
mod tests;
mod triage;

#[cfg(test)]
pub(super) use queue::SHOWS;
#[cfg(test)]
pub(super) use rules::DAYS;

use super::Page;
use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};
use rapport_core::case::Case;
use rapport_core::Id;
use serde::Serialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases", get(queue::queue))
        .route("/cases/bulk", post(queue::bulk))
        .route("/cases/stream", get(queue_live::stream))
        .route("/cases/queue.js", get(queue_live::script))
        .route("/cases/rules", get(rules::show))
        .route("/cases/rules/case-rules", post(rules::create_case_rule))
        .route("/cases/rules/case-rules/{id}/delete", post(rules::delete_case_rule))
        .route("/cases/rules/case-rules/{id}/active", post(rules::toggle_case_rule))
        .route("/cases/rules/routing", post(rules::create_routing_rule))
        .route("/cases/rules/routing/{id}/delete", post(rules::delete_routing_rule))
        .route("/cases/rules/calendar", post(rules::save_calendar))
        .route("/cases/rules/default-owner", post(rules::save_default_owner))
        .route("/cases/{id}", get(page::show))
        .route("/cases/{id}/steps/{step}", post(steps::record))
        .route("/cases/{id}/close", post(page::close))
        .route("/cases/{id}/reopen", post(page::reopen))
        .route("/cases/{id}/assign", post(page::assign))
        .route("/cases/{id}/triage", post(triage::save))
        .route("/cases/{id}/messages", post(conversation::post))
        .route("/cases/{id}/thread", get(conversation::thread))
        .route("/cases/reply-templates", get(reply_templates::show))
        .route("/cases/reply-templates/{step}", post(reply_templates::save))
        .route("/root-causes", get(root_causes::show).post(root_causes::save))
        .route("/root-causes/{id}", post(root_causes::save))
        .route("/root-causes/{id}/delete", post(root_causes::delete))
        .route("/root-causes/{id}/idea", post(root_causes::to_idea))
}

/// Who did it, as the case history records it: `user:ID` for a signed-in
/// user, else the principal's actor (`token:NAME`).
pub(super) fn actor(page: &Page) -> String {
    match &page.p.user {
        Some(u) => format!("user:{}", u.id),
        None => page.p.actor.clone(),
    }
}

/// Names of the people and touchpoints cases point at.
pub(super) struct Names {
    pub people: HashMap<Id, String>,
    pub touchpoints: HashMap<Id, String>,
}

impl Names {
    pub async fn load(page: &Page) -> Result<Names, super::WebError> {
        let (people, touchpoints) =
            tokio::try_join!(page.store().list_people(page.org()), page.store().list_touchpoints(page.org()))?;
        Ok(Names {
            people: people.into_iter().map(|p| (p.id, p.name)).collect(),
            touchpoints: touchpoints.into_iter().map(|t| (t.id, t.name)).collect(),
        })
    }

    pub fn person(&self, id: Option<Id>) -> Option<String> {
        id.and_then(|id| self.people.get(&id).cloned())
    }

    pub fn touchpoint(&self, id: Option<Id>) -> Option<String> {
        id.and_then(|id| self.touchpoints.get(&id).cloned())
    }

    /// `user:ID` is shown as "you" when it is the viewer; `person:ID` (in
    /// history details) by the person's name.
    pub fn detail(&self, text: &str) -> String {
        text.split(' ')
            .map(|w| {
                let (core, tail) = match w.find(')') {
                    Some(i) => (&w[..i], &w[i..]),
                    None => (w, ""),
                };
                match core.strip_prefix("person:").and_then(|id| id.parse::<Id>().ok()) {
                    Some(id) => format!("{}{tail}", self.people.get(&id).cloned().unwrap_or_else(|| core.to_string())),
                    None => w.to_string(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A case as a row of the queue or of a customer's profile.
#[derive(Debug, Serialize)]
pub(super) struct CaseRow {
    pub id: Id,
    pub title: String,
    pub customer: Option<String>,
    pub touchpoint: Option<String>,
    pub assignee: Option<String>,
    pub status: &'static str,
    pub due: String,
    pub overdue: bool,
    pub closed_at: Option<String>,
}

impl CaseRow {
    pub fn of(c: &Case, names: &Names, now: DateTime<Utc>) -> CaseRow {
        let open = c.status == rapport_core::case::CaseStatus::Open;
        CaseRow {
            id: c.id,
            title: c.title.clone(),
            customer: c.customer.clone(),
            touchpoint: names.touchpoint(c.touchpoint_id),
            assignee: names.person(c.assignee_id),
            status: c.status.key(),
            due: c.next_due().to_rfc3339(),
            overdue: open && c.is_overdue(now),
            closed_at: c.closed_at.map(|t| t.to_rfc3339()),
        }
    }
}

/// The rows of a customer's cases, for their profile page.
pub(super) async fn customer_cases(page: &Page, external_id: &str) -> Result<Vec<CaseRow>, super::WebError> {
    let filter = rapport_store::CaseFilter { customer: Some(external_id.to_string()), limit: 50, ..Default::default() };
    let cases = page.store().list_cases(page.org(), &filter).await?;
    let names = Names::load(page).await?;
    let now = Utc::now();
    Ok(cases.iter().map(|c| CaseRow::of(c, &names, now)).collect())
}
