//! The Gauss hypergeometric function ₂F₁(a, b; c; z), for real parameters
//! and real z < 1: BG/NBD's expected purchases need it at z = t/(α+T+t).
//!
//! Policy, by argument range:
//! - z ≤ ½: the defining series; each term is the last times at most about
//!   z, so it converges fast and, with positive parameters, without
//!   cancellation.
//! - ½ < z < 1: the connection formula to w = 1 − z (Abramowitz & Stegun
//!   15.3.6), whose two series converge like wⁿ. Textbook code loses every
//!   digit as m = c − a − b nears an integer (two terms of size 1/(m − N)
//!   cancel) and needs the separate limit formula 15.3.11 at the integer.
//!   BG/NBD hits this: m = a − 1 − r − x moves by whole steps with x, so one
//!   unlucky fit puts every customer there (scipy is off by 3e-3 at such
//!   points). Here the cancelling terms are combined algebraically first:
//!   with ε = m − N, each tail term carries `(R₁ − R₂)/ε` for two gamma
//!   ratios that both tend to 1, computed from `special.rs`'s divided
//!   differences of ln Γ and stable recurrences. The result is one formula,
//!   accurate for every ε in [−½, ½] including 0 (where it is 15.3.11).
//!   For m < −½, Euler's transformation `F = w^m F(c−a, c−b; c; z)` first
//!   makes m positive. The formula's terms can also dwarf its result for
//!   another reason (a and b large and w not small: scipy-style code then
//!   returns garbage silently); it measures that, and beyond 4 lost digits
//!   the direct series is summed instead, which with positive parameters
//!   never cancels and only needs more terms (about 40/(1−z)).
//! - z < 0: Pfaff's transformation maps z to z/(z−1) in (0, 1).
//! - a or b a non-positive integer: a polynomial, summed directly; likewise
//!   through Euler's transformation when c − a or c − b is one.

use super::connection::near_one;

/// Relative size of the last term kept.
const EPS: f64 = 1e-17;
/// A series that has not converged by then is reported as NaN.
/// (The direct series needs about 40/(1−z) terms: 400,000 at z = 0.9999.)
pub(super) const MAX_TERMS: usize = 2_000_000;
/// The connection formula is used when its terms are at most this many
/// times its result (so at most about 4 of 16 digits cancel); otherwise the
/// direct series, slower near z = 1 but free of cancellation.
pub(super) const MAX_CANCELLATION: f64 = 1e4;
/// Up to here the direct series always; beyond, the connection formula
/// when it keeps its digits. Tried on 6,000 random BG/NBD arguments with
/// z from ½ to 1 − 1e-6 against mpmath: worst relative error 6e-12.
const DIRECT_MAX: f64 = 0.5;

/// ₂F₁(a, b; c; z) for z < 1; NaN when c is a non-positive integer (the
/// function is undefined) or the arguments are not finite.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let (log, sign) = ln_hyp2f1(a, b, c, z, 1.0 - z);
    sign * log.exp()
}

/// `(ln|₂F₁(a, b; c; z)|, its sign)`, with w = 1 − z given too: near z = 1
/// the caller can often form w without the rounding of `1.0 - z` (BG/NBD:
/// w = (α+T)/(α+T+t)). The logarithm keeps large customers' values, which
/// grow like w^(c−a−b), from overflowing before the caller scales them.
pub(crate) fn ln_hyp2f1(a: f64, b: f64, c: f64, z: f64, w: f64) -> (f64, f64) {
    if !(a.is_finite() && b.is_finite() && c.is_finite() && z < 1.0) {
        return (f64::NAN, 1.0);
    }
    if non_positive_integer(a) || non_positive_integer(b) {
        return series(a, b, c, z);
    }
    if non_positive_integer(c) {
        return (f64::NAN, 1.0);
    }
    if z < 0.0 {
        let (log, sign) = ln_hyp2f1(a, c - b, c, z / (z - 1.0), 1.0 / w);
        return (log - a * w.ln(), sign);
    }
    if z <= DIRECT_MAX {
        return series(a, b, c, z);
    }
    if non_positive_integer(c - a) || non_positive_integer(c - b) {
        let (log, sign) = series(c - a, c - b, c, z);
        return (log + (c - a - b) * w.ln(), sign);
    }
    near_one(a, b, c, w).unwrap_or_else(|| series(a, b, c, z))
}

