//! The measure step's "why and what it is worth" pages (C5, C7, C8): the
//! models hub (refits, back-test), the at-risk list, ROCE, and key drivers
//! per experience. Everything reads what the last refit stored; asking for
//! a refit queues one in the background.

mod at_risk;
mod drivers;
mod models;
pub(crate) mod risk;
mod roce;
#[cfg(test)]
mod tests;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/value", get(models::hub))
        .route("/value/refit", post(models::refit))
        .route("/value/at-risk", get(at_risk::list))
        .route("/value/at-risk.csv", get(at_risk::csv))
        .route("/value/roce", get(roce::show).post(roce::save))
        .route("/value/roce.csv", get(roce::csv))
        .route("/experiences/{id}/drivers", get(drivers::show))
        .route("/experiences/{id}/drivers.csv", get(drivers::csv))
}
