//! Customers (B5, P7): search, the profile with its timeline of responses
//! and events across touchpoints and its cases, opening a case by hand from
//! it (D1), and erasing a customer's personal data.

use super::form::{checked, outcome, FormData};
use super::{see_other, Page, WebPath, WebResult};
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use minijinja::context;
use rapport_core::case::CaseDraft;
use rapport_core::role::Permission;
use rapport_core::validate::FieldErrors;
use rapport_store::TimelineItem;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// Timeline entries shown on a profile.
const TIMELINE_LIMIT: i64 = 200;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers", get(search))
        .route("/customers/{external_id}", get(show))
        .route("/customers/{external_id}/cases", post(open_case))
        .route("/customers/{external_id}/erase", post(erase))
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
}

async fn search(page: Page, Query(query): Query<SearchQuery>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let q = query.q.unwrap_or_default();
    let customers = page.store().search_customers(page.org(), q.trim(), 50).await?;
    page.render("customers/list.html", context! { q => q, customers => customers })
}

#[derive(Serialize)]
struct Entry {
    kind: &'static str,
    at: String,
    title: String,
    touchpoint: Option<String>,
    /// (question text, answer) pairs.
    answers: Vec<(String, String)>,
    comment: Option<String>,
    amount: Option<f64>,
    channel: Option<String>,
}

async fn show(
    page: Page,
    WebPath(external_id): WebPath<String>,
    Query(q): Query<HashMap<String, String>>,
) -> WebResult {
    profile(&page, &external_id, q.contains_key("erase"), None).await
}

/// The "Open a case" form as it was sent, with what was wrong with it.
struct CaseForm {
    status: StatusCode,
    values: BTreeMap<String, String>,
    errors: FieldErrors,
}

/// The profile page; `case_form` brings back a refused "Open a case" form.
async fn profile(page: &Page, external_id: &str, confirm_erase: bool, case_form: Option<CaseForm>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let external_id = external_id.to_string();
    let store = page.store();
    let customer = store.get_customer(page.org(), &external_id).await?;
    let segments: Vec<String> = store
        .list_segments(page.org())
        .await?
        .into_iter()
        .filter(|s| s.rule.matches(&customer.attributes))
        .map(|s| s.name)
        .collect();
    let touchpoint_list = store.list_touchpoints(page.org()).await?;
    let touchpoint_choices: Vec<(rapport_core::Id, String)> =
        touchpoint_list.iter().map(|t| (t.id, t.name.clone())).collect();
    let touchpoints: HashMap<_, _> = touchpoint_list.into_iter().map(|t| (t.id, t.name)).collect();
    let cases = super::cases::customer_cases(page, &external_id).await?;
    let surveys: HashMap<_, _> = store.list_surveys(page.org()).await?.into_iter().map(|s| (s.id, s)).collect();
    let lang = page.lang();
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => {
            a.iter().map(|x| x.as_str().map(str::to_string).unwrap_or(x.to_string())).collect::<Vec<_>>().join(", ")
        }
        v => v.to_string(),
    };
    let entries: Vec<Entry> = store
        .timeline(page.org(), &external_id, TIMELINE_LIMIT)
        .await?
        .into_iter()
        .map(|item| match item {
            TimelineItem::Response(r) => {
                let survey = r.survey_id.and_then(|id| surveys.get(&id));
                let answers = r
                    .answers
                    .iter()
                    .map(|(k, v)| {
                        let q = survey.and_then(|s| s.questions.iter().find(|q| &q.key == k));
                        let label = q.map(|q| q.text.get(lang).to_string()).unwrap_or_else(|| k.clone());
                        let shown = match (q, v) {
                            (Some(q), Value::String(c)) => {
                                q.choices.iter().find(|x| &x.key == c).map(|x| x.label.get(lang).to_string())
                            }
                            _ => None,
                        };
                        (label, shown.unwrap_or_else(|| text(v)))
                    })
                    .collect();
                Entry {
                    kind: "response",
                    at: r.at.to_rfc3339(),
                    title: survey.map(|s| s.title.get(lang).to_string()).unwrap_or_default(),
                    touchpoint: touchpoints.get(&r.touchpoint_id).cloned(),
                    answers,
                    comment: r.comment,
                    amount: None,
                    channel: r.channel,
                }
            }
            TimelineItem::Event(e) => Entry {
                kind: "event",
                at: e.at.to_rfc3339(),
                title: e.kind,
                touchpoint: e.touchpoint_id.and_then(|t| touchpoints.get(&t).cloned()),
                answers: vec![],
                comment: None,
                amount: e.amount,
                channel: None,
            },
        })
        .collect();
    let attributes: Vec<(String, String)> = customer.attributes.iter().map(|(k, v)| (k.clone(), text(v))).collect();
    let (status, case_values, case_errors) = match case_form {
        Some(f) => (f.status, f.values, page.errors(&f.errors)),
        None => (StatusCode::OK, BTreeMap::new(), BTreeMap::new()),
    };
    page.render_status(
        status,
        "customers/show.html",
        context! {
            customer => customer,
            attributes => attributes,
            segments => segments,
            entries => entries,
            confirm_erase => confirm_erase,
            cases => cases,
            touchpoints => touchpoint_choices,
            can_work => page.p.can(Permission::WorkCases),
            v => case_values,
            errors => case_errors,
        },
    )
}

