//! The public survey pages, through the real router on a fresh database.

use super::super::test_support::TestApp;
use super::*;
use axum::body::Body;
use axum::http::{header, Request};
use rapport_core::survey::{Choice, ConditionOp, Localized, Question, QuestionType, ShowIf, SurveyInput};

fn l(en: &str, es: &str) -> Localized {
    Localized { en: en.into(), es: es.into() }
}

/// A published NPS + reason + comment survey on the seeded touchpoint.
pub async fn published_survey(t: &TestApp, fatigue_days: i64) -> Survey {
    let questions = vec![
        Question {
            key: "nps".into(),
            kind: QuestionType::Nps,
            text: l("How likely are you to recommend us?", "¿Qué probabilidad hay de que nos recomiende?"),
            required: true,
            choices: vec![],
            scale_max: None,
            show_if: None,
            ..Default::default()
        },
        Question {
            key: "why".into(),
            kind: QuestionType::SingleChoice,
            text: l("What went wrong?", "¿Qué salió mal?"),
            required: false,
            choices: vec![
                Choice { key: "price".into(), label: l("Price", "Precio") },
                Choice { key: "staff".into(), label: l("Staff", "Personal") },
            ],
            scale_max: None,
            show_if: Some(ShowIf::new("nps", ConditionOp::Lte, 6.into())),
            ..Default::default()
        },
        Question {
            key: "comment".into(),
            kind: QuestionType::Text,
            text: l("Anything else?", "¿Algo más?"),
            required: false,
            choices: vec![],
            scale_max: None,
            show_if: None,
            ..Default::default()
        },
    ];
    let input = SurveyInput {
        touchpoint_id: t.ids.touchpoint,
        title: l("Store visit", "Visita a la tienda"),
        intro: l("Two quick questions.", "Dos preguntas rápidas."),
        questions,
        fatigue_days,
    };
    let s = t.store.create_survey(t.org.id, &input, &secret::generate("")[..24]).await.unwrap();
    t.store.set_survey_status(t.org.id, s.id, SurveyStatus::Published).await.unwrap()
}

async fn personal(t: &TestApp, s: &Survey, customer: &str, days: i64) -> String {
    let key = link::installation_secret(t.store.as_ref()).await.unwrap();
    let q = link::sign(&key, &s.token, customer, link::expiry(Utc::now(), days));
    format!("/s/{}?{q}", s.token)
}

fn nonce(body: &str) -> String {
    let i = body.find("name=\"nonce\" value=\"").unwrap() + "name=\"nonce\" value=\"".len();
    body[i..i + 64].to_string()
}

fn filter() -> rapport_store::FeedbackFilter {
    rapport_store::FeedbackFilter { limit: 100, ..Default::default() }
}

async fn count(t: &TestApp) -> u64 {
    t.store.list_responses(t.org.id, &filter()).await.unwrap().total as u64
}

#[tokio::test]
async fn the_organization_brands_its_pages_and_sets_their_default_language() {
    use rapport_core::branding::{Accent, LogoKind};
    use rapport_core::settings::SettingsChange;
    let t = TestApp::new().await;
    let s = published_survey(&t, 0).await;
    let plain = t.get(&format!("/s/{}", s.token), "").await;
    assert!(plain.body.contains("<html lang=\"en\">"), "English without any setting");
    assert!(!plain.body.contains("id=\"brand-theme\"") && !plain.body.contains("id=\"brand-logo\""));

    let change = SettingsChange {
        default_language: Some(Lang::Es),
        accent_colour: Some(Some(Accent::parse("#1d4ed8").unwrap())),
        ..Default::default()
    };
    t.store.update_settings(t.org.id, &change, "admin@acme.test").await.unwrap();
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR--";
    let logo = rapport_store::NewLogo { kind: LogoKind::Png, bytes: png, version: "abc123" };
    t.store.set_logo(t.org.id, Some(&logo), "admin@acme.test").await.unwrap();

    let page = t.get(&format!("/s/{}", s.token), "").await;
    assert!(page.body.contains("<html lang=\"es\">"), "no preference: the organization's language");
    assert!(page.body.contains("href=\"/branding/acme/theme.css?v=1d4ed8\""), "{}", page.body);
    assert!(page.body.contains("src=\"/branding/acme/logo?v=abc123\" alt=\"Acme Outdoor\""));
    let req = |accept: &str| {
        Request::get(format!("/s/{}", s.token)).header(header::ACCEPT_LANGUAGE, accept).body(Body::empty()).unwrap()
    };
    assert!(t.send(req("en-GB,en;q=0.9")).await.body.contains("<html lang=\"en\">"), "the browser's choice wins");
    assert!(t.send(req("fr, de")).await.body.contains("<html lang=\"es\">"), "none we speak: the default");
    let en = t.get(&format!("/s/{}?lang=en", s.token), "").await;
    assert!(en.body.contains("<html lang=\"en\">"), "the link's choice wins");
    let thanks = t.get(&format!("/s/{}/thanks", s.token), "").await;
    assert!(thanks.body.contains("<html lang=\"es\">") && thanks.body.contains("id=\"brand-logo\""));
}

