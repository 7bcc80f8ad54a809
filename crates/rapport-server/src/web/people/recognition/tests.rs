use crate::web::test_support::{in_lang, session_as, TestApp};
use axum::http::StatusCode;
use rapport_core::role::Role;

async fn member(t: &TestApp) -> String {
    session_as(t.store.as_ref(), t.org.id, "ana@acme.test", Role::Member, Some(t.ids.ana)).await
}

async fn leader(t: &TestApp) -> String {
    session_as(t.store.as_ref(), t.org.id, "lead@acme.test", Role::Leader, Some(t.ids.ben)).await
}

#[tokio::test]
async fn a_member_gives_kudos_in_spanish_and_sees_them_in_the_feed() {
    let t = TestApp::new().await;
    let me = member(&t).await;
    let es = in_lang(&me, "es");
    let page = t.get("/recognition", &es).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Dar un reconocimiento") && page.body.contains("id=\"kudos-form\""), "{}", page.body);
    assert!(page.body.contains("Todavía no hay reconocimientos."));
    assert!(!page.body.contains("id=\"recognition-performance-link\""), "members do not see the flag");
    // No reason, and both a person and a team: refused per field, in Spanish, values kept.
    let ben = t.ids.ben.to_string();
    let r = t.post("/recognition", &es, &[("person_id", &ben), ("department", "E-commerce"), ("reason", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"reason-error\"") && r.body.contains("id=\"department-error\""), "{}", r.body);
    assert!(r.body.contains("Elige una persona o un equipo, no ambos."), "{}", r.body);
    // Evidence that does not exist.
    let r = t
        .post(
            "/recognition",
            &es,
            &[("person_id", &ben), ("reason", "Great"), ("evidence_kind", "case"), ("evidence_id", "99999")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"evidence_id-error\""), "{}", r.body);
    let r = t.post("/recognition", &es, &[("evidence", "idea:3"), ("person_id", &ben), ("reason", "x")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"evidence-error\""), "{}", r.body);
    // Given: to Ben, then to Ben's team.
    let r = t.post("/recognition", &me, &[("person_id", &ben), ("reason", "Calmed an angry customer")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location.as_deref().unwrap().starts_with("/recognition?ok=created#kudos-"));
    let r = t.post("/recognition", &me, &[("department", "E-commerce"), ("reason", "Black Friday")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let feed = t.get("/recognition", &es).await.body;
    assert!(feed.contains("Ana Ruiz → Ben Ode") && feed.contains("Calmed an angry customer"), "{feed}");
    assert!(feed.contains("Ana Ruiz → E-commerce") && feed.contains(">Equipo<"), "{feed}");
    assert!(feed.contains("Resumen mensual por departamento") && feed.contains("E-commerce"));
    let filtered = t.get(&format!("/recognition?person={ben}"), &es).await.body;
    assert!(filtered.contains("Calmed an angry customer") && !filtered.contains("Black Friday"));
    // Viewers read the feed but get no form.
    let viewer = t.get("/recognition", &t.viewer).await;
    assert_eq!(viewer.status, StatusCode::OK);
    assert!(!viewer.body.contains("id=\"kudos-form\"") && viewer.body.contains("Calmed an angry customer"));
    assert_eq!(
        t.post("/recognition", &t.viewer, &[("person_id", &ben), ("reason", "x")]).await.status,
        StatusCode::FORBIDDEN
    );
    // Who leads counts the kudos.
    let leaders = t.get("/recognition/leaders", &es).await;
    assert_eq!(leaders.status, StatusCode::OK);
    assert!(leaders.body.contains("Quién lidera") && leaders.body.contains("Ben Ode"), "{}", leaders.body);
}

#[tokio::test]
async fn the_flag_is_for_leaders_only() {
    let t = TestApp::new().await;
    let me = member(&t).await;
    assert_eq!(t.get("/recognition/performance", &me).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.get("/recognition/performance", &t.viewer).await.status, StatusCode::FORBIDDEN);
    let lead = in_lang(&leader(&t).await, "es");
    let page = t.get("/recognition/performance?period=2026-Q4", &lead).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Cifras y resultados") && page.body.contains("Periodo 2026-Q4"), "{}", page.body);
    assert!(page.body.contains("Ningún agente cerró un caso en este periodo."));
    assert!(page.body.contains("performance?period=2026-Q4&amp;format=csv"), "{}", page.body);
    let bad = t.get("/recognition/performance?period=2026-13", &lead).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"period-error\""), "{}", bad.body);
    let feed = t.get("/recognition", &lead).await.body;
    assert!(feed.contains("id=\"recognition-performance-link\""));
}

#[tokio::test]
async fn the_flag_page_shows_an_agents_figures_and_sample_sizes() {
    use rapport_core::case::resolved::{Step, StepDraft};
    use rapport_core::case::root_cause::RootCauseInput;
    use rapport_core::case::CaseInput;
    use rapport_core::customer::CustomerUpsert;
    let t = TestApp::new().await;
    let o = t.org.id;
    let cause = RootCauseInput { name: "Billing".into(), description: Some("d".into()), preventable: true };
    let cause = t.store.create_root_cause(o, &cause).await.unwrap().id;
    let c = CustomerUpsert { external_id: "k-1".into(), email: None, name: None, attributes: Default::default() };
    t.store.upsert_customer(o, &c).await.unwrap();
    let opened: chrono::DateTime<chrono::Utc> = "2026-11-10T09:00:00Z".parse().unwrap();
    let input = CaseInput {
        customer: "k-1".into(),
        touchpoint_id: None,
        title: "Refund".into(),
        assignee_id: Some(t.ids.ben),
        note: None,
    };
    let case = t.store.open_case(o, &input, "user:1", opened).await.unwrap();
    for st in Step::ALL {
        let v = match st {
            Step::Open => serde_json::json!({"proposal": "p"}),
            Step::Verify => serde_json::json!({"agreed": true}),
            Step::Eliminate => serde_json::json!({"action": "a"}),
            Step::Document => serde_json::json!({"root_cause_id": cause, "root_cause_note": "n"}),
            _ => serde_json::json!({}),
        };
        let step = serde_json::from_value::<StepDraft>(v).unwrap().validate(st).unwrap();
        t.store.record_step(o, case.id, &step, "user:1", opened).await.unwrap();
    }
    t.store.close_case(o, case.id, "user:1", opened + chrono::Duration::hours(3)).await.unwrap();
    let lead = leader(&t).await;
    let page = t.get("/recognition/performance?period=2026-11", &lead).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Ben Ode") && page.body.contains("Too few cases"), "{}", page.body);
    assert!(page.body.contains("first response 1&#x2f;1, resolution 1&#x2f;1"), "{}", page.body);
    assert!(page.body.contains("(n=0)") && page.body.contains(">3.0<"), "{}", page.body);
    // A kudos can name the case as evidence: closed with the customer's agreement.
    let me = member(&t).await;
    let ben = t.ids.ben.to_string();
    let pick = format!("case:{}", case.id);
    assert!(t.get("/recognition", &me).await.body.contains(&format!("value=\"{pick}\"")));
    let r = t
        .post("/recognition", &me, &[("person_id", &ben), ("reason", "Refund in one call"), ("evidence", &pick)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let feed = t.get("/recognition", &me).await.body;
    assert!(feed.contains(&format!("href=\"&#x2f;cases&#x2f;{}\"", case.id)), "{feed}");
}
