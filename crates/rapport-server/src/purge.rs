//! The purge: every [`EVERY`] (the first time [`FIRST`] after start), each
//! server deletes the sessions that have expired and the outbox rows that
//! are done with: deliveries delivered or given up more than
//! [`OUTBOX_RETENTION`] ago, then the events left with no delivery. The
//! store deletes at most [`BATCH`] rows per statement and this task repeats
//! until a batch comes back short, pausing between batches, so no purge holds
//! a long write lock. Servers sharing a database may all run it: a row is
//! deleted once, by whichever gets there first.

use crate::state::AppState;
use chrono::{DateTime, Utc};
use std::time::Duration;

pub const EVERY: Duration = Duration::from_secs(60 * 60);
/// Not at once, so that a server restarted in a loop (or a test) does not
/// purge each time it starts.
pub const FIRST: Duration = Duration::from_secs(60);
/// How long a delivered or given-up delivery (and its event) is kept. The
/// webhook deliveries list (`GET /api/v1/webhooks/{id}/deliveries`) is where
/// an admin checks what was sent and why a receiver failed; retries end
/// within a day (20 attempts, at most an hour apart), so 30 days leaves a
/// month to look back on any outcome, and receivers de-duplicate by event
/// id anyway. Pending deliveries are never purged.
pub const OUTBOX_RETENTION: chrono::Duration = chrono::Duration::days(30);
/// Rows deleted per statement: a few tens of milliseconds of write lock.
pub const BATCH: i64 = 10_000;
/// The pause between two full batches, letting other writers in.
const PAUSE: Duration = Duration::from_millis(50);

/// What one round deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub deliveries: u64,
    pub events: u64,
}

pub async fn run(state: AppState) {
    tokio::time::sleep(FIRST).await;
    loop {
        crate::ops::metrics::job("purge", tick(&state, Utc::now())).await;
        tokio::time::sleep(EVERY).await;
    }
}

/// One round as of `now` (tests pass a later clock): batch after batch
/// until none is full. A store error ends the round (logged); the next
/// round starts over.
pub async fn tick(state: &AppState, now: DateTime<Utc>) -> Purged {
    let store = &state.store;
    let mut purged = Purged::default();
    let outcome: Result<(), rapport_store::StoreError> = async {
        loop {
            let n = store.purge_sessions(now, BATCH).await?;
            purged.sessions += n;
            if n < BATCH as u64 {
                break;
            }
            tokio::time::sleep(PAUSE).await;
        }
        loop {
            let p = store.purge_outbox(now - OUTBOX_RETENTION, BATCH).await?;
            purged.deliveries += p.deliveries;
            purged.events += p.events;
            if p.deliveries < BATCH as u64 && p.events < BATCH as u64 {
                break;
            }
            tokio::time::sleep(PAUSE).await;
        }
        Ok(())
    }
    .await;
    if let Err(e) = outcome {
        tracing::warn!(error = %crate::error::chain(&e), "purge round failed");
    }
    if purged != Purged::default() {
        tracing::info!(
            sessions = purged.sessions,
            deliveries = purged.deliveries,
            events = purged.events,
            "purged expired sessions and old outbox rows"
        );
    }
    purged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Config;
    use rapport_core::org::NewOrganization;
    use rapport_core::role::Role;
    use rapport_store::NewUser;

    #[tokio::test]
    async fn a_round_purges_what_is_done_with_and_keeps_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::storage::open(None, dir.path()).await.unwrap();
        let state = AppState::new(store.clone(), Config::default());
        let org = store.create_org(&NewOrganization { slug: "acme".into(), name: "Acme".into() }).await.unwrap().id;
        let user =
            NewUser { email: "a@example.com".into(), role: Role::Admin, password_hash: "x".into(), person_id: None };
        let user = store.create_user(org, &user).await.unwrap().id;
        let now = rapport_store::rows::now();
        store.create_session(org, user, "gone", now - chrono::Duration::minutes(1)).await.unwrap();
        store.create_session(org, user, "live", now + chrono::Duration::hours(1)).await.unwrap();
        // An e-mail given up 31 days ago, another a day ago.
        for days in [31, 1] {
            let at = now - chrono::Duration::days(days);
            store.enqueue_event(org, "case.opened", &serde_json::json!({"email_to": ["x@example.com"]})).await.unwrap();
            store.fan_out(at, 10).await.unwrap();
            for d in store.claim_deliveries(at, at + chrono::Duration::seconds(60), 10).await.unwrap() {
                store.delivery_failed(d.id, at, "SMTP is not configured", None).await.unwrap();
            }
        }
        assert_eq!(tick(&state, now).await, Purged { sessions: 1, deliveries: 1, events: 1 });
        assert_eq!(tick(&state, now).await, Purged::default());
        assert!(store.session_user("live", now).await.unwrap().is_some());
        assert_eq!(store.list_deliveries(org, None, 10).await.unwrap().len(), 1);
    }
}
