//! A survey's results page (`/surveys/{id}/results`: each score, matrix row,
//! slider and number, its mean with a 95% interval and its trend) and its
//! answers as one table (`/surveys/{id}/answers.csv`), as the API gives them
//! (`api/survey_results.rs`, `api/survey_answers.rs`), for a signed-in person.

use super::{Page, WebPath, WebResult};
use crate::api::survey_results::results_period;
use crate::csv::num;
use crate::measure::survey_results::survey_results;
use crate::state::AppState;
use axum::extract::Query;
use axum::routing::get;
use axum::Router;
use minijinja::context;
use rapport_core::role::Permission;
use rapport_core::Id;
use serde::{Deserialize, Serialize};

pub fn routes() -> Router<AppState> {
    Router::new().route("/surveys/{id}/results", get(results)).route("/surveys/{id}/answers.csv", get(answers_csv))
}

#[derive(Debug, Default, Deserialize)]
struct Period {
    from: Option<String>,
    to: Option<String>,
    interval: Option<String>,
}

/// One line of the results table.
#[derive(Serialize)]
struct Line {
    key: String,
    label: String,
    n: i64,
    mean: Option<f64>,
    ci_low: Option<f64>,
    ci_high: Option<f64>,
    sufficient: bool,
    scale: String,
    trend_svg: String,
}

async fn results(page: Page, WebPath(id): WebPath<Id>, Query(p): Query<Period>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let period = results_period(p.from, p.to, p.interval)?;
    let store = page.read_store();
    let survey = store.get_survey(page.org(), id).await?;
    let r = survey_results(store, page.org(), survey, period).await?;
    let lang = page.lang();
    let lines: Vec<Line> = r
        .items
        .iter()
        .map(|i| {
            let trend: Vec<Option<f64>> =
                i.series.iter().map(|p| p.estimate.value.filter(|_| p.estimate.n > 0)).collect();
            Line {
                key: i.key.clone(),
                label: i.label.get(lang).to_string(),
                n: i.overall.n,
                mean: i.overall.value,
                ci_low: i.overall.ci_low,
                ci_high: i.overall.ci_high,
                sufficient: i.overall.sufficient,
                scale: match (i.min, i.max) {
                    (Some(lo), Some(hi)) => format!("{} – {}", num(Some(lo)), num(Some(hi))),
                    _ => String::new(),
                },
                trend_svg: super::charts::sparkline(&trend, 120.0, 28.0),
            }
        })
        .collect();
    page.render(
        "surveys/results.html",
        context! {
            id => id,
            title => r.title.get(lang),
            lines => lines,
            from => r.from.to_string(),
            to => r.to.to_string(),
            interval => r.interval.key(),
            intervals => ["week", "month", "quarter", "year"],
        },
    )
}

async fn answers_csv(page: Page, WebPath(id): WebPath<Id>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let store = page.state.read_store.clone();
    let survey = store.get_survey(page.org(), id).await?;
    Ok(crate::response_csv::survey_answers(store, page.org(), survey))
}
