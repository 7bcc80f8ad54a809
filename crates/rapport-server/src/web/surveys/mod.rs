//! The survey builder (B1, B7): list, create and edit surveys in both
//! languages with their skip logic, publish or close them, make personal
//! links, and import Qualtrics / SurveyJS / LimeSurvey files.
//!
//! Questions are edited as rows of plain fields (no scripts): a blank row is
//! skipped, "add more rows" shows the form again with more blank rows.
//! `fields` turns a survey into those fields and back, `import` reads other
//! tools' files; the rest are the pages.
//!
//! The edit page is also the survey's page: its anonymous link to share
//! (`share`: QR code, embed snippet), a preview as respondents see it
//! (`preview`), the Spanish texts still to write (`gaps`), and buttons to
//! move or copy a question row (`rows`).

mod fields;
mod gaps;
mod import;
mod preview;
mod rows;
pub(crate) mod share;

use super::form::{checked, outcome, renumber, FormData};
use super::{see_other, Page, WebError, WebPath, WebResult};
use crate::auth::{link, secret};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use fields::{questions_of, row_count, values_of, MAX_ROWS, ROWS};
use import::{import, import_form};
use minijinja::context;
use rapport_core::lang::Lang;
use rapport_core::role::Permission;
use rapport_core::survey::{ConditionOp, Localized, QuestionType, SurveyDraft, SurveyStatus};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rows::RowAction;
use serde::{Deserialize, Serialize};
use share::SiteBase;
use std::collections::BTreeMap;

/// Every question type, as the builder lists them.
pub(super) const TYPES: [QuestionType; 15] = QuestionType::ALL;
/// Every condition, as the builder lists them.
pub(super) const OPS: [ConditionOp; 9] = ConditionOp::ALL;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/surveys", get(list).post(save))
        .route("/surveys/new", get(new))
        .route("/surveys/import", get(import_form).post(import))
        .route("/surveys/{id}/edit", get(edit))
        .route("/surveys/{id}", post(save))
        .route("/surveys/{id}/status", post(set_status))
        .route("/surveys/{id}/delete", post(delete))
        .route("/surveys/{id}/link", post(personal_link))
        .route("/surveys/{id}/preview", get(preview::saved).post(preview::typed))
}

#[derive(Serialize)]
struct Row {
    id: Id,
    title: String,
    touchpoint: String,
    status: &'static str,
    url: String,
    responses: i64,
}

async fn list(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.store();
    let touchpoints: BTreeMap<Id, String> =
        store.list_touchpoints(page.org()).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let mut rows = Vec::new();
    for s in store.list_surveys(page.org()).await? {
        let filter = rapport_store::FeedbackFilter { survey: Some(s.id), limit: 1, ..Default::default() };
        let responses = store.list_responses(page.org(), &filter).await?.total;
        rows.push(Row {
            id: s.id,
            title: s.title.get(page.lang()).to_string(),
            touchpoint: touchpoints.get(&s.touchpoint_id).cloned().unwrap_or_default(),
            status: s.status.key(),
            url: format!("/s/{}", s.token),
            responses,
        });
    }
    page.render("surveys/list.html", context! { surveys => rows })
}

async fn new(page: Page) -> WebResult {
    page.require(Permission::EditPlan)?;
    let values = BTreeMap::from([("fatigue_days".to_string(), "30".to_string()), ("rows".into(), ROWS.to_string())]);
    let view = Shown::default();
    form_page(&page, &view, None, StatusCode::OK, values, FieldErrors::new(), None).await
}

/// How the edit page shows the preview: `?plang=es&device=phone`.
#[derive(Debug, Default, Deserialize)]
struct PreviewChoice {
    plang: Option<String>,
    device: Option<String>,
}

/// What the survey's page shows besides the form: where the site is (for
/// the absolute link) and the preview chosen.
#[derive(Debug, Default)]
struct Shown {
    base: String,
    lang: Lang,
    phone: bool,
}

impl Shown {
    fn new(SiteBase(base): SiteBase, choice: PreviewChoice) -> Shown {
        let lang = choice.plang.as_deref().and_then(Lang::parse).unwrap_or(Lang::En);
        Shown { base, lang, phone: choice.device.as_deref() == Some("phone") }
    }
}

async fn edit(page: Page, base: SiteBase, WebPath(id): WebPath<Id>, Query(choice): Query<PreviewChoice>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let s = page.store().get_survey(page.org(), id).await?;
    let view = Shown::new(base, choice);
    form_page(&page, &view, Some(id), StatusCode::OK, values_of(&s), FieldErrors::new(), None).await
}

/// The preview pane: the frame, and links to switch language and width.
#[derive(Serialize)]
struct PreviewView {
    src: String,
    live: String,
    lang: &'static str,
    width: String,
    phone: bool,
    links: Vec<(String, String, bool)>,
}

