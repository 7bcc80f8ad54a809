//! The value pages before and after a refit, in both languages: the hub,
//! the at-risk list and its CSV, a profile's risk, ROCE with its form, and
//! an experience's key drivers with their charts.

use crate::state::{AppState, Config};
use crate::web::test_support::{in_lang, TestApp};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use rapport_core::feedback::EventDraft;
use rapport_core::survey::SurveyDraft;
use rapport_store::{NewResponse, RunStatus};
use serde_json::json;

/// Numbers in [0, 1), the same every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// 200 customers buying as BG/NBD assumes, half of those who stop
/// cancelling, and each answering an NPS survey that follows delivery.
async fn history(t: &TestApp) {
    let store = t.store.as_ref();
    let draft: SurveyDraft = serde_json::from_value(json!({
        "touchpoint_id": t.ids.touchpoint, "title": {"en": "After delivery", "es": "Tras la entrega"},
        "questions": [
            {"key": "nps", "type": "nps", "text": {"en": "Recommend?", "es": "¿Recomendarías?"}},
            {"key": "delivery", "type": "rating", "scale_max": 5, "text": {"en": "Delivery", "es": "Entrega"}},
            {"key": "coffee", "type": "rating", "scale_max": 5, "text": {"en": "Coffee", "es": "Café"}}
        ]
    }))
    .unwrap();
    let survey = store.create_survey(t.org.id, &draft.validate().unwrap(), "tok-value").await.unwrap();
    let now = Utc::now();
    let mut rng = Lcg(11);
    let (mut events, mut responses) = (Vec::new(), Vec::new());
    for i in 0..200 {
        let cust = format!("v-{i:03}");
        let rate = -(1.0 - rng.next()).ln() / 35.0;
        let p_drop = 1.0 - (1.0 - rng.next()).powf(1.0 / 3.0);
        let basket = 15.0 + 60.0 * rng.next();
        let mut days = 365.0 * rng.next();
        let at = |d: f64| (now - Duration::minutes((d * 1440.0) as i64)).to_rfc3339();
        while days > 0.0 {
            let e = json!({"type": "purchase", "customer": cust, "at": at(days), "amount": (basket * (0.6 + 0.8 * rng.next())).round()});
            events.push(e);
            if rng.next() < p_drop {
                if i % 2 == 0 {
                    let reason = if i % 4 == 0 { "Demasiado caro" } else { "Late delivery" };
                    events.push(json!({"type": "cancellation", "customer": cust, "at": at((days - 2.0).max(0.5)),
                        "attributes": {"reason": reason}}));
                }
                break;
            }
            days -= -(1.0 - rng.next()).ln() / rate.max(1e-4);
        }
        let delivery = 1 + (rng.next() * 5.0) as i64 % 5;
        let coffee = 1 + (rng.next() * 5.0) as i64 % 5;
        let nps = ((delivery as f64 * 1.6 + coffee as f64 * 0.4 + 2.0 * rng.next()) as i64).clamp(0, 10);
        responses.push(NewResponse {
            key: None,
            survey_id: Some(survey.id),
            touchpoint_id: t.ids.touchpoint,
            customer: Some(cust),
            at: now - Duration::days(10 + i % 60),
            answers: json!({"nps": nps, "delivery": delivery, "coffee": coffee}).as_object().unwrap().clone(),
            comment: None,
            channel: None,
            language: None,
        });
    }
    let events: Vec<_> =
        events.into_iter().map(|e| serde_json::from_value::<EventDraft>(e).unwrap().validate().unwrap()).collect();
    store.ingest_events(t.org.id, &events).await.unwrap();
    store.ingest_responses(t.org.id, &responses).await.unwrap();
}

async fn refit(t: &TestApp) {
    let state = AppState::new(t.store.clone(), Config::default());
    let run = crate::model::refit_now(&state, t.org.id, "test").await.unwrap();
    assert_eq!(run.status, RunStatus::Done, "{run:?}");
}

