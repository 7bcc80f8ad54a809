//! The agent's queue (`/cases`): a view (mine, open, closed, all) and
//! filters (assignee incl. unassigned, touchpoint, priority, tag, breached,
//! a search of titles and customers), combined, 50 cases a page in the
//! promise-due order with a keyset "next page" link; priority and tags as
//! badges; a bulk form (checkboxes, no JavaScript needed) that assigns the
//! cases ticked, sets their priority or adds tags, all or none. The list
//! marks itself stale when cases change (`queue_live.rs`). (Opening a case
//! by hand from a customer's profile is the profile's: `web/customers.rs`.)

use super::{actor, CaseRow, Names};
use crate::api::page::{decode_key, encode};
use crate::error::AppError;
use crate::web::form::{comma_list, outcome, FormData};
use crate::web::{see_other, Page, WebResult};
use axum::extract::Query;
use axum::http::StatusCode;
use chrono::Utc;
use minijinja::context;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use rapport_core::case::triage::{normalize_tag, tags, Priority, MAX_TAG_CHARS};
use rapport_core::case::CaseStatus;
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::{CaseBulkChange, CaseFilter, CaseKey};
use serde::{Deserialize, Serialize};

/// Rows on one page of the queue.
const QUEUE_LIMIT: i64 = 50;
/// Counted no further than this for the page's total.
const COUNT_CAP: i64 = 10_000;

/// The views of the queue.
pub(crate) const SHOWS: [&str; 4] = ["mine", "open", "closed", "all"];

#[derive(Deserialize, Serialize, Default, Clone)]
pub(super) struct QueueQuery {
    show: Option<String>,
    /// A person's id, or `unassigned`.
    assignee: Option<String>,
    touchpoint: Option<String>,
    priority: Option<String>,
    tag: Option<String>,
    /// `on`: only cases past their promise.
    breached: Option<String>,
    q: Option<String>,
    after: Option<String>,
}

