//! The escalation clock. Every [`EVERY`], each server asks the store to
//! record the response-time promises broken by now; the store does each
//! once (under the organization's lock), escalates a case's first breach to
//! its experience leader, and publishes it (SSE, outbox). Servers sharing a
//! database may all run it: a breach found by one is skipped by the others.

use crate::state::AppState;
use chrono::{DateTime, SubsecRound, Utc};
use rapport_store::Escalation;
use std::time::Duration;

pub const EVERY: Duration = Duration::from_secs(30);

pub async fn run(state: AppState) {
    loop {
        crate::ops::metrics::job("escalation", tick(&state, Utc::now())).await;
        tokio::time::sleep(EVERY).await;
    }
}

/// One round as of `now` (tests pass a later clock).
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> Vec<Escalation> {
    match state.store.escalate_overdue(now.trunc_subsecs(6)).await {
        Ok(done) => {
            for e in &done {
                tracing::info!(
                    org = e.org,
                    case = e.case,
                    breach = e.breach.key(),
                    escalated_to = e.escalated_to,
                    "promise broken"
                );
            }
            if !done.is_empty() {
                state.outbox_wake.notify_one();
            }
            done
        }
        Err(e) => {
            tracing::warn!(error = %crate::error::chain(&e), "escalation round failed");
            Vec::new()
        }
    }
}
