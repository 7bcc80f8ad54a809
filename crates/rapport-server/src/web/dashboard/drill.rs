//! Drill-downs: an experience (its goal metric over time, its touchpoints'
//! scores, what followed customers' interactions, and the journey as
//! designed beside the one lived) and a touchpoint (its NPS over time and
//! its scores).

use super::csv::{num, Table};
use super::tiles::{query, status, Fmt, Target};
use super::{load, params, FilterParams, Filters};
use crate::error::AppError;
use crate::measure::{self, MetricQuery, Point};
use crate::web::charts::{flow_chart, series_chart, ChartLabels, FlowLabels, FlowPath, FlowStep, SeriesPoint};
use crate::web::view::Program;
use crate::web::{Page, WebPath, WebResult};
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use chrono::{Datelike, Months, NaiveDate};
use minijinja::context;
use rapport_core::measure::interactions::interaction_outcomes;
use rapport_core::measure::paths::{journey_flow, Step, StepKind};
use rapport_core::measure::{Interval, MIN_SAMPLE};
use rapport_core::metric::Metric;
use rapport_core::role::Permission;
use rapport_core::Id;
use rapport_store::measure::RESPONSE_KIND;
use rapport_store::Store;
use serde::Serialize;

/// Interaction outcomes look this many days past a first interaction.
pub const OUTCOME_WINDOW_DAYS: i64 = 30;
/// Actual paths shown beside the designed one.
const TOP_PATHS: usize = 5;
/// Journey analytics read at most this many customers' activity: a
/// deterministic sample beyond it (shown with its size on the page), so a
/// drill-down reads a bounded number of rows whatever the organization's size.
pub const JOURNEY_SAMPLE: i64 = 20_000;

/// Twelve months ending with `to`'s month.
fn twelve_months(to: NaiveDate) -> NaiveDate {
    let first = to.with_day(1).unwrap_or(to);
    first.checked_sub_months(Months::new(11)).unwrap_or(first)
}

/// A metric by month over the last twelve months, for a chart and a table.
async fn monthly(
    store: &dyn Store,
    org: Id,
    metric: Metric,
    f: &Filters,
    touchpoints: Vec<Id>,
) -> Result<Vec<Point>, AppError> {
    let q = MetricQuery { from: twelve_months(f.to), interval: Interval::Month, ..query(metric, f, Interval::Month) };
    measure::series_in_scope(store, org, &q, Some(touchpoints)).await
}

/// The chart of `points` with its interval band and the target line.
fn chart(fmt: &Fmt<'_>, metric: Metric, points: &[Point], target: Option<f64>, title: String) -> String {
    let pts: Vec<SeriesPoint> = points
        .iter()
        .map(|p| SeriesPoint {
            label: p.start.format("%Y-%m").to_string(),
            value: p.value,
            ci_low: p.ci_low,
            ci_high: p.ci_high,
            sufficient: p.sufficient,
        })
        .collect();
    let labels = ChartLabels { title, insufficient: fmt.t("dashboard-chart-insufficient") };
    series_chart(&pts, target, metric.range(), &labels)
}

#[derive(Debug, Serialize)]
struct Row {
    period: String,
    value_text: String,
    interval_text: String,
    n: i64,
}

fn rows(fmt: &Fmt<'_>, metric: Metric, points: &[Point]) -> Vec<Row> {
    points
        .iter()
        .map(|p| Row {
            period: p.start.format("%Y-%m").to_string(),
            value_text: if p.n == 0 { "—".into() } else { fmt.point_value(metric, p) },
            interval_text: fmt.interval(metric, p),
            n: p.n,
        })
        .collect()
}

fn series_csv(metric: Metric, points: &[Point]) -> Table {
    let mut t = Table::new(vec!["period_start", "metric", "value", "ci_low", "ci_high", "n", "sufficient"]);
    for p in points {
        t.row(vec![
            p.start.to_string(),
            metric.key().into(),
            num(p.value),
            num(p.ci_low),
            num(p.ci_high),
            p.n.to_string(),
            (p.n >= MIN_SAMPLE).to_string(),
        ]);
    }
    t
}

/// A touchpoint's NPS, CSAT and CES over the filters.
#[derive(Debug, Clone)]
struct Scores {
    id: Id,
    name: String,
    nps: Point,
    csat: Point,
    ces: Point,
}

/// NPS, CSAT and CES of each of `touchpoints` (id, name), in that order:
/// three queries whatever their number.
async fn scores(
    store: &dyn Store,
    org: Id,
    touchpoints: &[(Id, String)],
    f: &Filters,
) -> Result<Vec<Scores>, AppError> {
    let ids: Vec<Id> = touchpoints.iter().map(|(id, _)| *id).collect();
    let mut per_metric = Vec::new();
    for m in [Metric::Nps, Metric::Csat, Metric::Ces] {
        let q = query(m, f, Interval::All);
        per_metric.push(measure::by_touchpoint(store, org, &q, Some(ids.clone())).await?.unwrap_or_default());
    }
    let point = |metric: usize, id: &Id| {
        per_metric[metric].get(id).copied().unwrap_or(Point {
            start: f.from,
            value: None,
            n: 0,
            ci_low: None,
            ci_high: None,
            sufficient: false,
        })
    };
    Ok(touchpoints
        .iter()
        .map(|(id, name)| Scores {
            id: *id,
            name: name.clone(),
            nps: point(0, id),
            csat: point(1, id),
            ces: point(2, id),
        })
        .collect())
}

