//! The home page: why we exist, what we promise, and whether everything has
//! someone accountable.

use super::intent::criteria_views;
use super::view::Program;
use super::{Page, WebResult};
use crate::measure::monitor;
use crate::state::AppState;
use axum::routing::get;
use axum::Router;
use minijinja::context;
use rapport_core::coverage;
use rapport_core::role::Permission;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let program = Program::load(page.store(), page.org()).await?;
    let intent = page.store().current_intent(page.org()).await?;
    let coverage = coverage::compute(&program.experiences, &program.touchpoints, &program.people);
    let experiences: Vec<_> = program
        .experiences
        .iter()
        .map(|e| {
            context! {
                id => e.id,
                name => &e.name,
                goal => &e.goal,
                leader => program.owner(e.leader_id),
                interactions => e.interactions.len(),
            }
        })
        .collect();
    let today = chrono::Utc::now().date_naive();
    let idea = page.store().idea_of_the_day(page.org(), today).await?;
    let comms = page.store().list_comms(page.org()).await?;
    let due: Vec<_> = rapport_core::improve::due_on(&comms, today)
        .into_iter()
        .map(|i| context! { id => i.id, title => &i.title, audience => &i.audience })
        .collect();
    let unacknowledged = super::improve::unacknowledged(&page).await?;
    let states = monitor::check(page.store(), page.org()).await?;
    let criteria =
        intent.as_ref().map(|i| criteria_views(&i.criteria, &states, |s| program.scope_name(s))).unwrap_or_default();
    page.render(
        "home.html",
        context! {
            mission => &page.p.org.mission,
            intent => intent,
            criteria => criteria,
            coverage => coverage,
            experiences => experiences,
            idea => idea.map(|i| context! { id => i.id, title => i.title, votes => i.votes }),
            comms_due => due,
            unacknowledged => unacknowledged,
        },
    )
}
