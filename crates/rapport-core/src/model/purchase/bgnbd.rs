//! BG/NBD (Fader, Hardie & Lee 2005): while alive, a customer buys at a
//! Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with
//! probability p ~ Beta(a, b). Scoring follows lifetimes'
//! `BetaGeoFitter` formula by formula.

use super::hyp2f1::{hyp2f1_many, ln_hyp2f1};
use super::Summary;
use serde::{Deserialize, Serialize};
use statrs::function::gamma::ln_gamma;

/// Fitted BG/NBD parameters; α is in the summaries' periods.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

/// Within this of a removable singularity of the expected-purchases formula
/// (a = 1, or a + b = 1 for a one-time buyer), its two factors are 0 and ∞:
/// the value there is the mean of the formula 2× this far on either side
/// (error about 1e-10, where evaluating closer would lose more to rounding).
const NUDGE: f64 = 1e-5;

impl BgNbd {
    /// Probability the customer has not dropped out: 1 without repeat
    /// purchases (in this model one drops out only just after a purchase),
    /// else 1/(1 + a/(b+x−1) · ((α+T)/(α+tₓ))^(r+x)) (Hardie's note 021).
    pub fn p_alive(&self, s: &Summary) -> f64 {
        let x = s.frequency;
        if x == 0.0 {
            return 1.0;
        }
        let log_div =
            (self.r + x) * ((self.alpha + s.t) / (self.alpha + s.recency)).ln() + (self.a / (self.b + x - 1.0)).ln();
        1.0 / (1.0 + log_div.exp())
    }

    /// Expected repeat purchases in the next `t` periods (equation 10):
    /// P(alive) · (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x)
    /// ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))].
    pub fn expected_purchases(&self, s: &Summary, t: f64) -> f64 {
        if t <= 0.0 {
            return 0.0;
        }
        let x = s.frequency;
        let near = |v: f64| (v - 1.0).abs() < NUDGE;
        if near(self.a) || (x == 0.0 && near(self.a + self.b)) {
            let shifted = |a| BgNbd { a, ..*self }.alive_bracket(s, t);
            let mean = (shifted(self.a + 2.0 * NUDGE) + shifted(self.a - 2.0 * NUDGE)) / 2.0;
            return self.p_alive(s) * mean;
        }
        self.p_alive(s) * self.alive_bracket(s, t)
    }

    /// [`BgNbd::expected_purchases`] at each of `horizons`, the ₂F₁ series
    /// shared between them where it applies (the usual case: a refit asks
    /// for 12 month ends and a horizon per customer).
    pub fn expected_purchases_many(&self, s: &Summary, horizons: &[f64]) -> Vec<f64> {
        let (r, a, b, x) = (self.r, self.a, self.b, s.frequency);
        let near = |v: f64| (v - 1.0).abs() < NUDGE;
        let base = self.alpha + s.t;
        let zs: Vec<f64> = horizons.iter().map(|&t| t.max(0.0) / (base + t.max(0.0))).collect();
        let mut f = vec![0.0; horizons.len()];
        if near(a) || (x == 0.0 && near(a + b)) || !hyp2f1_many(r + x, b + x, a + b + x - 1.0, &zs, &mut f) {
            return horizons.iter().map(|&t| self.expected_purchases(s, t)).collect();
        }
        let scale = self.p_alive(s) * (a + b + x - 1.0) / (a - 1.0);
        horizons
            .iter()
            .zip(&f)
            .map(|(&t, f)| {
                if t <= 0.0 {
                    return 0.0;
                }
                // As alive_bracket: 1 − F·w^(r+x), by expm1 for short horizons.
                let w = base / (base + t);
                -scale * (f.ln() + (r + x) * w.ln()).exp_m1()
            })
            .collect()
    }

    /// Expected repeat purchases of a new customer in their first `t`
    /// periods (equation 9): the conditional formula at x = tₓ = T = 0.
    pub fn expected_purchases_new(&self, t: f64) -> f64 {
        self.expected_purchases(&Summary::default(), t)
    }

    /// Expected purchases in the next t periods of a customer known alive.
    fn alive_bracket(&self, s: &Summary, t: f64) -> f64 {
        let (r, a, b, x) = (self.r, self.a, self.b, s.frequency);
        let base = self.alpha + s.t;
        let (z, w) = (t / (base + t), base / (base + t));
        let (log_f, sign) = ln_hyp2f1(r + x, b + x, a + b + x - 1.0, z, w);
        // 1 − sign·e^(…), with expm1 keeping small horizons' digits.
        let log_term = log_f + (r + x) * w.ln();
        let rest = if sign > 0.0 { -log_term.exp_m1() } else { 1.0 + log_term.exp() };
        (a + b + x - 1.0) / (a - 1.0) * rest
    }

    /// The customer's log-likelihood (lifetimes' `_negative_log_likelihood`
    /// terms, in the summaries' periods).
    pub fn log_likelihood(&self, s: &Summary) -> f64 {
        let (r, alpha, a, b) = (self.r, self.alpha, self.a, self.b);
        let x = s.frequency;
        let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
        let a2 = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
        let a3 = -(r + x) * (alpha + s.t).ln();
        let a4 = a.ln() - (b + x.max(1.0) - 1.0).ln() - (r + x) * (s.recency + alpha).ln();
        a1 + a2 + log_sum(a3, a4, x > 0.0)
    }
}

/// ln(e^a3 + e^a4) when `both`, else a3: the two ways to have bought x times
/// (still alive at T, or dropped out after the last purchase).
fn log_sum(a3: f64, a4: f64, both: bool) -> f64 {
    if !both {
        return a3;
    }
    let top = a3.max(a4);
    top + ((a3 - top).exp() + (a4 - top).exp()).ln()
}
