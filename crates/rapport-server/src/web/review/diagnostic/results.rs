//! The results of a round (and its printable report), closing it, and the
//! trend chart of the rounds' list.

use crate::api::review::diagnostic::view::round_view;
use crate::api::review::diagnostic::DiagnosticRoundSummary;
use crate::web::format::fmt_money;
use crate::web::{see_other, Page, WebPath, WebResult};
use fluent_bundle::FluentValue;
use minijinja::context;
use rapport_core::review::diagnostic::evidence::{DiagnosticSignal, DiagnosticSuggestion};
use rapport_core::review::diagnostic::{question, text_key, DiagnosticArea};
use rapport_core::role::Permission;
use rapport_core::Id;
use std::collections::HashMap;

pub(super) async fn show(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    render(&page, id, false).await
}

pub(super) async fn print(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    render(&page, id, true).await
}

pub(super) async fn close(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::EditPlan)?;
    let audit = page.p.audit("diagnostic.round.close", format!("diagnostic_round:{id}"));
    match page.store().close_diagnostic_round(page.org(), id, &audit, chrono::Utc::now()).await {
        // Closing twice leaves it closed: show it.
        Ok(_) | Err(rapport_store::StoreError::Conflict { .. }) => see_other(&format!("/diagnostic/rounds/{id}")),
        Err(e) => Err(crate::error::AppError::from(e).into()),
    }
}

/// A suggestion's words, with its figures, in the page's language.
fn phrase(page: &Page, s: &DiagnosticSuggestion) -> String {
    let mut args: Vec<(&str, FluentValue<'_>)> = s
        .figures
        .iter()
        .map(|(k, v)| {
            let v = if k == "amount" { FluentValue::from(fmt_money(page.lang(), *v)) } else { FluentValue::from(*v) };
            (k.as_str(), v)
        })
        .collect();
    args.push(("channel", FluentValue::from(s.channel.clone().unwrap_or_else(|| "—".into()))));
    page.state.i18n.t(page.lang(), &format!("diagnostic-evidence-{}", s.kind), &args)
}

fn signal_key(s: Option<DiagnosticSignal>) -> Option<&'static str> {
    s.map(|s| match s {
        DiagnosticSignal::Strong => "strong",
        DiagnosticSignal::Partial => "partial",
        DiagnosticSignal::Weak => "weak",
    })
}

async fn render(page: &Page, id: Id, printing: bool) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let view = round_view(&page.state, page.org(), id).await?;
    let ids = [id];
    let (answers, people) = tokio::try_join!(
        page.read_store().diagnostic_answers(page.org(), &ids),
        page.read_store().list_people(page.org())
    )?;
    let names: HashMap<Id, &str> = people.iter().map(|p| (p.id, p.name.as_str())).collect();
    let suggestion: HashMap<&str, &DiagnosticSuggestion> = view.suggestions.iter().map(|s| (s.question, s)).collect();
    let delta = |area: DiagnosticArea| {
        view.trend.as_ref().and_then(|t| t.areas.iter().find(|a| a.area == area)).and_then(|a| a.delta)
    };
    let areas: Vec<_> = view
        .scores
        .areas
        .iter()
        .map(|a| {
            let questions: Vec<_> = view
                .scores
                .questions
                .iter()
                .filter(|q| q.area == a.area)
                .map(|q| {
                    let text = question(q.question).map(|x| page.t(&text_key(x))).unwrap_or_default();
                    let comments: Vec<_> = answers
                        .iter()
                        .filter(|x| x.question == q.question)
                        .filter_map(|x| {
                            let c = x.comment.as_deref()?;
                            Some(context! { who => names.get(&x.person_id).copied().unwrap_or("—"), text => c, score => x.score })
                        })
                        .collect();
                    let s = suggestion.get(q.question).map(|s| {
                        context! { text => phrase(page, s), signal => signal_key(s.signal), link => s.link }
                    });
                    context! {
                        key => q.question, number => q.number, text => text, answered => q.answered,
                        mean => q.mean, sd => q.spread.map(|x| x.sd), min => q.spread.map(|x| x.min),
                        max => q.spread.map(|x| x.max), disagree => q.disagree,
                        percent => q.mean.map(|m| m * 20.0),
                        suggestion => s, comments => comments,
                    }
                })
                .collect();
            context! {
                key => a.area.key(), mean => a.mean, percent => a.percent,
                sd => a.spread.map(|x| x.sd), min => a.spread.map(|x| x.min), max => a.spread.map(|x| x.max),
                disagreements => a.disagreements, delta => delta(a.area), questions => questions,
            }
        })
        .collect();
    let s = &view.scores;
    page.render(
        "review/diagnostic/round.html",
        context! {
            round => context! {
                id => view.round.id, name => &view.round.name, opened_on => view.round.opened_on.to_string(),
                closed => view.round.is_closed(), closed_at => view.round.closed_at.map(|t| t.to_rfc3339()),
            },
            answerers => s.answerers, overall => s.overall, overall_percent => s.overall_percent,
            overall_sd => s.overall_spread.map(|x| x.sd), overall_min => s.overall_spread.map(|x| x.min),
            overall_max => s.overall_spread.map(|x| x.max),
            overall_delta => view.trend.as_ref().and_then(|t| t.overall_delta),
            areas => areas, printing => printing,
            can_answer => !view.round.is_closed() && page.p.can(Permission::Contribute),
        },
    )
}

