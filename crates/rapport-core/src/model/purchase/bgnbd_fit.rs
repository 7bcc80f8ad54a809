//! Fitting BG/NBD by maximum likelihood, as lifetimes' `BetaGeoFitter.fit`
//! (no penalty, its default): the mean log-likelihood per customer over
//! log-parameters, with time scaled so the oldest customer's age is 1
//! (which keeps α near 1 for any period), starting from lifetimes' start
//! and two others.
//!
//! Speed: customers with the same (x, tₓ, T) are one row with a weight, and
//! every logarithm that depends on one coordinate only (ln Γ differences
//! per x, ln(α+T) per T, ln(α+tₓ) per tₓ) is taken once per evaluation.

use super::bgnbd::log_sum;
use super::optimise::minimise;
use super::summary::check_summaries;
use super::{BgNbd, PurchaseError, Summary};
use statrs::function::gamma::ln_gamma;

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
        let f = |p: &[f64]| -data.mean_log_likelihood(p) + penalty * p.iter().map(|v| v * v).sum::<f64>();
        let starts = [vec![0.1; 4], vec![0.0, -1.0, 0.0, 1.0], vec![-1.0, -2.0, -1.0, -1.0]];
        let not_converged = |reason| PurchaseError::DidNotConverge { model: "BG/NBD", reason };
        let p = minimise(&f, &starts, &NAMES).map_err(not_converged)?;
        Ok(BgNbd { r: p[0].exp(), alpha: p[1].exp() / data.scale, a: p[2].exp(), b: p[3].exp() })
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

    /// Mean log-likelihood per customer at log-parameters `p` (scaled α).
    pub(super) fn mean_log_likelihood(&self, p: &[f64]) -> f64 {
        let (r, alpha, a, b) = (p[0].exp(), p[1].exp(), p[2].exp(), p[3].exp());
        let gammas = gamma_terms(&self.xs, r, a, b);
        let (ln_alpha, ln_a) = (alpha.ln(), a.ln());
        // Per x: the terms without T or tₓ, and ln a − ln(b + max(x,1) − 1).
        let per_x: Vec<(f64, f64)> =
            self.xs.iter().zip(&gammas).map(|(&x, g)| (g + r * ln_alpha, ln_a - (b + x.max(1.0) - 1.0).ln())).collect();
        let ln_t: Vec<f64> = self.ts.iter().map(|t| (alpha + t).ln()).collect();
        let ln_rec: Vec<f64> = self.recencies.iter().map(|t| (alpha + t).ln()).collect();
        let mut sum = 0.0;
        for &(xi, ti, ri, weight) in &self.rows {
            let x = self.xs[xi];
            let (base, a4_start) = per_x[xi];
            let a3 = -(r + x) * ln_t[ti];
            let a4 = a4_start - (r + x) * ln_rec[ri];
            sum += weight * (base + log_sum(a3, a4, x > 0.0));
        }
        sum / self.customers
    }
}

/// Per distinct x (ascending whole numbers): lnΓ(r+x) − lnΓ(r) + lnΓ(a+b)
/// − lnΓ(a+b+x) + lnΓ(b+x) − lnΓ(b), as running sums of ln(· + i) while x
/// is small (exact steps, no ln Γ calls), else by ln Γ.
fn gamma_terms(xs: &[f64], r: f64, a: f64, b: f64) -> Vec<f64> {
    let max_x = xs.last().copied().unwrap_or(0.0);
    if max_x > 4.0 * xs.len() as f64 + 1000.0 {
        let lg = |v: f64, x: f64| ln_gamma(v + x) - ln_gamma(v);
        return xs.iter().map(|&x| lg(r, x) - lg(a + b, x) + lg(b, x)).collect();
    }
    let (mut out, mut running, mut i) = (Vec::with_capacity(xs.len()), 0.0, 0.0);
    for &x in xs {
        while i < x {
            running += (r + i).ln() - (a + b + i).ln() + (b + i).ln();
            i += 1.0;
        }
        out.push(running);
    }
    out
}
