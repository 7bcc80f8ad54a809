//! `GET /surveys/{id}/answers.csv`: a survey's answers as one table, as the
//! API gives it (`api/survey_answers.rs`), for a signed-in person.

use super::{Page, WebPath, WebResult};
use crate::state::AppState;
use axum::routing::get;
use axum::Router;
use rapport_core::role::Permission;
use rapport_core::Id;

pub fn routes() -> Router<AppState> {
    Router::new().route("/surveys/{id}/answers.csv", get(answers_csv))
}

async fn answers_csv(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.state.read_store.clone();
    let survey = store.get_survey(page.org(), id).await?;
    Ok(crate::response_csv::survey_answers(store, page.org(), survey))
}
