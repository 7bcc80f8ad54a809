//! Fitting BG/NBD by maximum likelihood, as lifetimes' `BetaGeoFitter.fit`
//! (no penalty, its default): the mean log-likelihood per customer over
//! log-parameters, with time scaled so the oldest customer's age is 1
//! (which keeps α near 1 for any period), starting from lifetimes' start
//! and two others.
//!
//! Speed: customers with the same (x, tₓ, T) are one row with a weight;
//! every logarithm that depends on one coordinate only (ln Γ differences
//! per x, ln(α+T) per T, ln(α+tₓ) per tₓ) is taken once per evaluation; and
//! the gradient is exact, so BFGS needs tens of evaluations.

use super::optimise::{minimise, Objective};
use super::summary::check_summaries;
use super::{BgNbd, PurchaseError, Summary};
use statrs::function::gamma::{digamma, ln_gamma};

/// The fewest customers, and of them repeat buyers, a fit accepts. Dropout
/// (a, b) is learnt only from repeat buyers' silences: with fewer than ten,
/// one customer moves the estimate, and with fewer than fifty customers in
/// all, four parameters fit noise.
pub const MIN_CUSTOMERS: usize = 50;
pub const MIN_REPEAT: usize = 10;
const NAMES: [&str; 4] = ["r", "alpha", "a", "b"];

/// Penalties tried, in order, by [`BgNbd::fit_regularized`]: none first
/// (lifetimes' default), then lifetimes' suggested range.
pub const PENALTIES: [f64; 4] = [0.0, 0.001, 0.01, 0.1];

impl BgNbd {
    /// The maximum-likelihood fit to the customers' summaries.
    pub fn fit(customers: &[Summary]) -> Result<BgNbd, PurchaseError> {
        BgNbd::fit_penalized(customers, 0.0)
    }

    /// The fit with the smallest of [`PENALTIES`] that settles, and that
    /// penalty. Where the likelihood leaves a parameter undetermined (a
    /// shop whose customers hardly ever stop buying sends b off to infinity
    /// or a to zero), a ridge on the log-parameters, `penalty × Σ ln²θ`
    /// added to the mean negative log-likelihood (α on the scaled time: a
    /// weak prior centred on 1), keeps them finite at the cost of a small
    /// bias, rather than leaving the organization without a purchase model.
    /// lifetimes' own penalty (on θ², not ln θ) cannot hold a parameter
    /// that runs to zero, which is what a → 0 does here.
    pub fn fit_regularized(customers: &[Summary]) -> Result<(BgNbd, f64), PurchaseError> {
        let mut last = None;
        for penalty in PENALTIES {
            match BgNbd::fit_penalized(customers, penalty) {
                Ok(m) => return Ok((m, penalty)),
                Err(e @ PurchaseError::DidNotConverge { .. }) => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.expect("at least one penalty is tried"))
    }

    /// The fit with `penalty` (0: maximum likelihood, as lifetimes).
    pub fn fit_penalized(customers: &[Summary], penalty: f64) -> Result<BgNbd, PurchaseError> {
        check_summaries(customers)?;
        let repeat = customers.iter().filter(|s| s.frequency > 0.0).count();
        if customers.len() < MIN_CUSTOMERS || repeat < MIN_REPEAT {
            return Err(PurchaseError::TooFewCustomers {
                model: "BG/NBD",
                customers: customers.len(),
                repeat,
                min_customers: MIN_CUSTOMERS,
                min_repeat: MIN_REPEAT,
            });
        }
        let data = Patterns::new(customers);
        let starts = [vec![0.1; 4], vec![0.0, -1.0, 0.0, 1.0], vec![-1.0, -2.0, -1.0, -1.0]];
        let not_converged = |reason| PurchaseError::DidNotConverge { model: "BG/NBD", reason };
        let p = minimise(&Penalized { data: &data, penalty }, &starts, &NAMES).map_err(not_converged)?;
        Ok(BgNbd { r: p[0].exp(), alpha: p[1].exp() / data.scale, a: p[2].exp(), b: p[3].exp() })
    }
}

/// The mean negative log-likelihood plus `penalty × Σ p²`.
struct Penalized<'a> {
    data: &'a Patterns,
    penalty: f64,
}

