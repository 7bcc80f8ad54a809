//! D1/D2. A case's conversation: replies by e-mail, the customer's
//! answers through the inbound endpoint, internal notes.

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
