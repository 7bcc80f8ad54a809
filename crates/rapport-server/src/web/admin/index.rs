//! `/admin`: the administration sections in one place.

use crate::state::AppState;
use crate::web::ctx::Page;
use crate::web::WebResult;
use axum::routing::get;
use axum::Router;
use minijinja::context;
use rapport_core::role::Permission;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin", get(show))
}

async fn show(page: Page) -> WebResult {
    page.require(Permission::ManageAccounts)?;
    page.render("admin/index.html", context! {})
}
