//! The API of listening (B): survey distribution.

pub mod distribution;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(distribution::routes())
}
