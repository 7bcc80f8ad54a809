//! The back-test on the synthetic shop: its figures agree with a count made
//! customer by customer, and it beats recency where experience matters.

use super::super::{auc, backtest, features, train, ChurnError, CustomerHistory};
use super::{before, buyer, d, world};

#[test]
fn the_report_agrees_with_a_direct_count() {
    let all = world(3000, 21);
    let (cutoff, end) = (d("2023-07-01"), d("2023-09-28"));
    let r = backtest(&all, cutoff, end).unwrap();
    let scored: Vec<&CustomerHistory> = all.iter().filter(|h| features(h, cutoff).is_some()).collect();
    let churned = scored.iter().filter(|h| h.churned(cutoff, d("2023-09-29"))).count();
    assert_eq!((r.customers, r.churned, r.horizon_days), (scored.len(), churned, 90));
    assert!((r.base_rate - churned as f64 / scored.len() as f64).abs() < 1e-15);
    assert_eq!(r.model, train(&all, cutoff, 90).unwrap());
    let pairs: Vec<(f64, bool)> =
        scored.iter().map(|h| (r.model.score(h).unwrap().probability, h.churned(cutoff, d("2023-09-29")))).collect();
    assert_eq!(r.auc, auc(&pairs));
    let mean = pairs.iter().map(|p| p.0).sum::<f64>() / pairs.len() as f64;
    assert!((r.mean_predicted - mean).abs() < 1e-12);
    assert_eq!(r.calibration.len(), 10);
    assert_eq!(r.calibration.iter().map(|b| b.customers).sum::<usize>(), r.customers);
}

#[test]
fn experience_signals_beat_recency_on_the_synthetic_shop() {
    let r = backtest(&world(3000, 22), d("2023-07-01"), d("2023-09-28")).unwrap();
    let (model, recency) = (r.auc.unwrap(), r.recency_auc.unwrap());
    assert!(model > 0.8 && model > recency + 0.03, "model {model}, recency {recency}");
    // The riskiest tenth churns more than the safest tenth, by far.
    assert!(r.calibration[9].observed_rate > r.calibration[0].observed_rate + 0.5, "{:?}", r.calibration);
}

#[test]
fn periods_run_month_by_month_to_the_end_of_the_holdout() {
    let r = backtest(&world(2000, 23), d("2023-07-01"), d("2023-09-28")).unwrap();
    let ends: Vec<(String, i64)> = r.periods.iter().map(|p| (p.end.to_string(), p.days)).collect();
    assert_eq!(ends, [("2023-07-31".into(), 31), ("2023-08-31".into(), 62), ("2023-09-28".into(), 90)]);
    let last = r.periods.last().unwrap();
    assert!((last.actual - r.base_rate).abs() < 1e-15 && (last.predicted - r.mean_predicted).abs() < 1e-12);
    assert!(r.periods.windows(2).all(|w| w[1].predicted < w[0].predicted));
    // One day: one period.
    let r = backtest(&world(2000, 23), d("2023-07-01"), d("2023-07-01")).unwrap();
    assert_eq!(r.periods.iter().map(|p| p.days).collect::<Vec<_>>(), [1]);
}

#[test]
fn without_a_purchase_the_share_of_churners_only_falls() {
    // Purchases only, so "no purchase yet" can only turn false.
    let all: Vec<CustomerHistory> = world(2000, 24)
        .iter()
        .map(|h| CustomerHistory { purchases: h.purchases.clone(), ..Default::default() })
        .collect();
    let r = backtest(&all, d("2023-03-01"), d("2023-08-31")).unwrap();
    assert_eq!(r.periods.len(), 6);
    assert!(r.periods.windows(2).all(|w| w[1].actual <= w[0].actual));
}

#[test]
fn the_holdout_is_not_seen_by_the_model() {
    let all = world(1500, 25);
    let cutoff = d("2023-05-01");
    let truncated: Vec<CustomerHistory> = all.iter().map(|h| before(h, cutoff)).collect();
    let (a, b) = (backtest(&all, cutoff, d("2023-10-31")).unwrap(), train(&truncated, cutoff, 184).unwrap());
    assert_eq!(a.model, b);
}

#[test]
fn a_holdout_that_ends_before_it_starts_is_refused() {
    let e = backtest(&[buyer(&["2024-01-01"])], d("2024-03-01"), d("2024-02-29")).unwrap_err();
    assert_eq!(e, ChurnError::InvalidHoldout { cutoff: d("2024-03-01"), holdout_end: d("2024-02-29") });
}
