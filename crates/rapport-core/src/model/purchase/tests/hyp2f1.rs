//! ₂F₁ against closed forms, and against scipy and mpmath on a grid of the
//! arguments BG/NBD evaluates (`tests/fixtures/purchase/gen_hyp2f1.py`).

use crate::model::purchase::hyp2f1::hyp2f1;

fn rel(x: f64, y: f64) -> f64 {
    (x - y).abs() / y.abs().max(1e-300)
}

#[test]
fn closed_forms() {
    for z in [-3.0f64, -0.4, 0.0, 0.2, 0.5, 0.7, 0.95, 0.999_999] {
        let log = if z == 0.0 { 1.0 } else { -(1.0 - z).ln() / z };
        assert!(rel(hyp2f1(1.0, 1.0, 2.0, z), log) < 1e-13, "ln at {z}");
        // F(a, b; b; z) = (1 − z)^−a, with c − a − b = −a a non-integer.
        assert!(rel(hyp2f1(0.3, 2.5, 2.5, z), (1.0 - z).powf(-0.3)) < 1e-13, "power at {z}");
        // A polynomial: F(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1)).
        let poly = 1.0 - 2.0 * 1.5 * z / 3.5 + 1.5 * 2.5 * z * z / (3.5 * 4.5);
        assert!(rel(hyp2f1(-2.0, 1.5, 3.5, z), poly) < 1e-13, "polynomial at {z}");
    }
    assert!(hyp2f1(1.0, 1.0, -2.0, 0.3).is_nan());
    assert!(hyp2f1(1.0, 1.0, 2.0, 1.0).is_nan());
}

#[test]
fn matches_mpmath_and_scipy_on_the_bgnbd_grid() {
    let data = include_str!("../../../../tests/fixtures/purchase/hyp2f1.csv");
    let (mut rows, mut scipy_off, mut worst) = (0, 0, 0.0f64);
    for line in data.lines().skip(1) {
        let v: Vec<f64> = line.split(',').map(|s| s.parse().unwrap_or(f64::NAN)).collect();
        let (a, b, c, z, scipy, exact) = (v[0], v[1], v[2], v[3], v[4], v[5]);
        let ours = hyp2f1(a, b, c, z);
        let err = rel(ours, exact);
        assert!(err <= 1e-10, "2F1({a}, {b}; {c}; {z}) = {ours}, mpmath {exact}, rel {err:e}");
        worst = worst.max(err);
        if rel(scipy, exact) <= 1e-12 {
            assert!(rel(ours, scipy) <= 1e-10);
        } else {
            scipy_off += 1; // scipy's own error near integer c − a − b
        }
        rows += 1;
    }
    assert!(rows > 2000);
    // scipy is off near integer c − a − b (by up to 3e-3) and overflows for
    // large c; mpmath (40 digits) decides those.
    assert!(scipy_off < 60, "scipy disagrees with mpmath at {scipy_off} points");
    eprintln!("2F1 grid: {rows} points, worst relative error {worst:e}, scipy off at {scipy_off}");
}
