//! E5. Contact-centre staffing (Erlang C).

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
