//! Pages of the knowledge base: the case page suggests the article linked
//! to its root cause; an agent reads it in Spanish (a use); the fallback to
//! the other language is said; writing, marking, search and refusals.

use crate::web::test_support::{in_lang, session_as, TestApp};
use axum::http::StatusCode;
use chrono::Utc;
use rapport_core::case::resolved::{Step, StepDraft};
use rapport_core::case::root_cause::RootCauseInput;
use rapport_core::case::CaseInput;
use rapport_core::customer::CustomerUpsert;
use rapport_core::people::knowledge::ArticleDraft;
use rapport_core::role::Role;
use rapport_core::Id;
use rapport_store::knowledge::Author;
use serde_json::json;

async fn article(t: &TestApp, v: serde_json::Value) -> Id {
    let input = serde_json::from_value::<ArticleDraft>(v).unwrap().validate().unwrap();
    let author = Author { person_id: Some(t.ids.ana), account: "admin@acme.test".into() };
    t.store.create_article(t.org.id, &input, &author, Utc::now()).await.unwrap().id
}

/// A case at the seeded touchpoint whose Document step names `cause`.
async fn case_with_cause(t: &TestApp, cause: Id) -> Id {
    let c: CustomerUpsert =
        serde_json::from_value(json!({"external_id": "kb-1", "name": "Kim", "attributes": {}})).unwrap();
    t.store.upsert_customer(t.org.id, &c).await.unwrap();
    let input = CaseInput {
        customer: "kb-1".into(),
        touchpoint_id: Some(t.ids.touchpoint),
        title: "Mi reembolso no llega".into(),
        assignee_id: Some(t.ids.ana),
        note: None,
    };
    let case = t.store.open_case(t.org.id, &input, "user:1", Utc::now()).await.unwrap().id;
    for st in Step::ALL {
        let v = match st {
            Step::Open => json!({"proposal": "p"}),
            Step::Verify => json!({"agreed": true}),
            Step::Eliminate => json!({"action": "a"}),
            Step::Document => json!({"root_cause_id": cause, "root_cause_note": "n"}),
            _ => json!({}),
        };
        let step = serde_json::from_value::<StepDraft>(v).unwrap().validate(st).unwrap();
        t.store.record_step(t.org.id, case, &step, "user:1", Utc::now()).await.unwrap();
        if st == Step::Document {
            break;
        }
    }
    case
}

