//! The feedback inbox (C6): every response with its answers and comment,
//! filtered by where it came from, who sent it and what the text says
//! (sentiment, WOW moments, anger), newest first a page at a time; one
//! response with its comment marked sentence by sentence, and a case opened
//! from it.
//!
//! Reading needs `ReadProgram`; opening a case `WorkCases`. The filters are
//! the API's (`GET /api/v1/responses`), read by the same code.

mod export;
mod inbox;
mod moments;
mod recognise;
mod response;
mod themes;

pub(super) use moments::moments;
#[cfg(test)]
mod tests;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feedback", get(inbox::list))
        .route("/feedback/export.csv", get(export::csv))
        .route("/feedback/themes", get(themes::list).post(themes::create))
        .route("/feedback/themes/{id}", post(themes::update))
        .route("/feedback/themes/{id}/delete", post(themes::delete))
        .route("/feedback/{id}", get(response::show))
        .route("/feedback/{id}/case", post(response::open_case))
        .route("/feedback/{id}/recognise", post(recognise::recognise))
        .route("/feedback/{id}/tags", post(response::tag))
}
