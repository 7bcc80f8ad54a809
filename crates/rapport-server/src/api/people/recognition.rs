//! E3. Recognition and the "makes the numbers but hurts the experience" flag.
//!
//! - `POST /api/v1/kudos` (Contribute): kudos to a person or a team, with a
//!   reason and optional evidence. `GET /api/v1/kudos` (ReadProgram): the
//!   feed, newest first, paged, filtered by `person_id` or `department`.
//! - `GET /api/v1/recognition/summary`: kudos received and given per
//!   department and month.
//! - `GET /api/v1/recognition/performance?period=2026-11` (SeePerformance
//!   only; 403 otherwise): the flag.
//! - `GET /api/v1/recognition/leaders` and `/leaders/trend` (E4, "who
//!   leads"): people and the trend per department and month.
//! - `GET /api/v1/kudos/suggestions`: promoter/WOW comments naming a person.
//!
//! Every list answers CSV with `?format=csv` (`api::export`).

use super::super::extract::{bad_query, ApiJson};
use super::super::page::{Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use rapport_core::people::recognition::{
    self as rc, FlagRow, Kudos, KudosDraft, KudosMonth, KudosSuggestion, LeadTrend, Leader, Period,
};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::recognition::{Giver, KudosFilter};
use rapport_store::Store;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_kudos, give))
        .routes(routes!(summary))
        .routes(routes!(suggestions))
        .routes(routes!(performance))
        .routes(routes!(leaders))
        .routes(routes!(trend))
}

/// A kudos: to `person_id` or to a team (`department`), never both; a
/// reason (1–1000 characters); optional evidence: `evidence_kind`
/// (`response`, `case` closed with the customer's agreement, `sprint` with
/// an improved outcome) and `evidence_id`, of this organization.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct KudosBody {
    pub person_id: Option<Id>,
    pub department: Option<String>,
    pub reason: Option<String>,
    pub evidence_kind: Option<String>,
    pub evidence_id: Option<Id>,
}

impl From<KudosBody> for KudosDraft {
    fn from(b: KudosBody) -> Self {
        KudosDraft {
            person_id: b.person_id,
            department: b.department,
            reason: b.reason,
            evidence_kind: b.evidence_kind,
            evidence_id: b.evidence_id,
        }
    }
}

/// The feed's filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KudosQuery {
    /// Received by this person.
    person_id: Option<Id>,
    /// Counted under this department (a team's, or a person's in it).
    department: Option<String>,
}

fn bounded_department(d: Option<String>) -> Result<Option<String>, AppError> {
    let d = d.map(|d| d.trim().to_string()).filter(|d| !d.is_empty());
    if d.as_ref().is_some_and(|d| d.chars().count() > rc::DEPARTMENT_MAX || d.contains('\0')) {
        return Err(AppError::Invalid(FieldErrors::single("department", "too_long", "at most 80 characters")));
    }
    Ok(d)
}

/// The feed, newest first, a page at a time (keyset by id).
#[utoipa::path(get, path = "/api/v1/kudos", tag = "people", operation_id = "list_kudos", params(KudosQuery, PageParams),
    responses((status = 200, body = [Kudos]), (status = 422, description = "a filter, `limit` or `after` is invalid")))]
async fn list_kudos(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
    q: Result<Query<KudosQuery>, QueryRejection>,
) -> Result<Listed<Kudos>, AppError> {
    p.require(Permission::ReadProgram)?;
    let paging = paging?;
    let Query(q) = q.map_err(bad_query)?;
    let f = KudosFilter {
        person: q.person_id,
        department: bounded_department(q.department)?,
        after: paging.after::<Id>("kudos")?,
        limit: paging.fetch(),
    };
    let page = s.store.page_kudos(p.org.id, &f).await?;
    Ok(paging.page("kudos", page, |k| k.id))
}

/// Gives kudos as the caller (their person, if their account has one). The
/// recipient (or the team's people) gets a notification.
#[utoipa::path(post, path = "/api/v1/kudos", tag = "people", operation_id = "give_kudos", request_body = KudosBody,
    responses((status = 201, body = Kudos), (status = 403), (status = 422, description = "a field is invalid: \
    `person_id`, `department`, `reason`, `evidence_kind`, `evidence_id`")))]
async fn give(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(b): ApiJson<KudosBody>,
) -> Result<(StatusCode, Json<Kudos>), AppError> {
    p.require(Permission::Contribute)?;
    let input = KudosDraft::from(b).validate()?;
    let giver = Giver { person: p.user.as_ref().and_then(|u| u.person_id), label: &p.actor };
    Ok((StatusCode::CREATED, Json(s.store.give_kudos(p.org.id, giver, &input).await?)))
}

/// Reports read whole (bounded) come in an envelope: `items`, which
/// `?format=csv` exports.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecognitionSummary {
    /// Newest month first, then by department.
    pub items: Vec<KudosMonth>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KudosSuggestions {
    pub items: Vec<KudosSuggestion>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecognitionLeaders {
    pub items: Vec<Leader>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecognitionTrend {
    pub items: Vec<LeadTrend>,
}

/// Kudos received and given per department and month, newest month first
/// (the last 24 months).
#[utoipa::path(get, path = "/api/v1/recognition/summary", tag = "people", operation_id = "recognition_summary",
    responses((status = 200, body = RecognitionSummary)))]
