//! The dashboard's closed-loop section (D1): for the dashboard's period,
//! the closed-loop rate (detractor cases answered within the first-response
//! promise), the share of all cases answered within it and the median time
//! to first response, overall, per touchpoint and per agent. The figures
//! are `rapport_core::case::closed_loop`'s, read through the same service
//! as `GET /api/v1/cases/closed-loop`, from the read store.

use super::Filters;
use crate::web::view::Program;
use crate::web::{Page, WebError};
use minijinja::{context, Value};
use rapport_core::case::closed_loop::{ClosedLoopFigures, ClosedLoopGroup};
use rapport_core::Id;

/// A share as a whole percentage; "—" without any case to count.
fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| format!("{:.0}%", v * 100.0))
}

fn minutes(page: &Page, m: Option<i64>) -> String {
    match m {
        None => "—".to_string(),
        Some(m) if m < 60 => page.state.i18n.t(page.lang(), "closed-loop-minutes", &[("m", m.into())]),
        Some(m) => {
            page.state.i18n.t(page.lang(), "closed-loop-hours", &[("h", (m / 60).into()), ("m", (m % 60).into())])
        }
    }
}

fn figures(page: &Page, name: String, f: &ClosedLoopFigures) -> Value {
    context! {
        name => name,
        cases => f.cases,
        detractor_cases => f.detractor_cases,
        detractors_decided => f.detractors_decided,
        detractors_in_time => f.detractors_in_time,
        rate => pct(f.closed_loop_rate),
        within => pct(f.within_promise),
        decided => f.decided,
        in_time => f.in_time,
        median => minutes(page, f.median_first_response_minutes),
    }
}

fn rows(page: &Page, groups: &[ClosedLoopGroup], name: impl Fn(Id) -> Option<String>, none: &str) -> Vec<Value> {
    groups
        .iter()
        .map(|g| {
            let n = match g.id {
                Some(id) => name(id).unwrap_or_else(|| format!("#{id}")),
                None => page.t(none),
            };
            figures(page, n, &g.figures)
        })
        .collect()
}

/// What `dashboard/_closed_loop.html` reads as `closed_loop`.
pub async fn view(page: &Page, f: &Filters, program: &Program) -> Result<Value, WebError> {
    let answer = crate::api::case_queue::figures(page.read_store(), page.org(), f.from, f.to).await?;
    let r = &answer.report;
    let person = |id: Id| program.people.iter().find(|p| p.id == id).map(|p| p.name.clone());
    let touchpoint = |id: Id| program.touchpoints.iter().find(|t| t.id == id).map(|t| t.name.clone());
    Ok(context! {
        overall => figures(page, String::new(), &r.overall),
        touchpoints => rows(page, &r.touchpoints, touchpoint, "closed-loop-no-touchpoint"),
        agents => rows(page, &r.agents, person, "case-unassigned"),
        from => answer.from.to_string(),
        to => answer.to.to_string(),
    })
}
