//! E3. Recognition and the "makes the numbers but hurts the experience" flag.
//!
//! - `/recognition`: the feed (newest first, filtered by person or
//!   department, a page of 30 at a time with an "older" link), the form to
//!   give kudos (a person or a team, a reason, evidence picked from recent
//!   items or given by kind and id), comments that could be recognised, and
//!   the monthly summary per department.
//! - `/recognition/leaders`: who leads (E4) and its trend per department.
//! - `/recognition/performance`: the flag, for `SeePerformance` only.

use crate::api::people::recognition::{performance_report, period_of, who_leads};
use crate::error::AppError;
use crate::state::AppState;
use crate::web::form::{checked, FormData};
use crate::web::improve::{failed_parts, Failed};
use crate::web::{see_other, Page, WebResult};
use axum::extract::Query;
use axum::routing::get;
use axum::Router;
use minijinja::context;
use rapport_core::people::recognition::{EvidenceKind, FlagStatus, KudosDraft, DEPARTMENT_MAX};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::recognition::{Giver, KudosFilter};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// Kudos per page of the feed.
const FEED_PAGE: i64 = 30;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/recognition", get(feed).post(give))
        .route("/recognition/leaders", get(leaders))
        .route("/recognition/performance", get(performance))
}

#[derive(Deserialize, Default)]
pub(super) struct FeedQuery {
    person: Option<String>,
    department: Option<String>,
    after: Option<String>,
}

#[derive(Serialize)]
struct KudosRow {
    id: Id,
    giver: String,
    recipient: String,
    team: bool,
    reason: String,
    evidence_kind: Option<&'static str>,
    evidence_id: Option<Id>,
    evidence_link: Option<String>,
    created_at: String,
}

fn evidence_link(kind: EvidenceKind, id: Id) -> String {
    match kind {
        EvidenceKind::Response => format!("/feedback/{id}"),
        EvidenceKind::Case => format!("/cases/{id}"),
        EvidenceKind::Sprint => format!("/sprints/{id}"),
    }
}

fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}

async fn feed(page: Page, Query(q): Query<FeedQuery>) -> WebResult {
    render(&page, &q, None).await
}

async fn render(page: &Page, q: &FeedQuery, failed: Option<Failed>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.store();
    let people = store.list_people(page.org()).await?;
    let names: HashMap<Id, String> = people.iter().map(|p| (p.id, p.name.clone())).collect();
    let mut active: Vec<(Id, String)> =
        people.iter().filter(|p| p.is_active()).map(|p| (p.id, p.name.clone())).collect();
    active.sort_by_key(|(_, n)| n.to_lowercase());
    let departments: Vec<String> = people
        .iter()
        .filter(|p| p.is_active())
        .filter_map(|p| p.department.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let person: Option<Id> = q.person.as_deref().and_then(|t| t.trim().parse().ok());
    let department = q
        .department
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty() && d.chars().count() <= DEPARTMENT_MAX)
        .map(str::to_string);
    let after: Option<Id> = q.after.as_deref().and_then(|t| t.trim().parse().ok());
    let filter = KudosFilter { person, department: department.clone(), after, limit: FEED_PAGE + 1 };
    let mut kudos = store.page_kudos(page.org(), &filter).await?;
    let more = kudos.len() as i64 > FEED_PAGE;
    kudos.truncate(FEED_PAGE as usize);
    let older = more.then(|| kudos.last().map(|k| k.id)).flatten();
    let rows: Vec<KudosRow> = kudos
        .iter()
        .map(|k| KudosRow {
            id: k.id,
            giver: k.giver_id.and_then(|g| names.get(&g).cloned()).unwrap_or_else(|| k.given_by.clone()),
            recipient: match k.person_id {
                Some(p) => names.get(&p).cloned().unwrap_or_else(|| format!("#{p}")),
                None => k.department.clone().unwrap_or_default(),
            },
            team: k.person_id.is_none(),
            reason: k.reason.clone(),
            evidence_kind: k.evidence.map(|e| e.kind.key()),
            evidence_id: k.evidence.map(|e| e.id),
            evidence_link: k.evidence.map(|e| evidence_link(e.kind, e.id)),
            created_at: k.created_at.to_rfc3339(),
        })
        .collect();
    let months = store.kudos_months(page.org(), 12).await?;
    let can_contribute = page.p.can(Permission::Contribute);
    let (choices, suggestions) = if can_contribute {
        let choices: Vec<_> = store
            .evidence_choices(page.org())
            .await?
            .into_iter()
            .map(|c| context! { value => format!("{}:{}", c.kind.key(), c.id), kind => c.kind.key(), label => c.label })
            .collect();
        let suggestions: Vec<_> = store
            .kudos_suggestions(page.org(), chrono::Utc::now())
            .await?
            .into_iter()
            .map(|s| {
                context! {
                    response_id => s.response_id, person_id => s.person_id,
                    person => names.get(&s.person_id).cloned().unwrap_or_default(),
                    short => cut(&s.comment, 60), comment => s.comment, at => s.at.to_rfc3339(),
                }
            })
            .collect();
        (choices, suggestions)
    } else {
        (Vec::new(), Vec::new())
    };
    let (code, form, v, errors) = failed_parts(page, &failed);
    page.render_status(
        code,
        "people/recognition/feed.html",
        context! {
            kudos => rows,
            older => older,
            person => person,
            department => department,
            people => active,
            departments => departments,
            months => months,
            choices => choices,
            suggestions => suggestions,
            kinds => EvidenceKind::ALL.map(|k| k.key()),
            form => form,
            v => v,
            errors => errors,
            can_contribute => can_contribute,
            can_see_performance => page.p.can(Permission::SeePerformance),
        },
    )
}

