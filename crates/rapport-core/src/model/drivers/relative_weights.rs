//! Johnson's (2000) relative weights: the drivers are replaced by their
//! closest orthogonal counterparts Z = R^{1/2} = V Λ^{1/2} V' (from the
//! eigen-decomposition R = V Λ V' of the drivers' correlations); with
//! orthogonal predictors importance is unambiguous (β_k² of the outcome on
//! z_k), and each β_k² is handed back to the drivers in proportion to how
//! much of z_k each one is, Z_jk². The weights sum to R² (Σβ_k²) and are
//! close to LMG at a fraction of the cost. Both are reported because
//! practitioners know both; where they part, the drivers are entangled
//! enough that neither ranking deserves much weight.

use super::eigen::Eigen;
use nalgebra::{DMatrix, DVector};

/// Raw relative weights: weight_j = Σ_k Z_jk² β_k², β = Z⁻¹ r_xy. The
/// eigenvalues are positive: the caller refused collinear drivers.
pub(super) fn relative_weights(eigen: &Eigen, rxy: &DVector<f64>) -> Vec<f64> {
    let v = &eigen.vectors;
    let root = DVector::from_iterator(eigen.values.len(), eigen.values.iter().map(|l| l.sqrt()));
    let z = v * DMatrix::from_diagonal(&root) * v.transpose();
    let beta = v * DMatrix::from_diagonal(&root.map(|s| 1.0 / s)) * (v.transpose() * rxy);
    let weights = z.map(|x| x * x) * beta.map(|b| b * b);
    weights.iter().copied().collect()
}
