//! Rapport's HTTP server: the JSON API under `/api/v1` (with its OpenAPI
//! document at `/api/openapi.json`) and the server-rendered web UI.
//!
//! Handlers are thin: parse (extractors), authorize (`Principal::require`),
//! validate (`rapport-core`), call the store, render (JSON or a template).

pub mod api;
pub mod auth;
pub mod error;
pub mod escalate;
pub mod i18n;
pub mod ingest;
pub mod measure;
pub mod notify;
mod ops;
pub mod state;
pub mod storage;
pub mod web;

pub use error::AppError;
pub use state::{AppState, Config, DemoHint, SmtpConfig};

use axum::Router;
use std::time::Duration;
use tower_http::trace::TraceLayer;

/// The whole application: API, OpenAPI document, web UI, health and assets.
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

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    let monitor = tokio::spawn(measure::monitor::run(state.store.clone()));
    let _stop_monitor = AbortOnDrop(monitor);
    let dispatcher = tokio::spawn(notify::dispatcher::run(state.clone()));
    let _stop_dispatcher = AbortOnDrop(dispatcher);
    let escalator = tokio::spawn(escalate::run(state.clone()));
    let _stop_escalator = AbortOnDrop(escalator);
    axum::serve(listener, app(state).into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}

/// Stops a background task when the server stops.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}