fn scores_view(fmt: &Fmt<'_>, s: &Scores) -> minijinja::Value {
    context! {
        id => s.id,
        name => &s.name,
        n => s.nps.n.max(s.csat.n).max(s.ces.n),
        nps => fmt.point_value(Metric::Nps, &s.nps),
        nps_n => s.nps.n,
        csat => fmt.point_value(Metric::Csat, &s.csat),
        csat_n => s.csat.n,
        ces => fmt.point_value(Metric::Ces, &s.ces),
        ces_n => s.ces.n,
        nps_ok => s.nps.n >= MIN_SAMPLE,
        csat_ok => s.csat.n >= MIN_SAMPLE,
        ces_ok => s.ces.n >= MIN_SAMPLE,
    }
}

/// Customers' steps over the filters, sorted by (customer, day) as the
/// store reads them: a response is a step at its touchpoint, an event the
/// step its type stands for. Of a sample of at most [`JOURNEY_SAMPLE`]
/// customers: also returns (sampled, population).
async fn steps(store: &dyn Store, org: Id, f: &Filters) -> Result<(Vec<Step>, (i64, i64)), AppError> {
    let read = store.activity(org, f.from, f.to, f.segment, JOURNEY_SAMPLE).await?;
    let sample = (read.sampled, read.population);
    let steps = read
        .rows
        .into_iter()
        .map(|r| Step {
            customer: r.customer_id,
            day: r.day,
            kind: if r.kind == RESPONSE_KIND {
                r.touchpoint_id.map_or(StepKind::Other, StepKind::Touchpoint)
            } else {
                StepKind::from_event(&r.kind, r.touchpoint_id)
            },
        })
        .collect();
    Ok((steps, sample))
}

fn tp_name(program: &Program, id: Id) -> String {
    program.touchpoint(id).map(|t| t.name.clone()).unwrap_or_else(|| format!("#{id}"))
}

