//! The at-risk list: customers by value at risk (lifetime value × churn
//! risk), highest first, a page at a time, with each one's top reason and
//! the way to act (the profile, where a case is opened); and its CSV.

use crate::api::measure::at_risk::RiskKey;
use crate::api::page::{decode_key, encode};
use crate::web::dashboard::csv::Table;
use crate::web::{Page, WebResult};
use axum::extract::Query;
use minijinja::context;
use rapport_core::role::Permission;
use rapport_store::CustomerScore;
use serde::Deserialize;

const PAGE_SIZE: i64 = 50;
/// Rows of the CSV at most (the list's top; the API pages the rest).
const CSV_MAX: usize = 10_000;

#[derive(Deserialize)]
pub(super) struct ListQuery {
    after: Option<String>,
}

fn key(s: &CustomerScore) -> RiskKey {
    RiskKey { value: s.value_at_risk, id: s.customer_id }
}

pub(super) async fn list(page: Page, Query(q): Query<ListQuery>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let after = q.after.as_deref().and_then(|a| decode_key::<RiskKey>("at-risk", a)).map(|k| (k.value, k.id));
    let store = page.read_store();
    let mut rows = store.at_risk(page.org(), after, PAGE_SIZE + 1).await?;
    let next = (rows.len() as i64 > PAGE_SIZE).then(|| {
        rows.truncate(PAGE_SIZE as usize);
        rows.last().map(|r| encode("at-risk", &key(r)))
    });
    let fit = store.last_fit(page.org()).await?;
    page.render(
        "value/at_risk.html",
        context! {
            rows => rows.iter().map(super::risk::view).collect::<Vec<_>>(),
            next => next.flatten(),
            first_page => after.is_none(),
            fitted_at => fit.and_then(|f| f.finished_at).map(|t| t.to_rfc3339()),
            can_work => page.p.can(Permission::WorkCases),
        },
    )
}

pub(super) async fn csv(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let mut table = Table::new(vec![
        "external_id",
        "name",
        "value_at_risk",
        "lifetime_value",
        "churn_risk",
        "p_alive",
        "expected_purchases_90d",
        "reasons",
    ]);
    let mut after = None;
    while table.rows.len() < CSV_MAX {
        let rows = page.read_store().at_risk(page.org(), after, 500).await?;
        let Some(last) = rows.last() else { break };
        after = Some((last.value_at_risk, last.customer_id));
        for r in rows.iter().take(CSV_MAX - table.rows.len()) {
            let opt = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
            let reasons = r.reasons["reasons"]
                .as_array()
                .map(|a| a.iter().filter_map(|x| x["feature"].as_str()).collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            table.row(vec![
                r.external_id.clone(),
                r.name.clone().unwrap_or_default(),
                format!("{:.2}", r.value_at_risk),
                opt(r.lifetime_value),
                opt(r.churn_risk),
                opt(r.p_alive),
                opt(r.expected_purchases),
                reasons,
            ]);
        }
    }
    table.response("at-risk")
}
