use crate::web::test_support::{in_lang, session_as, TestApp};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use rapport_core::case::resolved::Step;
use rapport_core::case::root_cause::RootCauseInput;
use rapport_core::case::CaseInput;
use rapport_core::customer::CustomerUpsert;
use rapport_core::role::Role;
use rapport_core::Id;

async fn customer(t: &TestApp, id: &str) {
    let c: CustomerUpsert =
        serde_json::from_value(serde_json::json!({"external_id": id, "name": id, "attributes": {}})).unwrap();
    t.store.upsert_customer(t.org.id, &c).await.unwrap();
}

/// A case for `who`, opened `days_ago` days ago and given to Ana.
async fn case(t: &TestApp, who: &str, title: &str, days_ago: i64) -> Id {
    customer(t, who).await;
    let input = CaseInput {
        customer: who.into(),
        touchpoint_id: Some(t.ids.touchpoint),
        title: title.into(),
        assignee_id: Some(t.ids.ana),
        note: None,
    };
    t.store.open_case(t.org.id, &input, "user:1", Utc::now() - Duration::days(days_ago)).await.unwrap().id
}

/// An agent account that is Ana.
async fn agent(t: &TestApp) -> String {
    session_as(t.store.as_ref(), t.org.id, "agent@acme.test", Role::Agent, Some(t.ids.ana)).await
}

#[tokio::test]
async fn the_queue_shows_my_cases_overdue_first_with_a_badge() {
    let t = TestApp::new().await;
    let fresh = case(&t, "cust-1", "Fresh complaint", 0).await;
    let late = case(&t, "cust-2", "Old complaint", 20).await;
    let agent = agent(&t).await;
    let page = t.get("/cases", &in_lang(&agent, "es")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"nav-cases\""));
    let (a, b) = (
        page.body.find(&format!("id=\"case-{late}\"")).unwrap(),
        page.body.find(&format!("id=\"case-{fresh}\"")).unwrap(),
    );
    assert!(a < b, "overdue first");
    assert_eq!(page.body.matches("case-overdue-badge").count(), 1, "{}", page.body);
    assert!(page.body.contains(">Vencido<"));
    assert!(page.body.contains("Checkout") && page.body.contains("Ana Ruiz") && page.body.contains("cust-2"));
    // The admin is nobody's person: they see every open case, and "mine" says why it is empty.
    let default = t.get("/cases", &t.admin).await.body;
    assert!(default.contains(&format!("id=\"case-{fresh}\"")), "{default}");
    let mine = t.get("/cases?show=mine", &t.admin).await.body;
    assert!(mine.contains("id=\"cases-empty\"") && mine.contains("id=\"cases-not-linked\""), "{mine}");
    let all = t.get("/cases?show=open", &t.viewer).await.body;
    assert!(all.contains(&format!("id=\"case-{fresh}\"")) && all.contains(&format!("id=\"case-{late}\"")));
    let closed = t.get("/cases?show=closed", &t.admin).await.body;
    assert!(closed.contains("id=\"cases-empty\""));
    let by_ben = t.get(&format!("/cases?show=open&assignee={}", t.ids.ben), &t.admin).await.body;
    assert!(by_ben.contains("id=\"cases-empty\""));
}