fn preview_view(id: Id, shown: &Shown) -> PreviewView {
    let device = |phone: bool| if phone { "phone" } else { "desktop" };
    let mut links = Vec::new();
    for l in Lang::ALL {
        let href = format!("/surveys/{id}/edit?plang={}&device={}#builder-preview", l.code(), device(shown.phone));
        links.push((format!("builder-preview-lang-{}", l.code()), href, l == shown.lang));
    }
    for phone in [true, false] {
        let href = format!("/surveys/{id}/edit?plang={}&device={}#builder-preview", shown.lang.code(), device(phone));
        links.push((format!("builder-preview-{}", device(phone)), href, phone == shown.phone));
    }
    PreviewView {
        src: format!("/surveys/{id}/preview?lang={}", shown.lang.code()),
        live: format!("/surveys/{id}/preview"),
        lang: shown.lang.code(),
        width: if shown.phone { preview::PHONE_PX.to_string() } else { preview::DESKTOP_PX.to_string() },
        phone: shown.phone,
        links,
    }
}

async fn form_page(
    page: &Page,
    shown: &Shown,
    id: Option<Id>,
    status: StatusCode,
    values: BTreeMap<String, String>,
    errors: FieldErrors,
    link_url: Option<String>,
) -> WebResult {
    let survey = match id {
        Some(id) => Some(page.store().get_survey(page.org(), id).await?),
        None => None,
    };
    let sharing = survey.as_ref().map(|s| share::sharing(&shown.base, s.id, &s.token, s.title.get(page.lang())));
    let gaps = gaps::gaps_of(&values, &page.state.i18n, page.lang());
    let touchpoints: Vec<(Id, String)> =
        page.store().list_touchpoints(page.org()).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let rows = row_count(values.get("rows").map(String::as_str));
    let messages = page.errors(&errors);
    let row_views: Vec<RowView> = (0..rows).map(|i| RowView::new(i, &values, &messages)).collect();
    page.render_status(
        status,
        "surveys/form.html",
        context! {
            id => id,
            survey => survey.as_ref().map(|s| context! { status => s.status.key(), url => format!("/s/{}", s.token) }),
            share => sharing,
            gaps => gaps,
            preview => id.map(|id| preview_view(id, shown)),
            builder_js_version => crate::web::assets::builder_js_version(),
            v => values,
            errors => messages,
            row_views => row_views,
            rows => rows,
            touchpoints => touchpoints,
            types => TYPES.map(QuestionType::key),
            ops => OPS.map(ConditionOp::key),
            link_url => link_url,
        },
    )
}

/// What a question row of the form shows besides its values.
#[derive(Serialize)]
struct RowView {
    /// The row's messages, "field — message" (`rows[1].key — …`).
    errors: Vec<String>,
    /// The settings of rating, matrix, number and slider start open.
    more: bool,
    /// The text block's HTML boxes start open.
    block: bool,
    /// The second condition starts open.
    second: bool,
}

impl RowView {
    fn new(i: usize, v: &BTreeMap<String, String>, messages: &BTreeMap<String, String>) -> RowView {
        let prefix = format!("questions[{i}]");
        let errors: Vec<String> = messages
            .iter()
            .filter_map(|(k, m)| {
                // `questions[1]` must not take the errors of `questions[10]`.
                let tail = k.strip_prefix(&prefix).filter(|t| t.is_empty() || t.starts_with('.'))?;
                Some(format!("{} — {m}", tail.trim_start_matches('.')))
            })
            .collect();
        let get = |k: &str| v.get(&format!("q{i}.{k}")).map(|x| x.trim()).filter(|x| !x.is_empty());
        let any = |ks: &[&str]| ks.iter().any(|k| get(k).is_some());
        let kind = get("type").unwrap_or_default();
        let more = ["rating", "matrix", "numeric", "slider"].contains(&kind)
            || any(&["scale_min", "scale_max", "not_applicable", "min", "max", "step", "decimals"])
            || any(&["low_en", "low_es", "high_en", "high_es"])
            || !errors.is_empty();
        let block = kind == "text_block" || any(&["html_en", "html_es"]);
        let second = any(&["show_join", "show2_q", "show2_value"]);
        RowView { errors, more, block, second }
    }
}

/// The survey a builder form holds, with the form row of each question
/// (blank rows are skipped); fields that cannot be read go to `parsed`.
pub(super) fn draft_of(form: &FormData, parsed: &mut FieldErrors) -> (SurveyDraft, Vec<usize>) {
    let (questions, used) = questions_of(form, parsed);
    let loc = |k: &str| Localized {
        en: form.get(&format!("{k}_en")).unwrap_or("").to_string(),
        es: form.get(&format!("{k}_es")).unwrap_or("").to_string(),
    };
    let draft = SurveyDraft {
        touchpoint_id: form.id("touchpoint_id", parsed),
        title: Some(loc("title")),
        intro: Some(loc("intro")),
        questions,
        fatigue_days: form.integer("fatigue_days", parsed),
    };
    (draft, used)
}

