//! A7. Perfect customer behaviours: the page of an experience's behaviours
//! (`/experiences/{id}/behaviours`): each with its rule in words, owner,
//! target, rate over the last 90 days and a monthly trend (inline SVG),
//! and forms to add, change and delete them. Reading takes `ReadProgram`,
//! changing `EditPlan`. Figures come from `measure::perfect_behaviour`.

use crate::measure::perfect_behaviour as pb;
use crate::web::charts::sparkline;
use crate::web::form::FormData;
use crate::web::{see_other, Page, WebPath, WebResult};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::{Datelike, NaiveDate, Utc};
use minijinja::{context, Value};
use rapport_core::feedback::EventType;
use rapport_core::measure::Interval;
use rapport_core::plan::perfect_behaviour::{BehaviourDraft, BehaviourInput};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::perfect_behaviours::PerfectBehaviour;
use rapport_store::StoreError;
use std::collections::BTreeMap;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/experiences/{id}/behaviours", get(page_of).post(add))
        .route("/experiences/{id}/behaviours/{bid}", post(change))
        .route("/experiences/{id}/behaviours/{bid}/delete", post(remove))
}

/// Months in the trend.
const TREND_MONTHS: i32 = 12;

/// A form that was refused: which one (`new` or a behaviour id), what was
/// typed, and why.
struct Refused {
    form: String,
    values: BTreeMap<String, String>,
    errors: FieldErrors,
}

fn type_label(page: &Page, key: &str) -> String {
    match EventType::parse(key) {
        Some(EventType::Custom(name)) => name,
        Some(t) => page.t(&format!("behaviours-type-{}", t.key())),
        None => key.to_string(),
    }
}

fn values_of(b: &PerfectBehaviour) -> BTreeMap<String, String> {
    let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    BTreeMap::from([
        ("name".into(), b.name.clone()),
        ("name_es".into(), b.name_es.clone().unwrap_or_default()),
        ("owner_id".into(), b.owner_id.to_string()),
        ("target".into(), format!("{}", b.target)),
        ("event_type".into(), b.rule.event_type.clone()),
        ("touchpoint_id".into(), opt(b.rule.touchpoint_id)),
        ("count".into(), b.rule.count.to_string()),
        ("window_days".into(), opt(b.rule.window_days)),
        ("base".into(), b.rule.base.key().to_string()),
    ])
}

fn draft_of(form: &FormData, e: &mut FieldErrors) -> BehaviourDraft {
    BehaviourDraft {
        name: form.text("name"),
        name_es: form.text("name_es"),
        owner_id: form.id("owner_id", e),
        target: form.number("target", e),
        event_type: form.text("event_type"),
        touchpoint_id: form.id("touchpoint_id", e),
        count: form.integer("count", e),
        window_days: form.integer("window_days", e),
        base: form.text("base"),
    }
}

/// The form's behaviour, or every problem with it.
fn checked(form: &FormData) -> Result<BehaviourInput, FieldErrors> {
    let mut e = FieldErrors::new();
    let d = draft_of(form, &mut e);
    match d.validate() {
        Ok(b) if e.is_empty() => Ok(b),
        Ok(_) => Err(e),
        Err(more) => {
            for (k, v) in more.0 {
                e.0.entry(k).or_insert(v);
            }
            Err(e)
        }
    }
}

fn pct(x: Option<f64>) -> Option<String> {
    x.map(|v| format!("{v:.1}"))
}

async fn page_of(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    render(&page, id, None).await
}