#[tokio::test]
async fn before_a_refit_each_page_says_so_in_both_languages() {
    let t = TestApp::new().await;
    for (lang, at_risk, roce) in
        [("en", "Customers at risk", "common retail inputs"), ("es", "Clientes en riesgo", "datos habituales")]
    {
        let c = in_lang(&t.admin, lang);
        let hub = t.get("/value", &c).await;
        assert_eq!(hub.status, StatusCode::OK);
        assert!(hub.body.contains("id=\"nav-value\""), "{}", hub.body);
        let list = t.get("/value/at-risk", &c).await;
        assert!(list.body.contains(at_risk) && list.body.contains("id=\"at-risk-empty\""), "{}", list.body);
        let r = t.get("/value/roce", &c).await;
        assert!(r.body.contains(roce) && r.body.contains("id=\"roce-not-fitted\""), "{}", r.body);
        let d = t.get(&format!("/experiences/{}/drivers", t.ids.experience), &c).await;
        assert!(d.body.contains("id=\"drivers-empty\""), "{}", d.body);
        assert!(!t.get("/dashboard", &c).await.body.contains("id=\"value-tiles\""), "no value tiles before a refit");
    }
    assert_eq!(t.get("/experiences/99999/drivers", &t.admin).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn after_a_refit_the_pages_show_risk_value_drivers_and_roce() {
    let t = TestApp::new().await;
    history(&t).await;
    refit(&t).await;
    let es = in_lang(&t.admin, "es");

    let hub = t.get("/value", &es).await;
    assert!(hub.body.contains("id=\"bgnbd\"") && hub.body.contains("id=\"backtest-auc\""), "{}", hub.body);
    assert!(hub.body.contains("Hecho"), "the run's status in Spanish");

    let list = t.get("/value/at-risk", &es).await;
    assert_eq!(list.body.matches("class=\"at-risk-row\"").count(), 50, "a page of 50");
    assert!(list.body.contains("id=\"at-risk-next\""));
    let next = list.body.split("href=\"/value/at-risk?after=").nth(1).unwrap().split('"').next().unwrap();
    let second = t.get(&format!("/value/at-risk?after={next}"), &es).await;
    assert!(second.body.matches("class=\"at-risk-row\"").count() > 0);
    let top = list.body.split("href=\"/customers/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let profile = t.get(&format!("/customers/{top}"), &es).await;
    assert!(profile.body.contains("Riesgo de abandono y valor"), "{}", profile.body);
    assert!(profile.body.contains("class=\"risk-reason\""), "reasons on the profile: {}", profile.body);

    // One click opens a retention case for the customer.
    assert!(list.body.contains("class=\"btn btn-small at-risk-open-case\""));
    let opened = t.post(&format!("/customers/{top}/cases"), &es, &[("title", "Retener a este cliente")]).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.body);
    assert!(opened.location.as_deref().unwrap_or_default().starts_with("/cases/"));
    assert!(!t.get("/value/at-risk", &t.viewer).await.body.contains("at-risk-open-case"), "viewers cannot open cases");

    let csv = t.get("/value/at-risk.csv", &t.admin).await;
    assert!(csv.body.starts_with("external_id,name,value_at_risk,"), "{}", &csv.body[..80]);
    assert!(csv.body.lines().count() > 100);

    let d = t.get(&format!("/experiences/{}/drivers", t.ids.experience), &es).await;
    assert!(d.body.contains("class=\"chart chart-quadrant\""), "{}", d.body);
    assert!(
        d.body.contains("Entrega") && (d.body.contains("Corregir primero") || d.body.contains("Mantener")),
        "{}",
        d.body
    );
    let dcsv = t.get(&format!("/experiences/{}/drivers.csv", t.ids.experience), &t.admin).await;
    assert!(dcsv.body.contains(",delivery,") && dcsv.body.contains(",coffee,"), "{}", dcsv.body);

    let r = t.get("/value/roce", &es).await;
    assert!(r.body.contains("id=\"cost-churn\"") && r.body.contains("Por el precio"), "{}", r.body);
    assert!(
        r.body.contains("id=\"roce-by-experiences\"") && r.body.contains("id=\"roce-by-touchpoints\""),
        "{}",
        r.body
    );
    let dash = t.get("/dashboard", &es).await;
    assert!(
        dash.body.contains("id=\"tile-revenue-at-risk\"") && dash.body.contains("id=\"tile-cost-of-poor-service\"")
    );
}

#[tokio::test]
async fn roce_inputs_are_checked_per_field_and_leaders_only() {
    let t = TestApp::new().await;
    let es = in_lang(&t.admin, "es");
    let bad = [
        ("margin_rate", "abc"),
        ("acquisition_cost", "-5"),
        ("retention_cost", "10"),
        ("cost_per_case", "1"),
        ("cost_per_contact", "1"),
    ];
    let r = t.post("/value/roce", &es, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("id=\"margin_rate-error\"") && r.body.contains("id=\"acquisition_cost-error\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"abc\""), "the input comes back as typed");
    assert!(t.store.finance_inputs(t.org.id).await.unwrap().is_none(), "nothing written");
    let good = [
        ("margin_rate", "0,25"),
        ("acquisition_cost", "80"),
        ("retention_cost", "20"),
        ("cost_per_case", "12"),
        ("cost_per_contact", "3"),
    ];
    assert_eq!(t.post("/value/roce", &t.viewer, &good).await.status, StatusCode::FORBIDDEN);
    let ok = t.post("/value/roce", &es, &good).await;
    assert_eq!((ok.status, ok.location.as_deref()), (StatusCode::SEE_OTHER, Some("/value/roce?ok=saved")));
    let shown = t.get("/value/roce", &es).await;
    assert!(shown.body.contains("4 veces el coste") && !shown.body.contains("id=\"roce-defaults\""), "{}", shown.body);
    assert_eq!(t.post("/value/refit", &t.viewer, &[]).await.status, StatusCode::FORBIDDEN);
    let asked = t.post("/value/refit", &t.admin, &[]).await;
    assert_eq!(asked.location.as_deref(), Some("/value?ok=refit"));
}
