//! Text analytics for integrators (C6): `POST /api/v1/text/analyze` runs the
//! same analyser as ingestion on any text, and the feedback lists' text
//! filters (`sentiment`, `flag`, ...) are read here.

use super::extract::ApiJson;
use super::feedback::{parse_int, FeedbackQuery};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;
use axum::Json;
use rapport_core::lang::Lang;
use rapport_core::measure::band::Band;
use rapport_core::role::Permission;
use rapport_core::text::{self, Analysis, FlagKind, Sentiment};
use rapport_core::validate::FieldErrors;
use rapport_store::TextFilter;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(analyze))
}

/// The longest text the endpoint analyses, in characters (a comment holds
/// at most 10,000).
pub const ANALYZE_MAX_CHARS: usize = 100_000;

#[derive(Debug, Deserialize, ToSchema)]
pub struct AnalyzeRequest {
    /// At most 100,000 characters.
    pub text: String,
    /// The text's language; detected when absent.
    pub language: Option<Lang>,
}

/// Analyse a text: its language, sentiment (whole and per sentence) and
/// flags (WOW moments, anger), as ingestion stores them for comments.
#[utoipa::path(post, path = "/api/v1/text/analyze", tag = "feedback", operation_id = "analyze_text",
    request_body = AnalyzeRequest,
    responses((status = 200, body = Analysis), (status = 422, description = "`text` is missing, too long or holds NUL characters")))]
async fn analyze(p: Principal, ApiJson(req): ApiJson<AnalyzeRequest>) -> Result<Json<Analysis>, AppError> {
    p.require(Permission::ReadProgram)?;
    let mut e = FieldErrors::new();
    if req.text.chars().count() > ANALYZE_MAX_CHARS {
        e.add("text", "too_long", format!("must be at most {ANALYZE_MAX_CHARS} characters"));
    } else if req.text.contains('\0') {
        e.add("text", "invalid", "must not contain NUL characters");
    }
    e.into_result(())?;
    Ok(Json(text::analyze(&req.text, req.language)))
}

/// The response lists' text conditions from the query, errors named by
/// parameter.
pub(super) fn text_filter(e: &mut FieldErrors, q: &FeedbackQuery) -> TextFilter {
    let sentiment =
        choice(e, "sentiment", q.sentiment.as_deref(), Sentiment::parse, "negative, neutral, positive or mixed");
    let flag = choice(e, "flag", q.flag.as_deref(), FlagKind::parse, "wow or anger");
    let band = choice(
        e,
        "band",
        q.band.as_deref(),
        Band::parse,
        "detractor, passive, promoter, csat_low, csat_neutral or csat_high",
    );
    let language = choice(e, "language", q.language.as_deref(), Lang::parse, "en or es");
    let has_comment = choice(e, "has_comment", q.has_comment.as_deref(), parse_bool, "true or false");
    let channel = q.channel.as_deref().map(str::trim).filter(|c| !c.is_empty());
    if channel.is_some_and(|c| c.chars().count() > 40) {
        e.add("channel", "too_long", "must be at most 40 characters");
    }
    let search = q.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    if search.is_some_and(|q| q.chars().count() > text::search::QUERY_MAX) {
        e.add("q", "too_long", format!("must be at most {} characters", text::search::QUERY_MAX));
    } else if search.is_some_and(|q| q.contains('\0')) {
        e.add("q", "invalid", "must not contain NUL characters");
    }
    TextFilter {
        theme: parse_int(e, "theme", q.theme.as_deref(), 1..=i64::MAX),
        experience: parse_int(e, "experience", q.experience.as_deref(), 1..=i64::MAX),
        segment: parse_int(e, "segment", q.segment.as_deref(), 1..=i64::MAX),
        band,
        sentiment,
        flag,
        has_comment: has_comment.unwrap_or(false),
        language,
        channel: channel.map(String::from),
        search: search.map(String::from),
    }
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// A parameter that must be one of a few words; empty means absent.
fn choice<T>(
    e: &mut FieldErrors,
    field: &str,
    v: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
    allowed: &str,
) -> Option<T> {
    let v = v.map(str::trim).filter(|v| !v.is_empty())?;
    let parsed = parse(v);
    if parsed.is_none() {
        e.add(field, "invalid_choice", format!("must be {allowed}"));
    }
    parsed
}
