//! `/dashboard`: the metric tiles, the intent criteria and the experiences'
//! goals; its CSV exports; the wall-screen mode and the JSON its script
//! polls.

use super::csv::{num, Table};
use super::{load, params, FilterParams, Filters};
use crate::error::AppError;
use crate::measure::{self, monitor, MetricQuery, Point};
use crate::state::AppState;
use crate::web::format::{fmt_metric, fmt_number};
use crate::web::intent::criteria_views;
use crate::web::view::Program;
use crate::web::{Page, WebResult};
use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;
use chrono::{Datelike, Months, NaiveDate};
use fluent_bundle::FluentValue;
use minijinja::context;
use rapport_core::intent::{Criterion, Scope};
use rapport_core::lang::Lang;
use rapport_core::measure::{self as measure_core, period_interval, success_rate, Interval, MIN_SAMPLE};
use rapport_core::metric::Metric;
use rapport_core::role::Permission;
use rapport_core::Id;
use rapport_store::Store;
use serde::Serialize;

/// The metrics with a tile, in display order; rating only when it has data.
const TILE_METRICS: [Metric; 8] = [
    Metric::Nps,
    Metric::Csat,
    Metric::Ces,
    Metric::Rating,
    Metric::PositiveFeedbackRate,
    Metric::RepeatPurchaseRate,
    Metric::ReferralRate,
    Metric::ChurnRate,
];

/// Where a target comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// An experience's goal (its goal panel and drill-down, never an
    /// organization-wide tile).
    Goal(f64),
    /// A criterion of the current intent statement on the metric.
    Criterion(Criterion),
    None,
}

impl Target {
    pub fn value(&self) -> Option<f64> {
        match self {
            Target::Goal(t) => Some(*t),
            Target::Criterion(c) => Some(c.threshold),
            Target::None => None,
        }
    }
}

/// One organization-wide tile's numbers, before formatting.
#[derive(Debug, Clone)]
pub struct Tile {
    pub metric: Metric,
    /// The organization's own target: an intent criterion on the whole
    /// organization, if the current statement has one on the metric.
    pub target: Target,
    /// The value over the selected days.
    pub current: Point,
    /// One value per month of the last twelve (`None`: too little data).
    pub trend: Vec<Option<f64>>,
    /// met, at_risk, missed, insufficient, or none (no target).
    pub status: &'static str,
    /// The change from the period of the same length just before, with its
    /// test (C9); `None` when it cannot be tested.
    pub change: Option<measure_core::Change>,
    /// The days of the selected period (and so of the one compared with).
    pub days: i64,
}

/// The status of `value` against `target`. With too few answers it is
/// insufficient whatever the value. Against an intent criterion, the
/// criterion's own bands (its margin) decide; against a goal, a value that
/// clears the target is met when its whole 95% interval does, and at risk
/// when the interval still reaches the wrong side.
pub fn status(metric: Metric, p: &Point, target: &Target) -> &'static str {
    let Some(v) = p.value.filter(|_| p.n >= MIN_SAMPLE) else { return "insufficient" };
    match target {
        Target::None => "none",
        Target::Criterion(c) => c.evaluate(v).key(),
        Target::Goal(t) => {
            let (clears, sure) = if metric.higher_is_better() {
                (v >= *t, p.ci_low.is_none_or(|lo| lo >= *t))
            } else {
                (v <= *t, p.ci_high.is_none_or(|hi| hi <= *t))
            };
            match (clears, sure) {
                (false, _) => "missed",
                (true, true) => "met",
                (true, false) => "at_risk",
            }
        }
    }
}

/// The first day of the month eleven months before `to`'s: twelve monthly
/// buckets ending with `to`'s month.
fn trend_from(to: NaiveDate) -> NaiveDate {
    let first = to.with_day(1).unwrap_or(to);
    first.checked_sub_months(Months::new(11)).unwrap_or(first)
}

/// The query for `metric` over the filters, optionally scoped.
pub fn query(metric: Metric, f: &Filters, interval: Interval) -> MetricQuery {
    MetricQuery {
        metric,
        experience: None,
        touchpoint: None,
        segment: f.segment,
        from: f.from,
        to: f.to,
        interval,
        behaviour: None,
    }
}

