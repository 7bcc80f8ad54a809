//! ₂F₁ for ½ < z < 1 by the connection formula to w = 1 − z, in the form
//! that stays exact as c − a − b nears an integer ([`super::hyp2f1`]'s
//! module notes say why and when it is used).

use super::hyp2f1::{negligible, MAX_CANCELLATION, MAX_TERMS};
use super::special::{ln_gamma_signed, ln_gamma_step, ratio_minus_one_over};
use std::f64::consts::PI;

/// The connection formula at w = 1 − z < ½ (see the module notes), with
/// m = N + ε, N ≥ 0, |ε| ≤ ½:
///
/// ```text
/// F = Γ(c)/(Γ(c−a)Γ(c−b)) · [ Γ(m) Σ_{k<N} (a)ₖ(b)ₖ/((1−m)ₖ k!) wᵏ
///     + (−1)ᴺ πε/sin(πε) Σⱼ (a)_{N+j}(b)_{N+j}/((N+j)! j!) w^{N+j} (E1ⱼ − E2ⱼ) ]
/// E1ⱼ = (Γ(j+1)/Γ(j+1−ε) − 1)/ε
/// E2ⱼ = (w^ε Γ(a+N+j+ε)Γ(b+N+j+ε)Γ(N+j+1)/(Γ(a+N+j)Γ(b+N+j)Γ(N+j+1+ε)) − 1)/ε
/// ```
///
/// `None` when the formula's terms cancel by more than [`MAX_CANCELLATION`]
/// (large a and b with w not small): the caller then sums the direct series.
pub(super) fn near_one(a: f64, b: f64, c: f64, w: f64) -> Option<(f64, f64)> {
    let m = c - a - b;
    if m.round() < 0.0 {
        let (log, sign) = near_one(c - a, c - b, c, w)?;
        return Some((log + m * w.ln(), sign));
    }
    let (n, eps) = (m.round(), m - m.round());
    let lw = w.ln();
    let (lg_c, s_c) = ln_gamma_signed(c);
    let (lg_ca, s_ca) = ln_gamma_signed(c - a);
    let (lg_cb, s_cb) = ln_gamma_signed(c - b);

    // The finite part, k < N (none when N = 0).
    let (mut log_p, mut sign_p, mut log_p_abs) = (f64::NEG_INFINITY, 1.0, f64::NEG_INFINITY);
    if n >= 1.0 {
        let (mut term, mut sum, mut abs) = (1.0f64, 1.0f64, 1.0);
        let mut k = 0.0;
        while k < n - 1.0 {
            term *= (a + k) * (b + k) / ((1.0 - m + k) * (k + 1.0)) * w;
            sum += term;
            abs += term.abs();
            k += 1.0;
        }
        let lg_m = ln_gamma_signed(m).0;
        (log_p, sign_p, log_p_abs) = (lg_m + sum.abs().ln(), sum.signum(), lg_m + abs.ln());
    }

    // The tail, j ≥ 0: its size (a)_N (b)_N / N! w^N apart, then the sum.
    let (la, sa) = ln_gamma_signed(a);
    let (lan, san) = ln_gamma_signed(a + n);
    let (lb, sb) = ln_gamma_signed(b);
    let (lbn, sbn) = ln_gamma_signed(b + n);
    let sinc = if eps == 0.0 { 1.0 } else { PI * eps / (PI * eps).sin() };
    let log_t = lan - la + lbn - lb - ln_gamma_signed(n + 1.0).0 + n * lw + sinc.ln();
    let parity = if n % 2.0 == 0.0 { 1.0 } else { -1.0 };
    let sign_t = sa * san * sb * sbn * parity;

    let mut e1 = ratio_minus_one_over(eps, ln_gamma_step(1.0, -eps).0, 1.0);
    let (d_a, s_da) = ln_gamma_step(a + n, eps);
    let (d_b, s_db) = ln_gamma_step(b + n, eps);
    let d_n = ln_gamma_step(n + 1.0, eps).0;
    let mut e2 = ratio_minus_one_over(eps, lw + d_a + d_b - d_n, s_da * s_db);
    let (mut coef, mut tail, mut abs, mut converged) = (1.0f64, 0.0, 0.0, false);
    for j in 0..MAX_TERMS {
        let term = coef * (e1 - e2);
        tail += term;
        abs += coef.abs() * (e1.abs() + e2.abs());
        let (ap, bp, np, jp) = (a + n + j as f64, b + n + j as f64, n + 1.0 + j as f64, 1.0 + j as f64);
        let ratio = ap * bp / (np * jp) * w;
        if j > 0 && negligible(term, ratio, w, tail) {
            converged = true;
            break;
        }
        // R₁ and R₂ each gain a factor ρ; (R−1)/ε follows without dividing by ε.
        e1 = e1 * jp / (jp - eps) + 1.0 / (jp - eps);
        let rho = (ap + eps) * (bp + eps) * np / (ap * bp * (np + eps));
        let rho_m1 = ((ap + bp + eps) * np - ap * bp) / (ap * bp * (np + eps));
        e2 = e2 * rho + rho_m1;
        coef *= ratio;
    }
    let log_t_abs = log_t + abs.ln();
    let (log_t, sign_t) = (log_t + tail.abs().ln(), sign_t * tail.signum());
    let top = log_p.max(log_t);
    let inner = sign_p * (log_p - top).exp() + sign_t * (log_t - top).exp();
    let log_inner = top + inner.abs().ln();
    let cancellation = log_p_abs.max(log_t_abs) - log_inner;
    if !converged || cancellation.is_nan() || cancellation > MAX_CANCELLATION.ln() {
        return None;
    }
    Some((lg_c - lg_ca - lg_cb + log_inner, s_c * s_ca * s_cb * inner.signum()))
}