pub async fn experience(
    page: Page,
    WebPath(id): WebPath<Id>,
    q: Result<Query<FilterParams>, QueryRejection>,
) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let p = params(q);
    let (program, f) = load(&page, &p).await?;
    let e = program.experiences.iter().find(|e| e.id == id).ok_or(AppError::NotFound)?.clone();
    let (store, org) = (page.read_store(), page.org());
    let fmt = Fmt { state: &page.state, lang: page.lang() };
    let metric = e.goal.metric;
    let series = monthly(store, org, metric, &f, e.touchpoint_ids()).await?;
    let named: Vec<(Id, String)> = e.touchpoint_ids().into_iter().map(|tp| (tp, tp_name(&program, tp))).collect();
    let touchpoints = scores(store, org, &named, &f).await?;
    let (steps, (sampled, population)) = steps(store, org, &f).await?;
    let designed = e.touchpoint_ids();
    let outcomes: Vec<_> = interaction_outcomes(&steps, OUTCOME_WINDOW_DAYS, f.to)
        .into_iter()
        .filter(|o| designed.contains(&o.touchpoint))
        .collect();
    let table = p.table.as_deref().unwrap_or("touchpoints");
    if p.csv() {
        let name = format!("experience-{id}-{table}");
        return match table {
            "touchpoints" => {
                let mut t =
                    Table::new(vec!["touchpoint", "nps", "nps_n", "csat", "csat_n", "ces", "ces_n", "from", "to"]);
                for s in &touchpoints {
                    t.row(vec![
                        s.name.clone(),
                        num(s.nps.value),
                        s.nps.n.to_string(),
                        num(s.csat.value),
                        s.csat.n.to_string(),
                        num(s.ces.value),
                        s.ces.n.to_string(),
                        f.from.to_string(),
                        f.to.to_string(),
                    ]);
                }
                t.response(&name)
            }
            "series" => series_csv(metric, &series).response(&name),
            "outcomes" => {
                let mut t = Table::new(vec![
                    "touchpoint",
                    "customers",
                    "engaged",
                    "pulled_back",
                    "pending",
                    "engaged_share",
                    "pulled_back_share",
                ]);
                for o in &outcomes {
                    t.row(vec![
                        tp_name(&program, o.touchpoint),
                        o.customers.to_string(),
                        o.engaged.to_string(),
                        o.pulled_back.to_string(),
                        o.pending.to_string(),
                        num(o.engaged_share().value),
                        num(o.pulled_back_share().value),
                    ]);
                }
                t.response(&name)
            }
            _ => Err(AppError::NotFound.into()),
        };
    }
    let flow = journey_flow(&steps, &designed, TOP_PATHS);
    let flow_steps: Vec<FlowStep> = flow
        .designed
        .steps
        .iter()
        .map(|s| FlowStep { name: tp_name(&program, s.touchpoint), reached: s.reached, dropped: s.dropped })
        .collect();
    let flow_paths: Vec<FlowPath> = flow
        .actual
        .iter()
        .map(|p| FlowPath {
            names: p.touchpoints.iter().map(|t| tp_name(&program, *t)).collect(),
            customers: p.customers,
        })
        .collect();
    let flow_svg = flow_chart(
        &flow_steps,
        &flow_paths,
        &FlowLabels {
            title: fmt.t1("dashboard-flow-title", "name", e.name.clone()),
            reached: fmt.t("dashboard-flow-reached"),
            dropped: fmt.t("dashboard-flow-dropped"),
            customers: fmt.t("dashboard-flow-customers"),
        },
    );
    let metric_name = fmt.t(&format!("metric-{}", metric.key()));
    let svg = chart(&fmt, metric, &series, Some(e.goal.target), format!("{} · {}", e.name, metric_name));
    let current = measure::series_in_scope(store, org, &query(metric, &f, Interval::All), Some(e.touchpoint_ids()))
        .await?
        .into_iter()
        .next();
    let current_status = current.as_ref().map_or("insufficient", |p| status(metric, p, &Target::Goal(e.goal.target)));
    let outcomes: Vec<_> = outcomes
        .iter()
        .map(|o| {
            let (eng, back) = (o.engaged_share(), o.pulled_back_share());
            let share = |e: rapport_core::measure::Estimate| match e.value {
                Some(v) if e.sufficient => fmt.value(Metric::Csat, v),
                _ => fmt.t1("dashboard-insufficient", "n", o.decided().to_string()),
            };
            context! {
                id => o.touchpoint,
                name => tp_name(&program, o.touchpoint),
                customers => o.customers,
                pending => o.pending,
                engaged => share(eng),
                pulled_back => share(back),
            }
        })
        .collect();
    page.render(
        "dashboard/experience.html",
        context! {
            e => context! { id => e.id, name => &e.name, leader => program.owner(e.leader_id) },
            metric => metric.key(),
            metric_name => metric_name,
            target_text => fmt.value(metric, e.goal.target),
            period => e.goal.period.key(),
            current_text => current.as_ref().map_or_else(|| "—".to_string(), |p| fmt.point_value(metric, p)),
            current_interval => current.as_ref().map(|p| fmt.interval(metric, p)).unwrap_or_default(),
            current_n => current.as_ref().map_or(0, |p| p.n),
            status => current_status,
            chart => svg,
            rows => rows(&fmt, metric, &series),
            touchpoints => touchpoints.iter().map(|s| scores_view(&fmt, s)).collect::<Vec<_>>(),
            outcomes => outcomes,
            window_days => OUTCOME_WINDOW_DAYS,
            flow => flow_svg,
            flow_customers => flow.customers,
            sample => (sampled < population).then(|| context! { sampled => sampled, population => population }),
            filters => &f,
            query => f.query(),
        },
    )
}

pub async fn touchpoint(
    page: Page,
    WebPath(id): WebPath<Id>,
    q: Result<Query<FilterParams>, QueryRejection>,
) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let p = params(q);
    let (program, f) = load(&page, &p).await?;
    let tp = program.touchpoint(id).ok_or(AppError::NotFound)?.clone();
    let (store, org) = (page.read_store(), page.org());
    let fmt = Fmt { state: &page.state, lang: page.lang() };
    let series = monthly(store, org, Metric::Nps, &f, vec![id]).await?;
    if p.csv() {
        return match p.table.as_deref().unwrap_or("series") {
            "series" => series_csv(Metric::Nps, &series).response(&format!("touchpoint-{id}-nps")),
            _ => Err(AppError::NotFound.into()),
        };
    }
    let now = scores(store, org, &[(id, tp.name.clone())], &f).await?.pop().ok_or(AppError::NotFound)?;
    // The target: an intent criterion on this touchpoint's NPS, if any.
    let criteria = store.current_intent(org).await?.map(|i| i.criteria).unwrap_or_default();
    let target = criteria
        .iter()
        .find(|c| c.metric == Metric::Nps && c.scope == rapport_core::intent::Scope::Touchpoint(id))
        .map(|c| c.threshold);
    let experiences: Vec<_> = program
        .experiences
        .iter()
        .filter(|e| e.touchpoint_ids().contains(&id))
        .map(|e| context! { id => e.id, name => &e.name })
        .collect();
    let svg = chart(&fmt, Metric::Nps, &series, target, format!("{} · {}", tp.name, fmt.t("metric-nps")));
    let names = std::collections::HashMap::from([(id, tp.name.clone())]);
    let moments = super::super::feedback::moments(&page, Some(id), &names).await?;
    page.render(
        "dashboard/touchpoint.html",
        context! {
            tp => program.touchpoint_view(&tp),
            scores => scores_view(&fmt, &now),
            target_text => target.map(|t| fmt.value(Metric::Nps, t)),
            chart => svg,
            rows => rows(&fmt, Metric::Nps, &series),
            experiences => experiences,
            filters => &f,
            query => f.query(),
            moments => moments,
        },
    )
}
