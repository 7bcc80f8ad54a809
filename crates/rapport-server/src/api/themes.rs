//! Themes (C6): the admin's list of what customers talk about (a name and
//! keywords per language, matched on word stems), and the theme table of a
//! period: how often comments mentioned each, their mean sentiment, and the
//! change against the period before (from `theme_days`, kept at write time).
//! A new or edited theme applies to comments from then on, and to older ones
//! after `rapport text rebuild`.

use super::extract::{ApiJson, ApiPath};
use super::feedback::parse_int;
use super::page::{name_key, Listed, PageParams, Paging};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{Duration, NaiveDate, Utc};
use rapport_core::lang::Lang;
use rapport_core::role::Permission;
use rapport_core::text::key_phrases::{key_phrases, Comment, KeyPhrase};
use rapport_core::text::theme_stats::{rank, Mentions, ThemeStat};
use rapport_core::text::{ThemeDef, ThemeDraft};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::{FeedbackFilter, Store, TextFilter};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Themes an organization may define: a theme table stays one screen.
pub const MAX_THEMES: usize = 200;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(update, delete)).routes(routes!(report))
}

/// Themes by name, a page at a time.
#[utoipa::path(get, path = "/api/v1/themes", tag = "feedback", operation_id = "list_themes", params(PageParams),
    responses((status = 200, body = [ThemeDef]), (status = 422, description = "`limit` or `after` is invalid")))]
async fn list(
    State(s): State<AppState>,
    p: Principal,
    paging: Result<Paging, AppError>,
) -> Result<Listed<ThemeDef>, AppError> {
    p.require(Permission::ReadProgram)?;
    paging?.slice("themes", s.store.list_themes(p.org.id).await?, |x| name_key(&x.name, x.id))
}

/// A new theme (at most 200); it applies to comments from now on.
#[utoipa::path(post, path = "/api/v1/themes", tag = "feedback", operation_id = "create_theme", request_body = ThemeDraft,
    responses((status = 201, body = ThemeDef), (status = 409, description = "the name is taken, or 200 themes exist"), (status = 422)))]
async fn create(
    State(s): State<AppState>,
    p: Principal,
    ApiJson(d): ApiJson<ThemeDraft>,
) -> Result<(StatusCode, Json<ThemeDef>), AppError> {
    p.require(Permission::EditPlan)?;
    let input = d.validate()?;
    if s.store.list_themes(p.org.id).await?.len() >= MAX_THEMES {
        return Err(
            rapport_store::StoreError::conflict("name", "too_many", "an organization has at most 200 themes").into()
        );
    }
    Ok((StatusCode::CREATED, Json(s.store.create_theme(p.org.id, &input).await?)))
}

#[utoipa::path(put, path = "/api/v1/themes/{id}", tag = "feedback", operation_id = "update_theme",
    params(("id" = i64, Path)), request_body = ThemeDraft,
    responses((status = 200, body = ThemeDef), (status = 404), (status = 409), (status = 422)))]
async fn update(
    State(s): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<Id>,
    ApiJson(d): ApiJson<ThemeDraft>,
) -> Result<Json<ThemeDef>, AppError> {
    p.require(Permission::EditPlan)?;
    if !s.store.list_themes(p.org.id).await?.iter().any(|t| t.id == id) {
        return Err(AppError::NotFound);
    }
    let input = d.validate()?;
    Ok(Json(s.store.update_theme(p.org.id, id, &input).await?))
}

/// Deletes a theme with its mentions.
#[utoipa::path(delete, path = "/api/v1/themes/{id}", tag = "feedback", operation_id = "delete_theme",
    params(("id" = i64, Path)), responses((status = 204), (status = 404)))]
async fn delete(State(s): State<AppState>, p: Principal, ApiPath(id): ApiPath<Id>) -> Result<StatusCode, AppError> {
    p.require(Permission::EditPlan)?;
    s.store.delete_theme(p.org.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// One touchpoint's comments; all when absent.
    touchpoint: Option<String>,
    /// First day (YYYY-MM-DD, UTC); default 29 days before `to`.
    from: Option<String>,
    /// Last day, included; default today.
    to: Option<String>,
}

/// The theme table of a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThemeReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The period compared with: as long, ending the day before `from`.
    pub previous_from: NaiveDate,
    /// Every theme, most mentioned first.
    pub themes: Vec<ThemeStat>,
    /// Phrases the period's comments use most, found rather than defined
    /// (found in its newest 500 comments of each language, counted in its
    /// newest 2,000 and the period before's).
    pub phrases: Vec<KeyPhrase>,
}

/// Comments of each period read for its key phrases: the newest, a bound
/// that keeps the report's cost flat at any size.
pub const PHRASE_SAMPLE: i64 = 2_000;

