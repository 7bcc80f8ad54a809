//! The data of `rapport bench model`: the CDNOW files (read as the core's
//! tests read them), and customers generated from fitted BG/NBD and
//! Gamma-Gamma parameters with a fixed seed.

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use rapport_core::model::churn::CustomerHistory;
use rapport_core::model::purchase::{BgNbd, GammaGamma, Summary};
use std::path::{Path, PathBuf};

/// The core's CDNOW fixtures, in the checkout the binary was built from.
fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("rapport-core").join("tests").join("fixtures")
}

/// The full CDNOW log: 69,659 transactions of 23,570 customers.
pub fn default_master() -> PathBuf {
    fixtures().join("churn").join("CDNOW_master.txt")
}

/// The published 2,357-customer summary with mean repeat spend.
pub fn default_sample() -> PathBuf {
    fixtures().join("purchase").join("cdnow_customers_summary_with_transactions.csv")
}

/// One purchase of the log.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transaction {
    pub customer: u32,
    pub day: NaiveDate,
    pub amount: f64,
}

/// A summary CSV with a header: ID, x, t_x, T and, when present, the mean
/// repeat spend (0 without).
pub fn read_sample(path: &Path) -> Result<Vec<Summary>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let v: Vec<f64> = line
            .split(',')
            .map(|c| c.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .with_context(|| format!("{} line {}: not numbers: {line}", path.display(), i + 1))?;
        if v.len() < 4 {
            bail!("{} line {}: want ID, x, t_x, T[, mean spend], not {line}", path.display(), i + 1);
        }
        out.push(Summary { frequency: v[1], recency: v[2], t: v[3], monetary: v.get(4).copied().unwrap_or(0.0) });
    }
    if out.is_empty() {
        bail!("{} holds no customers", path.display());
    }
    Ok(out)
}

/// The master log: `customer_id date(YYYYMMDD) number_of_cds dollar_value`,
/// separated by spaces, after a header line.
pub fn read_master(path: &Path) -> Result<Vec<Transaction>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.is_empty() || (i == 0 && cols[0].parse::<u32>().is_err()) {
            continue;
        }
        let parsed = || -> Option<Transaction> {
            if cols.len() != 4 {
                return None;
            }
            Some(Transaction {
                customer: cols[0].parse().ok()?,
                day: NaiveDate::parse_from_str(cols[1], "%Y%m%d").ok()?,
                amount: cols[3].parse().ok()?,
            })
        };
        let t = parsed().with_context(|| {
            format!("{} line {}: want customer_id YYYYMMDD cds dollars, not {line:?}", path.display(), i + 1)
        })?;
        out.push(t);
    }
    if out.is_empty() {
        bail!("{} holds no transactions", path.display());
    }
    Ok(out)
}

/// Each customer's purchases as `(day, amount)`, in customer order.
pub fn by_customer(log: &[Transaction]) -> Vec<Vec<(NaiveDate, f64)>> {
    let mut sorted: Vec<&Transaction> = log.iter().collect();
    sorted.sort_by_key(|t| t.customer);
    sorted.chunk_by(|a, b| a.customer == b.customer).map(|c| c.iter().map(|t| (t.day, t.amount)).collect()).collect()
}

/// The churn model's view of each customer of the log (purchases only).
pub fn histories(log: &[Transaction]) -> Vec<CustomerHistory> {
    by_customer(log).into_iter().map(|purchases| CustomerHistory { purchases, ..Default::default() }).collect()
}

/// SplitMix64: small, fast, and the same numbers on every platform and
/// version (the `rand` crate does not promise that across releases).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform on (0, 1).
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// Exponential with rate `rate`.
    pub fn exponential(&mut self, rate: f64) -> f64 {
        -self.uniform().ln() / rate
    }

    fn normal(&mut self) -> f64 {
        // Box–Muller; one of the pair is enough here.
        (-2.0 * self.uniform().ln()).sqrt() * (std::f64::consts::TAU * self.uniform()).cos()
    }

    /// Gamma with shape `shape` and rate `rate` (Marsaglia and Tsang, with
    /// the U^(1/shape) boost below shape 1).
    pub fn gamma(&mut self, shape: f64, rate: f64) -> f64 {
        if shape < 1.0 {
            let u = self.uniform();
            return self.gamma(shape + 1.0, rate) * u.powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            let u = self.uniform();
            if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v / rate;
            }
        }
    }

    pub fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a, 1.0);
        x / (x + self.gamma(b, 1.0))
    }
}

