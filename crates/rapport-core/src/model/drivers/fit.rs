//! One fit: correlations, the collinearity check, R² of every subset, LMG
//! and relative weights. The full sample and each resample go through it.

use super::corr::correlations;
use super::data::Data;
use super::eigen::symmetric_eigen;
use super::lmg::lmg;
use super::r2::subset_r2;
use super::relative_weights::relative_weights;

/// The smallest eigenvalue of the drivers' correlation matrix below which
/// they count as collinear. The eigenvalues sum to p, so this is a
/// condition number beyond 10¹⁰: an exact duplicate or sum of drivers lands
/// near 10⁻¹⁵, while two drivers that agree 99.99% still sit near 10⁻⁴ and
/// are analysed (their intervals will show how little the data separates them).
const COLLINEAR: f64 = 1e-10;

pub(super) struct Fit {
    pub r2: f64,
    pub correlations: Vec<f64>,
    pub lmg: Vec<f64>,
    pub relative_weights: Vec<f64>,
}

/// Why a sample cannot be fitted.
#[derive(Debug)]
pub(super) enum Degenerate {
    /// A column with one value: 0 the outcome, j + 1 driver j.
    Constant(usize),
    /// Drivers (indices) involved in an exact linear dependence.
    Collinear(Vec<usize>),
}

pub(super) fn fit(data: &Data, counts: Option<&[u32]>) -> Result<Fit, Degenerate> {
    let corr = correlations(data, counts).map_err(Degenerate::Constant)?;
    let p = corr.p();
    let eigen = symmetric_eigen(&corr.drivers());
    let smallest = (0..p).min_by(|&a, &b| eigen.values[a].total_cmp(&eigen.values[b])).unwrap_or(0);
    if eigen.values[smallest] < COLLINEAR {
        // The eigenvector of ~0 holds the dependence's coefficients; drivers
        // outside it have (numerically) zero components.
        let v = eigen.vectors.column(smallest);
        let cut = 1e-6 * v.amax();
        return Err(Degenerate::Collinear((0..p).filter(|&j| v[j].abs() > cut).collect()));
    }
    let r2 = subset_r2(&corr);
    Ok(Fit {
        r2: r2[(1 << p) - 1],
        correlations: (0..p).map(|j| corr.xy(j)).collect(),
        lmg: lmg(&r2, p),
        relative_weights: relative_weights(&eigen, &corr.outcome()),
    })
}

/// Parts of R² as shares of it; all zero when nothing is explained, rather
/// than 0/0. Divided by the parts' own sum, which is R² up to rounding
/// (relative weights reach it through an eigen-decomposition, LMG through
/// differences of subset R²), so that shares sum to 1 to the last digit.
pub(super) fn shares(raw: &[f64], r2: f64) -> Vec<f64> {
    let total: f64 = raw.iter().sum();
    raw.iter().map(|x| if r2 > 0.0 && total > 0.0 { x / total } else { 0.0 }).collect()
}
