//! Sharing a survey (its link as a QR code and embeddable HTML), the
//! Spanish texts it still lacks, and reordering or copying its questions.
//! The rules are the core's (`survey::arrange`, `survey::translation`);
//! the snippets are `web::surveys::share`'s, so page and API give the same.

use super::{view, SurveyView};
use crate::api::extract::{ApiJson, ApiPath};
use crate::api::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use crate::web::surveys::share;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::Json;
use rapport_core::role::Permission;
use rapport_core::survey::arrange;
use rapport_core::survey::translation::{translation_gaps, TranslationGapKind};
use rapport_core::survey::{Question, Survey, SurveyDraft, MAX_QUESTIONS};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(qr_svg))
        .routes(routes!(share_links))
        .routes(routes!(translations))
        .routes(routes!(duplicate))
        .routes(routes!(order))
}

/// The QR code of a survey's anonymous public link, as an SVG image (with
/// its quiet zone). Cacheable for a day: the link never changes.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/qr.svg", tag = "surveys", operation_id = "survey_qr_code", params(("id" = i64, Path)),
    responses((status = 200, description = "an SVG image (`image/svg+xml`)", content_type = "image/svg+xml", body = String), (status = 404)))]
async fn qr_svg(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Id>,
) -> Result<([(header::HeaderName, &'static str); 2], String), AppError> {
    p.require(Permission::ReadProgram)?;
    let survey = s.store.get_survey(p.org.id, id).await?;
    let svg = share::qr_svg(&share::public_link(&share::base_url(&s, &headers), &survey.token))?;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "private, max-age=86400")], svg))
}

/// How to share a survey's anonymous link.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyShare {
    /// The anonymous public link (absolute, with the configured public URL).
    pub link: String,
    /// The survey inside another site's page: an `<iframe>` of the link with
    /// `?embed=1` (the page without its header; the only survey page other
    /// sites may frame).
    pub embed_html: String,
    /// A plain HTML link to the survey.
    pub link_html: String,
    /// The QR code as an image linking to the survey.
    pub qr_html: String,
    /// The QR code's SVG.
    pub qr_url: String,
}

/// A survey's anonymous link, its QR code and HTML to embed it in another site.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/share", tag = "surveys", operation_id = "get_survey_share", params(("id" = i64, Path)),
    responses((status = 200, body = SurveyShare), (status = 404)))]
async fn share_links(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<SurveyShare>, AppError> {
    p.require(Permission::ReadProgram)?;
    let survey = s.store.get_survey(p.org.id, id).await?;
    let sh = share::sharing(&share::base_url(&s, &headers), survey.id, &survey.token, &survey.title.en);
    Ok(Json(SurveyShare {
        link: sh.link,
        embed_html: sh.iframe,
        link_html: sh.anchor,
        qr_html: sh.qr_img,
        qr_url: sh.qr_url,
    }))
}

/// A text of the survey whose Spanish is missing or still the English one.
#[derive(Debug, Serialize, ToSchema)]
pub struct SurveyTranslationGap {
    /// Place in the survey's order of texts (the list's order and cursor).
    pub position: i64,
    /// The field, as the survey's JSON names it: `title`, `intro`,
    /// `questions[i].text`, `questions[i].choices[j].label`,
    /// `questions[i].rows[j].label`, `questions[i].low_label`, `questions[i].high_label`.
    pub path: String,
    /// The question's key, for a question's text.
    pub question_key: Option<String>,
    /// `missing` (the page shows the English) or `same_as_english`.
    pub kind: TranslationGapKind,
    /// The English text.
    pub english: String,
}

/// The texts of a survey still to translate into Spanish, in the survey's order: those with no
/// Spanish, and those whose Spanish is the English text (what an import leaves). Numbers, and
/// texts of up to 3 characters written the same in both languages, are not listed.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/translations", tag = "surveys", operation_id = "list_survey_translation_gaps",
    params(("id" = i64, Path), PageParams),
    responses((status = 200, body = [SurveyTranslationGap]), (status = 404), (status = 422, description = "`limit` or `after` is invalid")))]