async fn render(page: &Page, id: Id, refused: Option<Refused>) -> WebResult {
    let org = page.org();
    let store = page.read_store();
    let experience = store.get_experience(org, id).await?;
    let (list, people, touchpoints) =
        tokio::try_join!(store.list_behaviours(org, Some(id)), store.list_people(org), store.list_touchpoints(org))?;
    let today = Utc::now().date_naive();
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap_or(today);
    let from = first.checked_sub_months(chrono::Months::new(TREND_MONTHS as u32 - 1)).unwrap_or(first);
    let lang = page.lang().code().to_string();
    let mut rows = Vec::new();
    for b in &list {
        let current = pb::over(store, org, b.id, pb::recent(today, pb::CURRENT_DAYS)).await?;
        let series = pb::series(store, org, b.id, from, today, Interval::Month).await?;
        let rates: Vec<Option<f64>> = series.iter().map(|p| p.rate).collect();
        let owner = people.iter().find(|p| p.id == b.owner_id);
        let touchpoint = b.rule.touchpoint_id.and_then(|t| touchpoints.iter().find(|x| x.id == t));
        let editing = refused.as_ref().filter(|r| r.form == b.id.to_string());
        rows.push(context! {
            id => b.id,
            name => b.name_in(&lang),
            type_label => type_label(page, &b.rule.event_type),
            count => b.rule.count,
            window => b.rule.window_days.unwrap_or(0),
            touchpoint => touchpoint.map(|t| t.name.clone()),
            base => b.rule.base.key(),
            owner => owner.map(|p| context! { id => p.id, name => &p.name }),
            target => format!("{}", b.target),
            rate => pct(current.rate),
            on_target => current.rate.map(|r| r >= b.target),
            eligible => current.eligible,
            shown => current.shown,
            trend_svg => sparkline(&rates, 140.0, 32.0),
            trend => series.iter().map(|p| context! { start => p.start.to_string(), rate => pct(p.rate), n => p.eligible }).collect::<Vec<_>>(),
            v => editing.map(|r| r.values.clone()).unwrap_or_else(|| values_of(b)),
            errors => editing.map(|r| page.errors(&r.errors)).unwrap_or_default(),
            open => editing.is_some(),
        });
    }
    let new_refused = refused.as_ref().filter(|r| r.form == "new");
    let status = if refused.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let new_v = new_refused.map(|r| r.values.clone()).unwrap_or_else(|| {
        BTreeMap::from([
            ("count".into(), "1".into()),
            ("target".into(), "50".into()),
            ("base".into(), "matching".into()),
        ])
    });
    page.render_status(
        status,
        "plan/behaviours.html",
        context! {
            experience => context! { id => experience.id, name => &experience.name },
            behaviours => rows,
            people => people.iter().filter(|p| p.left_on.is_none()).map(|p| context! { id => p.id, name => &p.name, detail => &p.department }).collect::<Vec<Value>>(),
            touchpoints => touchpoints.iter().map(|t| context! { id => t.id, name => &t.name }).collect::<Vec<Value>>(),
            types => EventType::BUILT_IN.iter().map(|t| context! { key => t.key(), label => type_label(page, &t.key()) }).collect::<Vec<Value>>(),
            new_v => new_v,
            new_errors => new_refused.map(|r| page.errors(&r.errors)).unwrap_or_default(),
            new_open => new_refused.is_some(),
            can_edit => page.p.can(Permission::EditPlan),
            current_days => pb::CURRENT_DAYS,
        },
    )
}

/// A store refusal (an unknown owner or touchpoint, too many behaviours)
/// shown on the form; anything else is an error page.
fn refusal(err: StoreError) -> Result<FieldErrors, StoreError> {
    match err {
        StoreError::Invalid(e) => Ok(e),
        StoreError::Conflict { field, code, message } => Ok(FieldErrors::single(field, code, message)),
        other => Err(other),
    }
}

async fn add(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().get_experience(page.org(), id).await?;
    let errors = match checked(&form) {
        Ok(b) => match page.store().create_behaviour(page.org(), id, &b).await {
            Ok(_) => return see_other(&format!("/experiences/{id}/behaviours?ok=saved")),
            Err(err) => refusal(err)?,
        },
        Err(e) => e,
    };
    render(&page, id, Some(Refused { form: "new".into(), values: form.values(), errors })).await
}

async fn change(page: Page, WebPath((id, bid)): WebPath<(Id, Id)>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let b = page.store().behaviour(page.org(), bid).await?;
    if b.experience_id != id {
        return Err(crate::error::AppError::NotFound.into());
    }
    let errors = match checked(&form) {
        Ok(input) => match page.store().update_behaviour(page.org(), bid, &input).await {
            Ok(_) => return see_other(&format!("/experiences/{id}/behaviours?ok=saved#behaviour-{bid}")),
            Err(err) => refusal(err)?,
        },
        Err(e) => e,
    };
    render(&page, id, Some(Refused { form: bid.to_string(), values: form.values(), errors })).await
}

async fn remove(page: Page, WebPath((id, bid)): WebPath<(Id, Id)>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let b = page.store().behaviour(page.org(), bid).await?;
    if b.experience_id != id {
        return Err(crate::error::AppError::NotFound.into());
    }
    page.store().delete_behaviour(page.org(), bid).await?;
    see_other(&format!("/experiences/{id}/behaviours?ok=deleted"))
}