#[tokio::test]
async fn public_page_in_both_languages_without_sign_in() {
    let t = TestApp::new().await;
    let s = published_survey(&t, 0).await;
    let en = t.get(&format!("/s/{}", s.token), "").await;
    assert_eq!(en.status, StatusCode::OK, "{}", en.body);
    for id in ["survey-form", "survey-submit", "q-nps-0", "q-nps-10", "q-comment", "lang-en", "lang-es"] {
        assert!(en.body.contains(&format!("id=\"{id}\"")), "lacks #{id}");
    }
    assert!(en.body.contains("How likely are you"));
    assert!(!en.body.contains("id=\"q-why-price\""), "conditional question waits for its answer");
    assert!(!en.body.contains("<script"));
    let es = t.get(&format!("/s/{}?lang=es", s.token), "").await;
    assert!(es.body.contains("<html lang=\"es\">"));
    assert!(es.body.contains("¿Qué probabilidad hay"));
    let req = Request::get(format!("/s/{}", s.token))
        .header(header::ACCEPT_LANGUAGE, "es-MX,es;q=0.9")
        .body(Body::empty())
        .unwrap();
    assert!(t.send(req).await.body.contains("Enviar"));
    // Unknown and draft surveys are not found; closed ones say so.
    assert_eq!(t.get("/s/nope", "").await.status, StatusCode::NOT_FOUND);
    t.store.set_survey_status(t.org.id, s.id, SurveyStatus::Closed).await.unwrap();
    let closed = t.get(&format!("/s/{}?lang=es", s.token), "").await;
    assert!(closed.body.contains("id=\"survey-closed\""), "{}", closed.body);
    t.store.set_survey_status(t.org.id, s.id, SurveyStatus::Draft).await.unwrap();
    assert_eq!(t.get(&format!("/s/{}", s.token), "").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn anonymous_post_stores_once() {
    let t = TestApp::new().await;
    let s = published_survey(&t, 0).await;
    let url = format!("/s/{}?lang=es", s.token);
    let page = t.get(&url, "").await;
    let n = nonce(&page.body);
    let form = [("nonce", n.as_str()), ("shown", "nps"), ("shown", "comment"), ("q.nps", "9"), ("q.comment", "Genial")];
    let r = t.post(&url, "", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let thanks = t.get(r.location.as_deref().unwrap(), "").await;
    assert!(thanks.body.contains("id=\"survey-thanks\""));
    assert!(thanks.body.contains("Gracias"));
    let again = t.post(&url, "", &form).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(count(&t).await, 1);
    let stored = t.store.list_responses(t.org.id, &filter()).await.unwrap().items.remove(0);
    assert_eq!(stored.answers["nps"], 9);
    assert_eq!(stored.channel.as_deref(), Some("web"));
    assert_eq!(stored.language, Some(Lang::Es));
    assert_eq!(stored.customer, None);
}

#[tokio::test]
async fn skip_logic_shows_follow_up_before_storing() {
    let t = TestApp::new().await;
    let s = published_survey(&t, 0).await;
    let url = format!("/s/{}", s.token);
    let n = nonce(&t.get(&url, "").await.body);
    let r = t.post(&url, "", &[("nonce", &n), ("shown", "nps"), ("shown", "comment"), ("q.nps", "3")]).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("id=\"q-why-price\""));
    assert!(r.body.contains("id=\"survey-follow-up\""));
    assert!(r.body.contains("id=\"q-nps-3\" checked") || r.body.contains("value=\"3\" checked"), "{}", r.body);
    assert_eq!(count(&t).await, 0);
    let form = [
        ("nonce", n.as_str()),
        ("shown", "nps"),
        ("shown", "why"),
        ("shown", "comment"),
        ("q.nps", "3"),
        ("q.why", "price"),
    ];
    let r = t.post(&url, "", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(count(&t).await, 1);
}

#[tokio::test]
async fn invalid_answers_come_back_translated() {
    let t = TestApp::new().await;
    let s = published_survey(&t, 0).await;
    let url = format!("/s/{}?lang=es", s.token);
    let r = t.post(&url, "", &[("shown", "nps"), ("shown", "comment"), ("q.comment", "hola")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("Este campo es obligatorio."), "{}", r.body);
    assert!(r.body.contains(">hola</textarea>"));
    let r = t.post(&url, "", &[("shown", "nps"), ("shown", "comment"), ("q.nps", "11")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&t).await, 0);
}

#[tokio::test]
async fn personal_links_tampered_expired_and_fatigue() {
    let t = TestApp::new().await;
    let s = published_survey(&t, 30).await;
    let good = personal(&t, &s, "cust-42", 7).await;
    let tampered = good.replace("cust-42", "cust-43");
    let form = [("shown", "nps"), ("shown", "comment"), ("q.nps", "10")];
    for bad in [tampered.clone(), format!("{good}x"), format!("/s/{}?c=cust-42", s.token)] {
        assert_eq!(t.get(&bad, "").await.status, StatusCode::BAD_REQUEST, "{bad}");
        let r = t.post(&bad, "", &form).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        assert!(r.body.contains("id=\"survey-link-invalid\""));
    }
    let expired = personal(&t, &s, "cust-42", -1).await;
    let r = t.get(&format!("{expired}&lang=es"), "").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("id=\"survey-link-expired\""));
    assert_eq!(t.post(&expired, "", &form).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(count(&t).await, 0);

    // The good link: the form keeps the link's parameters, stores the
    // customer, then thanks them instead of asking again.
    let page = t.get(&good, "").await;
    assert!(page.body.contains("sig="), "the action keeps the link");
    let r = t.post(&good, "", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = t.store.list_responses(t.org.id, &filter()).await.unwrap().items.remove(0);
    assert_eq!(stored.customer.as_deref(), Some("cust-42"));
    let again = t.get(&good, "").await;
    assert!(again.body.contains("id=\"survey-already\""), "{}", again.body);
    assert!(!again.body.contains("id=\"survey-form\""));
    assert_eq!(t.post(&good, "", &form).await.status, StatusCode::OK);
    assert_eq!(count(&t).await, 1);
}

#[test]
fn the_limit_counts_per_address_and_survey() {
    let limiter = RateLimiter::default();
    let (a, b) = (ClientIp(Some("203.0.113.1".parse().unwrap())), ClientIp(Some("203.0.113.2".parse().unwrap())));
    for _ in 0..POSTS_PER_WINDOW {
        assert!(limiter.allow(a, 1));
    }
    assert!(!limiter.allow(a, 1));
    assert!(limiter.allow(a, 2), "another survey");
    assert!(limiter.allow(b, 1), "another client");
}

#[tokio::test]
async fn posts_are_rate_limited_per_address() {
    let t = TestApp::new().await;
    let s = published_survey(&t, 0).await;
    let post = |ip: &'static str| {
        Request::post(format!("/s/{}", s.token))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("x-forwarded-for", ip)
            .body(Body::from("shown=nps&shown=comment"))
            .unwrap()
    };
    for _ in 0..POSTS_PER_WINDOW {
        assert_eq!(t.send(post("203.0.113.9")).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = t.send(post("203.0.113.9")).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.body.contains("id=\"survey-rate-limited\""));
    assert_eq!(t.send(post("203.0.113.10")).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}