/// The largest z [`hyp2f1_many`] takes: about 40/(1−z) = 400 terms.
const MANY_MAX_Z: f64 = 0.9;

/// ₂F₁(a, b; c; zᵢ) into `out` for several z at once, from one pass of the
/// defining series: the coefficients (a)ₙ(b)ₙ/((c)ₙ n!) are shared, so 13
/// horizons of one customer cost little more than one. With positive
/// parameters and 0 ≤ z ≤ 0.9 every term is positive (no cancellation).
/// Returns false, leaving the work to [`hyp2f1`] one z at a time, outside
/// that range or when a sum would overflow.
pub(crate) fn hyp2f1_many(a: f64, b: f64, c: f64, zs: &[f64], out: &mut [f64]) -> bool {
    if zs.is_empty() {
        return true;
    }
    let z_max = zs.iter().fold(0.0, |m: f64, &z| m.max(z));
    if !(a > 0.0 && b > 0.0 && c > 0.0 && z_max <= MANY_MAX_Z) || zs.iter().any(|z| z.is_nan() || *z < 0.0) {
        return false;
    }
    let lowest = zs.iter().enumerate().min_by(|x, y| x.1.total_cmp(y.1)).map_or(0, |(i, _)| i);
    let mut powers = vec![1.0; zs.len()];
    out.iter_mut().for_each(|v| *v = 1.0);
    // The sums grow with z, so the largest z's term decides convergence
    // against the smallest sum: every other tail is below that one's.
    let (mut coef, mut top_power) = (1.0f64, 1.0f64);
    for n in 0..MAX_TERMS {
        let k = n as f64;
        let ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0));
        coef *= ratio;
        for ((sum, power), z) in out.iter_mut().zip(&mut powers).zip(zs) {
            *power *= z;
            *sum += coef * *power;
        }
        top_power *= z_max;
        let term = coef * top_power;
        if !term.is_finite() {
            return false;
        }
        if term == 0.0 || negligible(term, ratio * z_max, z_max, out[lowest]) {
            return out.iter().all(|v| v.is_finite());
        }
    }
    false
}

/// Whether the terms after `term` add less than [`EPS`] of `sum`: once the
/// ratio of successive terms settles, it tends to `limit` (z or w), so the
/// rest is at most a geometric tail with ratio max(|ratio|, limit) < 1.
pub(super) fn negligible(term: f64, ratio: f64, limit: f64, sum: f64) -> bool {
    let r = ratio.abs().max(limit);
    r < 1.0 && term.abs() * r / (1.0 - r) <= EPS * sum.abs()
}

fn non_positive_integer(x: f64) -> bool {
    x <= 0.0 && x.fract() == 0.0
}

/// ln of Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ, and its sign; stops once a term is
/// negligible and the terms shrink geometrically. Rescales as it goes, since
/// the sum itself may exceed f64 (its logarithm never does).
fn series(a: f64, b: f64, c: f64, z: f64) -> (f64, f64) {
    const BIG: f64 = 1e250;
    let (mut sum, mut term, mut scale) = (1.0f64, 1.0f64, 0.0);
    for n in 0..MAX_TERMS {
        let k = n as f64;
        let ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        term *= ratio;
        sum += term;
        if term == 0.0 || negligible(term, ratio, z, sum) {
            return (sum.abs().ln() + scale, sum.signum());
        }
        if sum.abs() > BIG {
            (sum, term, scale) = (sum / BIG, term / BIG, scale + BIG.ln());
        }
    }
    (f64::NAN, 1.0)
}
