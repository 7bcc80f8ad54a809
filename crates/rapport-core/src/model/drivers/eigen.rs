//! Eigen-decomposition of the drivers' correlation matrix by cyclic Jacobi
//! rotations (Golub and Van Loan, Matrix Computations, §8.5).
//!
//! Why not nalgebra's `SymmetricEigen`: in 0.33 it reconstructed a 3×3
//! correlation matrix of survey answers only to 4e-11, so relative weights
//! summed to R² ± 3e-12, and it can pair eigenvalues with the wrong vectors
//! (dimforge/nalgebra#1109, open). Jacobi is accurate to rounding, even in
//! the small eigenvalues the collinearity check reads, and at p ≤ 15 its
//! cost (a few sweeps of p²/2 rotations) is nothing next to the subsets.

use nalgebra::DMatrix;

/// `matrix = vectors · diag(values) · vectorsᵀ`; column k of `vectors`
/// belongs to `values[k]`. Values are in no particular order.
pub(super) struct Eigen {
    pub values: Vec<f64>,
    pub vectors: DMatrix<f64>,
}

pub(super) fn symmetric_eigen(matrix: &DMatrix<f64>) -> Eigen {
    let n = matrix.nrows();
    let mut a = matrix.clone();
    let mut v = DMatrix::identity(n, n);
    // Quadratic convergence: five or six sweeps; 64 is a guard only.
    for _ in 0..64 {
        let mut rotated = false;
        for p in 0..n {
            for q in p + 1..n {
                // An entry lost in the rounding of both its diagonal entries
                // is zero for every purpose (the test of Numerical Recipes'
                // `jacobi`); relative to each, so small eigenvalues keep
                // their accuracy.
                let big = 100.0 * a[(p, q)].abs();
                if a[(p, p)].abs() + big == a[(p, p)].abs() && a[(q, q)].abs() + big == a[(q, q)].abs() {
                    a[(p, q)] = 0.0;
                    a[(q, p)] = 0.0;
                } else {
                    rotate(&mut a, &mut v, p, q);
                    rotated = true;
                }
            }
        }
        if !rotated {
            break;
        }
    }
    Eigen { values: (0..n).map(|k| a[(k, k)]).collect(), vectors: v }
}

/// A ← JᵀAJ and V ← VJ with the rotation J in the (p, q) plane that zeroes
/// a_pq; the smaller of the two angles, for stability.
fn rotate(a: &mut DMatrix<f64>, v: &mut DMatrix<f64>, p: usize, q: usize) {
    let tau = (a[(q, q)] - a[(p, p)]) / (2.0 * a[(p, q)]);
    let sign = if tau >= 0.0 { 1.0 } else { -1.0 };
    let t = sign / (tau.abs() + (1.0 + tau * tau).sqrt());
    let c = 1.0 / (1.0 + t * t).sqrt();
    let s = t * c;
    for m in [&mut *a, &mut *v] {
        for k in 0..m.nrows() {
            let (mp, mq) = (m[(k, p)], m[(k, q)]);
            m[(k, p)] = c * mp - s * mq;
            m[(k, q)] = s * mp + c * mq;
        }
    }
    for k in 0..a.ncols() {
        let (ap, aq) = (a[(p, k)], a[(q, k)]);
        a[(p, k)] = c * ap - s * aq;
        a[(q, k)] = s * ap + c * aq;
    }
    // Exactly zero, not rounding residue.
    a[(p, q)] = 0.0;
    a[(q, p)] = 0.0;
}

#[cfg(test)]
mod tests {
    use super::symmetric_eigen;
    use nalgebra::DMatrix;

    /// Reconstruction and orthogonality to rounding; the 4×4 matrix of
    /// nalgebra#1109, badly scaled on purpose, included.
    #[test]
    fn reconstructs_to_rounding() {
        let issue = [
            -19884.07, -10.07188, 11.277279, -188560.63, -10.07188, 12.518197, 1.3770627, -102.97504, 11.277279,
            1.3770627, 14.587362, 113.26099, -188560.63, -102.97504, 113.26099, -1788112.3,
        ];
        let corr = [1.0, 0.5, 0.3, 0.5, 1.0, 0.49, 0.3, 0.49, 1.0];
        for (n, data) in [(4, &issue[..]), (3, &corr[..])] {
            let m = DMatrix::from_row_slice(n, n, data);
            let e = symmetric_eigen(&m);
            let back = &e.vectors * DMatrix::from_diagonal(&e.values.clone().into()) * e.vectors.transpose();
            assert!((back - &m).amax() <= 1e-14 * m.amax(), "{n}×{n}");
            assert!((e.vectors.transpose() * &e.vectors - DMatrix::identity(n, n)).amax() < 1e-14);
        }
    }
}
