use crate::web::test_support::{in_lang, session_as, TestApp};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use rapport_core::role::Role;
use rapport_core::survey::{SurveyDraft, SurveyStatus};
use rapport_store::NewResponse;
use serde_json::json;

/// The seeded checkout, 40 CSAT answers of which half are 4 or 5: 50%
/// against the organization's 85.
async fn answers(t: &TestApp) {
    let (org, tp) = (t.org.id, t.ids.touchpoint);
    let draft: SurveyDraft = serde_json::from_value(json!({"touchpoint_id": tp, "fatigue_days": 0,
        "title": {"en": "Checkout", "es": "Compra"},
        "questions": [{"key": "sat", "type": "csat", "text": {"en": "Happy?", "es": "¿Contento?"}}]}))
    .unwrap();
    let survey = t.store.create_survey(org, &draft.validate().unwrap(), "gaps-web").await.unwrap();
    t.store.set_survey_status(org, survey.id, SurveyStatus::Published).await.unwrap();
    let items: Vec<NewResponse> = (0..40)
        .map(|i| NewResponse {
            key: Some(format!("w{i}")),
            survey_id: Some(survey.id),
            touchpoint_id: tp,
            customer: Some(format!("c{i}")),
            at: Utc::now() - Duration::hours(1 + i),
            answers: serde_json::from_value(json!({"sat": if i % 2 == 0 { 5 } else { 2 }})).unwrap(),
            comment: None,
            channel: None,
            language: None,
        })
        .collect();
    t.store.ingest_responses(org, &items).await.unwrap();
}

#[tokio::test]
async fn the_top_gap_becomes_one_idea_in_one_step() {
    let t = TestApp::new().await;
    answers(&t).await;
    let exp = t.ids.experience;
    // `/gaps` opens the first experience's analysis.
    let p = t.get("/gaps", &t.viewer).await;
    assert_eq!(p.location.as_deref(), Some(format!("/experiences/{exp}/gaps").as_str()));
    // A viewer reads the ranking but has no buttons.
    let p = t.get(&format!("/experiences/{exp}/gaps"), &t.viewer).await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.body);
    assert!(p.body.contains("id=\"gap-1\"") && p.body.contains("Checkout"), "{}", p.body);
    assert!(p.body.contains("class=\"chart gap-bar\"") && p.body.contains(">35<"), "gap 35: {}", p.body);
    assert!(!p.body.contains("id=\"gap-1-idea\"") && !p.body.contains("id=\"gap-1-sprint\""));
    // A leader linked to a person, in Spanish on the phone.
    let leader = session_as(t.store.as_ref(), t.org.id, "lead@acme.test", Role::Leader, Some(t.ids.ana)).await;
    let es = in_lang(&leader, "es");
    let p = t.get(&format!("/experiences/{exp}/gaps"), &es).await;
    assert!(p.body.contains("Convertir en idea") && p.body.contains("id=\"gap-1-idea\""), "{}", p.body);
    assert!(p.body.contains("id=\"gap-1-sprint\"") && p.body.contains("Importancia declarada"));
    let form = [("touchpoint_id", t.ids.touchpoint.to_string()), ("metric", "csat".to_string())];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let first = t.post(&format!("/experiences/{exp}/gaps/idea"), &es, &form).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let to = first.location.clone().unwrap();
    assert!(to.starts_with("/ideas/"), "{to}");
    let again = t.post(&format!("/experiences/{exp}/gaps/idea"), &es, &form).await;
    assert_eq!(again.location, first.location, "a second click lands on the same idea");
    let id: i64 = to.trim_start_matches("/ideas/").parse().unwrap();
    let idea = t.store.get_idea(t.org.id, id).await.unwrap();
    assert!(idea.idea.title.contains("Checkout") && idea.idea.title.contains("CSAT"), "{}", idea.idea.title);
    let p = t.get(&format!("/experiences/{exp}/gaps"), &es).await;
    assert!(p.body.contains(&format!("Idea n.º {id}")) && !p.body.contains("id=\"gap-1-idea\""), "{}", p.body);
    // A met or unknown gap is refused on the page, naming why.
    let bad = [("touchpoint_id", "999999"), ("metric", "csat")];
    let p = t.post(&format!("/experiences/{exp}/gaps/idea"), &es, &bad).await;
    assert_eq!(p.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(p.body.contains("id=\"gaps-refused\""), "{}", p.body);
    // The viewer cannot make one.
    let p = t.post(&format!("/experiences/{exp}/gaps/idea"), &t.viewer, &form).await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
}
