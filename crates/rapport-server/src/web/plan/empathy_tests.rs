//! The empathy map page: a suggestion added in one click, the edit form's
//! errors on their row, versions viewable, the summary on the journey map
//! and the one-page plan, and a viewer who reads without the forms.

use crate::web::test_support::TestApp;
use axum::http::StatusCode;
use chrono::Utc;
use rapport_store::NewResponse;
use serde_json::Map;

#[tokio::test]
async fn a_map_is_built_from_comments_and_versioned() {
    let t = TestApp::new().await;
    let tp = t.ids.touchpoint;
    let comment = "The queue was so slow, terrible";
    let r = NewResponse {
        key: Some("e1".into()),
        survey_id: None,
        touchpoint_id: tp,
        customer: None,
        at: Utc::now(),
        answers: Map::new(),
        comment: Some(comment.into()),
        channel: None,
        language: None,
    };
    let id = t.store.ingest_responses(t.org.id, &[r]).await.unwrap()[0].id();
    let url = format!("/touchpoints/{tp}/empathy");

    let page = t.get(&url, &t.admin).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("id=\"suggestion-{id}\"")), "the comment is offered");
    assert!(page.body.contains("id=\"no-map\""));

    let added =
        t.post(&format!("{url}/add"), &t.admin, &[("response_id", &id.to_string()), ("quadrant", "pains")]).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let page = t.get(&url, &t.admin).await;
    assert!(page.body.contains(comment), "the comment is quoted in the map");
    assert!(page.body.contains("1 of 1 entries cite evidence"), "{}", page.body);
    assert!(!page.body.contains(&format!("id=\"suggestion-{id}\"")), "a cited comment is no longer offered");

    let evidence = format!("response:{id}");
    let bad = [
        ("quadrant-0", "pains"),
        ("text-0", ""),
        ("evidence-0", evidence.as_str()),
        ("quadrant-1", "hears"),
        ("text-1", "Wants to skip the queue"),
    ];
    let refused = t.post(&url, &t.admin, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"quadrant-1-error\""), "the error is on its row");
    assert!(refused.body.contains("Wants to skip the queue"), "what was typed is kept");

    let good = [
        ("quadrant-0", "pains"),
        ("text-0", ""),
        ("evidence-0", evidence.as_str()),
        ("quadrant-1", "gains"),
        ("text-1", "Wants to skip the queue"),
        ("quadrant-2", "says"),
        ("text-2", ""),
        ("evidence-2", ""),
    ];
    assert_eq!(t.post(&url, &t.admin, &good).await.status, StatusCode::SEE_OTHER);
    let page = t.get(&url, &t.admin).await;
    assert!(page.body.contains("1 of 2 entries cite evidence"));
    assert!(page.body.contains("id=\"version-1\""));
    let old = t.get(&format!("{url}?version=1"), &t.viewer).await;
    assert!(old.body.contains("id=\"old-version\""));
    assert!(!old.body.contains("Wants to skip the queue"));
    assert_eq!(t.get(&format!("{url}?version=9"), &t.viewer).await.status, StatusCode::NOT_FOUND);

    let journey = t.get("/journey", &t.viewer).await;
    assert!(journey.body.contains(&format!("id=\"empathy-link-{tp}\"")));
    assert!(journey.body.contains("Empathy map (2)"));
    let plan = t.get(&format!("/experiences/{}/plan", t.ids.experience), &t.viewer).await;
    assert!(plan.body.contains(&format!("id=\"plan-empathy-{tp}\"")));
    assert!(plan.body.contains("Wants to skip the queue"));

    let viewer = t.get(&url, &t.viewer).await;
    assert!(!viewer.body.contains("id=\"empathy-form\""));
    assert_eq!(t.post(&url, &t.viewer, &good).await.status, StatusCode::FORBIDDEN);
}
