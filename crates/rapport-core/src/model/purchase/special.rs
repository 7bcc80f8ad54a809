//! Gamma-function helpers for [`super::hyp2f1`]: `ln|Γ|` with its sign on
//! the whole real line, and the divided difference
//! `(ln|Γ(x+ε)| − ln|Γ(x)|) / ε`, which stays accurate as `ε → 0` (where it
//! becomes the digamma function ψ(x)). The divided difference is what keeps
//! ₂F₁ accurate when c − a − b is close to an integer: there the textbook
//! formula subtracts two nearly equal huge numbers.

use statrs::function::gamma::ln_gamma;
use std::f64::consts::PI;

/// `(ln|Γ(x)|, sign of Γ(x))`. At a pole the logarithm is +∞, so that
/// `exp(-ln)` gives the reciprocal gamma function's zero there.
pub(crate) fn ln_gamma_signed(x: f64) -> (f64, f64) {
    if x >= 0.5 {
        return (ln_gamma(x), 1.0);
    }
    // Reflection, because statrs takes the logarithm of a negative sine.
    let s = sin_pi(x);
    if s == 0.0 {
        return (f64::INFINITY, 1.0);
    }
    (PI.ln() - s.abs().ln() - ln_gamma(1.0 - x), s.signum())
}

/// sin(πx), exact at the integers (where `(PI * x).sin()` is not zero).
fn sin_pi(x: f64) -> f64 {
    let r = x - 2.0 * (x / 2.0).round();
    if r.fract() == 0.0 {
        0.0
    } else {
        (PI * r).sin()
    }
}

/// `ln(1+u)/u`, 1 at u = 0.
pub(crate) fn ln1p_quot(u: f64) -> f64 {
    if u == 0.0 {
        1.0
    } else {
        u.ln_1p() / u
    }
}

/// `(e^v − 1)/v`, 1 at v = 0.
pub(crate) fn expm1_quot(v: f64) -> f64 {
    if v == 0.0 {
        1.0
    } else {
        v.exp_m1() / v
    }
}

/// `(R − 1)/ε` for `R = sign · exp(ε·l)`, where `l = ln|R|/ε` was found
/// without dividing by ε; continuous at ε = 0 (it is `l` there).
pub(crate) fn ratio_minus_one_over(eps: f64, l: f64, sign: f64) -> f64 {
    if sign > 0.0 {
        l * expm1_quot(eps * l)
    } else {
        (-(eps * l).exp() - 1.0) / eps
    }
}

/// `((ln|Γ(x+ε)| − ln|Γ(x)|)/ε, sign of Γ(x+ε)/Γ(x))`, for |ε| ≤ 1/2.
/// Shifts x up to 10 with Γ(y+1) = yΓ(y) (each step a `ln_1p`, exact in ε),
/// then differences Stirling's series term by term.
pub(crate) fn ln_gamma_step(x: f64, eps: f64) -> (f64, f64) {
    if x < -1e6 {
        return (f64::NAN, 1.0); // far outside what the models evaluate
    }
    let (mut acc, mut sign, mut y) = (0.0, 1.0, x);
    while y < 10.0 {
        let u = eps / y;
        if !u.is_finite() || u == -1.0 {
            return (f64::NAN, 1.0);
        }
        if u > -1.0 {
            acc -= ln1p_quot(u) / y;
        } else {
            // x and x + ε lie on either side of a pole: the ratio changes sign.
            acc -= (1.0 + u).abs().ln() / eps;
            sign = -sign;
        }
        y += 1.0;
    }
    (acc + stirling_step(y, eps), sign)
}

/// Bernoulli coefficients B₂ₖ/(2k(2k−1)) of Stirling's series, k = 1..8;
/// at y ≥ 10 the next term is below 1e-17.
const STIRLING: [f64; 8] = [
    1.0 / 12.0,
    -1.0 / 360.0,
    1.0 / 1260.0,
    -1.0 / 1680.0,
    1.0 / 1188.0,
    -691.0 / 360360.0,
    1.0 / 156.0,
    -3617.0 / 122400.0,
];

/// `(lnΓ(y+ε) − lnΓ(y))/ε` from Stirling's series, y ≥ 10.
fn stirling_step(y: f64, eps: f64) -> f64 {
    let u = eps / y;
    let lq = ln1p_quot(u);
    let l = u.ln_1p();
    let mut sum = (y - 0.5) * lq / y + (y + eps).ln() - 1.0;
    let mut y_pow = y * y; // y^(p+1) for p = 2k − 1
    for (k, coef) in STIRLING.iter().enumerate() {
        let p = (2 * k + 1) as f64;
        sum -= coef * p * lq * expm1_quot(-p * l) / y_pow;
        y_pow *= y * y;
    }
    sum
}