/// The tiles over the filters.
pub async fn compute(store: &dyn Store, org: Id, criteria: &[Criterion], f: &Filters) -> Result<Vec<Tile>, AppError> {
    let mut out = Vec::new();
    // The three behaviour rates share their reads.
    let mut memo = measure::BehaviourMemo::default();
    for metric in TILE_METRICS {
        let q = query(metric, f, Interval::All);
        let current = measure::series_with(&mut memo, store, org, &q, None)
            .await?
            .into_iter()
            .next()
            .unwrap_or(Point { start: f.from, value: None, n: 0, ci_low: None, ci_high: None, sufficient: false });
        let monthly = MetricQuery { from: trend_from(f.to), interval: Interval::Month, ..q };
        let trend_points = measure::series_with(&mut memo, store, org, &monthly, None).await?;
        if metric == Metric::Rating && current.n == 0 && trend_points.iter().all(|p| p.n == 0) {
            continue;
        }
        let trend = trend_points.iter().map(|p| p.value.filter(|_| p.sufficient)).collect();
        let change = measure::period_change(&mut memo, store, org, &q, &current).await?;
        // The tiles are the organization's: an experience's goal on the same
        // metric is that experience's (its goal panel below and its
        // drill-down), and a criterion on one experience or touchpoint is
        // judged there, so neither sets the organization's target or owner.
        let target = criteria
            .iter()
            .find(|c| c.metric == metric && c.scope == Scope::Organization)
            .map_or(Target::None, |c| Target::Criterion(c.clone()));
        let status = status(metric, &current, &target);
        let days = (f.to - f.from).num_days() + 1;
        out.push(Tile { metric, target, current, trend, status, change, days });
    }
    Ok(out)
}

/// A tile as pages, the CSV and the wall's JSON show it.
#[derive(Debug, Clone, Serialize)]
pub struct TileView {
    pub metric: &'static str,
    pub name: String,
    pub owner: String,
    pub target: Option<f64>,
    pub target_text: String,
    pub value: Option<f64>,
    /// The value in its unit, or "insufficient data (n = k)".
    pub value_text: String,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// "95% interval: a – b", empty without one.
    pub interval_text: String,
    pub n: i64,
    pub n_text: String,
    pub sufficient: bool,
    pub status: &'static str,
    pub status_text: String,
    /// leading (what customers say) or lagging (what they do).
    pub kind: &'static str,
    pub kind_text: String,
    pub trend_svg: String,
    /// The change from the previous period of the same length: its size,
    /// p-value and whether it is significant (`significant`,
    /// `not_significant`, or `untested`), and all that as a sentence.
    pub change_delta: Option<f64>,
    pub change_p: Option<f64>,
    pub change_significance: &'static str,
    pub change_text: String,
}

/// Formats tiles in the page's language.
pub struct Fmt<'a> {
    pub state: &'a AppState,
    pub lang: Lang,
}

