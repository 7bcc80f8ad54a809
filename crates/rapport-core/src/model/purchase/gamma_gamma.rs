//! Gamma-Gamma spend (Fader & Hardie's note 025, lifetimes'
//! `GammaGammaFitter`): a customer's order values are Gamma(p, ν), and ν
//! varies across customers as Gamma(q, v). It is fitted on repeat buyers
//! only (x > 0, their mean repeat spend), as lifetimes requires; like
//! lifetimes it assumes spend does not depend on how often one buys.
//!
//! Customers whose repeat purchases were all free (mean spend 0) are left
//! out of the fit: the gamma density is zero there, and lifetimes refuses
//! the whole data set instead. Money is scaled by the mean spend while
//! fitting, so the starts suit any currency.

use super::bgnbd_fit::MIN_REPEAT;
use super::optimise::{minimise, Objective};
use super::summary::check_summaries;
use super::{PurchaseError, Summary};
use serde::{Deserialize, Serialize};
use statrs::function::gamma::{digamma, ln_gamma};

/// Fitted Gamma-Gamma parameters; v is in the summaries' money.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub v: f64,
}

const NAMES: [&str; 3] = ["p", "q", "v"];

impl GammaGamma {
    /// The maximum-likelihood fit to the repeat buyers among `customers`.
    pub fn fit(customers: &[Summary]) -> Result<GammaGamma, PurchaseError> {
        check_summaries(customers)?;
        let repeat: Vec<&Summary> = customers.iter().filter(|s| s.frequency > 0.0).collect();
        if !repeat.is_empty() && repeat.iter().all(|s| s.monetary == 0.0) {
            return Err(PurchaseError::AllZeroSpend);
        }
        let spenders: Vec<(f64, f64)> =
            repeat.iter().filter(|s| s.monetary > 0.0).map(|s| (s.frequency, s.monetary)).collect();
        if spenders.len() < MIN_REPEAT {
            return Err(PurchaseError::TooFewCustomers {
                model: "Gamma-Gamma spend",
                customers: customers.len(),
                repeat: spenders.len(),
                min_customers: MIN_REPEAT,
                min_repeat: MIN_REPEAT,
            });
        }
        let scale = spenders.len() as f64 / spenders.iter().map(|&(_, m)| m).sum::<f64>();
        let data = Rows::new(&spenders, scale);
        let starts = [vec![0.1; 3], vec![1.0, 1.0, 0.0], vec![0.0, 2.0, 1.0]];
        let not_converged = |reason| PurchaseError::DidNotConverge { model: "Gamma-Gamma spend", reason };
        let p = minimise(&data, &starts, &NAMES).map_err(not_converged)?;
        let fitted = GammaGamma { p: p[0].exp(), q: p[1].exp(), v: p[2].exp() / scale };
        if fitted.q <= 1.0 {
            return Err(PurchaseError::NoMeanSpend { q: fitted.q });
        }
        Ok(fitted)
    }

    /// Expected mean spend per purchase (equation 5): a weighted mean of the
    /// population's mean v·p/(q−1) and the customer's own mean, the weight
    /// p·x/(p·x+q−1) growing with their repeat purchases.
    pub fn expected_spend(&self, s: &Summary) -> f64 {
        let px = self.p * s.frequency;
        let own = px / (px + self.q - 1.0);
        (1.0 - own) * self.v * self.p / (self.q - 1.0) + own * s.monetary
    }

    /// The log-likelihood of a repeat buyer's mean spend (equation 1a).
    pub fn log_likelihood(&self, s: &Summary) -> f64 {
        let (p, q, v, x, m) = (self.p, self.q, self.v, s.frequency, s.monetary);
        ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q) + q * v.ln() + (p * x - 1.0) * m.ln() + p * x * x.ln()
            - (p * x + q) * (x * m + v).ln()
    }
}

/// Distinct (x, scaled mean spend) with weights; ln x and ln m kept.
pub(super) struct Rows {
    /// (x, ln x, m, ln m, customers), sorted by x.
    rows: Vec<(f64, f64, f64, f64, f64)>,
    customers: f64,
}

impl Rows {
    pub(super) fn new(spenders: &[(f64, f64)], scale: f64) -> Rows {
        let mut pairs: Vec<(f64, f64)> = spenders.iter().map(|&(x, m)| (x, m * scale)).collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        let mut rows: Vec<(f64, f64, f64, f64, f64)> = Vec::new();
        for (x, m) in pairs {
            match rows.last_mut() {
                Some(last) if (last.0, last.2) == (x, m) => last.4 += 1.0,
                _ => rows.push((x, x.ln(), m, m.ln(), 1.0)),
            }
        }
        Rows { rows, customers: spenders.len() as f64 }
    }

    /// Minus the mean log-likelihood per customer at log-parameters (p, q, v), and
    /// its gradient in them. Per row: Γ-terms(x) + q ln v + (px−1) ln m +
    /// px ln x − (px+q) ln(xm+v), whose Γ-terms lnΓ(px+q) − lnΓ(px) − lnΓ(q)
    /// and their ψ derivatives are taken once per distinct x.
    fn negative_mean_log_likelihood(&self, params: &[f64], gradient: &mut [f64]) -> f64 {
        let (p, q, v) = (params[0].exp(), params[1].exp(), params[2].exp());
        let (ln_v, lg_q, dg_q) = (v.ln(), ln_gamma(q), digamma(q));
        let (mut sum, mut d, mut last_x) = (0.0, [0.0; 3], f64::NAN);
        let (mut lg_x, mut dg_p, mut dg_q_x) = (0.0, 0.0, 0.0);
        for &(x, ln_x, m, ln_m, weight) in &self.rows {
            let px = p * x;
            if x != last_x {
                let dg_pq = digamma(px + q);
                last_x = x;
                (lg_x, dg_p, dg_q_x) = (ln_gamma(px + q) - ln_gamma(px) - lg_q, dg_pq - digamma(px), dg_pq - dg_q);
            }
            let ln_xmv = (x * m + v).ln();
            sum += weight * (lg_x + q * ln_v + (px - 1.0) * ln_m + px * ln_x - (px + q) * ln_xmv);
            d[0] += weight * x * (dg_p + ln_m + ln_x - ln_xmv);
            d[1] += weight * (dg_q_x + ln_v - ln_xmv);
            d[2] += weight * (q / v - (px + q) / (x * m + v));
        }
        // The negative mean, in log-parameters: ∂/∂ln θ = θ ∂/∂θ.
        for ((out, di), theta) in gradient.iter_mut().zip(d).zip([p, q, v]) {
            *out = -theta * di / self.customers;
        }
        -sum / self.customers
    }
}

impl Objective for Rows {
    fn value_and_gradient(&self, p: &[f64], gradient: &mut [f64]) -> f64 {
        self.negative_mean_log_likelihood(p, gradient)
    }
}
