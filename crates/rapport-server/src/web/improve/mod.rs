//! The improvement loop (D4–D7, E4) in the web UI: ideas, redesign
//! sprints, the change channel's announcements, the internal comms plan
//! and engagement.
//!
//! Reading needs `ReadProgram`; submitting, voting, commenting and
//! acknowledging `Contribute`; moving, filing and merging ideas, sprints and
//! the comms plan `EditPlan`. The acting person is the signed-in account's
//! person, as in the API.

mod announcements;
mod comms;
mod engagement;
mod idea_page;
mod ideas;
mod sprint_page;
mod sprints;
#[cfg(test)]
mod tests;

pub(super) use announcements::unacknowledged;

use super::form::outcome;
use super::{Page, WebError};
use crate::error::AppError;
use crate::state::AppState;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use std::collections::{BTreeMap, HashMap};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ideas", get(ideas::list).post(ideas::create))
        .route("/ideas/{id}", get(idea_page::show))
        .route("/ideas/{id}/vote", post(idea_page::vote))
        .route("/ideas/{id}/unvote", post(idea_page::unvote))
        .route("/ideas/{id}/comments", post(idea_page::comment))
        .route("/ideas/{id}/status", post(idea_page::status))
        .route("/ideas/{id}/filing", post(idea_page::file))
        .route("/ideas/{id}/merge", post(idea_page::merge))
        .route("/sprints", get(sprints::list).post(sprints::create))
        .route("/sprints/{id}", get(sprint_page::show))
        .route("/sprints/{id}/scope", post(sprint_page::scope))
        .route("/sprints/{id}/proposal", post(sprint_page::proposal))
        .route("/sprints/{id}/approve", post(sprint_page::approve))
        .route("/sprints/{id}/finish", post(sprint_page::finish))
        .route("/announcements", get(announcements::feed))
        .route("/announcements/{id}", get(announcements::show))
        .route("/announcements/{id}/acknowledge", post(announcements::acknowledge))
        .route("/comms", get(comms::show).post(comms::save))
        .route("/comms/{id}", get(comms::show_item).post(comms::save))
        .route("/comms/{id}/cancel", post(comms::cancel))
        .route("/engagement", get(engagement::show))
}

/// The signed-in person, as the API's `acting_person` finds them.
pub(super) fn acting(page: &Page, field: &str) -> Result<Id, AppError> {
    crate::api::ideas::acting_person(&page.p, None, field)
}

/// The signed-in account's person, if linked.
pub(super) fn me(page: &Page) -> Option<Id> {
    page.p.user.as_ref().and_then(|u| u.person_id)
}

/// A form that was refused: which one, what was sent and why.
pub(super) struct Failed {
    pub form: &'static str,
    pub status: StatusCode,
    pub values: BTreeMap<String, String>,
    pub errors: FieldErrors,
}

impl Failed {
    /// `Ok(None)` when stored, `Ok(Some(failed))` for field errors; any
    /// other error is the page's.
    pub fn of<T>(
        form: &'static str,
        sent: &super::form::FormData,
        r: Result<T, AppError>,
    ) -> Result<Result<T, Failed>, WebError> {
        Ok(outcome(r)?.map_err(|(status, errors)| Failed { form, status, values: sent.values(), errors }))
    }
}

/// What a page shows of a refused form: its name, values and translated errors.
pub(super) fn failed_parts(
    page: &Page,
    failed: &Option<Failed>,
) -> (StatusCode, Option<&'static str>, BTreeMap<String, String>, BTreeMap<String, String>) {
    match failed {
        Some(f) => (f.status, Some(f.form), f.values.clone(), page.errors(&f.errors)),
        None => (StatusCode::OK, None, BTreeMap::new(), BTreeMap::new()),
    }
}

/// Names of the people, touchpoints and experiences the loop points at.
pub(super) struct Names {
    pub people: HashMap<Id, String>,
    pub touchpoints: Vec<(Id, String)>,
    pub experiences: Vec<(Id, String)>,
    pub active: Vec<(Id, String)>,
}

impl Names {
    pub async fn load(page: &Page) -> Result<Names, WebError> {
        let (people, touchpoints, experiences) = tokio::try_join!(
            page.store().list_people(page.org()),
            page.store().list_touchpoints(page.org()),
            page.store().list_experiences(page.org())
        )?;
        let mut active: Vec<(Id, String)> =
            people.iter().filter(|p| p.is_active()).map(|p| (p.id, p.name.clone())).collect();
        active.sort_by_key(|(_, n)| n.to_lowercase());
        Ok(Names {
            people: people.into_iter().map(|p| (p.id, p.name)).collect(),
            touchpoints: touchpoints.into_iter().map(|t| (t.id, t.name)).collect(),
            experiences: experiences.into_iter().map(|e| (e.id, e.name)).collect(),
            active,
        })
    }

    pub fn person(&self, id: Id) -> String {
        self.people.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))
    }

    pub fn touchpoint(&self, id: Option<Id>) -> Option<String> {
        id.and_then(|id| self.touchpoints.iter().find(|t| t.0 == id)).map(|t| t.1.clone())
    }

    pub fn experience(&self, id: Option<Id>) -> Option<String> {
        id.and_then(|id| self.experiences.iter().find(|t| t.0 == id)).map(|t| t.1.clone())
    }
}