/// `POST /customers/{external_id}/cases`: opens a case and goes to it; a
/// refused form comes back on the profile with its errors.
async fn open_case(page: Page, WebPath(external_id): WebPath<String>, form: FormData) -> WebResult {
    page.require(Permission::WorkCases)?;
    let mut parsed = FieldErrors::new();
    let draft = CaseDraft {
        customer: Some(external_id.clone()),
        touchpoint_id: form.id("touchpoint_id", &mut parsed),
        title: form.text("title"),
        assignee_id: None,
        note: form.filled("note").map(str::to_string),
    };
    let opened = async {
        let input = checked(parsed, draft.validate())?;
        Ok::<_, AppError>(page.store().open_case(page.org(), &input, &super::cases::actor(&page), Utc::now()).await?)
    };
    match outcome(opened.await)? {
        Ok(case) => see_other(&format!("/cases/{}?ok=created", case.id)),
        Err((status, e)) => {
            let form = CaseForm { status, values: form.values(), errors: e };
            profile(&page, &external_id, false, Some(form)).await
        }
    }
}

async fn erase(page: Page, WebPath(external_id): WebPath<String>, form: FormData) -> WebResult {
    page.require(Permission::EditPlan)?;
    if form.get("confirm") != Some("yes") {
        return see_other(&format!("/customers/{}?erase=1#erase", crate::encode::segment(&external_id)));
    }
    page.store().erase_customer(page.org(), &external_id, &page.p.actor).await?;
    see_other("/customers?ok=erased")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{in_lang, TestApp};
    use axum::http::StatusCode;
    use rapport_core::customer::CustomerUpsert;

    async fn customer(t: &TestApp) {
        let c: CustomerUpsert = serde_json::from_value(serde_json::json!({
            "external_id": "cust-7", "email": "lucia@example.com", "name": "Lucía Pérez",
            "attributes": {"plan": "pro"}
        }))
        .unwrap();
        t.store.upsert_customer(t.org.id, &c).await.unwrap();
        let ev =
            serde_json::json!({"type": "purchase", "customer": "cust-7", "at": "2026-01-02T10:00:00Z", "amount": 42.5});
        let ev = serde_json::from_value(ev).unwrap();
        crate::ingest::events(t.store.as_ref(), t.org.id, vec![(0, Ok(ev))]).await.unwrap();
        let r = serde_json::json!({"touchpoint": t.ids.touchpoint, "customer": "cust-7", "at": "2026-02-03T10:00:00Z", "comment": "Muy amables"});
        let r = serde_json::from_value(r).unwrap();
        let rep = crate::ingest::responses(t.store.as_ref(), t.org.id, vec![(0, Ok(r))]).await.unwrap();
        assert_eq!(rep.accepted, 1, "{rep:?}");
    }

    #[tokio::test]
    async fn search_profile_and_timeline() {
        let t = TestApp::new().await;
        customer(&t).await;
        let list = t.get("/customers?q=cust", &in_lang(&t.admin, "es")).await;
        assert_eq!(list.status, StatusCode::OK, "{}", list.body);
        assert!(list.body.contains("/customers/cust-7"), "{}", list.body);
        assert!(list.body.contains("id=\"nav-customers\""));
        let p = t.get("/customers/cust-7", &t.viewer).await;
        assert_eq!(p.status, StatusCode::OK, "{}", p.body);
        assert_eq!(p.body.matches("class=\"timeline-item").count(), 2, "{}", p.body);
        let (comment, purchase) = (p.body.find("Muy amables").unwrap(), p.body.find("purchase").unwrap());
        assert!(comment < purchase, "newest first");
        assert!(p.body.contains("lucia@example.com"));
        assert!(!p.body.contains("id=\"customer-erase\""), "readers cannot erase");
        assert_eq!(t.get("/customers/nobody", &t.admin).await.status, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn erase_needs_confirmation_then_removes_the_customer() {
        let t = TestApp::new().await;
        customer(&t).await;
        assert_eq!(
            t.post("/customers/cust-7/erase", &t.viewer, &[("confirm", "yes")]).await.status,
            StatusCode::FORBIDDEN
        );
        let r = t.post("/customers/cust-7/erase", &t.admin, &[]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let confirm = t.get(r.location.as_deref().unwrap(), &t.admin).await;
        assert!(confirm.body.contains("id=\"customer-erase-confirm\""), "{}", confirm.body);
        assert!(t.store.get_customer(t.org.id, "cust-7").await.is_ok());
        let r = t.post("/customers/cust-7/erase", &t.admin, &[("confirm", "yes")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location.as_deref(), Some("/customers?ok=erased"));
        assert!(t.store.get_customer(t.org.id, "cust-7").await.is_err());
        let list = t.get("/customers?ok=erased&lang=es", &t.admin).await;
        assert!(list.body.contains("flash"), "{}", list.body);
    }
}