/// `n` customers drawn from BG/NBD and Gamma-Gamma with `seed`, observed
/// for T weeks uniform on [27, 39) (CDNOW's first purchases spread over the
/// first quarter, calibration to the end of September): a purchase rate
/// λ ~ Gamma(r, α) and a drop-out probability p ~ Beta(a, b) each; purchases
/// after the first come at rate λ, and after each one the customer leaves
/// with probability p (none leaves at the first, as the model has it).
/// Repeat buyers spend Gamma(p, ν) per purchase, ν ~ Gamma(q, v).
pub fn generate(n: usize, bg: &BgNbd, gg: &GammaGamma, seed: u64) -> Vec<Summary> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let t = 27.0 + 12.0 * rng.uniform();
            let lambda = rng.gamma(bg.r, bg.alpha);
            let p = rng.beta(bg.a, bg.b);
            let (mut now, mut x, mut last) = (0.0, 0u32, 0.0);
            loop {
                now += rng.exponential(lambda);
                if now >= t {
                    break;
                }
                x += 1;
                last = now;
                if rng.uniform() < p {
                    break;
                }
            }
            let monetary = if x == 0 {
                0.0
            } else {
                let nu = rng.gamma(gg.q, gg.v);
                (0..x).map(|_| rng.gamma(gg.p, nu)).sum::<f64>() / f64::from(x)
            };
            Summary { frequency: f64::from(x), recency: last, t, monetary }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fixtures_read_as_the_core_tests_count_them() {
        let sample = read_sample(&default_sample()).unwrap();
        assert_eq!(sample.len(), 2357);
        assert_eq!(sample.iter().filter(|s| s.frequency > 0.0).count(), 946);
        let log = read_master(&default_master()).unwrap();
        assert_eq!(log.len(), 69_659);
        let h = histories(&log);
        assert_eq!(h.len(), 23_570);
        assert_eq!(h.iter().map(|h| h.purchases.len()).sum::<usize>(), 69_659);
    }

    #[test]
    fn samplers_have_their_means() {
        let mut rng = Rng::new(7);
        let n = 200_000;
        let mean = |f: &mut dyn FnMut() -> f64| (0..n).map(|_| f()).sum::<f64>() / n as f64;
        for (shape, rate) in [(0.243, 4.414), (2.5, 0.5), (6.25, 1.0)] {
            let m = mean(&mut || rng.gamma(shape, rate));
            assert!((m / (shape / rate) - 1.0).abs() < 0.02, "Gamma({shape}, {rate}): {m}");
        }
        let m = mean(&mut || rng.beta(0.793, 2.426));
        assert!((m / (0.793 / (0.793 + 2.426)) - 1.0).abs() < 0.02, "{m}");
    }

    #[test]
    fn generated_customers_refit_to_their_parameters() {
        let bg = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        let gg = GammaGamma { p: 6.25, q: 3.74, v: 15.44 };
        let customers = generate(20_000, &bg, &gg, 1);
        assert_eq!(customers, generate(20_000, &bg, &gg, 1), "deterministic");
        assert!(customers.iter().all(|s| s.recency <= s.t && (s.frequency > 0.0 || s.recency == 0.0)));
        let fit = BgNbd::fit(&customers).unwrap();
        for (got, want) in [(fit.r, bg.r), (fit.alpha, bg.alpha), (fit.a, bg.a), (fit.b, bg.b)] {
            assert!((got / want - 1.0).abs() < 0.15, "{fit:?}");
        }
        let spend = GammaGamma::fit(&customers).unwrap();
        let mean = |g: &GammaGamma| g.p * g.v / (g.q - 1.0);
        assert!((mean(&spend) / mean(&gg) - 1.0).abs() < 0.05, "{spend:?}");
    }
}