#[derive(Serialize)]
struct QueueRow {
    #[serde(flatten)]
    row: CaseRow,
    priority: &'static str,
    tags: Vec<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl QueueQuery {
    /// The view shown and the store's filter; field errors for what does not parse.
    fn filter(&self, me: Option<Id>) -> (&str, CaseFilter, FieldErrors) {
        let mut e = FieldErrors::new();
        let default = if me.is_some() { "mine" } else { "open" };
        let show = given(&self.show).filter(|s| SHOWS.contains(s)).unwrap_or(default);
        let mut f = CaseFilter { limit: QUEUE_LIMIT, ..Default::default() };
        match given(&self.assignee) {
            Some("unassigned") => f.unassigned = true,
            Some(a) => f.assignee = a.parse().map_err(|_| e.add("assignee", "invalid", "unknown")).ok(),
            None => {}
        }
        match show {
            // No linked person: nobody's cases, rather than everyone's.
            "mine" => (f.status, f.assignee, f.unassigned) = (Some(CaseStatus::Open), Some(me.unwrap_or(0)), false),
            "open" => f.status = Some(CaseStatus::Open),
            "closed" => f.status = Some(CaseStatus::Closed),
            _ => {}
        }
        f.touchpoint =
            given(&self.touchpoint).and_then(|t| t.parse().map_err(|_| e.add("touchpoint", "invalid", "unknown")).ok());
        f.priority = Priority::field(&mut e, "priority", given(&self.priority));
        f.tag = given(&self.tag).and_then(|t| {
            let tag = normalize_tag(t).filter(|t| t.chars().count() <= MAX_TAG_CHARS);
            if tag.is_none() {
                e.add("tag", "invalid", "not a tag");
            }
            tag
        });
        f.breached_as_of = given(&self.breached).map(|_| Utc::now());
        f.search = given(&self.q).and_then(|q| {
            let ok = q.chars().count() <= 200 && !rapport_core::customer_search::words(q).is_empty();
            if !ok {
                e.add("q", "invalid", "letters or digits, at most 200 characters");
            }
            ok.then(|| q.to_string())
        });
        f.after = given(&self.after).and_then(|a| {
            let key = decode_key::<CaseKey>("cases", a);
            if key.is_none() {
                e.add("after", "invalid", "not a cursor of this list");
            }
            key
        });
        (show, f, e)
    }

    /// This query as a query string, with `after` replaced.
    fn link(&self, after: Option<String>) -> String {
        let pairs = [
            ("show", &self.show),
            ("assignee", &self.assignee),
            ("touchpoint", &self.touchpoint),
            ("priority", &self.priority),
            ("tag", &self.tag),
            ("breached", &self.breached),
            ("q", &self.q),
            ("after", &after),
        ];
        pairs
            .iter()
            .filter_map(|(k, v)| given(v).map(|v| format!("{k}={}", utf8_percent_encode(v, NON_ALPHANUMERIC))))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// A query string as the bulk form carries it back (nothing on nonsense).
    fn parse(text: &str) -> QueueQuery {
        let uri: axum::http::Uri =
            format!("/cases?{text}").parse().unwrap_or_else(|_| axum::http::Uri::from_static("/cases"));
        Query::<QueueQuery>::try_from_uri(&uri).map(|Query(q)| q).unwrap_or_default()
    }
}

pub(super) async fn queue(page: Page, Query(q): Query<QueueQuery>) -> WebResult {
    render(&page, q, StatusCode::OK, FieldErrors::new(), Default::default(), Vec::new()).await
}

async fn render(
    page: &Page,
    q: QueueQuery,
    status: StatusCode,
    bulk_errors: FieldErrors,
    bulk_sent: std::collections::BTreeMap<String, String>,
    ticked: Vec<Id>,
) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let me = page.p.user.as_ref().and_then(|u| u.person_id);
    let (show, filter, filter_errors) = q.filter(me);
    let status = if filter_errors.is_empty() { status } else { StatusCode::UNPROCESSABLE_ENTITY };
    let (cases, total) = if filter_errors.is_empty() {
        tokio::try_join!(
            page.store().list_cases(page.org(), &filter),
            page.store().count_cases(page.org(), &filter, COUNT_CAP)
        )?
    } else {
        (Vec::new(), 0)
    };
    let names = Names::load(page).await?;
    let now = Utc::now();
    let next = (cases.len() as i64 == QUEUE_LIMIT)
        .then(|| cases.last().map(|c| q.link(Some(encode("cases", &CaseKey::of(c))))))
        .flatten();
    let rows: Vec<QueueRow> = cases
        .iter()
        .map(|c| QueueRow {
            row: CaseRow::of(c, &names, now),
            priority: c.triage.priority.key(),
            tags: c.triage.tags.clone(),
        })
        .collect();
    let overdue = rows.iter().filter(|r| r.row.overdue).count();
    let mut people: Vec<(Id, String)> = names.people.iter().map(|(id, n)| (*id, n.clone())).collect();
    people.sort_by_key(|(_, n)| n.to_lowercase());
    let mut touchpoints: Vec<(Id, String)> = names.touchpoints.iter().map(|(id, n)| (*id, n.clone())).collect();
    touchpoints.sort_by_key(|(_, n)| n.to_lowercase());
    page.render_status(
        status,
        "cases/queue.html",
        context! {
            cases => rows,
            overdue => overdue,
            total => total,
            total_capped => total >= COUNT_CAP,
            show => show,
            shows => SHOWS,
            f => &q,
            back => q.link(None),
            next => next,
            first_page => q.after.is_some(),
            first_link => q.link(None),
            people => people,
            touchpoints => touchpoints,
            priorities => Priority::ALL.map(|p| p.key()),
            linked => me.is_some(),
            can_work => page.p.can(Permission::WorkCases),
            errors => page.errors(&filter_errors),
            bulk_errors => page.errors(&bulk_errors),
            bv => bulk_sent,
            ticked => ticked,
        },
    )
}

/// The bulk form: the cases ticked get the assignee, priority and tags
/// chosen, all of them or none; back to the same view of the queue.
pub(super) async fn bulk(page: Page, form: FormData) -> WebResult {
    page.require(Permission::WorkCases)?;
    let back = QueueQuery::parse(form.get("back").unwrap_or(""));
    let r = async {
        let mut e = FieldErrors::new();
        let ids = form.ids("ids");
        if ids.is_empty() {
            e.add("ids", "required", "tick at least one case");
        }
        let assignee = form.filled("assignee_id").and_then(|_| form.id("assignee_id", &mut e));
        let priority = Priority::field(&mut e, "priority", form.get("priority"));
        let add_tags = tags(&mut e, "add_tags", &comma_list(form.get("add_tags")).unwrap_or_default());
        if assignee.is_none() && priority.is_none() && add_tags.is_empty() && e.is_empty() {
            e.add("assignee_id", "required", "choose someone, a priority or tags");
        }
        if !e.is_empty() {
            return Err(AppError::Invalid(e));
        }
        let change = CaseBulkChange { assignee, priority, add_tags };
        page.store().bulk_update_cases(page.org(), &ids, &change, &actor(&page), Utc::now()).await?;
        Ok(())
    };
    let r = r.await;
    match outcome(r)? {
        Ok(()) => see_other(&format!("/cases?{}&ok=saved", back.link(None))),
        Err((status, errors)) => render(&page, back, status, errors, form.values(), form.ids("ids")).await,
    }
}
