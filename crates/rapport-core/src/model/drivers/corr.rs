//! The correlation matrix of the outcome and the drivers, the one pass over
//! the observations that each fit makes; everything after works on it.
//!
//! A bootstrap resample is given as how many times each observation was
//! drawn, so a resample costs no copy of the data and skips the ~37% of
//! observations it did not draw.

use super::data::Data;
use nalgebra::{DMatrix, DVector};

/// Correlations of [outcome, driver 1, …, driver p], row-major.
pub(super) struct Corr {
    q: usize,
    m: Vec<f64>,
}

impl Corr {
    pub fn p(&self) -> usize {
        self.q - 1
    }

    /// Correlation of drivers `i` and `j`.
    pub fn xx(&self, i: usize, j: usize) -> f64 {
        self.m[(i + 1) * self.q + j + 1]
    }

    /// Correlation of driver `j` with the outcome.
    pub fn xy(&self, j: usize) -> f64 {
        self.m[j + 1]
    }

    pub fn drivers(&self) -> DMatrix<f64> {
        DMatrix::from_fn(self.p(), self.p(), |i, j| self.xx(i, j))
    }

    pub fn outcome(&self) -> DVector<f64> {
        DVector::from_fn(self.p(), |j, _| self.xy(j))
    }
}

/// The correlations over all observations (`counts` None) or a resample.
/// `Err(column)` when a column (0 the outcome, j + 1 driver j) takes one
/// value only: found by comparing values, not by a variance near zero, so
/// that a constant column is refused exactly and a tiny spread is not.
pub(super) fn correlations(data: &Data, counts: Option<&[u32]>) -> Result<Corr, usize> {
    let q = data.q;
    let drawn = || {
        data.rows.chunks_exact(q).enumerate().filter_map(move |(i, row)| {
            let w = counts.map_or(1, |c| c[i]);
            (w > 0).then_some((f64::from(w), row))
        })
    };
    let mut total = 0.0;
    let mut sum = vec![0.0; q];
    let (mut low, mut high) = (vec![f64::INFINITY; q], vec![f64::NEG_INFINITY; q]);
    for (w, row) in drawn() {
        total += w;
        for (k, &x) in row.iter().enumerate() {
            sum[k] += w * x;
            low[k] = low[k].min(x);
            high[k] = high[k].max(x);
        }
    }
    if let Some(k) = (0..q).find(|&k| low[k] == high[k]) {
        return Err(k);
    }
    let mean: Vec<f64> = sum.iter().map(|s| s / total).collect();
    // Centred cross-products, upper triangle: two passes, because one pass
    // (sum of squares minus n·mean²) loses digits when the mean is large
    // next to the spread, as with amounts or years.
    let mut cp = vec![0.0; q * q];
    let mut centred = vec![0.0; q];
    for (w, row) in drawn() {
        centred.iter_mut().zip(row.iter().zip(&mean)).for_each(|(c, (x, m))| *c = x - m);
        for (a, &ca) in centred.iter().enumerate() {
            let wa = w * ca;
            let line = &mut cp[a * q..(a + 1) * q];
            line[a..].iter_mut().zip(&centred[a..]).for_each(|(s, cb)| *s += wa * cb);
        }
    }
    let sd: Vec<f64> = (0..q).map(|k| cp[k * q + k].sqrt()).collect();
    let mut m = vec![1.0; q * q];
    for a in 0..q {
        for b in a + 1..q {
            let r = (cp[a * q + b] / (sd[a] * sd[b])).clamp(-1.0, 1.0);
            m[a * q + b] = r;
            m[b * q + a] = r;
        }
    }
    Ok(Corr { q, m })
}
