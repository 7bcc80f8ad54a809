//! The dispatcher: one task per server, started by `serve` (and by the API
//! tests). Every second, and at once when woken (`AppState::outbox_wake`),
//! it fans out new events, leases due deliveries for [`LEASE`], sends them
//! at most [`CONCURRENCY`] at a time, and records each outcome with the
//! configured retry policy. A store error is logged and retried on the next
//! tick: the outbox in the database is the state, the task holds none.

use super::email::{Mailer, NOT_CONFIGURED};
use crate::state::AppState;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use rapport_store::{Delivery, Outbox, Target};
use std::time::Duration;

/// How long a server keeps a delivery to itself: far longer than a send may
/// take (the 10 s timeout), so it expires only when the server died.
pub const LEASE: Duration = Duration::from_secs(60);
/// Deliveries sent at the same time by one server.
pub const CONCURRENCY: usize = 8;
/// Events fanned out and deliveries claimed per round.
const BATCH: i64 = 64;

struct Sender {
    http: reqwest::Client,
    mailer: Option<Mailer>,
    state: AppState,
}

/// Runs until aborted.
pub async fn run(state: AppState) {
    let mailer = state.config.smtp.as_ref().and_then(|smtp| match Mailer::new(&smtp.url, &smtp.from) {
        Ok(m) => Some(m),
        Err(error) => {
            // `rapport serve` checks this at start; a bad value here is logged once.
            tracing::error!(%error, "e-mail deliveries disabled");
            None
        }
    });
    let sender = Sender { http: super::webhook::client(), mailer, state: state.clone() };
    loop {
        match crate::ops::metrics::job("outbox", round(&sender)).await {
            // A full batch: more may be waiting, go on at once.
            Ok(n) if n as i64 >= BATCH => continue,
            Ok(_) => {}
            Err(error) => tracing::warn!(error = %crate::error::chain(&error), "outbox round failed; retrying"),
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            _ = state.outbox_wake.notified() => {}
        }
    }
}

fn now() -> DateTime<Utc> {
    rapport_store::rows::now()
}

/// One round; how many deliveries it sent.
async fn round(sender: &Sender) -> Result<usize, rapport_store::StoreError> {
    let store = &sender.state.store;
    let fanned = store.fan_out(now(), BATCH).await?;
    if fanned > 0 {
        tracing::debug!(events = fanned, "outbox events fanned out");
    }
    let at = now();
    let due = store.claim_deliveries(at, at + LEASE, BATCH).await?;
    let n = due.len();
    futures_util::stream::iter(due).for_each_concurrent(CONCURRENCY, |d| sender.deliver(d)).await;
    Ok(n)
}

impl Sender {
    async fn deliver(&self, d: Delivery) {
        let config = &self.state.config;
        let public_url = config.public_url.as_deref();
        let attempt = d.attempts + 1;
        let outcome = match &d.target {
            Target::Webhook { url, format, secret, .. } => {
                super::webhook::send(&self.http, &d, url, *format, secret, public_url).await
            }
            Target::Email { to } => match &self.mailer {
                Some(m) => m.send(&d, to, public_url).await,
                None => Err(NOT_CONFIGURED.to_string()),
            },
        };
        let channel = match d.target {
            Target::Webhook { .. } => "webhook",
            Target::Email { .. } => "email",
        };
        let store: &dyn Outbox = self.state.store.as_ref();
        let at = now();
        let recorded = match outcome {
            Ok(()) => {
                crate::ops::metrics::delivery(channel, "delivered");
                tracing::info!(delivery = d.id, event_id = d.event_id, event = %d.event, channel, attempt, status = "delivered", "outbox delivery");
                store.delivery_succeeded(d.id, at).await
            }
            Err(error) => {
                // Without SMTP, retrying cannot help: give up at once.
                let retry = if error == NOT_CONFIGURED { None } else { config.retry.delay_after(attempt) };
                let retry_at = retry.and_then(|r| chrono::Duration::from_std(r).ok()).map(|r| at + r);
                let status = if retry_at.is_some() { "retry" } else { "gave_up" };
                crate::ops::metrics::delivery(channel, status);
                if error == NOT_CONFIGURED {
                    // A deliberate setting, not a fault: one line per e-mail would drown the log.
                    tracing::debug!(delivery = d.id, event_id = d.event_id, event = %d.event, channel, status, "no SMTP: e-mail not sent");
                } else {
                    tracing::warn!(delivery = d.id, event_id = d.event_id, event = %d.event, channel, attempt, status, %error, "outbox delivery failed");
                }
                // A survey e-mail given up on, or refused outright: a bounce.
                let refused = error.contains("permanent error") && d.payload.get("invitation_id").is_some();
                if channel == "email" && error != NOT_CONFIGURED && (retry_at.is_none() || refused) {
                    super::distribution::record_bounce(&self.state, &d, &error).await;
                }
                store.delivery_failed(d.id, at, &error, if refused { None } else { retry_at }).await
            }
        };
        if let Err(error) = recorded {
            // The lease expires and the delivery is sent again: at least once.
            tracing::error!(delivery = d.id, %error, "cannot record the outcome of a delivery");
        }
    }
}