async fn save(page: Page, base: SiteBase, id: Option<WebPath<Id>>, form: FormData) -> WebResult {
    let id = id.map(|WebPath(id)| id);
    page.require(Permission::EditPlan)?;
    let shown = Shown::new(base, PreviewChoice::default());
    let mut values = form.values();
    if form.get("more").is_some() {
        let rows = row_count(values.get("rows").map(String::as_str));
        values.insert("rows".into(), (rows + ROWS).min(MAX_ROWS).to_string());
        return form_page(&page, &shown, id, StatusCode::OK, values, FieldErrors::new(), None).await;
    }
    // A row's move or copy: the form again with it made, nothing saved.
    if let Some(action) = form.get("row_action").and_then(RowAction::parse) {
        values.remove("row_action");
        return match rows::apply(&values, action) {
            Ok(changed) => form_page(&page, &shown, id, StatusCode::OK, changed, FieldErrors::new(), None).await,
            Err(e) => form_page(&page, &shown, id, StatusCode::UNPROCESSABLE_ENTITY, values, e, None).await,
        };
    }
    let mut parsed = FieldErrors::new();
    let (draft, used) = draft_of(&form, &mut parsed);
    let saved = async {
        // The draft numbers questions from 0 without the blank rows; its
        // errors are renamed to the form's rows, as the parse errors are.
        let input = checked(parsed, draft.validate().map_err(|e| renumber(e, "questions", &used)))?;
        let s = match id {
            Some(id) => {
                let audit = page.p.audit("survey.update", format!("survey:{id}"));
                page.store().update_survey(page.org(), id, &input, Some(&audit)).await?
            }
            None => {
                let audit = page.p.audit_created("survey.create", "survey:");
                page.store().create_survey_audited(page.org(), &input, &secret::generate("")[..24], &audit).await?
            }
        };
        Ok::<_, AppError>(s)
    };
    match outcome(saved.await)? {
        Ok(s) => see_other(&format!("/surveys/{}/edit?ok={}", s.id, if id.is_some() { "saved" } else { "created" })),
        Err((status, e)) => form_page(&page, &shown, id, status, values, e, None).await,
    }
}

async fn set_status(page: Page, base: SiteBase, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    let shown = Shown::new(base, PreviewChoice::default());
    page.require(Permission::EditPlan)?;
    let status = form.get("status").and_then(SurveyStatus::parse).ok_or(WebError(AppError::NotFound))?;
    let action = format!("survey.{}", status.key());
    let audit = page.p.audit(&action, format!("survey:{id}"));
    let changed = page.store().set_survey_status_audited(page.org(), id, status, &audit).await;
    match outcome(changed.map_err(AppError::from))? {
        Ok(_) => see_other(&format!("/surveys/{id}/edit?ok=saved")),
        // Publishing a survey that asks nothing yet: say so on its form.
        Err((code, e)) => {
            let s = page.store().get_survey(page.org(), id).await?;
            form_page(&page, &shown, Some(id), code, values_of(&s), e, None).await
        }
    }
}

async fn delete(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    page.store().delete_survey(page.org(), id, &page.p.audit("survey.delete", format!("survey:{id}"))).await?;
    see_other("/surveys?ok=deleted")
}

async fn personal_link(page: Page, base: SiteBase, WebPath(id): WebPath<Id>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let shown = Shown::new(base, PreviewChoice::default());
    let s = page.store().get_survey(page.org(), id).await?;
    let mut e = FieldErrors::new();
    let customer = form.filled("customer").map(str::to_string);
    if customer.is_none() {
        e.add("customer", "required", "is required");
    }
    let days = form.integer("expires_in_days", &mut e).unwrap_or(30);
    if !(1..=365).contains(&days) {
        e.add("expires_in_days", "out_of_range", "must be between 1 and 365");
    }
    let mut values = values_of(&s);
    values.extend(form.values());
    let Some(customer) = customer.filter(|_| e.is_empty()) else {
        return form_page(&page, &shown, Some(id), StatusCode::UNPROCESSABLE_ENTITY, values, e, None).await;
    };
    let key = link::installation_secret(page.store()).await?;
    let url = format!("/s/{}?{}", s.token, link::sign(&key, &s.token, &customer, link::expiry(Utc::now(), days)));
    form_page(&page, &shown, Some(id), StatusCode::OK, values, FieldErrors::new(), Some(url)).await
}

#[cfg(test)]
mod tests;
