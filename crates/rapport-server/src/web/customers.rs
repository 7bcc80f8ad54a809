//! Customers (B5, P7): search, the profile with its timeline of responses
//! and events across touchpoints and its cases, opening a case by hand from
//! it (D1), and erasing a customer's personal data.

use super::answers::{answer_pairs, value_text};
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
use rapport_store::{CustomerList, TimelineItem};
use serde::{Deserialize, Serialize};
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

/// Customers shown per page of the list.
const PAGE_SIZE: i64 = 50;

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
    /// The cursor of the page after the one shown (the "Next" link).
    after: Option<String>,
    /// The cursor of the page before the one shown (the "Previous" link).
    before: Option<String>,
}

/// The list's search text: trimmed, at most the API's length, no NULs
/// (the page is lenient where the API answers 422).
fn search_text(q: &str) -> Option<String> {
    let text: String = q.trim().chars().filter(|c| *c != '\0').take(crate::api::customers::SEARCH_MAX).collect();
    Some(text).filter(|t| !t.is_empty())
}

/// The link to the page after (`after`) or before (`before`) a customer.
fn page_link(q: Option<&str>, direction: &str, external_id: &str) -> String {
    let cursor = crate::api::page::encode("customers", external_id);
    match q {
        Some(q) => format!("/customers?q={}&{direction}={cursor}", crate::encode::query(q)),
        None => format!("/customers?{direction}={cursor}"),
    }
}

