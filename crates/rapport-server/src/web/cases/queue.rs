//! The agent's queue (`/cases`). (Opening a case by hand from a customer's
//! profile is the profile's: `web/customers.rs`.)

use super::{CaseRow, Names};
use crate::web::{Page, WebResult};
use axum::extract::Query;
use chrono::Utc;
use minijinja::context;
use rapport_core::case::CaseStatus;
use rapport_core::role::Permission;
use rapport_core::Id;
use rapport_store::CaseFilter;
use serde::Deserialize;

/// Rows on one page of the queue.
const QUEUE_LIMIT: i64 = 200;

/// The views of the queue.
pub(crate) const SHOWS: [&str; 4] = ["mine", "open", "closed", "all"];

#[derive(Deserialize, Default)]
pub(super) struct QueueQuery {
    show: Option<String>,
    assignee: Option<String>,
}

pub(super) async fn queue(page: Page, Query(q): Query<QueueQuery>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let me = page.p.user.as_ref().and_then(|u| u.person_id);
    let default = if me.is_some() { "mine" } else { "open" };
    let show = q.show.as_deref().filter(|s| SHOWS.contains(s)).unwrap_or(default);
    let assignee: Option<Id> = q.assignee.as_deref().and_then(|a| a.trim().parse().ok());
    let mut filter = CaseFilter { limit: QUEUE_LIMIT, assignee, ..Default::default() };
    match show {
        "mine" => {
            filter.status = Some(CaseStatus::Open);
            // No linked person: nobody's cases, rather than everyone's.
            filter.assignee = Some(me.unwrap_or(0));
        }
        "open" => filter.status = Some(CaseStatus::Open),
        "closed" => filter.status = Some(CaseStatus::Closed),
        _ => {}
    }
    let cases = page.store().list_cases(page.org(), &filter).await?;
    let names = Names::load(&page).await?;
    let now = Utc::now();
    let rows: Vec<CaseRow> = cases.iter().map(|c| CaseRow::of(c, &names, now)).collect();
    let overdue = rows.iter().filter(|r| r.overdue).count();
    let mut people: Vec<(Id, String)> = names.people.iter().map(|(id, n)| (*id, n.clone())).collect();
    people.sort_by_key(|(_, n)| n.to_lowercase());
    page.render(
        "cases/queue.html",
        context! {
            cases => rows,
            overdue => overdue,
            show => show,
            shows => SHOWS,
            assignee => assignee,
            people => people,
            linked => me.is_some(),
            can_work => page.p.can(Permission::WorkCases),
        },
    )
}
