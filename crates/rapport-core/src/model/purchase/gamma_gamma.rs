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
use super::optimise::minimise;
use super::summary::check_summaries;
use super::{PurchaseError, Summary};
use serde::{Deserialize, Serialize};
use statrs::function::gamma::ln_gamma;

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
        let f = |p: &[f64]| -data.mean_log_likelihood(p);
        let starts = [vec![0.1; 3], vec![1.0, 1.0, 0.0], vec![0.0, 2.0, 1.0]];
        let not_converged = |reason| PurchaseError::DidNotConverge { model: "Gamma-Gamma spend", reason };
        let p = minimise(&f, &starts, &NAMES).map_err(not_converged)?;
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
struct Rows {
    /// (x, ln x, m, ln m, customers), sorted by x.
    rows: Vec<(f64, f64, f64, f64, f64)>,
    customers: f64,
}

impl Rows {
    fn new(spenders: &[(f64, f64)], scale: f64) -> Rows {
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

    fn mean_log_likelihood(&self, params: &[f64]) -> f64 {
        let (p, q, v) = (params[0].exp(), params[1].exp(), params[2].exp());
        let (ln_v, lg_q) = (v.ln(), ln_gamma(q));
        let (mut sum, mut last_x, mut lg_x) = (0.0, f64::NAN, 0.0);
        for &(x, ln_x, m, ln_m, weight) in &self.rows {
            if x != last_x {
                // ln Γ terms depend on x only: once per distinct x.
                (last_x, lg_x) = (x, ln_gamma(p * x + q) - ln_gamma(p * x) - lg_q);
            }
            let px = p * x;
            sum += weight * (lg_x + q * ln_v + (px - 1.0) * ln_m + px * ln_x - (px + q) * (x * m + v).ln());
        }
        sum / self.customers
    }
}
