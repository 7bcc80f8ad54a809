//! BG/NBD scoring: shapes and the removable singularity at a = 1.

use crate::model::purchase::{BgNbd, Summary};

const CDNOW: BgNbd = BgNbd { r: 0.242593, alpha: 4.413532, a: 0.792886, b: 2.425752 };

fn summary(frequency: f64, recency: f64, t: f64) -> Summary {
    Summary { frequency, recency, t, monetary: 0.0 }
}

#[test]
fn a_one_time_buyer_is_alive_and_a_lapsed_regular_is_not() {
    assert_eq!(CDNOW.p_alive(&summary(0.0, 0.0, 38.0)), 1.0);
    assert!(CDNOW.p_alive(&summary(10.0, 5.0, 38.0)) < 0.01);
    assert!(CDNOW.p_alive(&summary(10.0, 37.0, 38.0)) > 0.9);
}

#[test]
fn expected_purchases_grow_with_the_horizon_and_are_smooth_at_a_equal_one() {
    let s = summary(2.0, 30.43, 38.86);
    let e: Vec<f64> = [1.0, 10.0, 39.0, 500.0].iter().map(|&t| CDNOW.expected_purchases(&s, t)).collect();
    assert!(e.windows(2).all(|w| w[0] < w[1]), "{e:?}");
    assert_eq!(CDNOW.expected_purchases(&s, 0.0), 0.0);
    let at = |a| BgNbd { a, ..CDNOW }.expected_purchases(&s, 39.0);
    let (below, one, above) = (at(1.0 - 1e-4), at(1.0), at(1.0 + 1e-4));
    assert!(one.is_finite() && (one - (below + above) / 2.0).abs() < 1e-8 * one, "{below} {one} {above}");
    assert_eq!(CDNOW.expected_purchases_new(39.0), CDNOW.expected_purchases(&summary(0.0, 0.0, 0.0), 39.0));
}

#[test]
fn many_horizons_at_once_equal_one_at_a_time() {
    // Shared series (z ≤ 0.9), horizons past it, a large x, a one-time
    // buyer, and parameters where the shared path does not apply (a + b < 1
    // at x = 0, a near 1): each value equals the one-horizon formula.
    let within = [0.0, 4.345, 13.0, 39.0, 52.14, 150.0]; // z ≤ 0.9 for T ≥ 12
    let beyond = [4.345, 400.0];
    let models = [CDNOW, BgNbd { a: 0.3, b: 0.5, ..CDNOW }, BgNbd { a: 1.0 + 1e-7, ..CDNOW }];
    let customers =
        [summary(0.0, 0.0, 38.0), summary(2.0, 30.43, 38.86), summary(60.0, 70.0, 72.0), summary(1.0, 1.0, 2.0)];
    for m in models {
        for (s, horizons) in customers.iter().flat_map(|s| [(s, &within[..]), (s, &beyond[..])]) {
            let many = m.expected_purchases_many(s, horizons);
            for (&t, got) in horizons.iter().zip(&many) {
                let one = m.expected_purchases(s, t);
                assert!((got - one).abs() <= 1e-12 * one.abs().max(1e-300), "{m:?} {s:?} t={t}: {got} vs {one}");
            }
        }
    }
    assert!(CDNOW.expected_purchases_many(&customers[1], &[]).is_empty());
}
