//! Scoring and reasons, on a model written by hand and on a trained one.

use super::super::{features, train, ChurnModel, CustomerHistory, Dropped, Feature, Term};
use super::{buyer, d, world};

fn term(feature: Feature, mean: f64, sd: f64, coefficient: f64) -> Term {
    Term { feature, mean, sd, coefficient }
}

fn model() -> ChurnModel {
    ChurnModel {
        cutoff: d("2024-07-01"),
        horizon_days: 180,
        training_cutoff: d("2024-04-02"),
        window_days: 90,
        hazard_shape: 0.5,
        intercept: -0.5,
        terms: vec![
            term(Feature::DaysSincePurchase, 3.0, 1.0, 0.8),
            term(Feature::RepeatPurchases, 0.5, 0.5, -0.6),
            term(Feature::LastScore, 7.0, 2.0, -0.4),
            term(Feature::Detractor, 0.3, 0.5, 0.3),
            term(Feature::OpenCases, 0.1, 0.3, 0.2),
        ],
        dropped: vec![Dropped::Constant { feature: Feature::Contacts90d }],
        customers: 100,
        churned: 40,
    }
}

/// Bought once, 91 days before the cut-off; scored 3; one case open.
fn unhappy() -> CustomerHistory {
    let mut h = buyer(&["2024-04-01"]);
    h.scores.push((d("2024-05-01"), 3.0));
    h.cases.push(super::super::CaseDates { opened: d("2024-06-01"), closed: None, breached: None });
    h
}

#[test]
fn probability_and_reasons_worked_by_hand() {
    let s = model().score(&unhappy()).unwrap();
    let days = 0.8 * (92f64.ln() - 3.0);
    let (repeat, score, detractor, cases) = (0.6, 0.8, 0.3 * 1.4, 0.2 * (2f64.ln() - 0.1) / 0.3);
    let eta = -0.5 + days + repeat + score + detractor + cases;
    // Over the window σ(η); over 180 days, raised to (180 / 90)^0.5.
    let want = (1.0 / (1.0 + (-eta).exp())).powf(2f64.sqrt());
    assert!((s.probability - want).abs() < 1e-12, "{} vs {want}", s.probability);
    let got: Vec<(Feature, f64)> = s.reasons.iter().map(|r| (r.feature, r.value)).collect();
    assert_eq!(got, [(Feature::DaysSincePurchase, 91.0), (Feature::LastScore, 3.0), (Feature::RepeatPurchases, 0.0)]);
    assert!((s.reasons[0].effect - days).abs() < 1e-12 && (s.reasons[1].effect - score).abs() < 1e-12);
}

#[test]
fn a_missing_score_pushes_neither_way() {
    let mut h = unhappy();
    h.scores.clear();
    let s = model().score(&h).unwrap();
    let keys: Vec<&str> = s.reasons.iter().map(|r| r.feature.key()).collect();
    assert_eq!(keys, ["days_since_purchase", "repeat_purchases", "open_cases"]);
}

#[test]
fn a_loyal_customer_has_few_reasons_and_a_low_risk() {
    let loyal = buyer(&["2024-01-05", "2024-02-05", "2024-03-05", "2024-04-05", "2024-05-05", "2024-06-25"]);
    let s = model().score(&loyal).unwrap();
    assert!(s.reasons.is_empty(), "{:?}", s.reasons);
    assert!(s.probability < model().score(&unhappy()).unwrap().probability);
    assert_eq!(model().score(&buyer(&["2024-07-01"])), None, "not a customer before the cut-off");
}

#[test]
fn churn_is_less_likely_the_longer_the_wait() {
    let (m, f) = (model(), features(&unhappy(), d("2024-07-01")).unwrap());
    let p: Vec<f64> = [1, 30, 90, 180, 365].iter().map(|&t| m.probability_within(&f, t)).collect();
    assert!(p.windows(2).all(|w| w[1] < w[0]), "{p:?}");
    let sigmoid = 1.0 / (1.0 + (-m.log_odds(&f)).exp());
    assert!((p[2] - sigmoid).abs() < 1e-12, "over the window itself, the fitted probability");
    assert!((p[3] - m.score_features(&f).probability).abs() < 1e-15);
}

#[test]
fn a_trained_model_explains_every_score_with_its_own_values() {
    let all = world(1500, 11);
    let m = train(&all, d("2023-08-01"), 60).unwrap();
    for h in &all {
        let Some(s) = m.score(h) else { continue };
        let f = features(h, m.cutoff).unwrap();
        assert!(s.probability > 0.0 && s.probability < 1.0);
        assert!(s.reasons.len() <= 3);
        assert!(s.reasons.windows(2).all(|w| w[0].effect >= w[1].effect));
        assert!(s.reasons.iter().all(|r| r.effect > 0.0 && f.get(r.feature) == Some(r.value)));
    }
}

#[test]
fn models_and_scores_round_trip_through_json_with_stable_keys() {
    let m = model();
    let json = serde_json::to_string(&m).unwrap();
    assert_eq!(serde_json::from_str::<ChurnModel>(&json).unwrap(), m);
    assert!(json.contains(r#"{"reason":"constant","feature":"contacts_90d"}"#), "{json}");
    let s = m.score(&unhappy()).unwrap();
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["reasons"][0]["feature"], "days_since_purchase");
    assert_eq!(json["reasons"][0]["value"], 91.0);
}
