//! Training: the window, the refusals, what is dropped, and that nothing
//! after the cut-off leaks in.

use super::super::{features, train, ChurnError, CustomerHistory, Dropped, Feature, MIN_CUSTOMERS};
use super::{before, buyer, d, world};

#[test]
fn the_window_is_the_horizon_when_history_allows() {
    let m = train(&world(800, 1), d("2023-07-01"), 90).unwrap();
    assert_eq!((m.window_days, m.training_cutoff, m.horizon_days), (90, d("2023-04-02"), 90));
    assert_eq!(m.customers, world(800, 1).iter().filter(|h| features(h, d("2023-04-02")).is_some()).count());
}

#[test]
fn the_window_is_half_the_history_when_it_is_short() {
    // History from 1 January 2022: 181 days before 1 July, so 90, not 365.
    let mut all = world(800, 2);
    all.push(buyer(&["2022-01-01"]));
    let m = train(&all, d("2022-07-01"), 365).unwrap();
    assert_eq!((m.window_days, m.training_cutoff, m.horizon_days), (90, d("2022-04-02"), 365));
    assert!((0.0..=1.0).contains(&m.hazard_shape));
}

#[test]
fn the_training_labels_are_churn_over_the_window() {
    let all = world(600, 3);
    let m = train(&all, d("2023-03-01"), 60).unwrap();
    let known: Vec<&CustomerHistory> = all.iter().filter(|h| features(h, m.training_cutoff).is_some()).collect();
    let churned = known.iter().filter(|h| h.churned(m.training_cutoff, m.cutoff)).count();
    assert_eq!((m.customers, m.churned), (known.len(), churned));
}

#[test]
fn nothing_on_or_after_the_cutoff_is_used() {
    let all = world(700, 4);
    let cutoff = d("2023-05-10");
    let truncated: Vec<CustomerHistory> = all.iter().map(|h| before(h, cutoff)).collect();
    assert_eq!(train(&all, cutoff, 120).unwrap(), train(&truncated, cutoff, 120).unwrap());
}

#[test]
fn customer_order_does_not_change_the_model() {
    let all = world(500, 5);
    let reversed: Vec<CustomerHistory> = all.iter().rev().cloned().collect();
    let (a, b) = (train(&all, d("2023-06-01"), 90).unwrap(), train(&reversed, d("2023-06-01"), 90).unwrap());
    assert_eq!(a.terms.len(), b.terms.len());
    for (s, t) in a.terms.iter().zip(&b.terms) {
        assert_eq!(s.feature, t.feature);
        assert!((s.coefficient - t.coefficient).abs() < 1e-9 && (s.mean - t.mean).abs() < 1e-12);
    }
}

#[test]
fn the_model_learns_what_drives_the_synthetic_churn() {
    let m = train(&world(3000, 6), d("2023-07-01"), 90).unwrap();
    let coef = |f| m.terms.iter().find(|t| t.feature == f).map(|t| t.coefficient).unwrap();
    // Recency, however it splits between the last purchase and the last
    // activity of any kind (they differ here: contacts, surveys).
    assert!(coef(Feature::DaysSincePurchase) + coef(Feature::DaysSinceActivity) > 0.0);
    assert!(coef(Feature::NegativeComments90d) > 0.0);
    assert!(coef(Feature::Cancellations90d) > 0.0);
    // A low score must raise the risk, however it splits between the two.
    let unhappy = -coef(Feature::LastScore) * 6.0 + coef(Feature::Detractor);
    assert!(unhappy > 0.0, "{m:?}");
}

#[test]
fn constant_and_lockstep_features_are_dropped_not_refused() {
    // Purchases only: experience features are constant, and days since the
    // last activity is days since the last purchase.
    let all: Vec<CustomerHistory> = (0..60)
        .map(|i| {
            let days: Vec<String> = (0..=i % 6).map(|k| format!("2024-0{}-{:02}", 1 + k, 1 + i % 28)).collect();
            buyer(&days.iter().map(String::as_str).collect::<Vec<_>>())
        })
        .collect();
    let m = train(&all, d("2024-06-15"), 30).unwrap();
    assert!(m.dropped.contains(&Dropped::Constant { feature: Feature::OpenCases }));
    assert!(m.dropped.iter().any(|x| matches!(
        x,
        Dropped::Collinear { feature: Feature::DaysSinceActivity, with: Feature::DaysSincePurchase, correlation }
            if (*correlation - 1.0).abs() < 1e-12
    )));
    assert!(m.terms.iter().all(|t| t.coefficient.is_finite() && t.sd > 0.0));
    assert_eq!(m.terms.len() + m.dropped.len(), Feature::COUNT);
}

#[test]
fn refusals_say_why() {
    let mut all = world(400, 7);
    all.push(buyer(&["2022-01-01"]));
    let refuse = |h: &[CustomerHistory], cutoff: &str, horizon| train(h, d(cutoff), horizon).unwrap_err();
    assert_eq!(refuse(&all, "2023-01-01", 0), ChurnError::InvalidHorizon(0));
    assert_eq!(refuse(&all, "2021-06-01", 30), ChurnError::NoHistory { cutoff: d("2021-06-01") });
    let e = refuse(&all, "2022-01-02", 30);
    assert_eq!(e, ChurnError::TooLittleHistory { days: 1, cutoff: d("2022-01-02") });
    assert!(e.to_string().contains("choose a later cut-off"));
    let few: Vec<CustomerHistory> = (0..MIN_CUSTOMERS - 1).map(|_| buyer(&["2024-01-01", "2024-03-01"])).collect();
    let e = refuse(&few, "2024-04-01", 30);
    assert!(matches!(e, ChurnError::TooFewCustomers { n: 29, min: 30, .. }), "{e}");
    assert!(e.to_string().contains("only 29 customers"));
    // Everyone buys every week: nobody churns over a 30-day window.
    let weekly: Vec<String> = (0..30).map(|w| (d("2024-01-01") + chrono::Duration::weeks(w)).to_string()).collect();
    let loyal = vec![buyer(&weekly.iter().map(String::as_str).collect::<Vec<_>>()); 40];
    let e = refuse(&loyal, "2024-05-01", 30);
    assert_eq!(e, ChurnError::OneClass { n: 40, churned: false, from: d("2024-04-01"), through: d("2024-04-30") });
    assert!(e.to_string().contains("all 40 customers stayed"), "{e}");
    let gone = vec![buyer(&["2024-01-01"]); 40];
    assert!(matches!(refuse(&gone, "2024-05-01", 30), ChurnError::OneClass { churned: true, .. }));
}
