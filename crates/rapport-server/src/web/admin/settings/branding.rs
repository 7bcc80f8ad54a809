//! The branding public survey pages load, by organization slug, without
//! signing in (the pages are public): `/branding/{slug}/logo`, the logo as
//! stored; `/branding/{slug}/theme.css`, the accent colour and its shades
//! as CSS custom properties of `.survey-body` (the CSP allows no inline
//! style, so the colour travels as a stylesheet); `/branding/{slug}/accent.svg`,
//! a swatch of white text on the accent for the settings page.
//!
//! Caching: pages link these with `?v=` the current version (the logo's
//! digest prefix, the colour's hex), and such a URL is cached for a year
//! (`immutable`): a change makes a new URL. Any other `v` is answered with
//! what is current and cached five minutes. The logo carries an `ETag`;
//! everything `X-Content-Type-Options: nosniff`, so a browser never reads
//! an image as anything else.

use crate::error::AppError;
use crate::state::AppState;
use crate::web::{WebError, WebPath, WebResult};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use rapport_core::branding::Accent;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/branding/{slug}/logo", get(logo))
        .route("/branding/{slug}/theme.css", get(theme))
        .route("/branding/{slug}/accent.svg", get(swatch))
}

#[derive(Deserialize)]
struct Version {
    v: Option<String>,
}

/// A year for a URL naming the current version, five minutes otherwise.
fn cache_control(asked: Option<&str>, current: &str) -> &'static str {
    if asked == Some(current) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    }
}

async fn logo(
    State(state): State<AppState>,
    WebPath(slug): WebPath<String>,
    Query(q): Query<Version>,
    headers: HeaderMap,
) -> WebResult {
    let logo = state.store.logo_by_slug(&slug).await?.ok_or(WebError(AppError::NotFound))?;
    let etag = format!("\"{}\"", logo.version);
    let cache = cache_control(q.v.as_deref(), &logo.version);
    let common = [
        (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        (header::ETAG, HeaderValue::from_str(&etag).map_err(|e| AppError::Internal(Box::new(e)))?),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    // Only what the upload checked is stored; anything else is not served as an image.
    let kind = rapport_core::branding::LogoKind::from_content_type(&logo.content_type)
        .ok_or_else(|| AppError::Internal(format!("stored logo type {:?}", logo.content_type).into()))?;
    Ok((common, [(header::CONTENT_TYPE, kind.content_type())], logo.bytes).into_response())
}

/// The accent of the organization with this slug, if it has one.
async fn accent_of(state: &AppState, slug: &str) -> Result<Option<Accent>, WebError> {
    let (_, settings) = state.store.settings_by_slug(slug).await?.ok_or(WebError(AppError::NotFound))?;
    Ok(settings.accent_colour.as_deref().and_then(|a| Accent::parse(a).ok()))
}

/// The stylesheet of the accent; empty without one (the pages keep
/// Rapport's colours).
pub fn theme_css(accent: Option<Accent>) -> String {
    match accent.map(Accent::shades) {
        None => "/* Rapport's own colours. */\n".to_string(),
        Some(s) => format!(
            ".survey-body {{ --primary: {}; --primary-dark: {}; --primary-soft: {}; }}\n",
            s.primary, s.dark, s.soft
        ),
    }
}

async fn theme(State(state): State<AppState>, WebPath(slug): WebPath<String>, Query(q): Query<Version>) -> WebResult {
    let accent = accent_of(&state, &slug).await?;
    let version = accent.map(|a| a.hex()[1..].to_string()).unwrap_or_default();
    let headers = [
        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
        (header::CACHE_CONTROL, cache_control(q.v.as_deref(), &version)),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    Ok((headers, theme_css(accent)).into_response())
}

/// A swatch of the accent with white text on it, drawn here from a checked
/// colour (no input reaches the markup but the six hex digits).
async fn swatch(State(state): State<AppState>, WebPath(slug): WebPath<String>, Query(q): Query<Version>) -> WebResult {
    let accent = accent_of(&state, &slug).await?.ok_or(WebError(AppError::NotFound))?;
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"96\" height=\"48\" viewBox=\"0 0 96 48\">\
         <rect width=\"96\" height=\"48\" rx=\"8\" fill=\"{}\"/>\
         <text x=\"48\" y=\"31\" font-family=\"sans-serif\" font-size=\"18\" font-weight=\"bold\" \
         text-anchor=\"middle\" fill=\"#ffffff\">Aa</text></svg>",
        accent.hex()
    );
    let headers = [
        (header::CONTENT_TYPE, "image/svg+xml"),
        (header::CACHE_CONTROL, cache_control(q.v.as_deref(), &accent.hex()[1..])),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    Ok((headers, svg).into_response())
}
