//! Every question type on the public page, as an HTML form alone: what it
//! shows, what a post stores, and what a bad post answers.

use super::super::test_support::TestApp;
use crate::auth::secret;
use axum::http::StatusCode;
use rapport_core::survey::{Survey, SurveyDraft, SurveyStatus};
use serde_json::json;

/// A published survey with one question of each new type.
pub async fn every_type(t: &TestApp) -> Survey {
    let l = |en: &str, es: &str| json!({"en": en, "es": es});
    let c = |key: &str, en: &str, es: &str| json!({"key": key, "label": l(en, es)});
    let draft: SurveyDraft = serde_json::from_value(json!({
        "touchpoint_id": t.ids.touchpoint,
        "title": l("Your visit", "Su visita"),
        "questions": [
            {"key": "intro", "type": "text_block",
             "text": l("<h2>About your visit</h2><p>It takes <b>two</b> minutes.</p><script>alert(1)</script>",
                       "<h2>Sobre su visita</h2><p>Son <b>dos</b> minutos.</p>")},
            {"key": "aspects", "type": "matrix", "required": true, "not_applicable": true,
             "text": l("Rate each aspect", "Valore cada aspecto"),
             "rows": [c("staff", "Staff", "Personal"), c("price", "Price", "Precio")]},
            {"key": "visits", "type": "numeric", "min": 0, "max": 365,
             "text": l("Visits this year", "Visitas este año")},
            {"key": "effort", "type": "slider", "min": 0, "max": 100, "step": 5,
             "low_label": l("Easy", "Fácil"), "high_label": l("Hard", "Difícil"),
             "text": l("How hard was it?", "¿Qué tan difícil fue?")},
            {"key": "priorities", "type": "ranking",
             "text": l("Order by importance", "Ordene por importancia"),
             "choices": [c("speed", "Speed", "Rapidez"), c("price", "Price", "Precio"), c("care", "Care", "Atención")]},
            {"key": "visited_on", "type": "date", "text": l("When did you visit?", "¿Cuándo nos visitó?")},
            {"key": "contact", "type": "multi_text", "text": l("Where?", "¿Dónde?"),
             "rows": [c("city", "City", "Ciudad"), c("store", "Store", "Tienda")]},
            {"key": "heard", "type": "single_choice", "other": true, "text": l("How did you hear of us?", "¿Cómo nos conoció?"),
             "choices": [c("friend", "A friend", "Un amigo")]},
            {"key": "agree", "type": "consent", "required": true,
             "text": l("I agree to be contacted", "Acepto que me contacten")}
        ]
    }))
    .unwrap();
    let input = draft.validate().unwrap();
    let s = t.store.create_survey(t.org.id, &input, &secret::generate("")[..24]).await.unwrap();
    t.store.set_survey_status(t.org.id, s.id, SurveyStatus::Published).await.unwrap()
}

fn filter() -> rapport_store::FeedbackFilter {
    rapport_store::FeedbackFilter { limit: 5, ..Default::default() }
}

fn nonce(body: &str) -> String {
    let i = body.find("name=\"nonce\" value=\"").unwrap() + "name=\"nonce\" value=\"".len();
    body[i..i + 64].to_string()
}

const SHOWN: [&str; 9] =
    ["intro", "aspects", "visits", "effort", "priorities", "visited_on", "contact", "heard", "agree"];

fn form<'a>(n: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f: Vec<(&str, &str)> = vec![("nonce", n)];
    f.extend(SHOWN.iter().map(|k| ("shown", *k)));
    f.extend_from_slice(extra);
    f
}

#[tokio::test]
async fn every_type_shows_as_a_plain_form_in_spanish() {
    let t = TestApp::new().await;
    let s = every_type(&t).await;
    let page = t.get(&format!("/s/{}?lang=es", s.token), "").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let b = &page.body;
    assert!(b.contains("<h2>Sobre su visita</h2>") && !b.contains("alert(1)"), "cleaned HTML of the text block");
    for id in [
        "q-aspects-staff-1",
        "q-aspects-staff-5",
        "q-aspects-price-na",
        "q-visits",
        "q-effort",
        "q-effort-skip",
        "q-priorities-1",
        "q-priorities-3",
        "q-visited_on",
        "q-contact-city",
        "q-heard-other",
        "q-heard-other-text",
        "q-agree",
    ] {
        assert!(b.contains(&format!("id=\"{id}\"")), "lacks #{id}");
    }
    assert!(b.contains("type=\"range\"") && b.contains("step=\"5\"") && b.contains("value=\"50\""));
    assert!(b.contains("type=\"date\"") && b.contains("Puesto 1") && b.contains("Fácil"));
    assert!(b.contains("src=\"/assets/survey.js"), "a slider's value is shown by a script when there is one");
}