/// Reads the form: a picked piece of evidence (`kind:id`) wins over the
/// kind and id typed.
fn draft_of(form: &FormData, parsed: &mut FieldErrors) -> KudosDraft {
    let (mut kind, mut id) = (form.filled("evidence_kind").map(str::to_string), form.id("evidence_id", parsed));
    if let Some(pick) = form.filled("evidence") {
        match pick.split_once(':').and_then(|(k, i)| Some((EvidenceKind::parse(k)?, i.parse::<Id>().ok()?))) {
            Some((k, i)) => {
                kind = Some(k.key().to_string());
                id = Some(i);
            }
            None => parsed.add("evidence", "invalid", "is not one of the choices"),
        }
    }
    KudosDraft {
        person_id: form.id("person_id", parsed),
        department: form.filled("department").map(str::to_string),
        reason: form.text("reason"),
        evidence_kind: kind,
        evidence_id: id,
    }
}

async fn give(page: Page, form: FormData) -> WebResult {
    page.require(Permission::Contribute)?;
    let mut parsed = FieldErrors::new();
    let draft = draft_of(&form, &mut parsed);
    let made = async {
        let input = checked(parsed, draft.validate())?;
        let giver = Giver { person: page.p.user.as_ref().and_then(|u| u.person_id), label: &page.p.actor };
        Ok::<_, AppError>(page.store().give_kudos(page.org(), giver, &input).await?)
    };
    match Failed::of("kudos", &form, made.await)? {
        Ok(k) => see_other(&format!("/recognition?ok=created#kudos-{}", k.id)),
        Err(f) => render(&page, &FeedQuery::default(), Some(f)).await,
    }
}

async fn leaders(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let w = who_leads(page.store(), page.org()).await?;
    let names: HashMap<Id, String> =
        page.store().list_people(page.org()).await?.into_iter().map(|p| (p.id, p.name)).collect();
    let people: Vec<_> = w
        .people
        .iter()
        .map(|l| {
            context! {
                name => names.get(&l.person_id).cloned().unwrap_or_default(),
                department => &l.department,
                ideas => l.ideas_implemented, sprints => l.sprints_improved, kudos => l.kudos_received, total => l.total,
            }
        })
        .collect();
    page.render("people/recognition/leaders.html", context! { people => people, trend => &w.trend })
}

#[derive(Deserialize, Default)]
struct PerformanceQuery {
    period: Option<String>,
}

async fn performance(page: Page, Query(q): Query<PerformanceQuery>) -> WebResult {
    page.require(Permission::SeePerformance)?;
    let (period, error) = match period_of(q.period.as_deref()) {
        Ok(p) => (p, None),
        Err(AppError::Invalid(e)) => (period_of(None)?, Some(page.errors(&e))),
        Err(e) => return Err(e.into()),
    };
    let report = performance_report(page.store(), page.org(), period).await?;
    let rows: Vec<_> = report
        .items
        .iter()
        .map(|i| {
            let f = &i.row.figures;
            context! {
                name => &i.name, status => i.row.status.key(), flagged => i.row.status == FlagStatus::Flagged,
                fast => i.row.fast, poor => i.row.poor_outcomes,
                cases => f.cases_closed, hours => f.median_hours_to_close,
                first_kept => f.first_response_kept, resolution_kept => f.resolution_kept,
                responses => f.outcome_responses, score => f.outcome_score,
                nps => f.nps, nps_n => f.nps_n, csat => f.csat, csat_n => f.csat_n,
                reopened => f.reopened, complaints => f.complaints,
            }
        })
        .collect();
    let flagged = rows.iter().filter(|r| r.get_attr("flagged").is_ok_and(|v| v.is_true())).count();
    let code = if error.is_some() { axum::http::StatusCode::UNPROCESSABLE_ENTITY } else { axum::http::StatusCode::OK };
    page.render_status(
        code,
        "people/recognition/performance.html",
        context! {
            period => report.period, rows => rows, flagged => flagged, errors => error.unwrap_or_default(),
            v => context! { period => q.period.clone().unwrap_or_default() },
            window_days => report.window_days, min_cases => report.min_cases,
            min_responses => report.min_responses, min_agents => report.min_agents,
        },
    )
}

#[cfg(test)]
mod tests;
