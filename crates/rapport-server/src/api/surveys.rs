//! Surveys (B1, B2, B7): drafts attached to a touchpoint, published on a
//! public link `/s/{token}`, personal links signed with the installation
//! secret, and import from Qualtrics, SurveyJS and LimeSurvey files.

use super::extract::{ApiJson, ApiPath};
use super::page::{name_key, Listed, PageParams, Paging};
use crate::auth::link;
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use chrono::{DateTime, Utc};
use rapport_core::role::Permission;
use rapport_core::survey::{Survey, SurveyDraft, SurveyStatus};
use rapport_core::survey_import::{self, Format, Skipped};
use rapport_core::validate::{required_text, FieldErrors};
use rapport_core::Id;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

mod sharing;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update, delete))
        .routes(routes!(publish))
        .routes(routes!(close))
        .routes(routes!(personal_link))
        .routes(routes!(import))
        .routes(routes!(surveyjs))
        .merge(sharing::routes())
}

/// `http://HOST` of the request (`X-Forwarded-Proto` may say `https`), the
/// base of the public links the API answers.
pub(crate) fn origin(headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = match headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()) {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

/// A survey with its public (anonymous) link.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyView {
    #[serde(flatten)]
    pub survey: Survey,
    /// The anonymous public link, `http://HOST/s/{token}`.
    pub url: String,
}

fn view(headers: &HeaderMap, survey: Survey) -> SurveyView {
    let url = format!("{}/s/{}", origin(headers), survey.token);
    SurveyView { survey, url }
}

fn new_token() -> String {
    crate::auth::secret::generate("")[..24].to_string()
}

/// List surveys by title (English), with their public links, a page at a time.
#[utoipa::path(get, path = "/api/v1/surveys", tag = "surveys", operation_id = "list_surveys", params(PageParams),
    responses((status = 200, body = [SurveyView]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
    headers: HeaderMap,
) -> Result<Listed<SurveyView>, AppError> {
    p.require(Permission::ReadProgram)?;
    let surveys = s.store.list_surveys(p.org.id).await?;
    let page = paging?.slice("surveys", surveys, |x| name_key(&x.title.en, x.id))?;
    Ok(page.map(|sv| view(&headers, sv)))
}

/// Create a draft survey on a touchpoint.
#[utoipa::path(post, path = "/api/v1/surveys", tag = "surveys", operation_id = "create_survey", request_body = SurveyDraft,
    responses((status = 201, body = SurveyView), (status = 422, description = "invalid fields")))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiJson(draft): ApiJson<SurveyDraft>,
) -> Result<(StatusCode, Json<SurveyView>), AppError> {
    p.require(Permission::EditPlan)?;
    let input = draft.validate()?;
    let survey = s.store.create_survey(p.org.id, &input, &new_token()).await?;
    Ok((StatusCode::CREATED, Json(view(&headers, survey))))
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}", tag = "surveys", operation_id = "get_survey", params(("id" = i64, Path)),
    responses((status = 200, body = SurveyView), (status = 404)))]
async fn get_one(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<SurveyView>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(view(&headers, s.store.get_survey(p.org.id, id).await?)))
}

/// Download a survey as a SurveyJS definition (JSON), to use in another tool or import again.
/// Texts are SurveyJS localisable strings with `default` (English) and `es`.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/surveyjs", tag = "surveys", operation_id = "export_survey_surveyjs", params(("id" = i64, Path)),
    responses((status = 200, description = "the SurveyJS definition, as an attachment", body = Object), (status = 404)))]
async fn surveyjs(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<([(header::HeaderName, String); 2], Json<serde_json::Value>), AppError> {
    p.require(Permission::ReadProgram)?;
    let survey = s.store.get_survey(p.org.id, id).await?;
    let json = rapport_core::survey_export::to_surveyjs(&survey.title, &survey.intro, &survey.questions);
    let disposition = format!("attachment; filename=\"survey-{id}.surveyjs.json\"");
    Ok(([(header::CONTENT_TYPE, "application/json".into()), (header::CONTENT_DISPOSITION, disposition)], Json(json)))
}

/// Replace a survey's touchpoint, wording, questions and fatigue rule (not its status or link).
#[utoipa::path(put, path = "/api/v1/surveys/{id}", tag = "surveys", operation_id = "update_survey", params(("id" = i64, Path)), request_body = SurveyDraft,
    responses((status = 200, body = SurveyView), (status = 404), (status = 422)))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Id>,
    ApiJson(draft): ApiJson<SurveyDraft>,
) -> Result<Json<SurveyView>, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.get_survey(p.org.id, id).await?;
    let input = draft.validate()?;
    Ok(Json(view(&headers, s.store.update_survey(p.org.id, id, &input, None).await?)))
}

/// Delete a survey without responses (409 otherwise: close it instead).
#[utoipa::path(delete, path = "/api/v1/surveys/{id}", tag = "surveys", operation_id = "delete_survey", params(("id" = i64, Path)),
    responses((status = 204), (status = 404), (status = 409)))]
