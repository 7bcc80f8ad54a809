//! The training pass (E1). Every [`EVERY`], each server:
//! - runs the assignment of every organization's modules, so that people
//!   who joined an audience since (a new person in a department, a new
//!   agent account, a new owner of a touchpoint) get the module, due
//!   `due_days` from then; saving a module and publishing an intent version
//!   assign at once, this pass catches the rest;
//! - sends each overdue assignment's person an e-mail through the outbox
//!   (`training.reminder`), in their account's language (English without
//!   one), at most once per assignment per `REMIND_EVERY_DAYS` days: the
//!   store records `reminded_at` in the transaction that enqueues the
//!   e-mail and re-checks it under the organization's lock, so servers
//!   sharing a database send it once.

use crate::state::AppState;
use chrono::{DateTime, Utc};
use rapport_core::people::training::pick;
use rapport_store::training::PendingReminder;
use serde_json::json;
use std::time::Duration;

pub const EVERY: Duration = Duration::from_secs(3600);

/// Reminders per round (the rest wait for the next).
const REMINDERS: i64 = 500;

pub async fn run(state: AppState) {
    loop {
        crate::ops::metrics::job("training", tick(&state, Utc::now())).await;
        tokio::time::sleep(EVERY).await;
    }
}

/// One round as of `now` (tests pass a later clock): (assignments added,
/// reminders sent).
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> (u64, usize) {
    let mut added = 0;
    match state.store.training_orgs().await {
        Ok(orgs) => {
            for org in orgs {
                match state.store.assign_training(org, None, now).await {
                    Ok(n) => added += n,
                    Err(e) => tracing::warn!(error = %crate::error::chain(&e), org, "training assignment failed"),
                }
            }
        }
        Err(e) => tracing::warn!(error = %crate::error::chain(&e), "training pass failed"),
    }
    let due = match state.store.pending_training_reminders(now, REMINDERS).await {
        Ok(due) => due,
        Err(e) => {
            tracing::warn!(error = %crate::error::chain(&e), "training reminders failed");
            return (added, 0);
        }
    };
    let mut sent = 0;
    for r in due {
        match state.store.send_training_reminder(r.org, r.assignment_id, now, &payload(state, &r)).await {
            Ok(true) => sent += 1,
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(error = %crate::error::chain(&e), assignment = r.assignment_id, "reminder not sent")
            }
        }
    }
    if sent > 0 {
        state.outbox_wake.notify_one();
    }
    (added, sent)
}

/// The e-mail: the module's title in the person's language, when it was
/// due, and the link to it.
fn payload(state: &AppState, r: &PendingReminder) -> serde_json::Value {
    let lang = r.language.unwrap_or_default();
    let module = pick(lang, &r.title_en, &r.title_es).to_string();
    let args = [("module", module.clone().into()), ("due", r.due_at.format("%Y-%m-%d").to_string().into())];
    json!({
        "email_to": [r.email],
        "title": state.i18n.t(lang, "training-reminder-title", &args),
        "summary": state.i18n.t(lang, "training-reminder-summary", &args),
        "url": format!("/training/{}", r.module_id),
        "module_id": r.module_id,
        "person_id": r.person_id,
    })
}
