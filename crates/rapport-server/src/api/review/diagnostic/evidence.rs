//! Gathering the figures the diagnostic's suggestions cite, with bounded
//! reads of what other parts already compute (the journey map, listening
//! posts, ownership coverage, the closed-loop figures of the last 90 days,
//! the ROCE model). Which question gets which figure, and how it is judged,
//! is the core's (`rapport_core::review::diagnostic::evidence`).

use crate::api::case_queue::figures as closed_loop;
use crate::api::coverage::compute as coverage;
use crate::api::measure::roce;
use crate::error::AppError;
use crate::state::AppState;
use chrono::{Duration, Utc};
use rapport_core::listening::unheard_touchpoints;
use rapport_core::review::diagnostic::evidence::{EvidenceFigures, PromiseFigure, RoceEvidence};
use rapport_core::Id;
use rapport_store::Store;
use std::collections::HashMap;

/// The period of the closed-loop figures, in days up to today.
const PROMISE_DAYS: i64 = 90;

/// The number of perfect customer behaviours the organization has defined
/// (over all its experiences; at most 50 per experience, so a bounded read).
async fn perfect_behaviours(store: &dyn Store, org: Id) -> Result<Option<i64>, AppError> {
    Ok(Some(store.list_behaviours(org, None).await?.len() as i64))
}

pub async fn gather(state: &AppState, org: Id) -> Result<EvidenceFigures, AppError> {
    let store = state.reads();
    let (touchpoints, posts) = tokio::try_join!(store.list_touchpoints(org), store.list_listening_posts(org))?;
    let ids: Vec<Id> = touchpoints.iter().map(|t| t.id).collect();
    let gaps = unheard_touchpoints(&ids, &posts).len() as i64;
    let cover = coverage(store, org).await?;
    let today = Utc::now().date_naive();
    let loop_figures = closed_loop(store, org, today - Duration::days(PROMISE_DAYS - 1), today).await?;
    let names: HashMap<Id, &str> = touchpoints.iter().map(|t| (t.id, t.name.as_str())).collect();
    let promise_by_channel = loop_figures
        .report
        .touchpoints
        .iter()
        .filter_map(|g| {
            let id = g.id?;
            let name = names.get(&id)?.to_string();
            Some((id, PromiseFigure { name, decided: g.figures.decided, in_time: g.figures.in_time }))
        })
        .collect();
    let overall = &loop_figures.report.overall;
    let r = roce::current(state, org).await?;
    Ok(EvidenceFigures {
        touchpoints: Some(ids.len() as i64),
        listening_gaps: Some(gaps),
        owned_touchpoints: Some((cover.touchpoints.covered as i64, cover.touchpoints.total as i64)),
        promise_overall: Some(PromiseFigure {
            name: String::new(),
            decided: overall.decided,
            in_time: overall.in_time,
        }),
        promise_by_channel,
        perfect_behaviours: perfect_behaviours(store, org).await?,
        roce: Some(RoceEvidence {
            inputs_set: r.inputs_set,
            fitted: r.refit_id.is_some(),
            cost_of_poor_service: r.report.cost_of_poor_service,
            acquisition_to_retention: r.report.acquisition_to_retention,
            price_share: r.report.price_share,
            service_share: r.report.service_share,
        }),
    })
}
