//! Rapport's HTTP server: the JSON API under `/api/v1` (with its OpenAPI
//! document at `/api/openapi.json`) and the server-rendered web UI.
//!
//! Handlers are thin: parse (extractors), authorize (`Principal::require`),
//! validate (`rapport-core`), call the store, render (JSON or a template).

pub mod api;
pub mod auth;
pub mod encode;
pub mod error;
pub mod escalate;
pub mod i18n;
pub mod ingest;
pub mod measure;
pub mod notify;
mod ops;
pub mod startup;
pub mod state;
pub mod storage;
pub mod web;

pub use error::AppError;
pub use startup::{Application, Settings, StartError};
pub use state::{AppState, Config, DemoHint, SmtpConfig};

use axum::Router;
use std::time::Duration;
use tower_http::trace::TraceLayer;

/// The whole application: API, OpenAPI document, web UI, health and assets.
/// To run it as `rapport serve` does (store, background tasks, peer
/// addresses), use [`Application`].
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api::router();
    let openapi = std::sync::Arc::new(openapi);
    Router::new()
        .merge(api)
        .merge(ops::router(openapi))
        .merge(web::router(state.clone()))
        .layer(TraceLayer::new_for_http())
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .with_state(state)
}