impl Fmt<'_> {
    pub fn t(&self, key: &str) -> String {
        self.state.i18n.t(self.lang, key, &[])
    }

    pub fn t1(&self, key: &str, name: &str, v: String) -> String {
        self.state.i18n.t(self.lang, key, &[(name, FluentValue::from(v))])
    }

    pub fn value(&self, metric: Metric, v: f64) -> String {
        match metric {
            // A mean on a 1–7 (or 1–10) scale: its decimals matter.
            Metric::Ces | Metric::Rating => fmt_number(self.lang, v),
            _ => fmt_metric(self.lang, metric.key(), v),
        }
    }

    /// The value, or the insufficient-data note naming n.
    pub fn point_value(&self, metric: Metric, p: &Point) -> String {
        match p.value {
            Some(v) if p.n >= MIN_SAMPLE => self.value(metric, v),
            _ => self.t1("dashboard-insufficient", "n", p.n.to_string()),
        }
    }

    pub fn interval(&self, metric: Metric, p: &Point) -> String {
        match (p.ci_low, p.ci_high) {
            (Some(lo), Some(hi)) if p.n >= MIN_SAMPLE => self.state.i18n.t(
                self.lang,
                "dashboard-interval",
                &[
                    ("low", FluentValue::from(self.value(metric, lo))),
                    ("high", FluentValue::from(self.value(metric, hi))),
                ],
            ),
            _ => String::new(),
        }
    }

    pub fn tile(&self, t: &Tile) -> TileView {
        let kind = if t.metric.is_behaviour() { "lagging" } else { "leading" };
        let owner = self.t("dashboard-owner-organization");
        let target = t.target.value();
        TileView {
            metric: t.metric.key(),
            name: self.t(&format!("metric-{}", t.metric.key())),
            owner,
            target,
            target_text: target.map_or_else(|| "—".to_string(), |v| self.value(t.metric, v)),
            value: t.current.value,
            value_text: self.point_value(t.metric, &t.current),
            ci_low: t.current.ci_low,
            ci_high: t.current.ci_high,
            interval_text: self.interval(t.metric, &t.current),
            n: t.current.n,
            n_text: self.t1("dashboard-n", "n", t.current.n.to_string()),
            sufficient: t.current.n >= MIN_SAMPLE,
            status: t.status,
            status_text: self.t(&format!("dashboard-status-{}", t.status)),
            kind,
            kind_text: self.t(&format!("dashboard-kind-{kind}")),
            trend_svg: self.sparkline(t),
            change_delta: t.change.map(|c| c.delta),
            change_p: t.change.map(|c| c.p_value),
            change_significance: measure_core::significance(t.change.as_ref()),
            change_text: self.change(t),
        }
    }

    /// The tile's monthly trend, its scale in the metric's unit.
    pub fn sparkline(&self, t: &Tile) -> String {
        crate::web::charts::sparkline_scaled(&t.trend, 120.0, 28.0, &|v| self.value(t.metric, v))
    }

    /// "+4 pts vs the previous 90 days (significant, p = 0.012)".
    pub fn change(&self, t: &Tile) -> String {
        let significance = measure_core::significance(t.change.as_ref());
        let mut args = vec![("days", FluentValue::from(t.days))];
        if let Some(c) = t.change {
            let delta = fmt_number(self.lang, c.delta);
            let signed = if delta.starts_with('-') || delta == "0" { delta } else { format!("+{delta}") };
            args.push(("delta", FluentValue::from(signed.replacen('-', "−", 1))));
            args.push(("p", FluentValue::from(fmt_p(self.lang, c.p_value))));
        }
        self.state.i18n.t(self.lang, &format!("polish-change-{significance}"), &args)
    }
}

/// A p-value to three decimals ("p = 0.012", "p = 0,012"), or "p < 0.001".
fn fmt_p(lang: Lang, p: f64) -> String {
    let text = if p < 0.001 { "p < 0.001".to_string() } else { format!("p = {p:.3}") };
    match lang {
        Lang::En => text,
        Lang::Es => text.replace('.', ","),
    }
}

/// An experience's goal judged period by period.
#[derive(Debug, Clone, Serialize)]
pub struct GoalView {
    pub id: Id,
    pub name: String,
    pub metric: &'static str,
    pub metric_text: String,
    pub period: &'static str,
    pub target_text: String,
    pub target: f64,
    /// The latest period's value (or the insufficient note).
    pub current_text: String,
    pub current: Option<f64>,
    pub n: i64,
    pub status: &'static str,
    pub status_text: String,
    /// Periods met / judged, and the rate with its interval, as text.
    pub met: i64,
    pub judged: i64,
    pub success_text: String,
    pub success: Option<f64>,
}

/// How many periods of each length a goal is judged over.
fn goal_span(interval: Interval, to: NaiveDate) -> NaiveDate {
    let months = match interval {
        Interval::Month => 11,
        Interval::Quarter => 21,
        _ => 24,
    };
    let first = to.with_day(1).unwrap_or(to);
    let first = if interval == Interval::Year { first.with_month(1).unwrap_or(first) } else { first };
    first.checked_sub_months(Months::new(months)).unwrap_or(first)
}

