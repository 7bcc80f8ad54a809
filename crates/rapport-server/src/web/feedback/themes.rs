//! `/feedback/themes`: what customers talk about. The theme table of the
//! last 30 days (or a touchpoint's), against the 30 before, and the themes'
//! definitions: admins and leaders (`EditPlan`) add, edit and delete them.
//! A change applies to comments from then on; older comments follow after
//! `rapport text rebuild`, as the page says.

use super::super::form::{checked, comma_list, outcome, FormData};
use super::super::{see_other, Page, WebPath, WebResult};
use crate::api::themes::{key_phrase_report, theme_report, MAX_THEMES};
use crate::error::AppError;
use axum::extract::Query;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use minijinja::context;
use rapport_core::role::Permission;
use rapport_core::text::{ThemeDraft, ThemeInput};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::StoreError;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Days of the theme table (and of the period it is compared with).
pub(super) const PERIOD_DAYS: i64 = 30;

#[derive(Debug, Default, Deserialize)]
pub(super) struct ThemesQuery {
    touchpoint: Option<String>,
}

/// A refused form: which one (`"new"` or a theme's id), what was sent, why.
struct Refused {
    status: StatusCode,
    form: String,
    values: BTreeMap<String, String>,
    errors: FieldErrors,
}

pub(super) async fn list(page: Page, Query(q): Query<ThemesQuery>) -> WebResult {
    let touchpoint = q.touchpoint.as_deref().and_then(|t| t.trim().parse::<Id>().ok());
    render(&page, touchpoint, None).await
}

async fn render(page: &Page, touchpoint: Option<Id>, refused: Option<Refused>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let to = Utc::now().date_naive();
    let from = to - Duration::days(PERIOD_DAYS - 1);
    let store = page.read_store();
    let mut report = theme_report(store, page.org(), touchpoint, from, to).await?;
    report.phrases = key_phrase_report(store, page.org(), touchpoint, from, to).await?;
    let definitions = page.store().list_themes(page.org()).await?;
    let touchpoints: Vec<(Id, String)> =
        page.store().list_touchpoints(page.org()).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let (status, form, values, errors) = match refused {
        Some(r) => (r.status, r.form, r.values, page.errors(&r.errors)),
        None => (StatusCode::OK, String::new(), BTreeMap::new(), BTreeMap::new()),
    };
    page.render_status(
        status,
        "feedback/themes.html",
        context! {
            report => report,
            definitions => definitions,
            touchpoints => touchpoints,
            touchpoint => touchpoint,
            days => PERIOD_DAYS,
            can_edit => page.p.can(Permission::EditPlan),
            full => definitions.len() >= MAX_THEMES,
            form => form,
            v => values,
            errors => errors,
        },
    )
}

fn draft(form: &FormData) -> ThemeDraft {
    ThemeDraft {
        name: form.text("name"),
        keywords_en: comma_list(form.get("keywords_en")).unwrap_or_default(),
        keywords_es: comma_list(form.get("keywords_es")).unwrap_or_default(),
    }
}

async fn refuse(
    page: &Page,
    form_id: String,
    form: &FormData,
    (status, errors): (StatusCode, FieldErrors),
) -> WebResult {
    render(page, None, Some(Refused { status, form: form_id, values: form.values(), errors })).await
}

pub(super) async fn create(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let made = async {
        let input: ThemeInput = checked(FieldErrors::new(), draft(&form).validate())?;
        if page.store().list_themes(page.org()).await?.len() >= MAX_THEMES {
            return Err(StoreError::conflict("name", "too_many", "an organization has at most 200 themes").into());
        }
        Ok::<_, AppError>(page.store().create_theme(page.org(), &input).await?)
    };
    match outcome(made.await)? {
        Ok(_) => see_other("/feedback/themes?ok=created"),
        Err(refused) => refuse(&page, "new".into(), &form, refused).await,
    }
}

pub(super) async fn update(page: Page, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let saved = async {
        let input: ThemeInput = checked(FieldErrors::new(), draft(&form).validate())?;
        Ok::<_, AppError>(page.store().update_theme(page.org(), id, &input).await?)
    };
    match outcome(saved.await)? {
        Ok(_) => see_other("/feedback/themes?ok=saved"),
        Err(refused) => refuse(&page, id.to_string(), &form, refused).await,
    }
}

pub(super) async fn delete(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().delete_theme(page.org(), id).await?;
    see_other("/feedback/themes?ok=deleted")
}
