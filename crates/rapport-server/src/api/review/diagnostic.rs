//! F2. The 20-question diagnostic: the JSON API under `/api/v1/diagnostic`.
//! Reading needs `ReadProgram`; opening and closing rounds `EditPlan`;
//! answering `Contribute` (the caller's own person; an API token names it
//! in `person_id`). A closed round refuses answers with 409 `closed`.

pub(crate) mod evidence;
pub(crate) mod view;

use crate::api::extract::{ApiJson, ApiPath};
use crate::api::ideas::acting_person;
use crate::api::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::Json;
use chrono::Utc;
use rapport_core::lang::Lang;
use rapport_core::review::diagnostic::round::{
    validate_answers, DiagnosticAnswer, DiagnosticAnswerDraft, DiagnosticRound, DiagnosticRoundDraft,
};
use rapport_core::review::diagnostic::score::DiagnosticAreaTrend;
use rapport_core::review::diagnostic::{question, text_key, DiagnosticArea};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use view::{history, round_view, DiagnosticRoundView};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(questions))
        .routes(routes!(list_rounds, create_round))
        .routes(routes!(get_round))
        .routes(routes!(list_answers, put_answers))
        .routes(routes!(close_round))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiagnosticLangQuery {
    /// `en` or `es`; default: the `Accept-Language` header, else English.
    lang: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosticQuestionText {
    /// `q1` to `q20`.
    pub key: &'static str,
    pub number: u8,
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosticAreaQuestions {
    pub area: DiagnosticArea,
    pub name: String,
    pub questions: Vec<DiagnosticQuestionText>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosticQuestions {
    pub lang: Lang,
    pub areas: Vec<DiagnosticAreaQuestions>,
}

/// The language asked for: `?lang=`, else the `Accept-Language` header.
fn asked_lang(q: &DiagnosticLangQuery, headers: &HeaderMap) -> Result<Lang, AppError> {
    match q.lang.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        Some(l) => {
            Lang::parse(l).ok_or_else(|| AppError::Invalid(FieldErrors::single("lang", "invalid", "must be en or es")))
        }
        None => Ok(headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|h| h.to_str().ok())
            .and_then(Lang::from_accept_language)
            .unwrap_or_default()),
    }
}

/// The twenty questions of seed 002 in their four areas, in English (the
/// seed's words) or Spanish.
#[utoipa::path(get, path = "/api/v1/diagnostic/questions", tag = "review", operation_id = "diagnostic_questions",
    params(DiagnosticLangQuery), responses((status = 200, body = DiagnosticQuestions), (status = 422, description = "`lang` is not en or es")))]
async fn questions(
    State(s): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    q: Result<Query<DiagnosticLangQuery>, QueryRejection>,
) -> Result<Json<DiagnosticQuestions>, AppError> {
    p.require(Permission::ReadProgram)?;
    let Query(q) = q.map_err(crate::api::extract::bad_query)?;
    let lang = asked_lang(&q, &headers)?;
    let areas = DiagnosticArea::ALL
        .iter()
        .map(|&area| DiagnosticAreaQuestions {
            area,
            name: s.i18n.t(lang, &format!("diagnostic-area-{}", area.key()), &[]),
            questions: area
                .questions()
                .map(|q| DiagnosticQuestionText {
                    key: q.key,
                    number: q.number,
                    text: s.i18n.t(lang, &text_key(q), &[]),
                })
                .collect(),
        })
        .collect();
    Ok(Json(DiagnosticQuestions { lang, areas }))
}

/// A round in the list: its overall and per-area means and their deltas.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiagnosticRoundSummary {
    #[serde(flatten)]
    pub round: DiagnosticRound,
    pub answerers: i64,
    /// 1–5.
    pub overall: Option<f64>,
    /// `overall / 5 × 100`.
    pub overall_percent: Option<f64>,
    pub overall_delta: Option<f64>,
    pub areas: Vec<DiagnosticAreaTrend>,
}

/// The rounds, newest first (by opening date, then id; the newest 200),
/// with their scores and trend, a page at a time.
#[utoipa::path(get, path = "/api/v1/diagnostic/rounds", tag = "review", operation_id = "list_diagnostic_rounds",
    params(PageParams),
    responses((status = 200, body = [DiagnosticRoundSummary]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list_rounds(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<DiagnosticRoundSummary>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let rounds = summaries(&s, p.org.id).await?;
    paging.slice("diagnostic_rounds", rounds, |r| (Reverse(r.round.opened_on), Reverse(r.round.id)))
}

/// The rounds' list, shared with the pages.
pub async fn summaries(s: &AppState, org: Id) -> Result<Vec<DiagnosticRoundSummary>, AppError> {
    let h = history(s, org).await?;
    Ok(h.rounds
        .into_iter()
        .map(|(round, scores)| {
            let point = h.trend.iter().find(|t| t.round_id == round.id);
            DiagnosticRoundSummary {
                answerers: scores.answerers,
                overall: scores.overall,
                overall_percent: scores.overall_percent,
                overall_delta: point.and_then(|t| t.overall_delta),
                areas: point.map(|t| t.areas.clone()).unwrap_or_default(),
                round,
            }
        })
        .collect())
}

/// Open a round (name, and the opening date, default today). Audited.
#[utoipa::path(post, path = "/api/v1/diagnostic/rounds", tag = "review", operation_id = "create_diagnostic_round",
    request_body = DiagnosticRoundDraft,
    responses((status = 201, body = DiagnosticRound), (status = 403), (status = 422, description = "`name` or `opened_on` is invalid")))]
