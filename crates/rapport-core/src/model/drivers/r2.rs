//! R² of the regression of the outcome on every subset of drivers, from the
//! correlation matrix: R²(S) = r_Sy' R_SS⁻¹ r_Sy.
//!
//! Each subset is solved through the Cholesky factor L of R_SS, as
//! R²(S) = |L⁻¹ r_Sy|². Subsets are visited depth first, each one extending
//! its parent by a driver of higher index, so the parent's factor is the
//! child's factor without its last row: a subset costs one new row (a
//! triangular solve, O(|S|²), no allocation) instead of a factorisation
//! (O(|S|³)). At 12 drivers the 4,096 subsets of a resample take 0.11 ms
//! this way against 1.0 ms with a nalgebra Cholesky per subset (release).
//! The caller has checked that the drivers are not collinear, so every
//! squared pivot (1 − R² of the new driver on its parent's drivers) is at
//! least the smallest eigenvalue of R, well above zero.

use super::corr::Corr;

/// R² of every subset; index = bit mask of its drivers (bit j: driver j).
pub(super) fn subset_r2(corr: &Corr) -> Vec<f64> {
    let p = corr.p();
    let mut walk =
        Walk { corr, p, l: vec![0.0; p * p], w: vec![0.0; p], chain: Vec::with_capacity(p), r2: vec![0.0; 1 << p] };
    walk.extend(0, 0, 0.0);
    walk.r2
}

/// The factor of the subset being extended: row k of `l` (stride p) is the
/// Cholesky row of `chain[k]`, and `w = L⁻¹ r_Sy`.
struct Walk<'a> {
    corr: &'a Corr,
    p: usize,
    l: Vec<f64>,
    w: Vec<f64>,
    chain: Vec<usize>,
    r2: Vec<f64>,
}

impl Walk<'_> {
    fn extend(&mut self, mask: usize, start: usize, r2: f64) {
        let (p, k) = (self.p, self.chain.len());
        for j in start..p {
            // Row k of L for driver j: solve L_S l = R_Sj by forward substitution.
            for i in 0..k {
                let dot: f64 = (0..i).map(|m| self.l[i * p + m] * self.l[k * p + m]).sum();
                self.l[k * p + i] = (self.corr.xx(self.chain[i], j) - dot) / self.l[i * p + i];
            }
            let row = &self.l[k * p..k * p + k];
            let pivot = (1.0 - row.iter().map(|v| v * v).sum::<f64>()).max(f64::MIN_POSITIVE).sqrt();
            let proj: f64 = row.iter().zip(&self.w).map(|(a, b)| a * b).sum();
            let wk = (self.corr.xy(j) - proj) / pivot;
            self.l[k * p + k] = pivot;
            self.w[k] = wk;
            let child = mask | 1 << j;
            self.r2[child] = r2 + wk * wk;
            self.chain.push(j);
            self.extend(child, j + 1, r2 + wk * wk);
            self.chain.pop();
        }
    }
}