async fn delete(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.delete_survey(p.org.id, id, &p.audit("survey.delete", format!("survey:{id}"))).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn set_status(
    s: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    id: Id,
    status: SurveyStatus,
) -> Result<Json<SurveyView>, AppError> {
    p.require(Permission::EditPlan)?;
    let survey = s.store.get_survey(p.org.id, id).await?;
    if status == SurveyStatus::Published && survey.questions.is_empty() {
        return Err(FieldErrors::single("questions", "required", "a survey needs a question to be published").into());
    }
    Ok(Json(view(headers, s.store.set_survey_status(p.org.id, id, status).await?)))
}

/// Publish a survey: its public link starts taking answers.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/publish", tag = "surveys", operation_id = "publish_survey", params(("id" = i64, Path)),
    responses((status = 200, body = SurveyView), (status = 404), (status = 422, description = "no questions")))]
async fn publish(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<SurveyView>, AppError> {
    set_status(&s, &p, &headers, id, SurveyStatus::Published).await
}

/// Close a survey: its links stop taking answers; responses are kept.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/close", tag = "surveys", operation_id = "close_survey", params(("id" = i64, Path)),
    responses((status = 200, body = SurveyView), (status = 404)))]
async fn close(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<SurveyView>, AppError> {
    set_status(&s, &p, &headers, id, SurveyStatus::Closed).await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct LinkRequest {
    /// The customer's external id.
    pub customer: Option<String>,
    /// 1 to 365; 30 when absent.
    pub expires_in_days: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LinkAnswer {
    /// The personal link, signed: changing any part of it makes it invalid.
    pub url: String,
    pub expires_at: DateTime<Utc>,
}

/// A personal link for one customer, signed with the installation's secret
/// and valid until it expires. Whoever holds it answers as that customer, so
/// it takes the ingestion roles: admin, leader, owner, agent.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/links", tag = "surveys", operation_id = "create_survey_link", params(("id" = i64, Path)), request_body = LinkRequest,
    responses((status = 200, body = LinkAnswer), (status = 404), (status = 422)))]
async fn personal_link(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<LinkRequest>,
) -> Result<Json<LinkAnswer>, AppError> {
    super::feedback::require_ingest(&p)?;
    let survey = s.store.get_survey(p.org.id, id).await?;
    let mut e = FieldErrors::new();
    let customer = required_text(&mut e, "customer", body.customer.as_deref(), 200);
    let days = body.expires_in_days.unwrap_or(30);
    if !(1..=365).contains(&days) {
        e.add("expires_in_days", "out_of_range", "must be between 1 and 365");
    }
    e.into_result(())?;
    let secret = link::installation_secret(&*s.store).await?;
    let expires_at = link::expiry(Utc::now(), days);
    let query = link::sign(&secret, &survey.token, &customer, expires_at);
    Ok(Json(LinkAnswer { url: format!("{}/s/{}?{query}", origin(&headers), survey.token), expires_at }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ImportRequest {
    pub touchpoint_id: Option<Id>,
    /// `qsf`, `surveyjs` or `lss`; recognised from the text when absent.
    pub format: Option<String>,
    /// The file's text.
    pub source: Option<String>,
    /// The Spanish title, when the file has none.
    pub title_es: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportAnswer {
    pub survey: SurveyView,
    /// What the file holds that was not imported.
    pub report: Vec<Skipped>,
}

/// Create a draft survey from a Qualtrics (.qsf), SurveyJS (.json) or LimeSurvey (.lss) file.
/// Wording the file has only in English is used for Spanish too, to be translated in the builder;
/// everything not imported is listed in `report`.
#[utoipa::path(post, path = "/api/v1/surveys/import", tag = "surveys", operation_id = "import_survey", request_body = ImportRequest,
    responses((status = 201, body = ImportAnswer), (status = 422, description = "invalid fields; a file that cannot be read is reported on `source`")))]
async fn import(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ImportRequest>,
) -> Result<(StatusCode, Json<ImportAnswer>), AppError> {
    p.require(Permission::EditPlan)?;
    let mut e = FieldErrors::new();
    if body.touchpoint_id.is_none() {
        e.add("touchpoint_id", "required", "is required");
    }
    let format = match body.format.as_deref() {
        None | Some("") => None,
        Some(f) => Format::parse(f).or_else(|| {
            e.add("format", "invalid_choice", "must be qsf, surveyjs or lss");
            None
        }),
    };
    let source = body.source.clone().unwrap_or_default();
    if source.trim().is_empty() {
        e.add("source", "required", "is required");
    }
    e.into_result(())?;
    let imported = match format {
        Some(f) => survey_import::import(f, &source),
        None => survey_import::import_any(&source).map(|(_, i)| i),
    }
    .map_err(|err| FieldErrors::single("source", "unreadable", err.to_string()))?;
    let mut draft = imported.draft(body.touchpoint_id.unwrap_or_default());
    if let (Some(es), Some(title)) = (body.title_es.as_deref().filter(|t| !t.trim().is_empty()), draft.title.as_mut()) {
        title.es = es.to_string();
    }
    fill_spanish(&mut draft);
    let input = draft.validate()?;
    let survey = s.store.create_survey(p.org.id, &input, &new_token()).await?;
    Ok((StatusCode::CREATED, Json(ImportAnswer { survey: view(&headers, survey), report: imported.report })))
}

/// Spanish wording missing from the file falls back to the English one.
fn fill_spanish(draft: &mut SurveyDraft) {
    fn fill(l: &mut rapport_core::survey::Localized) {
        if l.es.trim().is_empty() {
            l.es = l.en.clone();
        }
    }
    draft.title.iter_mut().chain(draft.intro.iter_mut()).for_each(fill);
    for q in &mut draft.questions {
        fill(&mut q.text);
        q.choices.iter_mut().for_each(|c| fill(&mut c.label));
    }
}