/// Chart geometry: a 640 × 240 view box, the 1–5 scale on the y axis.
const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

fn y_of(score: f64) -> f64 {
    TOP + (5.0 - score) / 4.0 * (H - TOP - BOTTOM)
}

/// The trend as SVG polylines: one per area and one overall, oldest round
/// first; `None` until two rounds have answers.
pub(super) fn trend_chart(page: &Page, rounds: &[DiagnosticRoundSummary]) -> Option<minijinja::Value> {
    let oldest_first: Vec<&DiagnosticRoundSummary> = rounds.iter().rev().filter(|r| r.overall.is_some()).collect();
    if oldest_first.len() < 2 {
        return None;
    }
    let step = (W - LEFT - RIGHT) / (oldest_first.len() - 1) as f64;
    let x_of = |i: usize| LEFT + step * i as f64;
    // (x, y, score) of each round that has a figure.
    let line = |value: &dyn Fn(&DiagnosticRoundSummary) -> Option<f64>| -> Vec<(f64, f64, f64)> {
        oldest_first.iter().enumerate().filter_map(|(i, r)| value(r).map(|v| (x_of(i), y_of(v), v))).collect()
    };
    let drawn = |key: &str, name: String, pts: Vec<(f64, f64, f64)>| {
        let points = pts.iter().map(|(x, y, _)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
        let dots: Vec<_> = pts.iter().map(|(x, y, v)| context! { x => x, y => y, v => v }).collect();
        context! { key => key, name => name, points => points, dots => dots }
    };
    let mut series = Vec::new();
    for area in DiagnosticArea::ALL {
        let pts = line(&|r: &DiagnosticRoundSummary| r.areas.iter().find(|a| a.area == area).and_then(|a| a.mean));
        series.push(drawn(area.key(), page.t(&format!("diagnostic-area-{}", area.key())), pts));
    }
    series.push(drawn("overall", page.t("diagnostic-overall"), line(&|r: &DiagnosticRoundSummary| r.overall)));
    let labels: Vec<_> =
        oldest_first.iter().enumerate().map(|(i, r)| context! { x => x_of(i), name => &r.round.name }).collect();
    let grid: Vec<_> = (1..=5).map(|s| context! { y => y_of(s as f64), label => s }).collect();
    Some(context! {
        width => W, height => H, left => LEFT, right => W - RIGHT, bottom => H - BOTTOM,
        series => series, labels => labels, grid => grid,
    })
}
