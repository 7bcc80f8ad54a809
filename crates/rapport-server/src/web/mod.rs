//! The server-rendered web UI (being written).

pub mod templates;

use crate::state::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
}
