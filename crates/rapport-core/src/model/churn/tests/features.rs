//! Features at a cut-off: values worked by hand, the strict "before the
//! cut-off" rule, and the stable keys.

use super::super::{features, CaseDates, CustomerHistory, Feature, FeatureVector};
use super::{before, buyer, d, world};
use proptest::prelude::*;

fn at(h: &CustomerHistory, cutoff: &str) -> FeatureVector {
    features(h, d(cutoff)).unwrap()
}

#[test]
fn purchase_features_worked_by_hand() {
    // Purchase days 1 Jan, 1 Mar (two lines), 1 Jun; cut-off 1 Jul.
    let mut h = buyer(&["2024-01-01", "2024-03-01", "2024-03-01", "2024-06-01"]);
    h.purchases[1].1 = 30.0;
    let f = at(&h, "2024-07-01");
    let get = |k| f.get(k).unwrap();
    assert_eq!(get(Feature::DaysSincePurchase), 30.0);
    assert_eq!(get(Feature::RepeatPurchases), 2.0, "two lines on 1 March are one purchase day");
    assert_eq!(get(Feature::TenureDays), 182.0);
    assert_eq!(get(Feature::MeanSpend), 60.0 / 3.0);
    // Mean gap (1 Jan to 1 Jun = 152 days) / 2 = 76; 30 / 76.
    assert!((get(Feature::OverdueRatio) - 30.0 / 76.0).abs() < 1e-12);
    assert_eq!(get(Feature::Purchases90d), 1.0);
    assert_eq!(get(Feature::Purchases180d), 2.0);
    assert_eq!(get(Feature::DaysSinceActivity), 30.0);
    assert_eq!((f.get(Feature::LastScore), get(Feature::NoScore), get(Feature::Detractor)), (None, 1.0, 0.0));
}

#[test]
fn windows_include_their_first_day_only() {
    // 90 days before 1 July 2024 is 2 April.
    let f = at(&buyer(&["2024-04-01", "2024-04-02"]), "2024-07-01");
    assert_eq!(f.get(Feature::Purchases90d), Some(1.0));
}

#[test]
fn experience_features_worked_by_hand() {
    let case = |opened: &str, closed: Option<&str>, breached: Option<&str>| CaseDates {
        opened: d(opened),
        closed: closed.map(d),
        breached: breached.map(d),
    };
    let h = CustomerHistory {
        cancellations: vec![d("2024-05-01"), d("2023-01-01")],
        // The latest by date counts, whatever the list order; NaN is ignored.
        scores: vec![(d("2024-06-01"), 4.0), (d("2024-02-01"), 9.0), (d("2024-06-20"), f64::NAN)],
        cases: vec![
            case("2024-06-01", None, Some("2024-06-10")),
            case("2024-05-01", Some("2024-07-01"), None), // closed on the cut-off: open before it
            case("2024-01-01", Some("2024-02-01"), Some("2024-01-15")), // breached too long ago
        ],
        negative_comments: vec![d("2024-06-30"), d("2024-07-01")],
        contacts: vec![d("2024-06-15"), d("2024-04-15"), d("2023-12-01")],
        ..Default::default()
    };
    let f = at(&h, "2024-07-01");
    let get = |k| f.get(k).unwrap();
    assert_eq!(get(Feature::Cancellations90d), 1.0);
    assert_eq!((get(Feature::LastScore), get(Feature::Detractor), get(Feature::NoScore)), (4.0, 1.0, 0.0));
    assert_eq!(get(Feature::OpenCases), 2.0);
    assert_eq!(get(Feature::BreachedCases90d), 1.0);
    assert_eq!(get(Feature::NegativeComments90d), 1.0, "the comment on the cut-off is not seen");
    assert_eq!(get(Feature::Contacts90d), 2.0);
    assert_eq!(get(Feature::DaysSinceActivity), 1.0);
    // Never bought: "since purchase" runs from first seen, the 2023 cancellation.
    assert_eq!((get(Feature::DaysSincePurchase), get(Feature::TenureDays)), (547.0, 547.0));
    assert_eq!((get(Feature::RepeatPurchases), get(Feature::MeanSpend), get(Feature::OverdueRatio)), (0.0, 0.0, 0.0));
}

#[test]
fn score_of_seven_is_not_a_detractor_and_refunds_do_not_go_below_zero() {
    let mut h = buyer(&["2024-01-01"]);
    h.purchases[0].1 = -25.0;
    h.scores.push((d("2024-01-02"), 7.0));
    let f = at(&h, "2024-02-01");
    assert_eq!((f.get(Feature::Detractor), f.get(Feature::MeanSpend)), (Some(0.0), Some(0.0)));
}

#[test]
fn nobody_before_the_cutoff_has_no_features() {
    assert_eq!(features(&buyer(&["2024-07-01"]), d("2024-07-01")), None);
    assert_eq!(features(&CustomerHistory::default(), d("2024-07-01")), None);
}

#[test]
fn churned_means_no_purchase_in_the_window_or_a_cancellation() {
    let mut h = buyer(&["2024-03-01"]);
    assert!(!h.churned(d("2024-03-01"), d("2024-03-02")));
    assert!(h.churned(d("2024-02-01"), d("2024-03-01")), "the window ends before its last day");
    assert!(h.churned(d("2024-03-02"), d("2024-04-01")));
    h.cancellations.push(d("2024-03-15"));
    assert!(h.churned(d("2024-03-01"), d("2024-04-01")), "cancelled despite the purchase");
}

#[test]
fn keys_are_stable_distinct_and_serialized_as_keys() {
    for (i, f) in Feature::ALL.iter().enumerate() {
        assert_eq!(*f as usize, i, "ALL is in declaration order");
        assert_eq!(serde_json::to_string(f).unwrap(), format!("\"{}\"", f.key()));
        assert_eq!(serde_json::from_str::<Feature>(&format!("\"{}\"", f.key())).unwrap(), *f);
    }
    let mut keys: Vec<&str> = Feature::ALL.iter().map(|f| f.key()).collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), Feature::COUNT);
}

#[test]
fn the_model_sees_logs_of_counts_and_raw_scores_and_flags() {
    assert!((Feature::RepeatPurchases.model_value(3.0) - 4f64.ln()).abs() < 1e-15);
    assert_eq!(Feature::DaysSincePurchase.model_value(-5.0), 0.0);
    assert_eq!(Feature::LastScore.model_value(8.0), 8.0);
    assert_eq!(Feature::Detractor.model_value(1.0), 1.0);
}

proptest! {
    #[test]
    fn only_data_strictly_before_the_cutoff_counts(seed in 0u64..1000, offset in 0i64..730) {
        let cutoff = d("2022-01-01") + chrono::Duration::days(offset);
        for h in world(5, seed) {
            prop_assert_eq!(features(&h, cutoff), features(&before(&h, cutoff), cutoff));
        }
    }
}
