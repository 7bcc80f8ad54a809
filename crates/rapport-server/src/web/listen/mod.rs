//! Pages of listening (B): survey distribution.

mod distribution;

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().merge(distribution::routes())
}
