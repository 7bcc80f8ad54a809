//! The API of acting on feedback (D): cases as conversations.

mod case_inbound;
pub(crate) mod conversations;
pub(crate) mod reply;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(conversations::routes())
}
