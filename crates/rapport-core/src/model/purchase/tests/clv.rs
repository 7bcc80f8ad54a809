//! Lifetime value and the score settings.

use crate::model::purchase::{discounted_value, score, score_all, BgNbd, GammaGamma, Period, ScoreSettings, Summary};

const BG: BgNbd = BgNbd { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };
const GG: GammaGamma = GammaGamma { p: 6.25, q: 3.74, v: 15.44 };

#[test]
fn value_is_discounted_spend_times_purchases() {
    let s = Summary { frequency: 3.0, recency: 30.0, t: 38.0, monetary: 40.0 };
    let undiscounted = GG.clv(&BG, &s, 12, 0.0, Period::Week);
    let expected = GG.expected_spend(&s) * BG.expected_purchases(&s, 12.0 * 4.345);
    assert!((undiscounted - expected).abs() < 1e-9 * expected);
    let discounted = GG.clv(&BG, &s, 12, 0.01, Period::Week);
    assert!(discounted < undiscounted && discounted > undiscounted / 1.01f64.powi(12));
    assert_eq!(GG.clv(&BG, &s, 0, 0.01, Period::Week), 0.0);
}

#[test]
fn a_given_spend_is_valued_as_the_modelled_one() {
    let s = Summary { frequency: 3.0, recency: 30.0, t: 38.0, monetary: 40.0 };
    let spend = GG.expected_spend(&s);
    assert_eq!(discounted_value(&BG, &s, spend, 12, 0.01, Period::Week), GG.clv(&BG, &s, 12, 0.01, Period::Week));
    let doubled = discounted_value(&BG, &s, 2.0 * spend, 12, 0.01, Period::Week);
    assert!((doubled - 2.0 * GG.clv(&BG, &s, 12, 0.01, Period::Week)).abs() < 1e-9);
}

#[test]
fn settings_refuse_impossible_rates() {
    assert!(ScoreSettings::default().check().is_ok());
    assert!(ScoreSettings { monthly_discount: -1.0, ..ScoreSettings::default() }.check().is_err());
    assert!(ScoreSettings { horizon: f64::NAN, ..ScoreSettings::default() }.check().is_err());
    let s = score(&BG, &GG, &Summary::default(), &ScoreSettings::default());
    assert_eq!(s.p_alive, 1.0);
    let json = serde_json::to_string(&s).unwrap();
    assert!(json.contains("\"expected_purchases\""));
}

#[test]
fn scoring_many_at_once_equals_one_at_a_time() {
    // Repeated patterns (shared work), distinct ones, and spend that
    // differs between customers of one pattern.
    let settings = ScoreSettings::default();
    let customers: Vec<Summary> = (0..60)
        .map(|i| {
            let frequency = f64::from(i % 4);
            let recency = if frequency > 0.0 { f64::from(10 + i % 3) } else { 0.0 };
            Summary { frequency, recency, t: f64::from(30 + i % 2), monetary: f64::from(i) * 1.5 }
        })
        .collect();
    let many = score_all(&BG, &GG, &customers, &settings);
    assert_eq!(many.len(), customers.len());
    for (s, got) in customers.iter().zip(&many) {
        assert_eq!(*got, score(&BG, &GG, s, &settings), "{s:?}");
    }
    assert!(score_all(&BG, &GG, &[], &settings).is_empty());
}
