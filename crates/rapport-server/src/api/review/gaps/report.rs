//! The gap analysis of one experience for one segment (or everyone), from
//! the rollups only: each key interaction's value over the intent
//! monitor's window (the last 30 days) per metric its targets name, its
//! stated importance (the journey's) and its derived importance (the last
//! key-driver refit's touchpoint analysis of the NPS, when one exists),
//! ranked by `rapport_core::review::gap`.

use crate::error::AppError;
use crate::measure::monitor::WINDOW_DAYS;
use crate::measure::{by_touchpoint, scale_of, series_in_scope, MetricQuery, Point};
use crate::model::{DriverAnalysis, TOUCHPOINTS_NPS};
use chrono::{Duration, NaiveDate};
use rapport_core::journey::Touchpoint;
use rapport_core::measure::Interval;
use rapport_core::metric::Metric;
use rapport_core::review::gap::{self, Gap, GapInput, GapKey, GapTarget};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::{Store, StoreError};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use utoipa::ToSchema;

/// One gap with its touchpoint and what it became.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GapRow {
    #[serde(flatten)]
    pub gap: Gap,
    pub touchpoint_name: String,
    /// The idea made from this gap (for this segment), if any.
    pub idea_id: Option<Id>,
    /// The sprint started from this gap (for this segment), if any.
    pub sprint_id: Option<Id>,
}

impl GapRow {
    pub fn key(&self, segment_id: Option<Id>) -> GapKey {
        GapKey { touchpoint_id: self.gap.touchpoint_id, metric: self.gap.target.metric, segment_id }
    }
}

/// The ranked gaps of an experience.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GapReport {
    pub experience_id: Id,
    pub experience_name: String,
    /// None: every customer.
    pub segment_id: Option<Id>,
    /// The window the values cover (the intent monitor's: 30 days to today).
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Whether a key-driver refit gave derived importance for this experience and segment.
    pub derived_available: bool,
    /// Largest weighted gap first; met targets (gap 0) last.
    pub ranked: Vec<GapRow>,
    /// Too few answers to judge (fewer than 30), never ranked.
    pub insufficient: Vec<GapRow>,
}

/// The touchpoints' derived shares from the stored touchpoint analysis
/// of the NPS for this segment (0: everyone), by touchpoint.
async fn derived_shares(
    store: &dyn Store,
    org: Id,
    experience: Id,
    segment: Id,
) -> Result<BTreeMap<Id, f64>, AppError> {
    let stored = store.driver_results(org, experience).await?;
    let Some(found) = stored.into_iter().find(|d| d.survey_id == TOUCHPOINTS_NPS && d.segment_id == segment) else {
        return Ok(BTreeMap::new());
    };
    let analysis: DriverAnalysis = serde_json::from_value(found.result).map_err(AppError::internal)?;
    let Some(report) = analysis.report else { return Ok(BTreeMap::new()) };
    Ok(report
        .drivers
        .iter()
        .filter_map(|d| Some((d.name.strip_prefix("touchpoint:")?.parse::<Id>().ok()?, d.lmg.share)))
        .collect())
}

/// Each touchpoint's value per metric over the window.
async fn values(
    store: &dyn Store,
    org: Id,
    tps: &[Id],
    metrics: &[Metric],
    segment: Option<Id>,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<HashMap<(Id, Metric), Point>, AppError> {
    let mut out = HashMap::new();
    for &metric in metrics {
        let q = MetricQuery {
            metric,
            experience: None,
            touchpoint: None,
            segment,
            from,
            to,
            interval: Interval::All,
            behaviour: None,
        };
        if scale_of(metric).is_some() {
            // One query for every touchpoint of the experience.
            for (tp, point) in by_touchpoint(store, org, &q, Some(tps.to_vec())).await?.unwrap_or_default() {
                out.insert((tp, metric), point);
            }
            continue;
        }
        // Behaviour rates are not kept per touchpoint: the customers who
        // used it (the bounded sample the intent monitor reads too).
        for &tp in tps {
            let q = MetricQuery { touchpoint: Some(tp), ..q.clone() };
            if let Some(point) = series_in_scope(store, org, &q, Some(vec![tp])).await?.into_iter().next() {
                out.insert((tp, metric), point);
            }
        }
    }
    Ok(out)
}

/// The gap analysis of `experience` (404 in another organization) for
/// `segment` (422 naming `segment_id` when unknown).
pub async fn report(
    store: &dyn Store,
    org: Id,
    experience: Id,
    segment: Option<Id>,
    today: NaiveDate,
) -> Result<GapReport, AppError> {
    let exp = store.get_experience(org, experience).await?;
    if let Some(id) = segment {
        match store.get_segment(org, id).await {
            Ok(_) => {}
            Err(StoreError::NotFound) => {
                return Err(AppError::Invalid(FieldErrors::single("segment_id", "unknown", "no such segment")))
            }
            Err(e) => return Err(e.into()),
        }
    }
    let criteria = store.current_intent(org).await?.map(|i| i.criteria).unwrap_or_default();
    let all: HashMap<Id, Touchpoint> = store.list_touchpoints(org).await?.into_iter().map(|t| (t.id, t)).collect();
    let tps: Vec<&Touchpoint> = exp.touchpoint_ids().iter().filter_map(|id| all.get(id)).collect();
    let ids: Vec<Id> = tps.iter().map(|t| t.id).collect();
    let targets: Vec<Vec<GapTarget>> =
        tps.iter().map(|t| gap::targets_at(&criteria, &exp.goal, exp.id, t.id)).collect();
    let mut metrics: Vec<Metric> = Vec::new();
    for m in targets.iter().flatten().map(|t| t.metric) {
        if !metrics.contains(&m) {
            metrics.push(m);
        }
    }
    let window = (today - Duration::days(WINDOW_DAYS - 1), today);
    let values = values(store, org, &ids, &metrics, segment, window).await?;
    let shares = derived_shares(store, org, exp.id, segment.unwrap_or(0)).await?;
    let relative = gap::relative_shares(&shares);
    let links = store.gap_links(org, exp.id).await?;
    let mut gaps = Vec::new();
    for (tp, targets) in tps.iter().zip(&targets) {
        let point = |m: Metric| values.get(&(tp.id, m));
        let stated = gap::stated_importance(&tp.importance, segment);
        for target in gap::binding(targets, |m| point(m).and_then(|p| p.value)) {
            let p = point(target.metric);
            gaps.push(gap::assess(&GapInput {
                touchpoint_id: tp.id,
                value: p.and_then(|p| p.value),
                n: p.map_or(0, |p| p.n),
                target,
                stated,
                derived_share: shares.get(&tp.id).copied(),
                derived_relative: relative.get(&tp.id).copied(),
            }));
        }
    }
    let ranking = gap::rank(gaps);
    let row = |g: Gap| {
        let link = links
            .iter()
            .find(|l| l.key == GapKey { touchpoint_id: g.touchpoint_id, metric: g.target.metric, segment_id: segment });
        GapRow {
            touchpoint_name: all.get(&g.touchpoint_id).map(|t| t.name.clone()).unwrap_or_default(),
            idea_id: link.and_then(|l| l.idea_id),
            sprint_id: link.and_then(|l| l.sprint_id),
            gap: g,
        }
    };
    Ok(GapReport {
        experience_id: exp.id,
        experience_name: exp.name.clone(),
        segment_id: segment,
        from: window.0,
        to: window.1,
        derived_available: !shares.is_empty(),
        ranked: ranking.ranked.into_iter().map(row).collect(),
        insufficient: ranking.insufficient.into_iter().map(row).collect(),
    })
}
