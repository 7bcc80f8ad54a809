//! Intent monitoring (A3, C9): every criterion of each organization's
//! current intent statement is evaluated over a rolling window whenever new
//! feedback or behaviour arrives, and each change of status is recorded
//! (history) and published (the dashboard and the SSE stream show it).
//!
//! One task per server listens to the store's notices and evaluates the
//! organizations that had news at most once a second. Several servers on one
//! database may evaluate the same organization; the store records a status
//! only when it differs from the last one recorded, under the organization's
//! lock, so a change is recorded once.
//!
//! Pages and the API evaluate too, on every view ([`check_on`]): on the read
//! store (a replica, when the server has one), recording what changed on the
//! primary, and only what the read store does not already show.

use super::{series_in_scope, MetricQuery};
use crate::error::AppError;
use chrono::{Duration, NaiveDate, Utc};
use rapport_core::intent::{Criterion, IntentVersion, Scope, Status};
use rapport_core::measure::{Interval, MIN_SAMPLE};
use rapport_core::Id;
use rapport_store::{IntentStatus, NoticeKind, Store};
use serde::Serialize;
use std::collections::BTreeSet;
use std::sync::Arc;
use tokio::sync::broadcast::error::RecvError;

/// Criteria are judged on the last 30 days, today included.
pub const WINDOW_DAYS: i64 = 30;

/// A criterion as evaluated now.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CriterionState {
    /// Position of the criterion in its intent version, from 0.
    pub index: i64,
    pub criterion: Criterion,
    pub value: Option<f64>,
    pub n: i64,
    pub status: Status,
}

/// The query that measures a criterion over the window ending `today`.
pub fn criterion_query(c: &Criterion, today: NaiveDate) -> MetricQuery {
    let (experience, touchpoint) = match c.scope {
        Scope::Organization => (None, None),
        Scope::Experience(id) => (Some(id), None),
        Scope::Touchpoint(id) => (None, Some(id)),
    };
    MetricQuery {
        metric: c.metric,
        experience,
        touchpoint,
        segment: None,
        from: today - Duration::days(WINDOW_DAYS - 1),
        to: today,
        interval: Interval::All,
        behaviour: c.behaviour_id,
    }
}

/// How many recorded statuses, newest first, are searched for a
/// criterion's last one before recording (older: the store decides).
const HISTORY_SCAN: i64 = 200;

/// Evaluates the current intent version's criteria (none without one).
pub async fn evaluate(store: &dyn Store, org: Id, today: NaiveDate) -> Result<Vec<CriterionState>, AppError> {
    let Some(intent) = store.current_intent(org).await? else { return Ok(Vec::new()) };
    evaluate_version(store, org, &intent, today).await
}

/// Evaluates the criteria of `intent`, reading `store` only.
pub async fn evaluate_version(
    store: &dyn Store,
    org: Id,
    intent: &IntentVersion,
    today: NaiveDate,
) -> Result<Vec<CriterionState>, AppError> {
    let mut out = Vec::with_capacity(intent.criteria.len());
    for (i, c) in intent.criteria.iter().enumerate() {
        let q = criterion_query(c, today);
        // A criterion whose experience or touchpoint was deleted measures nothing.
        let touchpoints = match super::scope(store, org, &q).await {
            Ok(t) => t,
            Err(AppError::Invalid(_)) => Some(Vec::new()),
            Err(e) => return Err(e),
        };
        let point = series_in_scope(store, org, &q, touchpoints).await?.into_iter().next();
        let (value, n) = point.map_or((None, 0), |p| (p.value, p.n));
        let status = match value {
            Some(v) if n >= MIN_SAMPLE => c.evaluate(v),
            _ => Status::Insufficient,
        };
        out.push(CriterionState { index: i as i64, criterion: c.clone(), value, n, status });
    }
    Ok(out)
}

/// Evaluates and records the changes, all on `store`; returns the states.
pub async fn check(store: &dyn Store, org: Id) -> Result<Vec<CriterionState>, AppError> {
    check_on(store, store, org).await
}

/// Evaluates on `reads` (a read replica, which may lag the primary; or the
/// primary itself) and records the changes of status on `primary`; returns
/// the states. Nothing is written through `reads`.
pub async fn check_on(reads: &dyn Store, primary: &dyn Store, org: Id) -> Result<Vec<CriterionState>, AppError> {
    let Some(intent) = reads.current_intent(org).await? else { return Ok(Vec::new()) };
    let states = evaluate_version(reads, org, &intent, Utc::now().date_naive()).await?;
    record(reads, primary, org, intent.id, &states).await?;
    Ok(states)
}

/// Records on `primary` the states of intent version `version_id` that
/// differ from the last status `reads` shows for their criterion. The
/// primary records a status only when it differs from its own last one,
/// so what a lagging replica does not show yet is still recorded once.
async fn record(
    reads: &dyn Store,
    primary: &dyn Store,
    org: Id,
    version_id: Id,
    states: &[CriterionState],
) -> Result<(), AppError> {
    let history = reads.intent_status_history(org, HISTORY_SCAN).await?;
    let last = |criterion: i64| {
        history.iter().find(|h| h.version_id == version_id && h.criterion == criterion).map(|h| h.status)
    };
    let changed: Vec<&CriterionState> = states.iter().filter(|s| last(s.index) != Some(s.status)).collect();
    if changed.is_empty() {
        return Ok(());
    }
    if !std::ptr::addr_eq(reads, primary) && primary.current_intent(org).await?.map(|v| v.id) != Some(version_id) {
        // The replica has not caught up with the primary's intent version:
        // its statuses are not the current criteria's; record nothing.
        return Ok(());
    }
    for s in changed {
        let status = IntentStatus {
            id: 0,
            version_id,
            criterion: s.index,
            status: s.status,
            value: s.value,
            n: s.n,
            at: rapport_store::rows::now(),
        };
        primary.record_intent_status(org, &status).await?;
    }
    Ok(())
}

/// Runs until the store's notices end: evaluates the organizations that had
/// new feedback or behaviour, at most once a second each round.
/// Only new feedback can change a criterion's status.
fn feedback(kind: NoticeKind) -> bool {
    matches!(kind, NoticeKind::Response | NoticeKind::Event)
}

pub async fn run(store: Arc<dyn Store>) {
    let mut rx = store.subscribe();
    loop {
        let mut orgs = BTreeSet::new();
        match rx.recv().await {
            Ok(n) if feedback(n.kind) => {
                orgs.insert(n.org);
            }
            Ok(_) => continue,
            Err(RecvError::Lagged(_)) => {}
            Err(RecvError::Closed) => return,
        }
        // Gather what else arrives in the next second, then evaluate once.
        let until = tokio::time::Instant::now() + std::time::Duration::from_secs(1);
        while let Ok(Ok(n)) = tokio::time::timeout_at(until, rx.recv()).await {
            if feedback(n.kind) {
                orgs.insert(n.org);
            }
        }
        for org in orgs {
            if let Err(e) = check(store.as_ref(), org).await {
                tracing::warn!(org, error = %crate::error::chain(&e), "intent monitoring failed");
            }
        }
    }
}
