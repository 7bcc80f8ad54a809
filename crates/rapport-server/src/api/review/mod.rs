//! Review: the 20-question diagnostic (F2) and gap analysis (F3).

pub(crate) mod diagnostic;
pub(crate) mod gaps;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(diagnostic::routes()).merge(gaps::routes())
}
