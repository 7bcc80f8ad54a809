//! B1/B2. Survey distribution pages: invitation waves, their response
//! rates, triggered surveys, the unsubscribe page.

use crate::state::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
}
