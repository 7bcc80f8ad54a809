//! Model refits in the background (C5, C7, C8). Pages never fit a model:
//! they read what the last refit stored.
//!
//! Every server runs [`run`]: each [`POLL`] (or at once when a person asks
//! for a refit) it queues the daily refit of organizations that have not
//! had one for [`EVERY_DAY`], then claims one queued run under a lease and
//! works it through ([`refit`]), renewing the lease with its progress. One
//! run per organization at a time across servers (the store's unique
//! index); a server that dies mid-run leaves a lease that lapses, and
//! another server starts the run again.

mod drivers;
pub mod history;
mod refit;
mod value;

pub use drivers::{behaviour_of, DriverAnalysis, TOUCHPOINTS_NPS, TOUCHPOINTS_REPEAT};
pub use refit::{Summary, HORIZON_DAYS, PERIOD_DAYS};

use crate::state::AppState;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use rapport_store::{ModelRun, RunStatus};
use std::time::Duration as StdDuration;

/// How often a server looks for work when nobody asks.
pub const POLL: StdDuration = StdDuration::from_secs(30);
/// How long a claimed run is a server's without news from it.
pub const LEASE_MINUTES: i64 = 5;
/// How old the last refit may be before the schedule queues another.
pub const EVERY_DAY: i64 = 24;

pub async fn run(state: AppState) {
    loop {
        tick(&state, Utc::now()).await;
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = state.refit_wake.notified() => {}
        }
    }
}

/// One round as of `now`: the schedule, then at most one run. Returns the
/// id of the run worked, if any (tests drive it directly).
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> Option<rapport_core::Id> {
    let now = now.trunc_subsecs(6);
    if state.config.no_refit_schedule {
        // Only runs people asked for.
    } else if let Err(e) = schedule(state, now).await {
        tracing::warn!(error = %crate::error::chain(&e), "refit schedule failed");
    }
    let run = match state.store.claim_refit(now, now + Duration::minutes(LEASE_MINUTES)).await {
        Ok(Some(run)) => run,
        Ok(None) => return None,
        Err(e) => {
            tracing::warn!(error = %crate::error::chain(&e), "claiming a refit failed");
            return None;
        }
    };
    let id = run.id;
    crate::ops::metrics::job("refit", refit::work(state, run)).await;
    Some(id)
}

/// Queues a refit of `org` (or takes the one queued or running) and works
/// runs here until it has finished: `rapport model refit`, and the demo.
pub async fn refit_now(state: &AppState, org: rapport_core::Id, by: &str) -> rapport_store::Result<ModelRun> {
    let run = state.store.request_refit(org, by, Utc::now().trunc_subsecs(6)).await?;
    loop {
        let now = Utc::now().trunc_subsecs(6);
        if let Some(claimed) = state.store.claim_refit(now, now + Duration::minutes(LEASE_MINUTES)).await? {
            refit::work(state, claimed).await;
        }
        let runs = state.store.list_refits(org, 20).await?;
        match runs.into_iter().find(|r| r.id == run.id) {
            Some(r) if matches!(r.status, RunStatus::Done | RunStatus::Failed) => return Ok(r),
            // Another server holds it: wait for it.
            _ => tokio::time::sleep(StdDuration::from_millis(500)).await,
        }
    }
}

async fn schedule(state: &AppState, now: DateTime<Utc>) -> rapport_store::Result<()> {
    for org in state.store.orgs_due_refit(now - Duration::hours(EVERY_DAY)).await? {
        state.store.request_refit(org, "schedule", now).await?;
    }
    Ok(())
}
