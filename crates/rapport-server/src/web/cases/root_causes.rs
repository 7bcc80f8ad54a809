//! `/root-causes`: the editable taxonomy of why customers end up unhappy,
//! and the report ranking causes over a period against the one before.

use crate::error::AppError;
use crate::web::charts::sparkline;
use crate::web::form::{outcome, FormData};
use crate::web::{see_other, Page, WebPath, WebResult};
use axum::extract::Query;
use axum::http::StatusCode;
use chrono::{Duration, NaiveDate, Utc};
use minijinja::context;
use rapport_core::case::root_cause::{report, RootCauseDraft};
use rapport_core::improve::idea::{IdeaDraft, IdeaSource};
use rapport_core::measure::Interval;
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The periods offered, in days; the first is the default.
pub(super) const PERIODS: [i64; 3] = [90, 30, 365];

#[derive(Deserialize, Default)]
pub(super) struct ReportQuery {
    days: Option<i64>,
}

#[derive(Serialize)]
struct Row {
    id: Id,
    /// Where it happens most: the touchpoint an idea against it improves.
    touchpoint_id: Option<Id>,
    name: String,
    preventable: bool,
    cases: i64,
    previous: i64,
    trend: String,
    touchpoints: Vec<(String, i64)>,
    money: f64,
}

/// Buckets of the trend line for a period of `days`.
pub(super) fn interval(days: i64) -> Interval {
    if days <= 31 {
        Interval::Day
    } else if days <= 120 {
        Interval::Week
    } else {
        Interval::Month
    }
}

/// `from..=to`: the last `days` days up to `today`.
pub(super) fn period(today: NaiveDate, days: i64) -> (NaiveDate, NaiveDate) {
    (today - Duration::days(days - 1), today)
}

pub(super) async fn show(page: Page, Query(q): Query<ReportQuery>) -> WebResult {
    render(&page, q.days, StatusCode::OK, None, BTreeMap::new(), FieldErrors::new()).await
}

async fn render(
    page: &Page,
    days: Option<i64>,
    status: StatusCode,
    failed: Option<String>,
    values: BTreeMap<String, String>,
    errors: FieldErrors,
) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let days = days.filter(|d| PERIODS.contains(d)).unwrap_or(PERIODS[0]);
    let (from, to) = period(Utc::now().date_naive(), days);
    let start = |d: NaiveDate| d.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
    let store = page.store();
    let causes = store.list_root_causes(page.org()).await?;
    let closed =
        store.closed_cases(page.org(), start(from - Duration::days(days)), start(to + Duration::days(1))).await?;
    let touchpoints: HashMap<Id, String> =
        store.list_touchpoints(page.org()).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let none = page.t("root-cause-no-touchpoint");
    let rows: Vec<Row> = report(&causes, &closed, from, to, interval(days))
        .into_iter()
        .map(|r| Row {
            trend: sparkline(&r.trend.iter().map(|n| Some(*n as f64)).collect::<Vec<_>>(), 120.0, 28.0),
            touchpoints: r
                .by_touchpoint
                .iter()
                .map(|t| {
                    (t.touchpoint_id.and_then(|id| touchpoints.get(&id).cloned()).unwrap_or(none.clone()), t.cases)
                })
                .collect(),
            id: r.root_cause_id,
            touchpoint_id: r.by_touchpoint.first().and_then(|t| t.touchpoint_id),
            name: r.name,
            preventable: r.preventable,
            cases: r.cases,
            previous: r.previous_cases,
            money: r.money,
        })
        .collect();
    let in_use = errors.get("id").is_some_and(|e| e.code == "in_use");
    page.render_status(
        status,
        "cases/root_causes.html",
        context! {
            days => days,
            periods => PERIODS,
            from => from.to_string(),
            to => to.to_string(),
            rows => rows,
            causes => causes,
            failed => failed,
            v => values,
            errors => page.errors(&errors),
            in_use => in_use,
        },
    )
}

/// Creates a cause, or renames one and sets its flag.
pub(super) async fn save(page: Page, id: Option<WebPath<Id>>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let id = id.map(|WebPath(id)| id);
    let draft = RootCauseDraft {
        name: form.text("name"),
        description: form.filled("description").map(str::to_string),
        preventable: Some(form.get("preventable") == Some("yes")),
    };
    let saved = async {
        let input = draft.validate().map_err(AppError::Invalid)?;
        match id {
            Some(id) => page.store().update_root_cause(page.org(), id, &input).await?,
            None => page.store().create_root_cause(page.org(), &input).await?,
        };
        Ok::<_, AppError>(())
    };
    match outcome(saved.await)? {
        Ok(()) => see_other(&format!("/root-causes?ok={}", if id.is_some() { "saved" } else { "created" })),
        Err((status, e)) => {
            let which = id.map(|i| i.to_string()).unwrap_or_else(|| "new".into());
            render(&page, None, status, Some(which), form.values(), e).await
        }
    }
}

/// Deletes a cause; while cases name it, the page says so instead.
pub(super) async fn delete(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let audit = page.p.audit("root_cause.delete", format!("root_cause:{id}"));
    let r = page.store().delete_root_cause(page.org(), id, &audit).await.map_err(AppError::from);
    match outcome(r)? {
        Ok(()) => see_other("/root-causes?ok=deleted"),
        Err((status, e)) => render(&page, None, status, Some(id.to_string()), BTreeMap::new(), e).await,
    }
}

/// Turns a recurring root cause into an idea for its most affected
/// touchpoint, linked to the cause's closed cases, and opens the idea.
pub(super) async fn to_idea(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::Contribute)?;
    let mut parsed = FieldErrors::new();
    let touchpoint_id = form.id("touchpoint_id", &mut parsed);
    let made = async {
        let cause = page.store().list_root_causes(page.org()).await?.into_iter().find(|c| c.id == id);
        let cause = cause.ok_or(AppError::NotFound)?;
        let draft = IdeaDraft {
            title: Some(format!("{}: {}", page.t("root-cause-idea-prefix"), cause.name)),
            body: cause.description.clone(),
            touchpoint_id,
            experience_id: None,
        };
        let input = draft.validate(IdeaSource::Web).map_err(|mut e| {
            e.0.extend(parsed.0);
            AppError::Invalid(e)
        })?;
        let author = crate::api::ideas::acting_person(&page.p, None, "id")?;
        Ok::<_, AppError>(page.store().create_idea_from_root_cause(page.org(), id, author, &input).await?)
    };
    match outcome(made.await)? {
        Ok(idea) => see_other(&format!("/ideas/{}?ok=created", idea.idea.id)),
        Err((status, e)) => render(&page, None, status, Some(id.to_string()), BTreeMap::new(), e).await,
    }
}
