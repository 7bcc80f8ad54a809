//! Rapport's HTTP server: the JSON API under `/api/v1` (with its OpenAPI
//! document at `/api/openapi.json`) and the server-rendered web UI.
//!
//! Handlers are thin: parse (extractors), authorize (`Principal::require`),
//! validate (`rapport-core`), call the store, render (JSON or a template).

pub mod api;
pub mod auth;
pub mod connections;
pub mod csv;
pub mod encode;
pub mod error;
pub mod escalate;
pub mod i18n;
pub mod ingest;
pub mod invite;
pub mod measure;
pub mod model;
pub mod notify;
pub mod ops;
pub mod passwords;
pub mod purge;
pub mod response_csv;
pub mod startup;
pub mod state;
pub mod storage;
pub mod web;

pub use error::AppError;
pub use startup::{Application, Settings, StartError};
pub use state::{AppState, Config, DemoHint, SmtpConfig};

use axum::http::{header, HeaderValue};
use axum::Router;
use std::time::Duration;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// The whole application: API, OpenAPI document, web UI, health and assets.
/// To run it as `rapport serve` does (store, background tasks, peer
/// addresses), use [`Application`].
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api::router();
    let openapi = std::sync::Arc::new(openapi);
    let secure = state.config.secure_cookies;
    let app = Router::new()
        // A session cookie authenticates an API write only from Rapport's
        // own pages (see `auth::origin`).
        .merge(
            api.layer(axum::middleware::from_fn(auth::origin::guard_api_writes))
                // `?format=csv` on any list (`api::export`).
                .layer(axum::middleware::from_fn(api::export::csv_lists)),
        )
        .merge(ops::router(openapi, !state.config.metrics_elsewhere))
        .merge(web::router(state.clone()))
        // Applied to every route, after routing: the route template is known.
        .layer(axum::middleware::from_fn(ops::metrics::track))
        .layer(TraceLayer::new_for_http().make_span_with(ops::request_id::span))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .with_state(state);
    ops::metrics::handle();
    let app = ops::request_id::layer(app);
    security_headers(app, secure)
}

/// What browsers may load and run on Rapport's pages: only its own scripts,
/// styles, images and connections, no plugins, forms posting only to
/// itself, and no framing by any site (but a survey's page embedded with
/// `?embed=1`, and the builder's preview framed by Rapport itself, which
/// set their own `frame-ancestors`: `web/survey_public`). The templates keep no inline script,
/// style or event handler, so nothing needs 'unsafe-inline', a hash or a
/// nonce.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// Security headers on every response (pages, API, assets, errors), unless
/// a handler set its own; HSTS only behind HTTPS (`--secure-cookies`).
fn security_headers(app: Router, https: bool) -> Router {
    let set = |name, value: &'static str| SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value));
    let app = app
        .layer(set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        // X-Frame-Options cannot allow every site: a page whose own policy
        // lets any site frame it (an embedded survey) goes without it.
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, |res: &axum::response::Response| {
            let csp = res.headers().get(header::CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok());
            (!csp.is_some_and(|c| c.contains("frame-ancestors *"))).then(|| HeaderValue::from_static("DENY"))
        }))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "same-origin"));
    if https {
        app.layer(set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"))
    } else {
        app
    }
}