#[tokio::test]
async fn each_step_asks_for_what_it_needs_and_closing_early_is_refused() {
    let t = TestApp::new().await;
    let id = case(&t, "cust-1", "Cold coffee", 0).await;
    let cause = t
        .store
        .create_root_cause(
            t.org.id,
            &RootCauseInput { name: "Courier delay".into(), description: None, preventable: true },
        )
        .await
        .unwrap()
        .id;
    let agent = agent(&t).await;
    let es = in_lang(&agent, "es");
    let url = format!("/cases/{id}");
    let page = t.get(&url, &es).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for name in [
        "Responder",
        "Empatizar (disculparse)",
        "Buscar la solución",
        "Abrirse a la solución del cliente",
        "Escuchar",
        "Verificar",
        "Eliminar la causa",
        "Documentar",
    ] {
        assert!(page.body.contains(name), "{name}");
    }
    assert!(page.body.contains(&format!("action=\"/cases/{id}/steps/respond\"")));
    // Closing now: refused, with what is missing, in Spanish.
    let r = t.post(&format!("{url}/close"), &es, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"case-close-refused\""), "{}", r.body);
    assert!(r.body.contains("Aún no se puede cerrar: Verificar debe registrar"), "{}", r.body);
    // A viewer may read but not work the case.
    assert_eq!(t.get(&url, &t.viewer).await.status, StatusCode::OK);
    assert_eq!(t.post(&format!("{url}/steps/respond"), &t.viewer, &[]).await.status, StatusCode::FORBIDDEN);
    // Out of order: refused.
    let r = t.post(&format!("{url}/steps/seek"), &agent, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (step, fields, form_field) in [
        (Step::Respond, vec![("note", "Called her")], Some("f-note")),
        (Step::Empathize, vec![], None),
        (Step::Seek, vec![], None),
        (Step::Open, vec![("proposal", "A fresh bag")], Some("f-proposal")),
        (Step::Listen, vec![], None),
        (Step::Verify, vec![("agreed", "yes")], Some("f-agreed-yes")),
        (Step::Eliminate, vec![("action", "Insulated boxes")], Some("f-action")),
        (
            Step::Document,
            vec![("root_cause_id", "CAUSE"), ("root_cause_note", "Van without cooling")],
            Some("f-root_cause_id"),
        ),
    ] {
        let page = t.get(&url, &agent).await.body;
        assert!(page.contains(&format!("action=\"/cases/{id}/steps/{}\"", step.key())), "{step:?} is next");
        if let Some(f) = form_field {
            assert!(page.contains(&format!("id=\"{f}\"")), "{step:?} asks for {f}");
        }
        if !fields.is_empty() && step != Step::Respond {
            let r = t.post(&format!("{url}/steps/{}", step.key()), &es, &[]).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{step:?} without its fields");
            assert!(r.body.contains("Este campo es obligatorio."), "{}", r.body);
        }
        let cause = cause.to_string();
        let fields: Vec<(&str, &str)> =
            fields.iter().map(|(k, v)| (*k, if *v == "CAUSE" { cause.as_str() } else { *v })).collect();
        let r = t.post(&format!("{url}/steps/{}", step.key()), &agent, &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{step:?}: {}", r.body);
    }
    let page = t.get(&url, &agent).await.body;
    assert!(page.contains("A fresh bag") && page.contains("Insulated boxes") && page.contains("Courier delay"));
    assert!(page.contains("agent@acme.test"), "who did it");
    let r = t.post(&format!("{url}/close"), &agent, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get(&url, &in_lang(&agent, "es")).await.body;
    assert!(page.contains("id=\"case-status\">Cerrado<"), "{page}");
    assert!(page.contains("id=\"case-reopen\""));
    let report = t.get("/root-causes?days=30", &t.viewer).await.body;
    assert!(report.contains("id=\"root-cause-rows\"") && report.contains("<svg"), "{report}");
    // A recurring cause becomes an idea for its touchpoint, linked to its cases.
    assert!(report.contains(&format!("id=\"root-cause-{cause}-idea\"")), "{report}");
    // Every button of the page wears the app's button classes (no unstyled
    // native button; the header's language switch is styled on its own).
    let main = &report[report.find("<main").expect("the page's main")..];
    for button in main.split("<button").skip(1) {
        let tag = &button[..button.find('>').unwrap_or(button.len())];
        assert!(tag.contains("class=\"btn"), "an unstyled button on /root-causes: <button{tag}>");
    }
    let r = t
        .post(&format!("/root-causes/{cause}/idea"), &agent, &[("touchpoint_id", &t.ids.touchpoint.to_string())])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let ideas = t.store.list_ideas(t.org.id, &Default::default()).await.unwrap();
    assert_eq!(ideas.len(), 1);
    let idea = t.store.get_idea(t.org.id, ideas[0].id).await.unwrap();
    assert!(idea.idea.title.starts_with("Prevent: "), "{:?}", idea.idea.title);
    assert_eq!(idea.case_ids.len(), 1, "linked to the closed case");
    let admin = t.post(&format!("/root-causes/{cause}/idea"), &t.admin, &[]).await;
    assert_eq!(admin.status, StatusCode::UNPROCESSABLE_ENTITY, "the admin is nobody's person: {}", admin.body);
    let r = t.post(&format!("{url}/reopen"), &agent, &[("reason", "She wrote again")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = t.post(&format!("{url}/assign"), &agent, &[("assignee_id", &t.ids.ben.to_string())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = t.get(&url, &agent).await.body;
    assert!(page.contains("id=\"case-assignee\">Ben Ode<"), "{page}");
    // Root causes in use cannot be deleted; the report counts the case.
    let r = t.post(&format!("/root-causes/{cause}/delete"), &in_lang(&t.admin, "es"), &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("id=\"root-cause-in-use\""));
}

#[tokio::test]
async fn a_case_opens_from_the_customer_profile() {
    let t = TestApp::new().await;
    customer(&t, "cust-9").await;
    let agent = agent(&t).await;
    let profile = t.get("/customers/cust-9", &agent).await.body;
    assert!(profile.contains("id=\"case-open-form\"") && profile.contains("id=\"customer-cases\""));
    assert!(!t.get("/customers/cust-9", &t.viewer).await.body.contains("id=\"case-open-form\""));
    let r = t.post("/customers/cust-9/cases", &in_lang(&agent, "es"), &[("title", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Este campo es obligatorio."));
    let tp = t.ids.touchpoint.to_string();
    let r = t
        .post("/customers/cust-9/cases", &agent, &[("title", "Wrong size"), ("touchpoint_id", &tp), ("note", "Phoned")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.location.unwrap();
    assert!(to.starts_with("/cases/"), "{to}");
    assert!(t.get(&to, &agent).await.body.contains("Wrong size"));
    assert!(t.get("/customers/cust-9", &agent).await.body.contains("Wrong size"));
    let r = t.post("/customers/cust-9/cases", &agent, &[("title", "Again"), ("touchpoint_id", &tp)]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "one open case per customer and touchpoint");
}

#[tokio::test]
async fn rules_routing_calendar_and_taxonomy_are_edited_by_leaders() {
    let t = TestApp::new().await;
    let es = in_lang(&t.admin, "es");
    assert!(t.get("/cases/rules", &es).await.body.contains("Reglas que abren casos"));
    let rule = [("name", "Detractors"), ("kind", "score"), ("scale", "nps"), ("at_most", "6")];
    assert_eq!(t.post("/cases/rules/case-rules", &t.viewer, &rule).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.post("/cases/rules/case-rules", &t.admin, &rule).await.status, StatusCode::SEE_OTHER);
    let words = [("name", "Angry words"), ("kind", "comment"), ("words", "refund, never again")];
    assert_eq!(t.post("/cases/rules/case-rules", &t.admin, &words).await.status, StatusCode::SEE_OTHER);
    let rules = t.store.list_case_rules(t.org.id).await.unwrap();
    assert_eq!(rules.len(), 2);
    // A rule can be paused (it opens nothing) and resumed.
    let toggle = format!("/cases/rules/case-rules/{}/active", rules[0].id);
    assert_eq!(t.post(&toggle, &t.viewer, &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.post(&toggle, &t.admin, &[]).await.status, StatusCode::SEE_OTHER);
    assert!(!t.store.list_case_rules(t.org.id).await.unwrap()[0].active);
    let paused = t.get("/cases/rules", &es).await.body;
    assert!(paused.contains(&format!("id=\"case-rule-{}-paused\">En pausa<", rules[0].id)), "{paused}");
    assert_eq!(t.post(&toggle, &t.admin, &[]).await.status, StatusCode::SEE_OTHER);
    assert!(t.store.list_case_rules(t.org.id).await.unwrap()[0].active);
    let bad = t.post("/cases/rules/case-rules", &es, &[("name", ""), ("kind", "score")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ana = t.ids.ana.to_string();
    let route =
        [("name", "All to Ana"), ("position", "1"), ("assignee_id", ana.as_str()), ("first_response_hours", "4")];
    assert_eq!(t.post("/cases/rules/routing", &t.admin, &route).await.status, StatusCode::SEE_OTHER);
    let page = t.get("/cases/rules", &t.admin).await.body;
    assert!(
        page.contains("All to Ana") && page.contains("NPS at most 6") && page.contains("refund, never again"),
        "{page}"
    );
    let cal = [
        ("time_zone", "Europe/Madrid"),
        ("day_start", "08:30"),
        ("day_end", "18:00"),
        ("day_mon", "on"),
        ("day_tue", "on"),
        ("holidays", "2026-12-25 Christmas\n2027-01-01 New Year"),
    ];
    assert_eq!(t.post("/cases/rules/calendar", &t.admin, &cal).await.status, StatusCode::SEE_OTHER);
    let saved = t.store.work_calendar(t.org.id).await.unwrap();
    assert_eq!((saved.time_zone.as_str(), saved.day_start, saved.holidays.len()), ("Europe/Madrid", 510, 2));
    let page = t.get("/cases/rules", &t.admin).await.body;
    assert!(page.contains(r#"value="Europe&#x2f;Madrid""#) && page.contains(r#"list="time-zones""#), "{page}");
    assert_eq!(saved.workdays, [true, true, false, false, false, false, false]);
    let bad = t
        .post(
            "/cases/rules/calendar",
            &t.admin,
            &[("time_zone", "Europe/Madird"), ("day_start", "18:00"), ("day_end", "08:00"), ("holidays", "tomorrow")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains(r#"aria-describedby="time_zone-error""#), "{}", bad.body);
    let id = rules[0].id;
    assert_eq!(
        t.post(&format!("/cases/rules/case-rules/{id}/delete"), &t.admin, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    // Taxonomy.
    let r = t.post("/root-causes", &t.admin, &[("name", "Billing error"), ("preventable", "yes")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = t.post("/root-causes", &t.admin, &[("name", "Billing error")]).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    let cause = t.store.list_root_causes(t.org.id).await.unwrap()[0].id;
    let r = t.post(&format!("/root-causes/{cause}"), &t.admin, &[("name", "Billing mistake")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let c = &t.store.list_root_causes(t.org.id).await.unwrap()[0];
    assert_eq!((c.name.as_str(), c.preventable), ("Billing mistake", false));
    let page = t.get("/root-causes", &in_lang(&t.viewer, "es")).await.body;
    assert!(page.contains("Billing mistake") && page.contains("Últimos 90 días"), "{page}");
    assert_eq!(t.post(&format!("/root-causes/{cause}/delete"), &t.admin, &[]).await.status, StatusCode::SEE_OTHER);
}

/// The calendar API (`api/calendar.rs`) as a signed-in admin's browser calls it.
async fn api_calendar(t: &TestApp, method: &str, body: Option<serde_json::Value>) -> (StatusCode, serde_json::Value) {
    let req = axum::http::Request::builder()
        .method(method)
        .uri("/api/v1/calendar")
        .header(axum::http::header::HOST, "rapport.test")
        .header(axum::http::header::ORIGIN, "http://rapport.test")
        .header(axum::http::header::COOKIE, &t.admin)
        .header(axum::http::header::CONTENT_TYPE, "application/json")
        .body(body.map_or_else(axum::body::Body::empty, |b| axum::body::Body::from(b.to_string())))
        .unwrap();
    let page = t.send(req).await;
    (page.status, serde_json::from_str(&page.body).unwrap_or_default())
}

#[tokio::test]
async fn the_time_zone_is_saved_validated_and_the_old_offset_still_accepted() {
    let t = TestApp::new().await;
    let (status, cal) = api_calendar(&t, "GET", None).await;
    assert_eq!((status, cal["time_zone"].as_str()), (StatusCode::OK, Some("UTC")), "{cal}");
    let (status, cal) =
        api_calendar(&t, "PUT", Some(serde_json::json!({"time_zone": "Europe/Madrid", "day_start": "08:00"}))).await;
    assert_eq!(
        (status, cal["time_zone"].as_str(), cal["day_start"].as_i64()),
        (StatusCode::OK, Some("Europe/Madrid"), Some(480))
    );
    assert!(cal.get("utc_offset_minutes").is_none(), "{cal}");
    let (status, e) = api_calendar(&t, "PUT", Some(serde_json::json!({"time_zone": "Europe/Madird"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    assert_eq!(e["error"]["fields"]["time_zone"]["code"], "invalid", "{e}");
    let (status, e) =
        api_calendar(&t, "PUT", Some(serde_json::json!({"time_zone": "UTC", "utc_offset_minutes": 60}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
    // The deprecated offset becomes a fixed zone.
    let (status, cal) = api_calendar(&t, "PUT", Some(serde_json::json!({"utc_offset_minutes": -300}))).await;
    assert_eq!((status, cal["time_zone"].as_str()), (StatusCode::OK, Some("UTC-05:00")), "{cal}");
    assert_eq!(t.store.work_calendar(t.org.id).await.unwrap().time_zone, "UTC-05:00");
}