#[tokio::test]
async fn a_post_stores_every_type_normalised() {
    let t = TestApp::new().await;
    let s = every_type(&t).await;
    let url = format!("/s/{}?lang=es", s.token);
    let n = nonce(&t.get(&url, "").await.body);
    let f = form(
        &n,
        &[
            ("q.aspects.staff", "5"),
            ("q.aspects.price", "na"),
            ("q.visits", "12"),
            ("q.effort", "35"),
            ("q.priorities.1", "care"),
            ("q.priorities.2", "speed"),
            ("q.priorities.3", "price"),
            ("q.visited_on", "2026-03-01"),
            ("q.contact.city", "Sevilla"),
            ("q.contact.store", ""),
            ("q.heard", "other"),
            ("q.heard.other", "La radio"),
            ("q.agree", "true"),
        ],
    );
    let r = t.post(&url, "", &f).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = t.store.list_responses(t.org.id, &filter()).await.unwrap().items.remove(0).answers;
    assert_eq!(
        serde_json::Value::Object(stored),
        json!({
            "aspects": {"staff": 5, "price": "na"},
            "visits": 12,
            "effort": 35,
            "priorities": ["care", "speed", "price"],
            "visited_on": "2026-03-01",
            "contact": {"city": "Sevilla"},
            "heard": "other",
            "heard.other": "La radio",
            "agree": true
        })
    );
}

#[tokio::test]
async fn bad_answers_name_their_field_and_store_nothing() {
    let t = TestApp::new().await;
    let s = every_type(&t).await;
    let url = format!("/s/{}?lang=es", s.token);
    let n = nonce(&t.get(&url, "").await.body);
    let f = form(
        &n,
        &[
            ("q.aspects.staff", "9"),
            ("q.visits", "400"),
            ("q.effort", "33"),
            ("q.priorities.1", "care"),
            ("q.priorities.2", "care"),
            ("q.priorities.3", "price"),
            ("q.visited_on", "2026-02-30"),
            ("q.heard", "other"),
        ],
    );
    let r = t.post(&url, "", &f).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // One message per question, in Spanish, next to it.
    for id in ["aspects", "visits", "effort", "priorities", "visited_on", "heard", "agree"] {
        assert!(r.body.contains(&format!("id=\"q-{id}-error\"")), "no error on {id}");
    }
    assert!(r.body.contains("Ya figura en la lista") || r.body.contains("cada elemento"), "ranking duplicate");
    assert!(r.body.contains("Introduzca una fecha válida"), "{}", r.body);
    assert_eq!(t.store.list_responses(t.org.id, &filter()).await.unwrap().total, 0);
    // The answers given are kept on the page to be corrected.
    assert!(r.body.contains("value=\"400\"") && r.body.contains("value=\"2026-02-30\""));
}

#[tokio::test]
async fn answers_reach_the_results_page_and_the_answers_table() {
    let t = TestApp::new().await;
    let s = every_type(&t).await;
    let url = format!("/s/{}?lang=es", s.token);
    let n = nonce(&t.get(&url, "").await.body);
    let f = form(&n, &[("q.aspects.staff", "4"), ("q.aspects.price", "2"), ("q.effort", "35"), ("q.agree", "true")]);
    assert_eq!(t.post(&url, "", &f).await.status, StatusCode::SEE_OTHER);
    let page = t.get(&format!("/surveys/{}/results", s.id), &t.viewer).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for id in ["item-aspects-staff", "item-aspects-price", "item-visits", "item-effort", "survey-answers-csv"] {
        assert!(page.body.contains(&format!("id=\"{id}\"")), "lacks #{id}");
    }
    assert!(page.body.contains("<strong>4.0</strong>") || page.body.contains("<strong>4</strong>"), "{}", page.body);
    assert!(page.body.contains("class=\"chart-sparkline\"") || page.body.contains("chart-sparkline"));
    let bad = t.get(&format!("/surveys/{}/results?interval=hourly", s.id), &t.viewer).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let csv = t.get(&format!("/surveys/{}/answers.csv", s.id), &t.viewer).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with("response_id,at,customer,channel,language,comment,aspects.staff,aspects.price,"));
    assert!(csv.body.lines().nth(1).unwrap().contains(",web,es,,4,2,,35,"), "{}", csv.body);
    assert_eq!(t.get(&format!("/surveys/{}/results", s.id), "").await.status, StatusCode::SEE_OTHER, "signed in only");
}