async fn create_round(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(d): ApiJson<DiagnosticRoundDraft>,
) -> Result<(StatusCode, Json<DiagnosticRound>), AppError> {
    p.require(Permission::EditPlan)?;
    let input = d.validate(Utc::now().date_naive())?;
    let audit = p.audit_created("diagnostic.round.create", "diagnostic_round:");
    Ok((StatusCode::CREATED, Json(s.store.create_diagnostic_round(p.org.id, &input, &audit).await?)))
}

/// A round with its scores per question, area and overall, the spread
/// between answerers, its deltas from the round before and the evidence
/// suggestions.
#[utoipa::path(get, path = "/api/v1/diagnostic/rounds/{id}", tag = "review", operation_id = "get_diagnostic_round",
    params(("id" = i64, Path)), responses((status = 200, body = DiagnosticRoundView), (status = 404)))]
async fn get_round(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<DiagnosticRoundView>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(round_view(&s, p.org.id, id).await?))
}

/// Every answer of a round, by person and question, a page at a time.
#[utoipa::path(get, path = "/api/v1/diagnostic/rounds/{id}/answers", tag = "review", operation_id = "list_diagnostic_answers",
    params(("id" = i64, Path), PageParams),
    responses((status = 200, body = [DiagnosticAnswer]), (status = 404), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list_answers(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    paging: Result<Paging, AppError>,
) -> Result<Listed<DiagnosticAnswer>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    s.store.get_diagnostic_round(p.org.id, id).await?;
    let answers = s.store.diagnostic_answers(p.org.id, &[id]).await?;
    let number = |a: &DiagnosticAnswer| question(&a.question).map_or(0, |q| q.number);
    paging.slice("diagnostic_answers", answers, |a| (a.person_id, number(a)))
}

/// Some or all of one person's answers.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DiagnosticAnswersBody {
    /// Only for API tokens, which act for no person: whose answers these are.
    pub person_id: Option<Id>,
    /// One to twenty answers, each question at most once.
    #[schema(min_items = 1, max_items = 20)]
    pub answers: Option<Vec<DiagnosticAnswerDraft>>,
}

/// Answer some or all questions of an open round (replacing one's earlier
/// answers to them); answers the caller's answers in the round.
#[utoipa::path(put, path = "/api/v1/diagnostic/rounds/{id}/answers", tag = "review", operation_id = "put_diagnostic_answers",
    params(("id" = i64, Path)), request_body = DiagnosticAnswersBody,
    responses((status = 200, body = [DiagnosticAnswer]), (status = 403), (status = 404),
        (status = 409, description = "the round is closed"),
        (status = 422, description = "`answers[i].question`, `answers[i].score`, `answers[i].comment` or `person_id` is invalid")))]
async fn put_answers(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(b): ApiJson<DiagnosticAnswersBody>,
) -> Result<Json<Vec<DiagnosticAnswer>>, AppError> {
    p.require(Permission::Contribute)?;
    s.store.get_diagnostic_round(p.org.id, id).await?;
    let person = acting_person(&p, b.person_id, "person_id")?;
    let answers = validate_answers(b.answers.as_deref())?;
    s.store.answer_diagnostic(p.org.id, id, person, &answers, Utc::now()).await?;
    let mine = s.store.diagnostic_answers(p.org.id, &[id]).await?;
    Ok(Json(mine.into_iter().filter(|a| a.person_id == person).collect()))
}

/// Close a round: its answers are frozen. Audited.
#[utoipa::path(post, path = "/api/v1/diagnostic/rounds/{id}/close", tag = "review", operation_id = "close_diagnostic_round",
    params(("id" = i64, Path)),
    responses((status = 200, body = DiagnosticRound), (status = 403), (status = 404), (status = 409, description = "already closed")))]
async fn close_round(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
) -> Result<Json<DiagnosticRound>, AppError> {
    p.require(Permission::EditPlan)?;
    let audit = p.audit("diagnostic.round.close", format!("diagnostic_round:{id}"));
    Ok(Json(s.store.close_diagnostic_round(p.org.id, id, &audit, Utc::now()).await?))
}
