//! The API of the measure step's models (C5, C7, C8): refits, the at-risk
//! list and a customer's scores, key drivers per experience, and ROCE.
//! Reading needs `ReadProgram`; asking for a refit and setting the ROCE
//! inputs need `EditPlan` (leaders). Nothing here fits a model: each
//! answer reads what the last refit stored.

pub mod at_risk;
pub mod drivers;
pub mod refits;
pub mod roce;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(refits::routes()).merge(at_risk::routes()).merge(drivers::routes()).merge(roce::routes())
}
