//! The queue's pages: history lines in Spanish, filters, the bulk form,
//! the triage form, the live stream, the default owner and the dashboard's
//! closed-loop section.

use crate::web::test_support::{in_lang, session_as, TestApp};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Utc;
use rapport_core::case::CaseInput;
use rapport_core::customer::CustomerUpsert;
use rapport_core::role::Role;
use rapport_core::Id;
use rapport_store::{Audit, CaseFilter};

async fn case(t: &TestApp, who: &str, title: &str, assignee: Option<Id>) -> Id {
    let c: CustomerUpsert =
        serde_json::from_value(serde_json::json!({"external_id": who, "name": who, "attributes": {}})).unwrap();
    t.store.upsert_customer(t.org.id, &c).await.unwrap();
    let input =
        CaseInput { customer: who.into(), touchpoint_id: None, title: title.into(), assignee_id: assignee, note: None };
    t.store.open_case(t.org.id, &input, "user:1", Utc::now()).await.unwrap().id
}

async fn agent(t: &TestApp) -> String {
    session_as(t.store.as_ref(), t.org.id, "agent@acme.test", Role::Agent, Some(t.ids.ana)).await
}

#[tokio::test]
async fn spanish_history_lines_are_translated_without_stray_punctuation_and_name_a_handover() {
    let t = TestApp::new().await;
    let id = case(&t, "cust-1", "Paquete tarde", Some(t.ids.ana)).await;
    t.store
        .handover(t.org.id, t.ids.ana, t.ids.ben, Some(&Audit::new("admin@acme.test", "person.handover", "x")))
        .await
        .unwrap();
    let agent = agent(&t).await;
    let page = t.get(&format!("/cases/{id}"), &in_lang(&agent, "es")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let history = &page.body[page.body.find("id=\"case-history\"").unwrap()..];
    assert!(history.contains("<strong>Traspasado</strong>: Ana Ruiz → Ben Ode"), "{history}");
    assert!(history.contains("<strong>Asignado</strong>: Ana Ruiz · elegido por una persona"), "{history}");
    assert!(history.contains("<strong>Abierto</strong><br>"), "{history}");
    for stray in ["<li>: ", "<strong></strong>", "person:", "rule ", "Assigned", "Opened"] {
        assert!(!history.contains(stray), "{stray} in {history}");
    }
    // The case page says why Ben has it.
    assert!(page.body.contains("Lo tiene Ben Ode: se le traspasó."), "{}", page.body);
}

#[tokio::test]
async fn the_queue_filters_shows_priority_and_bulk_assigns_all_or_nothing() {
    let t = TestApp::new().await;
    let a = case(&t, "cust-1", "Late parcel", Some(t.ids.ana)).await;
    let b = case(&t, "cust-2", "Broken grinder", None).await;
    let agent = agent(&t).await;
    let es = in_lang(&agent, "es");
    // Triage from the case page: priority and tags, errors next to the field.
    let r = t.post(&format!("/cases/{b}/triage"), &es, &[("priority", "urgent"), ("tags", "VIP, Grinder")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = t.post(&format!("/cases/{b}/triage"), &es, &[("priority", "asap"), ("tags", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"case-triage-form\"") && r.body.contains("has-error"), "{}", r.body);
    let queue = t.get("/cases?show=open&priority=urgent", &es).await;
    assert!(queue.body.contains(&format!("id=\"case-{b}\"")) && !queue.body.contains(&format!("id=\"case-{a}\"")));
    assert!(queue.body.contains(">Urgente<") && queue.body.contains(">vip<"), "{}", queue.body);
    let unassigned = t.get("/cases?show=open&assignee=unassigned&q=grind", &es).await.body;
    assert!(unassigned.contains(&format!("id=\"case-{b}\"")) && !unassigned.contains(&format!("id=\"case-{a}\"")));
    let bad = t.get("/cases?show=open&priority=asap", &es).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"cases-filter-errors\""));
    // Bulk: nothing ticked is refused; a viewer may not; then both go to Ben.
    let ben = t.ids.ben.to_string();
    let r = t.post("/cases/bulk", &es, &[("back", "show=open"), ("assignee_id", &ben)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"bulk-errors\""), "{}", r.body);
    let (sa, sb) = (a.to_string(), b.to_string());
    let form = [("back", "show=open"), ("ids", sa.as_str()), ("ids", sb.as_str()), ("assignee_id", ben.as_str())];
    assert_eq!(t.post("/cases/bulk", &t.viewer, &form).await.status, StatusCode::FORBIDDEN);
    let unknown = [("back", "show=open"), ("ids", sa.as_str()), ("ids", "999999"), ("assignee_id", ben.as_str())];
    assert_eq!(t.post("/cases/bulk", &es, &unknown).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let open = CaseFilter { assignee: Some(t.ids.ben), ..Default::default() };
    assert!(t.store.list_cases(t.org.id, &open).await.unwrap().is_empty(), "nothing changed");
    let r = t.post("/cases/bulk", &es, &form).await;
    assert_eq!(r.location.as_deref(), Some("/cases?show=open&ok=saved"), "{}", r.body);
    assert_eq!(t.store.list_cases(t.org.id, &open).await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_queue_stream_says_changed_and_the_script_is_served() {
    let t = TestApp::new().await;
    let agent = agent(&t).await;
    let js = t.get("/cases/queue.js", &agent).await;
    assert!(js.body.contains("/cases/stream"));
    let req = Request::get("/cases/stream").header("cookie", &agent).body(Body::empty()).unwrap();
    let resp = tower::ServiceExt::oneshot(t.app.clone(), req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let mut body = resp.into_body().into_data_stream();
    case(&t, "cust-9", "Something", None).await;
    let frame = tokio::time::timeout(std::time::Duration::from_secs(5), futures_util::StreamExt::next(&mut body))
        .await
        .expect("a frame")
        .expect("data")
        .unwrap();
    assert!(String::from_utf8_lossy(&frame).contains("event: changed"));
}

#[tokio::test]
async fn the_default_owner_is_set_on_the_rules_page_and_the_dashboard_shows_closed_loop_figures() {
    let t = TestApp::new().await;
    let ben = t.ids.ben.to_string();
    let es = in_lang(&t.admin, "es");
    let r = t.post("/cases/rules/default-owner", &es, &[("person_id", "999999")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"default-owner-form\""));
    let r = t.post("/cases/rules/default-owner", &es, &[("person_id", &ben)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(t.store.default_case_owner(t.org.id).await.unwrap(), Some(t.ids.ben));
    let id = case(&t, "cust-3", "Sin punto de contacto", None).await;
    let page = t.get(&format!("/cases/{id}"), &es).await.body;
    assert!(page.contains("Lo tiene Ben Ode: es responsable predeterminado de la cola"), "{page}");
    let dash = t.get("/dashboard", &es).await;
    assert_eq!(dash.status, StatusCode::OK);
    assert!(dash.body.contains("id=\"dashboard-closed-loop\"") && dash.body.contains("Tasa de ciclo cerrado"));
    assert!(dash.body.contains("Sin punto de contacto") || dash.body.contains("Ben Ode"), "{}", dash.body);
}
