//! F3. Gap analysis: the pages. `/gaps` opens the first experience's
//! analysis; `/experiences/{id}/gaps` ranks its gaps for everyone or a
//! segment (a printable report: the print stylesheet hides the filter and
//! the buttons), and each missed target has two one-step buttons, "make it
//! an idea" (`Contribute`) and "start a sprint" (`EditPlan`), which post
//! here and land on the idea or sprint made (or made before).

mod bar;

use crate::api::review::gaps::act::{make_idea, make_sprint};
use crate::api::review::gaps::report::{report, GapReport, GapRow};
use crate::api::review::gaps::segment_param;
use crate::web::form::FormData;
use crate::web::{see_other, Page, WebPath, WebResult};
use axum::extract::Query;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use minijinja::{context, Value};
use rapport_core::intent::Status;
use rapport_core::metric::Metric;
use rapport_core::review::gap::{GapActionDraft, GapBasis};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use std::collections::HashMap;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/gaps", get(first))
        .route("/experiences/{id}/gaps", get(show))
        .route("/experiences/{id}/gaps/idea", post(to_idea))
        .route("/experiences/{id}/gaps/sprint", post(to_sprint))
}

/// The first experience's gaps, or the page saying there is none.
async fn first(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    match page.read_store().list_experiences(page.org()).await?.first() {
        Some(x) => see_other(&format!("/experiences/{}/gaps", x.id)),
        None => page.render("review/gaps.html", context! { none => true }),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
struct GapQuery {
    segment_id: Option<String>,
}

async fn show(page: Page, WebPath(id): WebPath<Id>, Query(q): Query<GapQuery>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let segment = segment_param(q.segment_id.as_deref())?;
    let r = report(page.read_store(), page.org(), id, segment, Utc::now().date_naive()).await?;
    render(&page, &r).await
}

fn figure(v: f64, digits: usize) -> String {
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn basis_key(b: GapBasis) -> &'static str {
    match b {
        GapBasis::Stated => "stated",
        GapBasis::Derived => "derived",
        GapBasis::Both => "both",
        GapBasis::Default => "default",
    }
}

/// A metric's value as shown: a percentage for rates, points otherwise.
fn shown(metric: Metric, v: f64) -> String {
    match metric {
        Metric::Nps | Metric::Ces | Metric::Rating => figure(v, 1),
        _ => format!("{}%", figure(v, 1)),
    }
}

fn row_view(page: &Page, g: &GapRow, scale: f64) -> Value {
    let x = &g.gap;
    let metric = page.t(&format!("metric-{}", x.target.metric.key()));
    let comparator = match x.target.comparator {
        rapport_core::intent::Comparator::AtLeast => "≥",
        rapport_core::intent::Comparator::AtMost => "≤",
    };
    let title = format!("{} · {} {} {}", g.touchpoint_name, metric, figure(x.gap, 1), figure(x.weighted_gap, 1));
    context! {
        rank => x.rank,
        touchpoint_id => x.touchpoint_id,
        touchpoint => &g.touchpoint_name,
        metric_key => x.target.metric.key(),
        metric => metric,
        source => serde_json::to_value(x.target.source).ok().and_then(|v| v.as_str().map(str::to_owned)),
        value => x.value.map(|v| shown(x.target.metric, v)),
        target => format!("{comparator} {}", shown(x.target.metric, x.target.threshold)),
        n => x.n,
        status => x.status.key(),
        shortfall => shown(x.target.metric, x.shortfall),
        gap => figure(x.gap, 1),
        weighted => figure(x.weighted_gap, 1),
        stated => x.stated_importance.map(|v| figure(v, 1)),
        derived => x.derived_importance.map(|v| figure(v * 100.0, 0)),
        weight => figure(x.weight, 2),
        basis => basis_key(x.basis),
        open => x.status == Status::Missed,
        idea_id => g.idea_id,
        sprint_id => g.sprint_id,
        bar => bar::gap_bar(x.gap, x.weighted_gap, scale, &title),
    }
}

async fn render(page: &Page, r: &GapReport) -> WebResult {
    render_refused(page, r, None).await
}

async fn render_refused(page: &Page, r: &GapReport, refused: Option<String>) -> WebResult {
    let store = page.read_store();
    let (experiences, segments) =
        tokio::try_join!(store.list_experiences(page.org()), store.list_segments(page.org()))?;
    let scale = r.ranked.iter().map(|g| g.gap.gap).fold(0.0, f64::max);
    let ranked: Vec<Value> = r.ranked.iter().map(|g| row_view(page, g, scale)).collect();
    let insufficient: Vec<Value> = r.insufficient.iter().map(|g| row_view(page, g, scale)).collect();
    let segment_name = r.segment_id.and_then(|id| segments.iter().find(|s| s.id == id)).map(|s| s.name.clone());
    let status =
        if refused.is_some() { axum::http::StatusCode::UNPROCESSABLE_ENTITY } else { axum::http::StatusCode::OK };
    page.render_status(
        status,
        "review/gaps.html",
        context! {
            none => false,
            r => context! {
                experience_id => r.experience_id,
                experience_name => &r.experience_name,
                segment_id => r.segment_id,
                from => r.from.to_string(),
                to => r.to.to_string(),
                derived_available => r.derived_available,
            },
            segment_name => segment_name,
            experiences => experiences.iter().map(|x| context! { id => x.id, name => &x.name }).collect::<Vec<_>>(),
            segments => segments.iter().map(|s| context! { id => s.id, name => &s.name }).collect::<Vec<_>>(),
            ranked => ranked,
            open_count => r.ranked.iter().filter(|g| g.gap.status == Status::Missed).count(),
            insufficient => insufficient,
            refused => refused,
            can_idea => page.p.can(Permission::Contribute),
            can_sprint => page.p.can(Permission::EditPlan),
        },
    )
}

/// The gap a form names (`touchpoint_id`, `metric`, `segment_id`).
fn form_key(form: &FormData) -> Result<rapport_core::review::gap::GapKey, FieldErrors> {
    let mut e = FieldErrors::new();
    let touchpoint_id = form.id("touchpoint_id", &mut e);
    let metric = form.filled("metric").and_then(Metric::parse);
    let segment_id = form.filled("segment_id").map(|s| s.trim().parse::<Id>().unwrap_or(0));
    let key = GapActionDraft { touchpoint_id, metric, segment_id }.validate();
    match key {
        Ok(k) if e.is_empty() => Ok(k),
        Ok(_) => Err(e),
        Err(more) => {
            for (k, v) in more.0 {
                e.0.entry(k).or_insert(v);
            }
            Err(e)
        }
    }
}

/// A refused action: the page again, with why.
async fn refused(page: &Page, id: Id, segment: Option<Id>, e: &FieldErrors) -> WebResult {
    let r = report(page.store(), page.org(), id, segment.filter(|s| *s > 0), Utc::now().date_naive()).await;
    let r = match r {
        Ok(r) => r,
        Err(_) => report(page.store(), page.org(), id, None, Utc::now().date_naive()).await?,
    };
    let why: HashMap<String, String> = page.errors(e).into_iter().collect();
    let mut text: Vec<String> = why.into_iter().map(|(field, message)| format!("{field}: {message}")).collect();
    text.sort();
    render_refused(page, &r, Some(text.join(" · "))).await
}

async fn act(page: Page, id: Id, form: FormData, sprint: bool) -> WebResult {
    page.require(if sprint { Permission::EditPlan } else { Permission::Contribute })?;
    let key = match form_key(&form) {
        Ok(k) => k,
        Err(e) => return refused(&page, id, None, &e).await,
    };
    let today = Utc::now().date_naive();
    let made = if sprint {
        make_sprint(&page.state, &page.p, page.lang(), id, &key, None, today).await
    } else {
        make_idea(&page.state, &page.p, page.lang(), id, &key, None, today).await
    };
    match made {
        Ok(m) => see_other(&format!("/{}/{}", if sprint { "sprints" } else { "ideas" }, m.id)),
        Err(crate::error::AppError::Invalid(e)) => refused(&page, id, key.segment_id, &e).await,
        Err(e) => Err(e.into()),
    }
}

async fn to_idea(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    act(page, id, form, false).await
}

async fn to_sprint(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    act(page, id, form, true).await
}

#[cfg(test)]
mod tests;
