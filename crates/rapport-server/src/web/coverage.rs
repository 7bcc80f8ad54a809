//! Ownership coverage (A2): the share of experiences and touchpoints with an
//! active accountable person, and the gaps to close.

use super::view::Program;
use super::{Page, WebResult};
use crate::state::AppState;
use axum::routing::get;
use axum::Router;
use minijinja::context;
use rapport_core::coverage;
use rapport_core::role::Permission;

pub fn routes() -> Router<AppState> {
    Router::new().route("/coverage", get(show))
}

async fn show(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let program = Program::load(page.store(), page.org()).await?;
    let coverage = coverage::compute(&program.experiences, &program.touchpoints, &program.people);
    page.render("coverage.html", context! { coverage => coverage })
}
