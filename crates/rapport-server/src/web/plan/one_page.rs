//! The one-page plan of an experience (A9), to share or print: customer,
//! goal, key interactions and their owners, and the intent criteria that
//! apply to it, and each key interaction's pains and gains (A6). The plan is assembled by the API's `build_plan`, so the page
//! and `/api/v1/experiences/{id}/plan` always agree. Both read the read
//! store (the read replica, if any).

use crate::api::plan::build_plan;
use crate::measure::monitor;
use crate::state::AppState;
use crate::web::intent::criteria_views;
use crate::web::view::OwnerView;
use crate::web::{Page, WebPath, WebResult};
use axum::routing::get;
use axum::Router;
use chrono::Utc;
use minijinja::context;
use rapport_core::intent::Scope;
use rapport_core::role::Permission;
use rapport_core::Id;

pub fn routes() -> Router<AppState> {
    Router::new().route("/experiences/{id}/plan", get(plan))
}

async fn plan(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let plan = build_plan(page.read_store(), page.org(), id).await?;
    let interactions: Vec<_> = plan
        .interactions
        .iter()
        .map(|i| {
            context! {
                position => i.position,
                name => &i.touchpoint.name,
                channel => &i.touchpoint.channel,
                department => &i.touchpoint.department,
                stage => i.stage.as_ref().map(|s| &s.name),
                owner => OwnerView::of(i.owner.as_ref()),
            }
        })
        .collect();
    // Each key interaction's empathy map in brief (A6): pains and gains.
    let empathy: Vec<_> = plan
        .interactions
        .iter()
        .filter_map(|i| {
            let e = i.empathy.as_ref()?;
            Some(context! {
                id => i.touchpoint.id, name => &i.touchpoint.name, pains => &e.pains, gains => &e.gains,
                entries => e.entries, with_evidence => e.with_evidence,
            })
        })
        .collect();
    let unmapped: Vec<_> = plan
        .interactions
        .iter()
        .filter(|i| i.empathy.is_none())
        .map(|i| context! { id => i.touchpoint.id, name => &i.touchpoint.name })
        .collect();
    // The criteria concern this experience or its touchpoints only.
    let scope_name = |s: &Scope| match *s {
        Scope::Organization => None,
        Scope::Experience(_) => Some(plan.experience.name.clone()),
        Scope::Touchpoint(t) => {
            plan.interactions.iter().find(|i| i.touchpoint.id == t).map(|i| i.touchpoint.name.clone())
        }
    };
    let states = monitor::check_on(page.read_store(), page.store(), page.org()).await?;
    let criteria = plan.intent.as_ref().map(|i| criteria_views(&i.criteria, &states, scope_name)).unwrap_or_default();
    page.render(
        "experiences/plan.html",
        context! {
            mission => &page.p.org.mission,
            experience => &plan.experience,
            leader => OwnerView::of(plan.leader.as_ref()),
            segments => plan.segments.iter().map(|s| &s.name).collect::<Vec<_>>(),
            interactions => interactions,
            empathy => empathy,
            unmapped => unmapped,
            intent => &plan.intent,
            criteria => criteria,
            printed_on => Utc::now().date_naive().to_string(),
        },
    )
}