impl Objective for Penalized<'_> {
    fn value_and_gradient(&self, p: &[f64], gradient: &mut [f64]) -> f64 {
        let ll = self.data.mean_log_likelihood(p, gradient);
        for (g, v) in gradient.iter_mut().zip(p) {
            *g = -*g + 2.0 * self.penalty * v;
        }
        -ll + self.penalty * p.iter().map(|v| v * v).sum::<f64>()
    }
}

/// The distinct (x, tₓ, T) of the customers, time scaled, with weights.
pub(super) struct Patterns {
    pub(super) scale: f64,
    xs: Vec<f64>,
    ts: Vec<f64>,
    recencies: Vec<f64>,
    /// (index in xs, in ts, in recencies, customers).
    pub(super) rows: Vec<(usize, usize, usize, f64)>,
    customers: f64,
}

impl Patterns {
    pub(super) fn new(customers: &[Summary]) -> Patterns {
        let oldest = customers.iter().map(|s| s.t).fold(0.0, f64::max);
        let scale = if oldest > 0.0 { 1.0 / oldest } else { 1.0 };
        let distinct = |get: &dyn Fn(&Summary) -> f64| {
            let mut v: Vec<f64> = customers.iter().map(get).collect();
            v.sort_by(f64::total_cmp);
            v.dedup();
            v
        };
        let xs = distinct(&|s| s.frequency);
        let ts = distinct(&|s| s.t * scale);
        let recencies = distinct(&|s| s.recency * scale);
        let at = |v: &[f64], key: f64| v.partition_point(|&u| u < key);
        let mut keys: Vec<(usize, usize, usize)> = customers
            .iter()
            .map(|s| (at(&xs, s.frequency), at(&ts, s.t * scale), at(&recencies, s.recency * scale)))
            .collect();
        keys.sort_unstable();
        let mut rows: Vec<(usize, usize, usize, f64)> = Vec::new();
        for (x, t, r) in keys {
            match rows.last_mut() {
                Some(last) if (last.0, last.1, last.2) == (x, t, r) => last.3 += 1.0,
                _ => rows.push((x, t, r, 1.0)),
            }
        }
        Patterns { scale, xs, ts, recencies, rows, customers: customers.len() as f64 }
    }

