//! Static assets, compiled into the binary: no CDN, nothing to ship beside it.

use crate::state::AppState;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

const CSS: &str = include_str!("../../assets/app.css");
const ICON: &str = include_str!("../../assets/icon.svg");
/// The dashboard's wall-screen mode: refreshes the tiles in place.
const WALL_JS: &str = include_str!("../../assets/wall.js");
/// The feedback inbox's "new responses" banner (the live stream).
const INBOX_JS: &str = include_str!("../../assets/inbox.js");
/// The top bar's unread count, kept current from the live stream.
const NOTIFICATIONS_JS: &str = include_str!("../../assets/notifications.js");
/// The menu's groups as drop-downs: one open at a time, closed by a click
/// elsewhere or Escape (the menu works without it).
const NAV_JS: &str = include_str!("../../assets/nav.js");
/// The one-page plan's print button (no inline scripts: see the CSP in `app()`).
const CONVERSATION_JS: &str = include_str!("../../assets/conversation.js");
const PRINT_JS: &str = include_str!("../../assets/print.js");
/// The public survey's slider values (the form works without it).
const SURVEY_JS: &str = include_str!("../../assets/survey.js");
/// The survey builder's live preview (the builder works without it).
const BUILDER_JS: &str = include_str!("../../assets/builder.js");

/// A day: long enough to spare requests, short enough that an upgrade shows.
const CACHE: &str = "public, max-age=86400";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/assets/app.css",
            get(|| async {
                ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, CACHE)], CSS)
            }),
        )
        .route("/assets/wall.js", get(|| async { script(WALL_JS) }))
        .route("/assets/inbox.js", get(|| async { script(INBOX_JS) }))
        .route("/assets/notifications.js", get(|| async { script(NOTIFICATIONS_JS) }))
        .route("/assets/nav.js", get(|| async { script(NAV_JS) }))
        .route("/assets/survey.js", get(|| async { script(SURVEY_JS) }))
        .route("/assets/print.js", get(|| async { script(PRINT_JS) }))
        .route("/assets/builder.js", get(|| async { script(BUILDER_JS) }))
        .route("/assets/conversation.js", get(|| async { script(CONVERSATION_JS) }))
        .route(
            "/assets/icon.svg",
            get(|| async { ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, CACHE)], ICON) }),
        )
        .route(
            "/favicon.ico",
            get(|| async { axum::response::Redirect::permanent("/assets/icon.svg").into_response() }),
        )
}

/// A script from the binary, cached like the stylesheet.
fn script(body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, CACHE)], body)
}

/// As [`css_version`], for `/assets/survey.js`.
pub fn survey_js_version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| version_of(SURVEY_JS))
}

/// Changes whenever the stylesheet does, so pages can link it as
/// `/assets/app.css?v=…` and browsers never keep a stale copy.
pub fn css_version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| version_of(CSS))
}

/// As [`css_version`], for `/assets/builder.js`.
pub fn builder_js_version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| version_of(BUILDER_JS))
}

/// As [`css_version`], for `/assets/wall.js`.
pub fn wall_js_version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| version_of(WALL_JS))
}

/// As [`css_version`], for `/assets/notifications.js`.
pub fn notifications_js_version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| version_of(NOTIFICATIONS_JS))
}

/// As [`css_version`], for `/assets/nav.js`.
pub fn nav_js_version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| version_of(NAV_JS))
}

/// As [`css_version`], for `/assets/inbox.js`.
pub fn inbox_js_version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| version_of(INBOX_JS))
}

/// As [`css_version`], for `/assets/conversation.js`.
pub fn conversation_js_version() -> &'static str {
    static V: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    V.get_or_init(|| version_of(CONVERSATION_JS))
}

fn version_of(text: &str) -> String {
    use sha2::Digest;
    hex::encode(&sha2::Sha256::digest(text.as_bytes())[..6])
}