async fn translations(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
    ApiPath(id): ApiPath<Id>,
) -> Result<Listed<SurveyTranslationGap>, AppError> {
    p.require(Permission::ReadProgram)?;
    let survey = s.store.get_survey(p.org.id, id).await?;
    let gaps: Vec<SurveyTranslationGap> = translation_gaps(&survey.title, &survey.intro, &survey.questions)
        .into_iter()
        .enumerate()
        .map(|(i, g)| SurveyTranslationGap {
            position: i as i64,
            question_key: question_of(&survey.questions, &g.path).map(|q| q.key.clone()),
            path: g.path,
            kind: g.kind,
            english: g.english,
        })
        .collect();
    paging?.slice("survey-translations", gaps, |g| g.position)
}

/// The question a path `questions[i]…` is in.
fn question_of<'a>(questions: &'a [Question], path: &str) -> Option<&'a Question> {
    let i: usize = path.strip_prefix("questions[")?.split(']').next()?.parse().ok()?;
    questions.get(i)
}

/// Saves new questions (checked as any edit is), as the survey's edit.
async fn save_questions(
    s: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    survey: Survey,
    questions: Vec<Question>,
    action: &str,
) -> Result<Json<SurveyView>, AppError> {
    let draft = SurveyDraft {
        touchpoint_id: Some(survey.touchpoint_id),
        title: Some(survey.title),
        intro: Some(survey.intro),
        questions,
        fatigue_days: Some(survey.fatigue_days),
    };
    let input = draft.validate()?;
    let audit = p.audit(action, format!("survey:{}", survey.id));
    Ok(Json(view(headers, s.store.update_survey(p.org.id, survey.id, &input, Some(&audit)).await?)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SurveyDuplicateRequest {
    /// The key of the question to copy.
    pub key: Option<String>,
}

/// Copy a question: the copy comes right after it, with a new key (`<key>_copy`, `<key>_copy2`, …).
#[utoipa::path(post, path = "/api/v1/surveys/{id}/questions/duplicate", tag = "surveys", operation_id = "duplicate_survey_question",
    params(("id" = i64, Path)), request_body = SurveyDuplicateRequest,
    responses((status = 200, body = SurveyView), (status = 404), (status = 422, description = "`key` names no question, or the survey has 300 questions")))]
async fn duplicate(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<SurveyDuplicateRequest>,
) -> Result<Json<SurveyView>, AppError> {
    p.require(Permission::EditPlan)?;
    let survey = s.store.get_survey(p.org.id, id).await?;
    let key = body.key.filter(|k| !k.trim().is_empty());
    let key = key.ok_or_else(|| FieldErrors::single("key", "required", "is required"))?;
    let (questions, _) = arrange::duplicate_question(&survey.questions, &key)?;
    save_questions(&s, &p, &headers, survey, questions, "survey.question_duplicate").await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct SurveyOrderRequest {
    /// Every question's key once, in the new order (at most 300).
    pub keys: Option<Vec<String>>,
}

/// Put a survey's questions in a new order. A question shown depending on another must stay after it.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/questions/order", tag = "surveys", operation_id = "order_survey_questions",
    params(("id" = i64, Path)), request_body = SurveyOrderRequest,
    responses((status = 200, body = SurveyView), (status = 404),
        (status = 422, description = "`keys[i]` unknown, listed twice or placed before the question its condition reads; `keys` missing one")))]
async fn order(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiPath(id): ApiPath<Id>,
    ApiJson(body): ApiJson<SurveyOrderRequest>,
) -> Result<Json<SurveyView>, AppError> {
    p.require(Permission::EditPlan)?;
    let survey = s.store.get_survey(p.org.id, id).await?;
    let keys = body.keys.ok_or_else(|| FieldErrors::single("keys", "required", "is required"))?;
    if keys.len() > MAX_QUESTIONS {
        return Err(FieldErrors::single("keys", "too_many", format!("at most {MAX_QUESTIONS} keys")).into());
    }
    let questions = arrange::reorder(&survey.questions, &keys)?;
    save_questions(&s, &p, &headers, survey, questions, "survey.question_order").await
}