/// Each experience's goal over its own periods (the last twelve months, two
/// years of quarters or three years), for the filters' segment.
pub async fn goals(
    store: &dyn Store,
    org: Id,
    program: &Program,
    f: &Filters,
    fmt: &Fmt<'_>,
) -> Result<Vec<GoalView>, AppError> {
    let mut out = Vec::new();
    for e in &program.experiences {
        let interval = period_interval(e.goal.period);
        let q = MetricQuery {
            metric: e.goal.metric,
            experience: Some(e.id),
            touchpoint: None,
            segment: f.segment,
            from: goal_span(interval, f.to),
            to: f.to,
            interval,
            behaviour: e.goal.behaviour_id,
        };
        let points = measure::series_in_scope(store, org, &q, Some(e.touchpoint_ids())).await?;
        let target = Target::Goal(e.goal.target);
        let met: Vec<Option<bool>> = points
            .iter()
            .map(|p| match status(e.goal.metric, p, &target) {
                "insufficient" => None,
                s => Some(s != "missed"),
            })
            .collect();
        let rate = success_rate(&met);
        let (hits, judged) = rapport_core::measure::goal_success(&met).unwrap_or((0, 0));
        let last = points.last().cloned();
        let st = last.as_ref().map_or("insufficient", |p| status(e.goal.metric, p, &target));
        let success_text = match rate.and_then(|r| r.value) {
            Some(v) => fmt.state.i18n.t(
                fmt.lang,
                "dashboard-goal-success",
                &[
                    ("rate", FluentValue::from(fmt_metric(fmt.lang, "csat", v))),
                    ("met", FluentValue::from(hits.to_string())),
                    ("judged", FluentValue::from(judged.to_string())),
                ],
            ),
            None => fmt.t("dashboard-goal-unjudged"),
        };
        out.push(GoalView {
            id: e.id,
            name: e.name.clone(),
            metric: e.goal.metric.key(),
            metric_text: fmt.t(&format!("metric-{}", e.goal.metric.key())),
            period: e.goal.period.key(),
            target_text: fmt.value(e.goal.metric, e.goal.target),
            target: e.goal.target,
            current_text: last.as_ref().map_or_else(|| "—".into(), |p| fmt.point_value(e.goal.metric, p)),
            current: last.as_ref().and_then(|p| p.value),
            n: last.as_ref().map_or(0, |p| p.n),
            status: st,
            status_text: fmt.t(&format!("dashboard-status-{st}")),
            met: hits,
            judged,
            success_text,
            success: rate.and_then(|r| r.value),
        });
    }
    Ok(out)
}

async fn criteria_of(page: &Page) -> Result<Vec<Criterion>, AppError> {
    Ok(page.read_store().current_intent(page.org()).await?.map(|i| i.criteria).unwrap_or_default())
}

pub async fn show(page: Page, q: Result<Query<FilterParams>, QueryRejection>) -> WebResult {
    show_with(page, params(q)).await
}

/// `/dashboard/wall`: the wall screen at an address of its own (the same
/// page as `/dashboard?wall=1`), with the dashboard's filters.
pub async fn wall(page: Page, q: Result<Query<FilterParams>, QueryRejection>) -> WebResult {
    let p = FilterParams { wall: Some("1".into()), format: None, ..params(q) };
    show_with(page, p).await
}

async fn show_with(page: Page, p: FilterParams) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let (program, f) = load(&page, &p).await?;
    let fmt = Fmt { state: &page.state, lang: page.lang() };
    let criteria = criteria_of(&page).await?;
    let tiles: Vec<TileView> =
        compute(page.read_store(), page.org(), &criteria, &f).await?.iter().map(|t| fmt.tile(t)).collect();
    let table = p.table.as_deref().unwrap_or("tiles");
    if p.wall() && !p.csv() {
        return page.render(
            "dashboard/wall.html",
            context! {
                tiles => tiles,
                filters => &f,
                query => f.query(),
                segment_name => segment_name(&program, f.segment),
                js_version => crate::web::assets::wall_js_version(),
            },
        );
    }
    let states = if p.csv() && table != "criteria" {
        Vec::new()
    } else {
        monitor::check_on(page.read_store(), page.store(), page.org()).await?
    };
    let goals = if p.csv() && table != "goals" {
        Vec::new()
    } else {
        goals(page.read_store(), page.org(), &program, &f, &fmt).await?
    };
    if p.csv() {
        return match table {
            "tiles" => tiles_csv(&tiles, &f).response("dashboard-tiles"),
            "criteria" => criteria_csv(&states, &program).response("dashboard-criteria"),
            "goals" => goals_csv(&goals).response("dashboard-goals"),
            _ => Err(AppError::NotFound.into()),
        };
    }
    let views = criteria_views(&criteria, &states, |s| program.scope_name(s));
    let criteria: Vec<_> = states
        .iter()
        .zip(views)
        .map(|(s, v)| {
            let point = Point {
                start: f.to,
                value: s.value,
                n: s.n,
                ci_low: None,
                ci_high: None,
                sufficient: s.n >= MIN_SAMPLE,
            };
            context! {
                c => v,
                value_text => fmt.point_value(s.criterion.metric, &point),
                threshold_text => fmt.value(s.criterion.metric, s.criterion.threshold),
                n => s.n,
                status => s.status.key(),
            }
        })
        .collect();
    let segments: Vec<_> = program.segments.iter().map(|s| context! { id => s.id, name => &s.name }).collect();
    let names = program.touchpoints.iter().map(|t| (t.id, t.name.clone())).collect();
    let moments = super::super::feedback::moments(&page, None, &names).await?;
    // What it is worth (C8): the last refit's figures, cheap to read.
    let roce = crate::api::measure::roce::current(&page.state, page.org()).await?;
    let value = roce.refit_id.map(|_| {
        context! { revenue_at_risk => roce.report.revenue_at_risk, cost_of_poor_service => roce.report.cost_of_poor_service,
                   fitted_at => roce.fitted_at.map(|t| t.to_rfc3339()) }
    });
    let closed_loop = super::closed_loop::view(&page, &f, &program).await?;
    page.render(
        "dashboard/index.html",
        context! {
            closed_loop => closed_loop,
            tiles => tiles,
            value => value,
            criteria => criteria,
            goals => goals,
            filters => &f,
            query => f.query(),
            segments => segments,
            periods => super::PERIODS.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            window_days => monitor::WINDOW_DAYS,
            min_sample => MIN_SAMPLE,
            touchpoints => program.touchpoints.iter().map(|t| context! { id => t.id, name => &t.name }).collect::<Vec<_>>(),
            moments => moments,
        },
    )
}

