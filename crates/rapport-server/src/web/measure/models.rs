//! The hub: the last refits with their progress, what the models found
//! (BG/NBD and Gamma-Gamma parameters, the churn model's back-test with
//! its calibration), and the button that asks for a refit.

use crate::web::{see_other, Page, WebResult};
use chrono::Utc;
use minijinja::context;
use rapport_core::role::Permission;
use rapport_store::RunStatus;

pub(super) async fn hub(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.read_store();
    let (runs, experiences) = tokio::try_join!(store.list_refits(page.org(), 10), store.list_experiences(page.org()))?;
    let last = runs.iter().find(|r| r.status == RunStatus::Done);
    let active = runs.iter().find(|r| matches!(r.status, RunStatus::Queued | RunStatus::Running));
    let summary = last.and_then(|r| r.summary.clone());
    page.render(
        "value/hub.html",
        context! {
            runs => runs.iter().map(|r| context! {
                id => r.id, status => r.status.key(), stage => &r.stage, progress => r.progress,
                requested_by => &r.requested_by, requested_at => r.requested_at.to_rfc3339(),
                finished_at => r.finished_at.map(|t| t.to_rfc3339()), error => &r.error,
            }).collect::<Vec<_>>(),
            active => active.is_some(),
            last_at => last.and_then(|r| r.finished_at).map(|t| t.to_rfc3339()),
            summary => summary,
            experiences => experiences.iter().map(|e| context! { id => e.id, name => &e.name }).collect::<Vec<_>>(),
        },
    )
}

pub(super) async fn refit(page: Page) -> WebResult {
    page.require(Permission::EditPlan)?;
    let run = page.store().request_refit(page.org(), &page.p.actor, Utc::now()).await?;
    if run.status == RunStatus::Queued {
        page.state.refit_wake.notify_one();
    }
    see_other("/value?ok=refit")
}
