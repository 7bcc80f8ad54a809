//! F2. The 20-question diagnostic: the pages (Measure/Review menu group).
//! - `/diagnostic`: the rounds with their overall score and the trend per
//!   area (inline SVG), and the form to open a round (`EditPlan`);
//! - `/diagnostic/rounds/{id}`: results per area and question with the
//!   spread, the disagreements, the comments and the evidence suggestions;
//!   `/diagnostic/rounds/{id}/print` the same as a printable report;
//! - `/diagnostic/rounds/{id}/answer`: the questionnaire (twenty radio
//!   groups 1–5 with comments; no JavaScript), for `Contribute`.
//!
//! Stable ids for browser tests: radios `q-<key>-<score>` (e.g. `q-q1-5`),
//! comments `comment-<key>`, the submit button `diagnostic-submit`; the new
//! round form `diagnostic-round-form` with `f-name`, `f-opened_on` and
//! `diagnostic-open-round`; the close button `diagnostic-close`.

mod answer;
mod results;

use crate::error::AppError;
use crate::state::AppState;
use crate::web::form::{checked, outcome, FormData};
use crate::web::{see_other, Page, WebResult};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use minijinja::context;
use rapport_core::review::diagnostic::round::DiagnosticRoundDraft;
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/diagnostic", get(list))
        .route("/diagnostic/rounds", post(create))
        .route("/diagnostic/rounds/{id}", get(results::show))
        .route("/diagnostic/rounds/{id}/print", get(results::print))
        .route("/diagnostic/rounds/{id}/answer", get(answer::show).post(answer::save))
        .route("/diagnostic/rounds/{id}/close", post(results::close))
}

async fn list(page: Page) -> WebResult {
    render_list(&page, BTreeMap::new(), BTreeMap::new(), StatusCode::OK).await
}

async fn render_list(
    page: &Page,
    v: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    status: StatusCode,
) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let summaries = crate::api::review::diagnostic::summaries(&page.state, page.org()).await?;
    let chart = results::trend_chart(page, &summaries);
    let rounds: Vec<_> = summaries
        .iter()
        .map(|r| {
            context! {
                id => r.round.id, name => &r.round.name, opened_on => r.round.opened_on.to_string(),
                closed => r.round.is_closed(), answerers => r.answerers,
                overall => r.overall, overall_percent => r.overall_percent, delta => r.overall_delta,
            }
        })
        .collect();
    let mut v = v;
    v.entry("opened_on".into()).or_insert_with(|| Utc::now().date_naive().to_string());
    page.render_status(
        status,
        "review/diagnostic/list.html",
        context! { rounds => rounds, chart => chart, v => v, errors => errors },
    )
}

async fn create(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let mut parsed = FieldErrors::new();
    let draft = DiagnosticRoundDraft { name: form.text("name"), opened_on: form.date("opened_on", &mut parsed) };
    let r = async {
        let input = checked(parsed, draft.validate(Utc::now().date_naive()))?;
        let audit = page.p.audit_created("diagnostic.round.create", "diagnostic_round:");
        Ok::<_, AppError>(page.store().create_diagnostic_round(page.org(), &input, &audit).await?)
    };
    match outcome(r.await)? {
        Ok(round) => see_other(&format!("/diagnostic/rounds/{}/answer", round.id)),
        Err((status, e)) => render_list(&page, form.values(), page.errors(&e), status).await,
    }
}

#[cfg(test)]
mod tests;
