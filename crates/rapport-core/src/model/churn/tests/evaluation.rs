//! AUC against its definition, and calibration bins.

use super::super::{auc, calibration};
use proptest::prelude::*;

/// The definition: over every (churner, stayer) pair, 1 if the churner
/// scores higher, ½ if tied.
fn brute(scored: &[(f64, bool)]) -> Option<f64> {
    let (mut wins, mut pairs) = (0.0, 0.0);
    for p in scored.iter().filter(|s| s.1) {
        for q in scored.iter().filter(|s| !s.1) {
            pairs += 1.0;
            wins += if p.0 > q.0 {
                1.0
            } else if p.0 == q.0 {
                0.5
            } else {
                0.0
            };
        }
    }
    (pairs > 0.0).then(|| wins / pairs)
}

#[test]
fn auc_small_cases() {
    let t = |pairs: &[(f64, bool)]| auc(pairs).unwrap();
    assert_eq!(t(&[(0.1, false), (0.2, false), (0.8, true), (0.9, true)]), 1.0);
    assert_eq!(t(&[(0.1, true), (0.2, false)]), 0.0);
    assert_eq!(t(&[(0.5, true), (0.5, false), (0.5, true)]), 0.5);
    // Churners at 2 and 3, stayers at 1 and 2: 1 + ½ + 2 wins of 4 pairs.
    assert_eq!(t(&[(1.0, false), (2.0, true), (2.0, false), (3.0, true)]), 0.875);
    assert_eq!(auc(&[(0.3, true), (0.4, true)]), None);
    assert_eq!(auc(&[]), None);
}

#[test]
fn calibration_bins_are_equal_in_size_and_ordered() {
    // 25 customers, predicted i/25, churned when i is odd.
    let scored: Vec<(f64, bool)> = (0..25).rev().map(|i| (i as f64 / 25.0, i % 2 == 1)).collect();
    let bins = calibration(&scored, 10);
    let sizes: Vec<usize> = bins.iter().map(|b| b.customers).collect();
    assert_eq!(sizes, [2, 3, 2, 3, 2, 3, 2, 3, 2, 3]);
    assert_eq!(bins[0].bin, 1);
    assert_eq!((bins[0].min_predicted, bins[0].max_predicted, bins[0].mean_predicted), (0.0, 0.04, 0.02));
    assert_eq!(bins[0].observed_rate, 0.5);
    assert_eq!(bins[1].observed_rate, 1.0 / 3.0, "customers 2, 3 and 4");
    assert!(bins.windows(2).all(|w| w[0].max_predicted <= w[1].min_predicted));
}

#[test]
fn calibration_with_fewer_customers_than_bins_leaves_empty_bins_out() {
    let bins = calibration(&[(0.2, true), (0.7, false), (0.4, true)], 10);
    assert_eq!(bins.iter().map(|b| (b.bin, b.customers)).collect::<Vec<_>>(), [(4, 1), (7, 1), (10, 1)]);
    assert_eq!(bins.iter().map(|b| b.mean_predicted).collect::<Vec<_>>(), [0.2, 0.4, 0.7]);
    assert!(calibration(&[(0.2, true)], 0).is_empty());
    assert!(calibration(&[], 10).is_empty());
}

proptest! {
    #[test]
    fn auc_is_the_pairwise_definition(raw in prop::collection::vec((0u8..12, any::<bool>()), 0..60)) {
        // Few distinct scores, so ties are common.
        let scored: Vec<(f64, bool)> = raw.iter().map(|&(s, c)| (f64::from(s) / 4.0, c)).collect();
        let (fast, slow) = (auc(&scored), brute(&scored));
        prop_assert_eq!(fast.is_some(), slow.is_some());
        if let (Some(a), Some(b)) = (fast, slow) {
            prop_assert!((a - b).abs() < 1e-12);
            // Reversing the order of scores mirrors it.
            let reversed: Vec<(f64, bool)> = scored.iter().map(|&(s, c)| (-s, c)).collect();
            prop_assert!((auc(&reversed).unwrap() - (1.0 - a)).abs() < 1e-12);
            // Only the order counts.
            let squashed: Vec<(f64, bool)> = scored.iter().map(|&(s, c)| (s.exp() / (1.0 + s.exp()), c)).collect();
            prop_assert!((auc(&squashed).unwrap() - a).abs() < 1e-12);
        }
    }

    #[test]
    fn calibration_keeps_every_customer(raw in prop::collection::vec((0.0f64..1.0, any::<bool>()), 0..80), bins in 1usize..15) {
        let out = calibration(&raw, bins);
        prop_assert_eq!(out.iter().map(|b| b.customers).sum::<usize>(), raw.len());
        let churned = out.iter().map(|b| b.observed_rate * b.customers as f64).sum::<f64>();
        prop_assert!((churned - raw.iter().filter(|s| s.1).count() as f64).abs() < 1e-9);
        let sizes: Vec<usize> = out.iter().map(|b| b.customers).collect();
        prop_assert!(sizes.iter().max().unwrap_or(&0) - sizes.iter().min().unwrap_or(&0) <= 1);
    }
}
