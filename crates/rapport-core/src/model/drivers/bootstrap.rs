//! Percentile bootstrap of the importances: resample the observations with
//! replacement, refit, and read the interval off the sorted refits.
//!
//! The generator is ChaCha8 seeded from the options, so the same data and
//! seed give the same intervals on every machine. A resample in which a
//! driver or the outcome comes out constant, or the drivers collinear (a
//! rare answer not drawn at all), has no importance: it is skipped and
//! counted, not redrawn, so the count tells how fragile the data is. The
//! refits kept are then conditioned on that not happening; when more than
//! half are skipped that bias is too large and no interval is reported.

use super::data::Data;
use super::fit::{fit, shares};
use super::types::{DriverOptions, Interval};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The refits kept, per driver: `lmg[j][b]` is driver j in refit b.
pub(super) struct Draws {
    pub skipped: usize,
    pub lmg: Vec<Vec<f64>>,
    pub lmg_share: Vec<Vec<f64>>,
    pub rw: Vec<Vec<f64>>,
    pub rw_share: Vec<Vec<f64>>,
}

impl Draws {
    pub fn used(&self) -> usize {
        self.lmg.first().map_or(0, Vec::len)
    }

    /// Whether intervals are reported (see the module's policy).
    pub fn reportable(&self) -> bool {
        self.used() > 0 && self.used() >= self.skipped
    }
}

pub(super) fn resample(data: &Data, options: &DriverOptions) -> Draws {
    let p = data.q - 1;
    let mut draws = Draws {
        skipped: 0,
        lmg: vec![vec![]; p],
        lmg_share: vec![vec![]; p],
        rw: vec![vec![]; p],
        rw_share: vec![vec![]; p],
    };
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut counts = vec![0u32; data.n];
    for _ in 0..options.bootstrap_samples {
        counts.fill(0);
        for _ in 0..data.n {
            counts[rng.gen_range(0..data.n)] += 1;
        }
        let Ok(f) = fit(data, Some(&counts)) else {
            draws.skipped += 1;
            continue;
        };
        let columns = [
            (&mut draws.lmg, f.lmg.clone()),
            (&mut draws.lmg_share, shares(&f.lmg, f.r2)),
            (&mut draws.rw, f.relative_weights.clone()),
            (&mut draws.rw_share, shares(&f.relative_weights, f.r2)),
        ];
        for (into, values) in columns {
            into.iter_mut().zip(values).for_each(|(d, v)| d.push(v));
        }
    }
    draws
}

/// The central `confidence` percentile interval of `values` (non-empty).
pub(super) fn percentile_interval(values: &[f64], confidence: f64) -> Interval {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let tail = (1.0 - confidence) / 2.0;
    Interval { low: quantile(&sorted, tail), high: quantile(&sorted, 1.0 - tail) }
}

/// Quantile with linear interpolation between order statistics (Hyndman and
/// Fan's type 7, the default of R and numpy), so figures can be checked there.
pub(super) fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}
