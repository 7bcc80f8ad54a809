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

#[cfg(test)]
mod tests {
    use crate::web::test_support::{session, TestApp};
    use rapport_core::org::NewOrganization;
    use rapport_core::role::Role;

    #[tokio::test]
    async fn an_empty_organization_has_nothing_to_cover_not_full_coverage() {
        let t = TestApp::new().await;
        let empty = t.store.create_org(&NewOrganization::parse("empty", "Empty Co").unwrap()).await.unwrap();
        let cookie = session(t.store.as_ref(), empty.id, "admin@empty.test", Role::Admin).await;
        let en = t.get("/coverage?lang=en", &cookie).await;
        assert!(en.body.contains("Nothing to cover yet"), "{}", en.body);
        assert!(!en.body.contains("Everything has an active accountable person"), "{}", en.body);
        assert!(en.body.contains("id=\"coverage-percent\">—<"), "no 100% with 0 of 0");
        let es = t.get("/coverage?lang=es", &cookie).await;
        assert!(es.body.contains("Aún no hay nada que cubrir"), "{}", es.body);
        // The seeded organization has something to cover: its percentage.
        let seeded = t.get("/coverage?lang=en", &t.admin).await;
        assert!(!seeded.body.contains("Nothing to cover yet"));
        assert!(seeded.body.contains("id=\"coverage-percent\">"));
    }
}
