//! Review: the 20-question diagnostic (F2) and gap analysis (F3).

mod diagnostic;
mod gaps;

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new().merge(diagnostic::routes()).merge(gaps::routes())
}