fn segment_name(program: &Program, id: Option<Id>) -> Option<String> {
    id.and_then(|id| program.segments.iter().find(|s| s.id == id)).map(|s| s.name.clone())
}

fn tiles_csv(tiles: &[TileView], f: &Filters) -> Table {
    let mut t = Table::new(vec![
        "metric",
        "owner",
        "target",
        "value",
        "ci_low",
        "ci_high",
        "n",
        "sufficient",
        "status",
        "kind",
        "from",
        "to",
    ]);
    for x in tiles {
        t.row(vec![
            x.metric.into(),
            x.owner.clone(),
            num(x.target),
            num(x.value),
            num(x.ci_low),
            num(x.ci_high),
            x.n.to_string(),
            x.sufficient.to_string(),
            x.status.into(),
            x.kind.into(),
            f.from.to_string(),
            f.to.to_string(),
        ]);
    }
    t
}

fn criteria_csv(states: &[monitor::CriterionState], program: &Program) -> Table {
    let mut t = Table::new(vec!["metric", "scope", "comparator", "threshold", "margin", "value", "n", "status"]);
    for s in states {
        let c = &s.criterion;
        let scope = program.scope_name(&c.scope).unwrap_or_else(|| "organization".into());
        let comparator = serde_json::to_value(c.comparator).ok().and_then(|v| v.as_str().map(str::to_string));
        t.row(vec![
            c.metric.key().into(),
            scope,
            comparator.unwrap_or_default(),
            num(Some(c.threshold)),
            num(Some(c.margin)),
            num(s.value),
            s.n.to_string(),
            s.status.key().into(),
        ]);
    }
    t
}

fn goals_csv(goals: &[GoalView]) -> Table {
    let mut t = Table::new(vec![
        "experience",
        "metric",
        "period",
        "target",
        "current",
        "n",
        "status",
        "periods_met",
        "periods_judged",
        "success_rate",
    ]);
    for g in goals {
        t.row(vec![
            g.name.clone(),
            g.metric.into(),
            g.period.into(),
            num(Some(g.target)),
            num(g.current),
            g.n.to_string(),
            g.status.into(),
            g.met.to_string(),
            g.judged.to_string(),
            num(g.success),
        ]);
    }
    t
}

/// What the wall-screen script polls: the tiles' values, formatted.
#[derive(Debug, Serialize)]
pub struct WallTiles {
    pub tiles: Vec<TileView>,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

pub async fn json(page: Page, q: Result<Query<FilterParams>, QueryRejection>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let p = params(q);
    let (_, f) = load(&page, &p).await?; // checks the filters against the program
    let fmt = Fmt { state: &page.state, lang: page.lang() };
    let criteria = criteria_of(&page).await?;
    let tiles = compute(page.read_store(), page.org(), &criteria, &f).await?.iter().map(|t| fmt.tile(t)).collect();
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(WallTiles { tiles, from: f.from, to: f.to })).into_response())
}