    /// Mean log-likelihood per customer at log-parameters `p` (scaled α),
    /// and its gradient in those log-parameters in `gradient`.
    ///
    /// Per customer (dropping x ln of the time scale): G(x) + r ln α +
    /// ln(e^A₃ + e^A₄), where A₃ = −(r+x) ln(α+T) is "still buying at T" and
    /// A₄ = ln a − ln(b+x−1) − (r+x) ln(α+tₓ) "dropped out after the last
    /// purchase" (only when x > 0). With w₃, w₄ the two ways' shares of the
    /// sum, each derivative is G's plus w₃·∂A₃ + w₄·∂A₄.
    pub(super) fn mean_log_likelihood(&self, p: &[f64], gradient: &mut [f64]) -> f64 {
        let (r, alpha, a, b) = (p[0].exp(), p[1].exp(), p[2].exp(), p[3].exp());
        let per_x = x_terms(&self.xs, r, a, b);
        let ln_alpha = alpha.ln();
        // ln(α + t) and 1/(α + t), per distinct T and per distinct tₓ.
        let at = |v: &[f64]| -> Vec<(f64, f64)> { v.iter().map(|t| ((alpha + t).ln(), 1.0 / (alpha + t))).collect() };
        let (at_t, at_rec) = (at(&self.ts), at(&self.recencies));
        let (mut sum, mut d) = (0.0, [0.0; 4]);
        for &(xi, ti, ri, weight) in &self.rows {
            let (x, g) = (self.xs[xi], &per_x[xi]);
            let (ln_t, inv_t) = at_t[ti];
            let a3 = -(r + x) * ln_t;
            let (ll, w4, ln_rec, inv_rec) = if x > 0.0 {
                let (ln_rec, inv_rec) = at_rec[ri];
                let a4 = g.a4_start - (r + x) * ln_rec;
                let top = a3.max(a4);
                let (e3, e4) = ((a3 - top).exp(), (a4 - top).exp());
                (top + (e3 + e4).ln(), e4 / (e3 + e4), ln_rec, inv_rec)
            } else {
                (a3, 0.0, 0.0, 0.0)
            };
            let w3 = 1.0 - w4;
            sum += weight * (g.value + r * ln_alpha + ll);
            d[0] += weight * (g.d_r + ln_alpha - w3 * ln_t - w4 * ln_rec);
            d[1] += weight * (r / alpha - (r + x) * (w3 * inv_t + w4 * inv_rec));
            d[2] += weight * (g.d_a + w4 / a);
            d[3] += weight * (g.d_b + w4 * g.d_b_a4);
        }
        // Chain rule to log-parameters: ∂/∂ln θ = θ ∂/∂θ.
        for ((out, di), theta) in gradient.iter_mut().zip(d).zip([r, alpha, a, b]) {
            *out = theta * di / self.customers;
        }
        sum / self.customers
    }
}

/// What one distinct x contributes, with its derivatives in r, a and b.
struct XTerms {
    /// lnΓ(r+x) − lnΓ(r) + lnΓ(a+b) − lnΓ(a+b+x) + lnΓ(b+x) − lnΓ(b).
    value: f64,
    d_r: f64,
    d_a: f64,
    d_b: f64,
    /// ln a − ln(b + max(x,1) − 1), A₄'s part without tₓ, and its b-derivative.
    a4_start: f64,
    d_b_a4: f64,
}

/// The [`XTerms`] per distinct x (ascending whole numbers): running sums of
/// ln(· + i) and 1/(· + i) while x is small (exact steps, no ln Γ calls),
/// else ln Γ and ψ.
fn x_terms(xs: &[f64], r: f64, a: f64, b: f64) -> Vec<XTerms> {
    let ln_a = a.ln();
    let a4 = |x: f64| {
        let k = b + x.max(1.0) - 1.0;
        (ln_a - k.ln(), -1.0 / k)
    };
    let max_x = xs.last().copied().unwrap_or(0.0);
    if max_x > 4.0 * xs.len() as f64 + 1000.0 {
        let lg = |v: f64, x: f64| ln_gamma(v + x) - ln_gamma(v);
        let dg = |v: f64, x: f64| digamma(v + x) - digamma(v);
        return xs
            .iter()
            .map(|&x| {
                let (a4_start, d_b_a4) = a4(x);
                XTerms {
                    value: lg(r, x) - lg(a + b, x) + lg(b, x),
                    d_r: dg(r, x),
                    d_a: -dg(a + b, x),
                    d_b: dg(b, x) - dg(a + b, x),
                    a4_start,
                    d_b_a4,
                }
            })
            .collect();
    }
    let mut out = Vec::with_capacity(xs.len());
    let (mut value, mut d_r, mut d_ab, mut d_b, mut i) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &x in xs {
        while i < x {
            value += (r + i).ln() - (a + b + i).ln() + (b + i).ln();
            d_r += 1.0 / (r + i);
            d_ab += 1.0 / (a + b + i);
            d_b += 1.0 / (b + i);
            i += 1.0;
        }
        let (a4_start, d_b_a4) = a4(x);
        out.push(XTerms { value, d_r, d_a: -d_ab, d_b: d_b - d_ab, a4_start, d_b_a4 });
    }
    out
}
