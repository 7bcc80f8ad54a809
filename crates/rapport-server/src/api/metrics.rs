//! Outcome metrics (C1–C4): a metric per time bucket with its 95% interval
//! and sample size, the change between the last two buckets with its
//! significance, and the variation between buckets; and the intent monitor's
//! current evaluation with its history. Read from the rollups only, on the
//! read store (the read replica, if the server has one); a change of intent
//! status found on reading is recorded on the primary.

use crate::auth::Principal;
use crate::error::AppError;
use crate::measure::monitor::{self, CriterionState};
use crate::measure::{self, MetricQuery, Point};
use crate::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::Json;
use chrono::{Duration, NaiveDate, Utc};
use rapport_core::measure::{Interval, Variation};
use rapport_core::metric::Metric;
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_store::IntentStatus;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_metrics)).routes(routes!(get_intent_status))
}

/// Longest range one request may cover (about ten years of days).
const MAX_DAYS: i64 = 3_700;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MetricsParams {
    /// nps (when absent), csat, ces, rating, repeat_purchase_rate, referral_rate, churn_rate or positive_feedback_rate.
    pub metric: Option<String>,
    /// An experience id: its key interactions' touchpoints.
    pub experience: Option<String>,
    /// A touchpoint id.
    pub touchpoint: Option<String>,
    /// A segment id: its current members only.
    pub segment: Option<String>,
    /// First day (YYYY-MM-DD, UTC), inclusive; 365 days before `to` when absent.
    pub from: Option<String>,
    /// Last day, inclusive; today when absent.
    pub to: Option<String>,
    /// day, week (from Monday), month, quarter, year or all; month when absent.
    pub interval: Option<String>,
    /// A perfect behaviour's id: required with the metric perfect_behaviour.
    pub behaviour: Option<String>,
}

fn id(e: &mut FieldErrors, field: &str, v: Option<&str>) -> Option<i64> {
    let v = v.map(str::trim).filter(|v| !v.is_empty())?;
    v.parse().map_err(|_| e.add(field, "invalid", "must be an id (a whole number)")).ok()
}

fn day(e: &mut FieldErrors, field: &str, v: Option<&str>) -> Option<NaiveDate> {
    let v = v.map(str::trim).filter(|v| !v.is_empty())?;
    NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| e.add(field, "invalid", "must be a date YYYY-MM-DD")).ok()
}

impl MetricsParams {
    pub fn parse(&self, today: NaiveDate) -> Result<MetricQuery, AppError> {
        let mut e = FieldErrors::new();
        let metric = match self.metric.as_deref().map(str::trim) {
            // The headline metric when none is named.
            None | Some("") => Some(Metric::Nps),
            Some(m) => Metric::parse(m).or_else(|| {
                e.add("metric", "invalid", "unknown metric");
                None
            }),
        };
        let interval = match self.interval.as_deref().map(str::trim) {
            None | Some("") => Some(Interval::Month),
            Some(i) => Interval::parse(i).or_else(|| {
                e.add("interval", "invalid", "must be day, week, month, quarter, year or all");
                None
            }),
        };
        let experience = id(&mut e, "experience", self.experience.as_deref());
        let touchpoint = id(&mut e, "touchpoint", self.touchpoint.as_deref());
        let segment = id(&mut e, "segment", self.segment.as_deref());
        let behaviour = id(&mut e, "behaviour", self.behaviour.as_deref());
        if let Some(m) = metric {
            rapport_core::plan::perfect_behaviour::behaviour_for(&mut e, "behaviour", m, behaviour);
        }
        let to = day(&mut e, "to", self.to.as_deref()).unwrap_or(today);
        let from = day(&mut e, "from", self.from.as_deref()).unwrap_or(to - Duration::days(364));
        if from > to {
            e.add("from", "out_of_range", "must not be after `to`");
        } else if (to - from).num_days() > MAX_DAYS {
            e.add("from", "out_of_range", "the range may cover at most ten years");
        }
        let q = match (metric, interval) {
            (Some(metric), Some(interval)) => {
                MetricQuery { metric, experience, touchpoint, segment, from, to, interval, behaviour }
            }
            _ => MetricQuery {
                metric: Metric::Nps,
                experience,
                touchpoint,
                segment,
                from,
                to,
                interval: Interval::All,
                behaviour,
            },
        };
        e.into_result(q).map_err(AppError::Invalid)
    }
}

/// Change between the last two buckets that have data.
#[derive(Debug, Serialize, ToSchema)]
pub struct LastChange {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub delta: f64,
    pub p_value: f64,
    /// p < 0.05 and both buckets have enough answers.
    pub significant: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MetricSeries {
    #[schema(value_type = String)]
    pub metric: Metric,
    #[schema(value_type = String)]
    pub interval: Interval,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub series: Vec<Point>,
    pub change: Option<LastChange>,
    /// Spread of the sufficient buckets' values (consistency).
    pub variation: Option<Variation>,
}

/// A metric over time, per bucket, with 95% intervals. Survey metrics and
/// the behaviour rates of everyone or a segment are exact, read from the
/// rollups. The behaviour rates of an experience or a touchpoint (customers
/// who used it in the bucket) read their customers' activity: all of it up
/// to 20,000 customers, beyond that a deterministic sample of about 20,000
/// (the same customers on every call), and then `n` counts the sample.
#[utoipa::path(get, path = "/api/v1/metrics", tag = "measurement", operation_id = "get_metrics", params(MetricsParams),
    responses((status = 200, body = MetricSeries), (status = 422, description = "a parameter is invalid or names another organization's object")))]
async fn get_metrics(
    State(s): State<AppState>,
    p: Principal,
    q: Result<Query<MetricsParams>, QueryRejection>,
) -> Result<Json<MetricSeries>, AppError> {
    p.require(Permission::ReadProgram)?;
    let Query(params) = q.map_err(super::extract::bad_query)?;
    let q = params.parse(Utc::now().date_naive())?;
    let store = s.reads();
    let touchpoints = measure::scope(store, p.org.id, &q).await?;
    let series = measure::series_in_scope(store, p.org.id, &q, touchpoints.clone()).await?;
    let change = measure::last_change(store, p.org.id, &q, touchpoints, &series).await?;
    let values: Vec<Option<f64>> = series.iter().map(|x| x.value.filter(|_| x.sufficient)).collect();
    Ok(Json(MetricSeries {
        metric: q.metric,
        interval: q.interval,
        from: q.from,
        to: q.to,
        change: change.map(|(from, to, c)| LastChange {
            from,
            to,
            delta: c.delta,
            p_value: c.p_value,
            significant: c.significant,
        }),
        variation: rapport_core::measure::variation(&values),
        series,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IntentMonitor {
    /// Each criterion of the current intent version, evaluated over the last
    /// 30 days.
    pub criteria: Vec<CriterionState>,
    /// Recorded changes of status, newest first.
    #[schema(value_type = Vec<Object>)]
    pub history: Vec<IntentStatus>,
}

/// The intent statement's criteria as met, at risk, missed or insufficient, and their history.
#[utoipa::path(get, path = "/api/v1/intent/status", tag = "intent", operation_id = "get_intent_status",
    responses((status = 200, body = IntentMonitor)))]
async fn get_intent_status(State(s): State<AppState>, p: Principal) -> Result<Json<IntentMonitor>, AppError> {
    p.require(Permission::ReadProgram)?;
    let criteria = monitor::check_on(s.reads(), s.store.as_ref(), p.org.id).await?;
    let history = s.reads().intent_status_history(p.org.id, 200).await?;
    Ok(Json(IntentMonitor { criteria, history }))
}