/// Key phrases in the report.
const PHRASES: usize = 15;

/// How often comments mentioned each theme over a period, their mean
/// sentiment, and the change against the period before.
#[utoipa::path(get, path = "/api/v1/text/themes", tag = "feedback", operation_id = "theme_report", params(ReportParams),
    responses((status = 200, body = ThemeReport), (status = 422, description = "a date or the touchpoint is invalid")))]
async fn report(
    State(s): State<AppState>,
    p: Principal,
    q: Result<Query<ReportParams>, QueryRejection>,
) -> Result<Json<ThemeReport>, AppError> {
    p.require(Permission::ReadProgram)?;
    let Query(q) = q.map_err(super::extract::bad_query)?;
    let mut e = FieldErrors::new();
    let touchpoint = parse_int(&mut e, "touchpoint", q.touchpoint.as_deref(), 1..=i64::MAX);
    let mut day = |field: &str, v: &Option<String>| match v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map_err(|_| e.add(field, "invalid", "must be a date YYYY-MM-DD"))
            .ok(),
    };
    let to = day("to", &q.to).unwrap_or_else(|| Utc::now().date_naive());
    let from = day("from", &q.from).unwrap_or(to - Duration::days(29));
    if from > to {
        e.add("from", "after_to", "must not be after `to`");
    } else if (to - from).num_days() > 3660 {
        e.add("from", "too_long", "the period may span at most ten years");
    }
    e.into_result(())?;
    let mut report = theme_report(s.reads(), p.org.id, touchpoint, from, to).await?;
    report.phrases = key_phrase_report(s.reads(), p.org.id, touchpoint, from, to).await?;
    Ok(Json(report))
}

/// The newest commented responses of `from..=to` (at most [`PHRASE_SAMPLE`]).
async fn sample(
    store: &dyn Store,
    org: Id,
    touchpoint: Option<Id>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(String, Lang, f64)>, AppError> {
    let day = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let f = FeedbackFilter {
        touchpoint,
        from: Some(day(from)),
        to: Some(day(to + Duration::days(1))),
        limit: PHRASE_SAMPLE,
        count_at_most: Some(0),
        text: TextFilter { has_comment: true, ..Default::default() },
        ..Default::default()
    };
    let page = store.list_responses(org, &f).await?;
    Ok(page
        .items
        .into_iter()
        .filter_map(|r| {
            let score = r.text.map_or(0.0, |t| t.score);
            Some((r.comment?, r.language.unwrap_or_default(), score))
        })
        .collect())
}

fn as_comments(list: &[(String, Lang, f64)]) -> Vec<Comment<'_>> {
    list.iter().map(|(text, language, score)| Comment { text, language: *language, score: *score }).collect()
}

/// The key phrases of `from..=to` against the period of the same length
/// before, found on a blocking thread (YAKE is CPU work).
pub async fn key_phrase_report(
    store: &dyn Store,
    org: Id,
    touchpoint: Option<Id>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<KeyPhrase>, AppError> {
    let previous_from = from - (to + Duration::days(1) - from);
    let (now, before) = tokio::try_join!(
        sample(store, org, touchpoint, from, to),
        sample(store, org, touchpoint, previous_from, from - Duration::days(1)),
    )?;
    let found = tokio::task::spawn_blocking(move || key_phrases(&as_comments(&now), &as_comments(&before), PHRASES))
        .await
        .map_err(|e| AppError::Internal(Box::new(e)))?;
    Ok(found)
}

/// The theme table over `from..=to` (a touchpoint's, or everyone's), with
/// the period of the same length before.
pub async fn theme_report(
    store: &dyn Store,
    org: Id,
    touchpoint: Option<Id>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<ThemeReport, AppError> {
    let end = to + Duration::days(1);
    let previous_from = from - (end - from);
    let (themes, now, before) = tokio::try_join!(
        store.list_themes(org),
        store.theme_counts(org, touchpoint, from, end),
        store.theme_counts(org, touchpoint, previous_from, from),
    )?;
    let mentions = |counts: Vec<rapport_store::ThemeCount>| -> HashMap<Id, Mentions> {
        counts.into_iter().map(|c| (c.theme_id, Mentions { n: c.n, sentiment_sum: c.sentiment_sum })).collect()
    };
    let (now, before) = (mentions(now), mentions(before));
    let mut stats: Vec<ThemeStat> = themes
        .into_iter()
        .map(|t| {
            let m = |map: &HashMap<Id, Mentions>| map.get(&t.id).copied().unwrap_or_default();
            ThemeStat::of(t.id, t.name.clone(), m(&now), m(&before))
        })
        .collect();
    rank(&mut stats);
    Ok(ThemeReport { from, to, previous_from, themes: stats, phrases: Vec::new() })
}
