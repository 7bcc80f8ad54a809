//! Operability routes: `/healthz`, `/metrics` and the OpenAPI document.

pub mod metrics;
pub mod request_id;

use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::Arc;

pub fn router(openapi: Arc<utoipa::openapi::OpenApi>) -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::render))
        .route("/api/openapi.json", get(move || async move { Json(openapi.as_ref().clone()) }))
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
