//! A6. Empathy maps per touchpoint: the pages.

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
