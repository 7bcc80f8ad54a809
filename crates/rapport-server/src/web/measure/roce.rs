//! The ROCE page: revenue at risk by segment, the cost of poor service by
//! kind with its working, acquisition against retention, price against
//! service, the worth of moving a detractor; the inputs form (leaders);
//! and the CSV of the cost lines.

use crate::api::measure::roce::current;
use crate::error::AppError;
use crate::web::dashboard::csv::Table;
use crate::web::form::{checked, outcome, FormData};
use crate::web::{see_other, Page, WebResult};
use axum::http::StatusCode;
use minijinja::context;
use rapport_core::model::roce::{GroupRisk, RoceDraft};
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use std::collections::{BTreeMap, HashMap};

const FIELDS: [&str; 5] = ["margin_rate", "acquisition_cost", "retention_cost", "cost_per_case", "cost_per_contact"];

async fn render(
    page: &Page,
    status: StatusCode,
    values: Option<BTreeMap<String, String>>,
    e: FieldErrors,
) -> WebResult {
    let roce = current(&page.state, page.org()).await?;
    let store = page.read_store();
    let segments: HashMap<i64, String> =
        store.list_segments(page.org()).await?.into_iter().map(|s| (s.id, s.name)).collect();
    let experiences: HashMap<i64, String> =
        store.list_experiences(page.org()).await?.into_iter().map(|e| (e.id, e.name)).collect();
    let touchpoints: HashMap<i64, String> =
        store.list_touchpoints(page.org()).await?.into_iter().map(|t| (t.id, t.name)).collect();
    let values = values.unwrap_or_else(|| {
        let i = roce.report.inputs;
        let lang = page.lang();
        let n = |v: f64| crate::web::format::input_number(lang, v);
        [i.margin_rate, i.acquisition_cost, i.retention_cost, i.cost_per_case, i.cost_per_contact]
            .iter()
            .zip(FIELDS)
            .map(|(v, f)| (f.to_string(), n(*v)))
            .collect()
    });
    let names = |kind: &str| -> HashMap<i64, String> {
        match kind {
            "segments" => segments.clone(),
            "experiences" => experiences.clone(),
            _ => touchpoints.clone(),
        }
    };
    let r = &roce.report;
    let groups: Vec<_> = [("segments", &r.segments), ("experiences", &r.experiences), ("touchpoints", &r.touchpoints)]
        .into_iter()
        .map(|(kind, groups)| {
            let names = names(kind);
            let mut rows: Vec<&GroupRisk> = groups.iter().filter(|g| g.id != 0).collect();
            rows.sort_by(|a, b| b.value_at_risk.total_cmp(&a.value_at_risk));
            let rows: Vec<_> = rows
                .into_iter()
                .map(|g| {
                    context! {
                        name => names.get(&g.id).cloned().unwrap_or_else(|| format!("#{}", g.id)),
                        customers => g.customers, value_at_risk => g.value_at_risk, lifetime_value => g.lifetime_value,
                    }
                })
                .collect();
            context! { kind => kind, rows => rows }
        })
        .collect();
    page.render_status(
        status,
        "value/roce.html",
        context! { roce => &roce, groups => groups, values => values, errors => page.errors(&e) },
    )
}

pub(super) async fn show(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    render(&page, StatusCode::OK, None, FieldErrors::new()).await
}

pub(super) async fn save(page: Page, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    let mut parsed = FieldErrors::new();
    let draft = RoceDraft {
        margin_rate: form.number("margin_rate", &mut parsed),
        acquisition_cost: form.number("acquisition_cost", &mut parsed),
        retention_cost: form.number("retention_cost", &mut parsed),
        cost_per_case: form.number("cost_per_case", &mut parsed),
        cost_per_contact: form.number("cost_per_contact", &mut parsed),
    };
    let saved = async {
        let inputs = checked(parsed, draft.validate())?;
        let value = serde_json::to_value(inputs).map_err(AppError::internal)?;
        page.store().save_finance_inputs(page.org(), &value, &page.p.audit("roce.update", "roce")).await?;
        Ok::<_, AppError>(())
    };
    match outcome(saved.await)? {
        Ok(()) => see_other("/value/roce?ok=saved"),
        Err((status, e)) => render(&page, status, Some(form.values()), e).await,
    }
}

pub(super) async fn csv(page: Page) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let roce = current(&page.state, page.org()).await?;
    let mut table = Table::new(vec!["cost", "amount", "working"]);
    for c in &roce.report.costs {
        let working: Vec<String> = c.inputs.iter().map(|f| format!("{}={}", f.name, f.value)).collect();
        table.row(vec![c.key.to_string(), format!("{:.2}", c.amount), working.join(" ")]);
    }
    table.row(vec!["revenue_at_risk".into(), format!("{:.2}", roce.report.revenue_at_risk), String::new()]);
    table.row(vec!["margin_at_risk".into(), format!("{:.2}", roce.report.margin_at_risk), String::new()]);
    table.response("roce")
}