async fn summary(State(s): State<AppState>, p: Principal) -> Result<Json<RecognitionSummary>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(RecognitionSummary { items: s.reads().kudos_months(p.org.id, 24).await? }))
}

/// Recent promoter or WOW comments that name one active person by first
/// name: evidence someone could recognise.
#[utoipa::path(get, path = "/api/v1/kudos/suggestions", tag = "people", operation_id = "kudos_suggestions",
    responses((status = 200, body = KudosSuggestions)))]
async fn suggestions(State(s): State<AppState>, p: Principal) -> Result<Json<KudosSuggestions>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(KudosSuggestions { items: s.store.kudos_suggestions(p.org.id, Utc::now()).await? }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PerformanceQuery {
    /// A month (`2026-11`) or a quarter (`2026-Q4`); the last full month
    /// when absent.
    period: Option<String>,
}

/// The flag over one period, with its rules.
#[derive(Debug, Serialize, ToSchema)]
pub struct PerformanceReport {
    pub period: String,
    /// Responses this many days after a close are its outcome.
    pub window_days: i64,
    pub min_cases: u32,
    pub min_responses: u32,
    pub min_agents: usize,
    /// Flagged first, then by person.
    pub items: Vec<PerformanceItem>,
}

/// An agent's row: their name, figures and where they stand.
#[derive(Debug, Serialize, ToSchema)]
pub struct PerformanceItem {
    pub name: String,
    #[serde(flatten)]
    pub row: FlagRow,
}

pub(crate) fn period_of(text: Option<&str>) -> Result<Period, AppError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(Period::containing(Utc::now(), false).previous()),
        Some(t) if t.len() <= 16 => Period::parse(t).ok_or_else(|| {
            AppError::Invalid(FieldErrors::single("period", "invalid", "is a month (2026-11) or a quarter (2026-Q4)"))
        }),
        Some(_) => Err(AppError::Invalid(FieldErrors::single("period", "too_long", "is a month or a quarter"))),
    }
}

pub(crate) async fn person_names(store: &dyn Store, org: Id) -> Result<HashMap<Id, String>, AppError> {
    Ok(store.list_people(org).await?.into_iter().map(|p| (p.id, p.name)).collect())
}

pub(crate) async fn performance_report(
    store: &dyn Store,
    org: Id,
    period: Period,
) -> Result<PerformanceReport, AppError> {
    let rows = store.performance(org, period).await?;
    let names = person_names(store, org).await?;
    Ok(PerformanceReport {
        period: period.key(),
        window_days: rc::OUTCOME_WINDOW_DAYS,
        min_cases: rc::MIN_CASES,
        min_responses: rc::MIN_RESPONSES,
        min_agents: rc::MIN_AGENTS,
        items: rows
            .into_iter()
            .map(|row| PerformanceItem { name: names.get(&row.figures.person_id).cloned().unwrap_or_default(), row })
            .collect(),
    })
}

/// The "makes the numbers but hurts the experience" flag: leaders and
/// administrators only (403 for everyone else). `?format=csv` exports the
/// rows.
#[utoipa::path(get, path = "/api/v1/recognition/performance", tag = "people", operation_id = "recognition_performance",
    params(PerformanceQuery),
    responses((status = 200, body = PerformanceReport), (status = 403, description = "without SeePerformance"),
        (status = 422, description = "`period` is not a month or a quarter")))]
async fn performance(
    State(s): State<AppState>,
    p: Principal,
    q: Result<Query<PerformanceQuery>, QueryRejection>,
) -> Result<Json<PerformanceReport>, AppError> {
    p.require(Permission::SeePerformance)?;
    let Query(q) = q.map_err(bad_query)?;
    let period = period_of(q.period.as_deref())?;
    Ok(Json(performance_report(s.reads(), p.org.id, period).await?))
}

pub(crate) async fn who_leads(store: &dyn Store, org: Id) -> Result<rc::WhoLeads, AppError> {
    let people = store.list_people(org).await?;
    let departments: HashMap<Id, Option<String>> = people.into_iter().map(|p| (p.id, p.department)).collect();
    let ideas = store.idea_rows(org).await?;
    let sprints = store.sprint_leads(org).await?;
    let by_person = store.kudos_by_person(org).await?;
    let months = store.kudos_months(org, 24).await?;
    Ok(rc::who_leads(&departments, &ideas, &sprints, &by_person, &months))
}

/// Who leads (E4): the people whose ideas were implemented, who led a sprint
/// with an improved outcome, who received kudos; most first.
#[utoipa::path(get, path = "/api/v1/recognition/leaders", tag = "people", operation_id = "recognition_leaders",
    responses((status = 200, body = RecognitionLeaders)))]
async fn leaders(State(s): State<AppState>, p: Principal) -> Result<Json<RecognitionLeaders>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(RecognitionLeaders { items: who_leads(s.reads(), p.org.id).await?.people }))
}

/// Who leads, per department and month: ideas implemented, sprints
/// improved, kudos received.
#[utoipa::path(get, path = "/api/v1/recognition/leaders/trend", tag = "people", operation_id = "recognition_trend",
    responses((status = 200, body = RecognitionTrend)))]
async fn trend(State(s): State<AppState>, p: Principal) -> Result<Json<RecognitionTrend>, AppError> {
    p.require(Permission::ReadProgram)?;
    Ok(Json(RecognitionTrend { items: who_leads(s.reads(), p.org.id).await?.trend }))
}