/// `GET /customers`: every customer by external id, or those matching the
/// search, 50 a page, with links to the next and previous pages (keyset
/// cursors, as in the API: a page costs the same anywhere in a million).
/// A cursor that is not one is ignored: the first page shows.
async fn search(page: Page, Query(query): Query<SearchQuery>) -> WebResult {
    page.require(Permission::ReadProgram)?;
    let q = query.q.unwrap_or_default();
    let text = search_text(&q);
    let cursor = |c: &Option<String>| c.as_deref().and_then(|c| crate::api::page::decode_key::<String>("customers", c));
    let (after, before) = match (cursor(&query.after), cursor(&query.before)) {
        (Some(after), _) => (Some(after), None),
        (None, before) => (None, before),
    };
    let backwards = before.is_some();
    let list = CustomerList { text: text.clone(), after: after.clone(), before, limit: PAGE_SIZE + 1 };
    let store = page.store();
    let mut customers = store.page_customers(page.org(), &list).await?;
    // One more than a page says whether another follows in that direction.
    let more = customers.len() as i64 > PAGE_SIZE;
    if more && backwards {
        customers.remove(0);
    } else if more {
        customers.truncate(PAGE_SIZE as usize);
    }
    let (has_previous, has_next) = if backwards { (more, true) } else { (after.is_some(), more) };
    let previous =
        customers.first().filter(|_| has_previous).map(|c| page_link(text.as_deref(), "before", &c.external_id));
    let next = customers.last().filter(|_| has_next).map(|c| page_link(text.as_deref(), "after", &c.external_id));
    let total = match text {
        None => Some(store.customer_count(page.org()).await?),
        Some(_) => None,
    };
    page.render(
        "customers/list.html",
        context! { q => q, customers => customers, previous => previous, next => next, total => total },
    )
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
    let entries: Vec<Entry> = store
        .timeline(page.org(), &external_id, TIMELINE_LIMIT)
        .await?
        .into_iter()
        .map(|item| match item {
            TimelineItem::Response(r) => {
                let survey = r.survey_id.and_then(|id| surveys.get(&id));
                let answers = answer_pairs(survey, &r.answers, lang);
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
                // Built-in kinds in the page's language; custom ones as sent.
                title: {
                    let key = format!("event-kind-{}", e.kind);
                    if page.state.i18n.has(rapport_core::lang::Lang::En, &key) {
                        page.t(&key)
                    } else {
                        e.kind
                    }
                },
                touchpoint: e.touchpoint_id.and_then(|t| touchpoints.get(&t).cloned()),
                answers: vec![],
                comment: None,
                amount: e.amount,
                channel: None,
            },
        })
        .collect();
    let attributes: Vec<(String, String)> =
        customer.attributes.iter().map(|(k, v)| (k.clone(), value_text(v))).collect();
    let (status, case_values, case_errors) = match case_form {
        Some(f) => (f.status, f.values, page.errors(&f.errors)),
        None => (StatusCode::OK, BTreeMap::new(), BTreeMap::new()),
    };
    // Scores from the last refit (C7): churn risk with its reasons, P(alive), value.
    let score =
        page.read_store().customer_score(page.org(), customer.id).await?.map(|s| super::measure::risk::view(&s));
    page.render_status(
        status,
        "customers/show.html",
        context! {
            score => score,
            customer => customer,
            attributes => attributes,
            segments => segments,
            entries => entries,
            confirm_erase => confirm_erase,
            cases => cases,
            touchpoints => touchpoint_choices,
            can_work => page.p.can(Permission::WorkCases),
            mail => super::listen::customer_mail(page, &external_id).await?,
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
        let (comment, purchase) =
            (p.body.find("Muy amables").unwrap(), p.body.find("<strong>Purchase</strong>").unwrap());
        assert!(comment < purchase, "newest first");
        assert!(p.body.contains("lucia@example.com"));
        assert!(!p.body.contains("id=\"customer-erase\""), "readers cannot erase");
        assert_eq!(t.get("/customers/nobody", &t.admin).await.status, StatusCode::NOT_FOUND);
    }

    /// The `href` of the link with this id, unescaped.
    fn link(body: &str, id: &str) -> Option<String> {
        let at = body.find(&format!("id=\"{id}\""))?;
        let rest = &body[at..];
        let start = rest.find("href=\"")? + 6;
        let end = rest[start..].find('"')? + start;
        Some(rest[start..end].replace("&#x2f;", "/").replace("&amp;", "&"))
    }

    fn external_ids(body: &str) -> Vec<String> {
        body.split("href=\"/customers/").skip(1).map(|r| r.split('"').next().unwrap().to_string()).collect()
    }

    #[tokio::test]
    async fn pages_forwards_and_back_and_searches_page_by_page() {
        let t = TestApp::new().await;
        let all: Vec<CustomerUpsert> = (0..120)
            .map(|i| CustomerUpsert {
                external_id: format!("p-{i:03}"),
                email: None,
                name: Some(if i % 2 == 0 { format!("Even {i}") } else { format!("Odd {i}") }),
                attributes: Default::default(),
            })
            .collect();
        t.store.upsert_customers(t.org.id, &all).await.unwrap();
        let first = t.get("/customers", &in_lang(&t.admin, "es")).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        assert!(first.body.contains("120 clientes"), "the kept count, in Spanish: {}", first.body);
        assert!(first.body.contains("Siguiente"));
        assert!(link(&first.body, "customers-previous").is_none(), "no page before the first");
        let mut seen = external_ids(&first.body);
        assert_eq!(seen.len(), 50);
        let mut path = link(&first.body, "customers-next").unwrap();
        let mut pages = vec![first.body];
        while !path.is_empty() {
            let p = t.get(&path, &t.admin).await;
            assert_eq!(p.status, StatusCode::OK, "{path}: {}", p.body);
            seen.extend(external_ids(&p.body));
            path = link(&p.body, "customers-next").unwrap_or_default();
            pages.push(p.body);
        }
        let want: Vec<String> = (0..120).map(|i| format!("p-{i:03}")).collect();
        assert_eq!(seen, want, "50 + 50 + 20, in order, each once");
        assert_eq!(pages.len(), 3);
        assert!(pages[2].contains("Previous") && !pages[2].contains("id=\"customers-next\""));
        // Back from the last page: the 50 before it.
        let back = t.get(&link(&pages[2], "customers-previous").unwrap(), &t.admin).await;
        assert_eq!(external_ids(&back.body), want[50..100].to_vec());
        let back = t.get(&link(&back.body, "customers-previous").unwrap(), &t.admin).await;
        assert_eq!(external_ids(&back.body), want[..50].to_vec());
        assert!(link(&back.body, "customers-previous").is_none(), "the first page again");
        // Searching pages too, keeping the search in the links.
        let odd = t.get("/customers?q=odd", &t.admin).await;
        assert!(!odd.body.contains("id=\"customer-total\""), "no count of a search");
        let next = link(&odd.body, "customers-next").unwrap();
        assert!(next.starts_with("/customers?q=odd&after="), "{next}");
        let more = t.get(&next, &t.admin).await;
        let ids = [external_ids(&odd.body), external_ids(&more.body)].concat();
        assert_eq!(ids.len(), 60);
        assert!(ids.iter().all(|id| id[2..].parse::<u32>().unwrap() % 2 == 1));
        // A broken cursor shows the first page.
        let broken = t.get("/customers?after=nonsense", &t.admin).await;
        assert_eq!(external_ids(&broken.body), want[..50].to_vec());
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
