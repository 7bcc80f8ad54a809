//! A6. Empathy maps per touchpoint: the JSON API.
//!
//! `?segment_id=` picks a segment's map; without it, the touchpoint's
//! general map. Reading takes `ReadProgram`; saving (a new version every
//! time) takes `EditPlan`. Another organization's touchpoint is a 404
//! before the body is judged.

use crate::api::extract::{bad_query, ApiJson, ApiPath};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use chrono::{DateTime, Utc};
use rapport_core::plan::empathy::{EmpathyMap, Entry, MapDraft, Suggestion, VersionInfo};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::Store;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_map, put_map))
        .routes(routes!(versions))
        .routes(routes!(version))
        .routes(routes!(suggestions))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmpathyQuery {
    /// A segment's own map of the touchpoint; none: the general map.
    #[param(minimum = 1)]
    pub segment_id: Option<i64>,
}

/// The segment asked for, checked to be a positive id.
pub(crate) fn segment_of(q: Result<Query<EmpathyQuery>, QueryRejection>) -> Result<Option<Id>, AppError> {
    let Query(q) = q.map_err(bad_query)?;
    match q.segment_id {
        Some(id) if id < 1 => Err(FieldErrors::single("segment_id", "out_of_range", "must be at least 1").into()),
        other => Ok(other),
    }
}

/// A map's version (0 and no entries: never saved), with how many of its
/// entries cite evidence.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmpathyMapView {
    pub touchpoint_id: Id,
    pub segment_id: Option<Id>,
    pub version: i64,
    pub author: Option<String>,
    pub created_at: Option<DateTime<Utc>>,
    pub entries: Vec<Entry>,
    pub entry_count: usize,
    pub with_evidence: usize,
}

impl EmpathyMapView {
    pub fn of(tp: Id, segment: Option<Id>, m: Option<EmpathyMap>) -> EmpathyMapView {
        match m {
            Some(m) => EmpathyMapView {
                touchpoint_id: tp,
                segment_id: segment,
                version: m.version,
                author: Some(m.author.clone()),
                created_at: Some(m.created_at),
                entry_count: m.entries.len(),
                with_evidence: m.with_evidence(),
                entries: m.entries,
            },
            None => EmpathyMapView {
                touchpoint_id: tp,
                segment_id: segment,
                version: 0,
                author: None,
                created_at: None,
                entries: Vec::new(),
                entry_count: 0,
                with_evidence: 0,
            },
        }
    }
}

/// The map's current version.
#[utoipa::path(get, path = "/api/v1/touchpoints/{touchpoint_id}/empathy", tag = "empathy",
    operation_id = "empathy_get", params(("touchpoint_id" = i64, Path), EmpathyQuery),
    responses((status = 200, body = EmpathyMapView), (status = 403), (status = 404),
        (status = 422, description = "segment_id is not a segment of the organization")))]
async fn get_map(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(tp): ApiPath<Id>,
    q: Result<Query<EmpathyQuery>, QueryRejection>,
) -> Result<Json<EmpathyMapView>, AppError> {
    p.require(Permission::ReadProgram)?;
    let segment = segment_of(q)?;
    let m = s.store.empathy_map(p.org.id, tp, segment, None).await?;
    Ok(Json(EmpathyMapView::of(tp, segment, m)))
}

/// Saves the whole map as its next version.
#[utoipa::path(put, path = "/api/v1/touchpoints/{touchpoint_id}/empathy", tag = "empathy",
    operation_id = "empathy_put", params(("touchpoint_id" = i64, Path), EmpathyQuery), request_body = MapDraft,
    responses((status = 200, body = EmpathyMapView), (status = 400, description = "malformed JSON"), (status = 403),
        (status = 404), (status = 422, description = "an entry's field, too many entries, or evidence that is not the organization's")))]
async fn put_map(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(tp): ApiPath<Id>,
    q: Result<Query<EmpathyQuery>, QueryRejection>,
    d: Result<ApiJson<MapDraft>, AppError>,
) -> Result<Json<EmpathyMapView>, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.empathy_segments(p.org.id, tp).await?;
    let segment = segment_of(q)?;
    let ApiJson(d) = d?;
    let input = d.validate()?;
    let m = s.store.save_empathy_map(p.org.id, tp, segment, &input, &p.actor, Utc::now()).await?;
    Ok(Json(EmpathyMapView::of(tp, segment, Some(m))))
}

/// The map's versions, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmpathyVersions {
    pub touchpoint_id: Id,
    pub segment_id: Option<Id>,
    pub versions: Vec<VersionInfo>,
}

#[utoipa::path(get, path = "/api/v1/touchpoints/{touchpoint_id}/empathy/versions", tag = "empathy",
    operation_id = "empathy_versions", params(("touchpoint_id" = i64, Path), EmpathyQuery),
    responses((status = 200, body = EmpathyVersions), (status = 403), (status = 404), (status = 422)))]
async fn versions(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(tp): ApiPath<Id>,
    q: Result<Query<EmpathyQuery>, QueryRejection>,
) -> Result<Json<EmpathyVersions>, AppError> {
    p.require(Permission::ReadProgram)?;
    let segment = segment_of(q)?;
    let versions = s.store.empathy_versions(p.org.id, tp, segment).await?;
    Ok(Json(EmpathyVersions { touchpoint_id: tp, segment_id: segment, versions }))
}

/// One earlier (or the current) version, as it was saved.
#[utoipa::path(get, path = "/api/v1/touchpoints/{touchpoint_id}/empathy/versions/{version}", tag = "empathy",
    operation_id = "empathy_version", params(("touchpoint_id" = i64, Path), ("version" = i64, Path), EmpathyQuery),
    responses((status = 200, body = EmpathyMapView), (status = 403), (status = 404, description = "no such touchpoint or version"),
        (status = 422)))]
async fn version(
    State(s): State<AppState>,
    p: Principal,
    ApiPath((tp, v)): ApiPath<(Id, i64)>,
    q: Result<Query<EmpathyQuery>, QueryRejection>,
) -> Result<Json<EmpathyMapView>, AppError> {
    p.require(Permission::ReadProgram)?;
    let segment = segment_of(q)?;
    let m = s.store.empathy_map(p.org.id, tp, segment, Some(v)).await?.ok_or(AppError::NotFound)?;
    Ok(Json(EmpathyMapView::of(tp, segment, Some(m))))
}

/// The touchpoint's latest comments (at most 20), each with the quadrant
/// its tone suggests (negative: pains, positive: gains).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmpathySuggestions {
    pub touchpoint_id: Id,
    pub suggestions: Vec<Suggestion>,
}

#[utoipa::path(get, path = "/api/v1/touchpoints/{touchpoint_id}/empathy/suggestions", tag = "empathy",
    operation_id = "empathy_suggestions", params(("touchpoint_id" = i64, Path)),
    responses((status = 200, body = EmpathySuggestions), (status = 403), (status = 404)))]
async fn suggestions(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(tp): ApiPath<Id>,
) -> Result<Json<EmpathySuggestions>, AppError> {
    p.require(Permission::ReadProgram)?;
    let suggestions = suggestions_of(s.store.as_ref(), p.org.id, tp).await?;
    Ok(Json(EmpathySuggestions { touchpoint_id: tp, suggestions }))
}

pub(crate) async fn suggestions_of(store: &dyn Store, org: Id, tp: Id) -> Result<Vec<Suggestion>, AppError> {
    Ok(store.empathy_suggestions(org, tp).await?)
}
