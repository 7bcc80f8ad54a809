//! Daily digests (policy: `rapport_core::notification`). Every [`EVERY`],
//! each server asks for the accounts whose digest is due and sends each one
//! e-mail through the outbox listing what it carries, in the account's
//! language. The store marks the items carried in the transaction that
//! enqueues the e-mail, so servers sharing a database send it once.

use crate::state::AppState;
use chrono::{DateTime, Utc};
use rapport_core::notification::DIGEST_EVERY;
use rapport_store::PendingDigest;
use serde_json::json;
use std::time::Duration;

pub const EVERY: Duration = Duration::from_secs(600);

/// Accounts per round, and items per digest (the rest wait for the next).
const ACCOUNTS: i64 = 200;
const ITEMS: i64 = 50;

pub async fn run(state: AppState) {
    loop {
        crate::ops::metrics::job("digest", tick(&state, Utc::now())).await;
        tokio::time::sleep(EVERY).await;
    }
}

/// One round as of `now` (tests pass a later clock); how many were sent.
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> usize {
    let due = match state.store.pending_digests(now - DIGEST_EVERY, ACCOUNTS, ITEMS).await {
        Ok(due) => due,
        Err(e) => {
            tracing::warn!(error = %crate::error::chain(&e), "digest round failed");
            return 0;
        }
    };
    let mut sent = 0;
    for d in due {
        let Some(through) = d.items.last().map(|n| n.id) else { continue };
        match state.store.send_digest(d.org, d.user, through, &payload(state, &d)).await {
            Ok(true) => sent += 1,
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %crate::error::chain(&e), user = d.user, "digest not sent"),
        }
    }
    if sent > 0 {
        state.outbox_wake.notify_one();
    }
    sent
}

/// The e-mail: a title with the count, one line per item with its kind and
/// link, and the notification centre's link.
fn payload(state: &AppState, d: &PendingDigest) -> serde_json::Value {
    let lang = d.language.unwrap_or_default();
    let count = d.items.len() as i64;
    let title = state.i18n.t(lang, "notifications-digest-title", &[("count", count.into())]);
    let lines: Vec<String> = d
        .items
        .iter()
        .map(|n| {
            format!(
                "- {}: {} ({})",
                state.i18n.t(lang, &format!("notification-kind-{}", n.kind.as_str()), &[]),
                n.title,
                n.link
            )
        })
        .collect();
    json!({ "email_to": [d.email], "title": title, "summary": lines.join("\n"), "url": "/notifications" })
}
