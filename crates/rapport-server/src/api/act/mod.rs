//! The API of acting on feedback (D): cases as conversations.

mod conversations;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(conversations::routes())
}
