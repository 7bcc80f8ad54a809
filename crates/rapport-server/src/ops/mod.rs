//! Operability routes: `/healthz`, `/metrics` and the OpenAPI document.

pub mod metrics;
pub mod query_time;
pub mod request_id;

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;

/// `with_metrics`: whether `/metrics` is served here (not when it has its
/// own listener).
pub fn router(openapi: Arc<utoipa::openapi::OpenApi>, with_metrics: bool) -> Router<AppState> {
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/api/openapi.json", get(move || async move { Json(openapi.as_ref().clone()) }));
    if with_metrics {
        router.merge(metrics::router())
    } else {
        router
    }
}

/// 200 when the database answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let backend = state.store.backend();
    match state.store.ping().await {
        Ok(()) => {
            (StatusCode::OK, Json(json!({"status": "ok", "database": backend, "version": env!("CARGO_PKG_VERSION")})))
        }
        Err(e) => {
            tracing::error!(error = %crate::error::chain(&e), "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "unavailable", "database": backend})))
        }
    }
}