#[tokio::test]
async fn a_case_suggests_the_article_of_its_root_cause_and_an_agent_reads_it_in_spanish() {
    let t = TestApp::new().await;
    let cause = RootCauseInput { name: "Mensajero tarde".into(), description: None, preventable: true };
    let cause = t.store.create_root_cause(t.org.id, &cause).await.unwrap().id;
    let courier = article(
        &t,
        json!({"kind": "procedure", "title_en": "Late courier", "body_en": "1. Apologise",
            "title_es": "Mensajero con retraso", "body_es": "1. Pedir disculpas\n2. **Reembolsar** el envío\n\n![Etiqueta](/media/7)",
            "root_cause_ids": [cause]}),
    )
    .await;
    let other = article(&t, json!({"kind": "faq", "title_en": "Gift cards", "body_en": "Sold in stores."})).await;
    let case = case_with_cause(&t, cause).await;
    let agent =
        in_lang(&session_as(t.store.as_ref(), t.org.id, "agent@acme.test", Role::Agent, Some(t.ids.ana)).await, "es");

    let page = t.get(&format!("/cases/{case}"), &agent).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"case-articles\""), "{}", page.body);
    assert!(page.body.contains(&format!("href=\"/knowledge/{courier}?case={case}\"")));
    assert!(page.body.contains("Mensajero con retraso"));
    assert!(page.body.contains("vinculado a la causa raíz Mensajero tarde"), "why it is suggested");
    assert!(page.body.contains("coincide: reembolso"), "the customer's words");
    assert!(!page.body.contains(&format!("/knowledge/{other}?")), "an unrelated article is not suggested");

    let read = t.get(&format!("/knowledge/{courier}?case={case}"), &agent).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert!(read.body.contains("<h1 id=\"page-title\" lang=\"es\">Mensajero con retraso</h1>"), "{}", read.body);
    assert!(read.body.contains("<strong>Reembolsar</strong>"), "Markdown rendered");
    assert!(read.body.contains("src=\"/media/7\""), "Rapport's own images kept");
    assert!(!read.body.contains("knowledge-fallback"), "no fallback: Spanish exists");
    assert!(read.body.contains("id=\"back-to-case\""));
    assert!(read.body.contains("name=\"viewport\""), "a page for phones");
    assert_eq!(t.store.get_article(t.org.id, courier, None).await.unwrap().uses, 1, "opened from the case: a use");

    // The agent marks it helpful.
    let marked = t.post(&format!("/knowledge/{courier}/mark"), &agent, &[("mark", "helpful")]).await;
    assert_eq!(marked.status, StatusCode::SEE_OTHER);
    assert_eq!(t.store.get_article(t.org.id, courier, None).await.unwrap().helpful, 1);
    let refused = t.post(&format!("/knowledge/{courier}/mark"), &agent, &[("mark", "helpful"), ("note", "x")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"note-error\""));
    // An agent does not write articles.
    assert_eq!(t.get("/knowledge/new", &agent).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_article_falls_back_to_the_other_language_and_says_so() {
    let t = TestApp::new().await;
    let only_en = article(&t, json!({"kind": "faq", "title_en": "Opening hours", "body_en": "9 to 5."})).await;
    let es = t.get(&format!("/knowledge/{only_en}"), &in_lang(&t.viewer, "es")).await;
    assert_eq!(es.status, StatusCode::OK, "{}", es.body);
    assert!(es.body.contains("id=\"knowledge-fallback\""));
    assert!(es.body.contains("Se muestra en inglés"));
    assert!(es.body.contains("lang=\"en\">Opening hours</h1>"));
    let en = t.get(&format!("/knowledge/{only_en}"), &in_lang(&t.viewer, "en")).await;
    assert!(!en.body.contains("id=\"knowledge-fallback\""));
    // A viewer reads but neither marks nor writes.
    assert!(!en.body.contains("id=\"mark-helpful\""));
    assert_eq!(
        t.post(&format!("/knowledge/{only_en}/mark"), &t.viewer, &[("mark", "helpful")]).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(t.get("/knowledge/999999", &t.viewer).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn leaders_write_versions_and_everyone_searches_in_both_languages() {
    let t = TestApp::new().await;
    let form = t.get("/knowledge/new", &t.admin).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let tp = t.ids.touchpoint.to_string();
    let missing = t.post("/knowledge", &t.admin, &[("kind", "faq"), ("title_es", "Reembolsos")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("id=\"body_es-error\""), "{}", missing.body);
    let saved = t
        .post(
            "/knowledge",
            &t.admin,
            &[
                ("kind", "faq"),
                ("title_es", "Reembolsos"),
                ("body_es", "Se devuelven en 5 días."),
                ("touchpoint_ids", &tp),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let at = saved.location.unwrap();
    let id: Id = at.trim_start_matches("/knowledge/").split('?').next().unwrap().parse().unwrap();
    let edited = t
        .post(
            &format!("/knowledge/{id}/edit"),
            &t.admin,
            &[
                ("kind", "faq"),
                ("title_es", "Reembolsos"),
                ("body_es", "En 3 días."),
                ("title_en", "Refunds"),
                ("body_en", "In 3 days."),
                ("touchpoint_ids", &tp),
            ],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
    let show = t.get(&format!("/knowledge/{id}"), &in_lang(&t.admin, "en")).await;
    assert!(show.body.contains("Refunds") && show.body.contains("?version=1"), "{}", show.body);
    let old = t.get(&format!("/knowledge/{id}?version=1"), &in_lang(&t.admin, "es")).await;
    assert!(old.body.contains("id=\"knowledge-old-version\"") && old.body.contains("Se devuelven en 5 días."));

    for q in ["reembolso", "refund", "REEMBOLSÓ"] {
        let found = t.get(&format!("/knowledge?q={}", crate::web::ctx::encode(q)), &t.viewer).await;
        assert_eq!(found.status, StatusCode::OK);
        assert!(found.body.contains(&format!("id=\"article-{id}\"")), "{q}: {}", found.body);
    }
    let none = t.get("/knowledge?q=espresso", &in_lang(&t.viewer, "es")).await;
    assert!(none.body.contains("id=\"knowledge-empty\""));
    let by_tp = t.get(&format!("/knowledge?touchpoint={tp}"), &t.viewer).await;
    assert!(by_tp.body.contains(&format!("id=\"article-{id}\"")));
    assert!(by_tp.body.contains("href=\"/api/v1/knowledge?touchpoint="), "the CSV link keeps the filter");
    assert_eq!(t.get("/knowledge/new", &t.viewer).await.status, StatusCode::FORBIDDEN);
}
