//! The gamma-function helpers behind ₂F₁.

use crate::model::purchase::special::{ln_gamma_signed, ln_gamma_step};
use std::f64::consts::PI;

#[test]
fn signed_log_gamma_matches_known_values() {
    let (l, s) = ln_gamma_signed(-0.5); // Γ(−½) = −2√π
    assert!((l - (2.0 * PI.sqrt()).ln()).abs() < 1e-14 && s < 0.0);
    let (l, s) = ln_gamma_signed(-1.5); // Γ(−3/2) = 4√π/3
    assert!((l - (4.0 * PI.sqrt() / 3.0).ln()).abs() < 1e-14 && s > 0.0);
    assert_eq!(ln_gamma_signed(-2.0).0, f64::INFINITY);
}

#[test]
fn step_is_the_digamma_function_at_zero_and_a_difference_elsewhere() {
    // ψ(1) = −γ, ψ(0.5) = −γ − 2 ln 2.
    let gamma = 0.577_215_664_901_532_9;
    assert!((ln_gamma_step(1.0, 0.0).0 + gamma).abs() < 1e-14);
    assert!((ln_gamma_step(0.5, 0.0).0 + gamma + 2.0 * 2f64.ln()).abs() < 1e-14);
    for (x, e) in [(0.3, 0.25), (3.7, -0.4), (25.0, 0.1), (-0.7, 0.2)] {
        let (d, s) = ln_gamma_step(x, e);
        let (a, sa) = ln_gamma_signed(x + e);
        let (b, sb) = ln_gamma_signed(x);
        assert!((d - (a - b) / e).abs() < 1e-12, "{x} {e}");
        assert_eq!(s, sa * sb);
    }
    // Across the pole at 0: Γ(−0.1) < 0 < Γ(0.1).
    assert_eq!(ln_gamma_step(-0.1, 0.2).1, -1.0);
}
