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

use super::{series_in_scope, MetricQuery};
use crate::error::AppError;
use chrono::{Duration, NaiveDate, Utc};
use rapport_core::intent::{Criterion, Scope, Status};
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
    }
}

/// Evaluates the current intent version's criteria (none without one).
pub async fn evaluate(store: &dyn Store, org: Id, today: NaiveDate) -> Result<Vec<CriterionState>, AppError> {
    let Some(intent) = store.current_intent(org).await? else { return Ok(Vec::new()) };
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

/// Evaluates and records the changes; returns the states.
pub async fn check(store: &dyn Store, org: Id) -> Result<Vec<CriterionState>, AppError> {
    let now = Utc::now();
    let states = evaluate(store, org, now.date_naive()).await?;
    if let Some(intent) = store.current_intent(org).await? {
        for s in &states {
            let status = IntentStatus {
                id: 0,
                version_id: intent.id,
                criterion: s.index,
                status: s.status,
                value: s.value,
                n: s.n,
                at: rapport_store::rows::now(),
            };
            store.record_intent_status(org, &status).await?;
        }
    }
    Ok(states)
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
