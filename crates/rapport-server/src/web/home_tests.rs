//! The home page per role: each role opens on its part of the loop.

use crate::web::test_support::{in_lang, session_as, TestApp};
use axum::http::StatusCode;
use chrono::Utc;
use rapport_core::case::CaseInput;
use rapport_core::customer::CustomerUpsert;
use rapport_core::role::Role;
use rapport_core::Id;

async fn case_for(t: &TestApp, who: &str, title: &str, touchpoint: Option<Id>, assignee: Id) {
    let c: CustomerUpsert =
        serde_json::from_value(serde_json::json!({"external_id": who, "name": who, "attributes": {}})).unwrap();
    t.store.upsert_customer(t.org.id, &c).await.unwrap();
    let input = CaseInput {
        customer: who.into(),
        touchpoint_id: touchpoint,
        title: title.into(),
        assignee_id: Some(assignee),
        note: None,
    };
    t.store.open_case(t.org.id, &input, "user:1", Utc::now()).await.unwrap();
}

fn focus(body: &str) -> &str {
    let at = body.find("data-focus=\"").expect("the page says its focus") + "data-focus=\"".len();
    &body[at..at + body[at..].find('"').unwrap()]
}

#[tokio::test]
async fn a_viewer_opens_on_the_dashboard() {
    let t = TestApp::new().await;
    let page = t.get("/", &t.viewer).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/dashboard"));
}

#[tokio::test]
async fn an_agent_opens_on_their_queue_and_sees_only_their_cases() {
    let t = TestApp::new().await;
    case_for(&t, "c-1", "Parcel arrived broken", None, t.ids.ana).await;
    case_for(&t, "c-2", "Someone else's case", None, t.ids.ben).await;
    let agent = session_as(t.store.as_ref(), t.org.id, "agent@acme.test", Role::Agent, Some(t.ids.ana)).await;
    let page = t.get("/", &agent).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(focus(&page.body), "queue");
    assert!(page.body.contains("id=\"home-queue\""), "{}", page.body);
    assert!(page.body.contains("Parcel arrived broken"));
    assert!(!page.body.contains("Someone else&#x27;s case") && !page.body.contains("Someone else's case"));
    assert!(!page.body.contains("id=\"coverage-h\""), "the queue comes first, not the program");
    let es = t.get("/", &in_lang(&agent, "es")).await;
    assert!(es.body.contains("Mi cola"), "{}", es.body);
    // An agent whose account names nobody is told why the queue is empty.
    let unlinked = session_as(t.store.as_ref(), t.org.id, "new@acme.test", Role::Agent, None).await;
    let page = t.get("/", &unlinked).await;
    assert!(page.body.contains("id=\"home-unlinked\""), "{}", page.body);
}

#[tokio::test]
async fn an_owner_opens_on_their_touchpoints() {
    let t = TestApp::new().await;
    // Ben owns the seeded touchpoint.
    case_for(&t, "c-1", "Late delivery", Some(t.ids.touchpoint), t.ids.ben).await;
    let owner = session_as(t.store.as_ref(), t.org.id, "ben@acme.test", Role::Owner, Some(t.ids.ben)).await;
    let page = t.get("/", &owner).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(focus(&page.body), "touchpoints");
    let row =
        &page.body[page.body.find(&format!("id=\"home-tp-{}\"", t.ids.touchpoint)).expect("the touchpoint row")..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains(&format!("/cases?touchpoint={}\">1</a>", t.ids.touchpoint)), "{row}");
    // Ana owns nothing: she is told so.
    let ana = session_as(t.store.as_ref(), t.org.id, "ana@acme.test", Role::Owner, Some(t.ids.ana)).await;
    assert!(t.get("/", &ana).await.body.contains("id=\"home-touchpoints-none\""));
}

#[tokio::test]
async fn a_leader_opens_on_the_program_and_a_member_on_contributing() {
    let t = TestApp::new().await;
    let page = t.get("/", &t.admin).await;
    assert_eq!(focus(&page.body), "program");
    assert!(page.body.contains("id=\"coverage-h\"") && page.body.contains("id=\"experiences-h\""));
    let member = session_as(t.store.as_ref(), t.org.id, "m@acme.test", Role::Member, None).await;
    let page = t.get("/", &member).await;
    assert_eq!(focus(&page.body), "contribution");
    assert!(page.body.contains("id=\"mission-h\"") && page.body.contains("id=\"home-improve\""));
    assert!(!page.body.contains("id=\"coverage-h\"") && !page.body.contains("id=\"home-queue\""));
}
