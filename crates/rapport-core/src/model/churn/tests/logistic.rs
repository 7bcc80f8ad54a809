//! The ridge logistic fit against scikit-learn and statsmodels, and its
//! own invariants.
//!
//! Reference, in a venv (`python3 -m venv /tmp/pyref_churn &&
//! /tmp/pyref_churn/bin/pip install scikit-learn==1.9.1 statsmodels`;
//! scikit-learn 1.9.1, statsmodels 0.15.0, numpy 2.4.6):
//!
//! ```text
//! import numpy as np, statsmodels.api as sm
//! from sklearn.linear_model import LogisticRegression
//! rng = np.random.default_rng(7)
//! n = 60
//! X = np.round(rng.normal(size=(n, 3)) * [1.0, 2.0, 0.5] + [0.0, 1.0, -0.5], 3)
//! eta = -0.3 + 1.2 * X[:, 0] - 0.4 * X[:, 1] + 0.8 * X[:, 2]
//! y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)
//! def sk(X, y, lam):
//!     m = LogisticRegression(C=1 / lam, solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(X, y)
//!     return [m.intercept_[0], *m.coef_[0]]
//! fmt = lambda v: "[" + ", ".join(f"{x:.10f}" for x in v) + "]"
//! print("X rows:"); print(",\n".join("[" + ", ".join(f"{v}" for v in r) + "]" for r in X))
//! print("y:", "".join(str(v) for v in y))
//! print("ridge 1 :", fmt(sk(X, y, 1.0)))
//! print("ridge 10:", fmt(sk(X, y, 10.0)))
//! print("mle     :", fmt(sm.Logit(y, sm.add_constant(X)).fit(disp=0, tol=1e-14, maxiter=100).params))
//! # perfectly separated: y = 1 exactly when x0 > 0
//! Xs = X[:20, :1]; ys = (Xs[:, 0] > 0).astype(int)
//! print("separated x:", list(Xs[:, 0])); print("separated y:", "".join(str(v) for v in ys))
//! print("separated ridge 1:", fmt(sk(Xs, ys, 1.0)))
//! import sklearn, statsmodels; print(sklearn.__version__, statsmodels.__version__, np.__version__)
//! ```

use super::super::logistic::{fit, Fit};

/// `X` and `y` as printed by the script (`X` rounded to 3 decimals there,
/// so both sides fit the same numbers).
#[rustfmt::skip]
const X: [[f64; 3]; 60] = [
    [0.001, 1.597, -0.637], [-0.891, 0.091, -0.996], [0.06, 3.68, -0.746], [-0.62, 1.98, -0.322],
    [0.105, -0.861, -0.515], [0.695, -1.688, -0.729], [-1.901, -1.579, -1.421], [-0.235, -1.535, -0.364],
    [0.157, 0.626, -1.758], [-0.539, 0.903, -0.443], [-1.53, 0.044, -0.989], [-0.809, 3.122, -0.904],
    [-0.033, 2.769, -0.792], [-0.112, 1.221, -0.468], [-1.225, 1.152, 0.179], [-1.547, 2.719, -0.44],
    [-0.641, 5.001, -0.119], [-1.199, 1.149, -0.212], [-0.189, 2.366, -0.533], [0.667, 3.877, -0.838],
    [0.203, 0.073, -0.436], [-1.187, -0.159, -0.598], [0.899, 3.29, -1.162], [-0.795, 2.294, -1.496],
    [-0.463, 0.805, 0.129], [0.689, 0.346, -0.684], [-0.25, 4.047, -0.714], [-0.304, 1.705, -0.56],
    [-0.197, -1.228, -0.506], [-0.444, 3.332, -0.173], [-0.024, 2.337, -0.67], [1.052, 0.989, -0.208],
    [-1.291, 1.693, -1.344], [-2.035, 0.391, -0.95], [0.164, 5.49, -0.916], [-0.624, 1.411, -0.253],
    [-0.176, 0.588, -0.149], [0.52, -1.067, -0.54], [0.035, -1.109, -0.37], [-0.858, 2.944, -0.404],
    [0.089, -0.182, -0.559], [-1.998, -1.263, -0.319], [-2.129, 2.693, -1.373], [0.757, -0.691, -0.111],
    [0.131, -2.074, 0.125], [1.442, 0.868, -0.637], [-0.16, -0.95, 0.049], [-0.543, 0.898, -0.897],
    [-0.626, -1.555, 0.129], [-0.154, 2.932, -0.493], [-0.694, 0.347, -0.78], [0.008, 0.249, -0.65],
    [-1.379, -0.614, 0.327], [-0.671, -1.108, -0.331], [1.407, -1.908, -0.604], [-0.632, -2.522, -0.133],
    [-0.023, 1.143, -0.876], [0.455, -0.079, -0.571], [-1.108, -1.432, 0.168], [-0.507, 1.583, -0.517],
];
const Y: &str = "001111010100010000001010001010000001001000011000000110100110";

fn data() -> (Vec<f64>, Vec<bool>) {
    (X.iter().flatten().copied().collect(), Y.bytes().map(|b| b == b'1').collect())
}

fn close(fit: &Fit, want: &[f64]) {
    let got: Vec<f64> = std::iter::once(fit.intercept).chain(fit.coef.iter().copied()).collect();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-6, "got {got:?}, want {want:?}");
    }
}

#[test]
fn ridge_matches_scikit_learn() {
    let (x, y) = data();
    // ridge 1 : [0.0405176505, 0.7918883659, -0.2678813243, 0.6286156454]
    close(&fit(&x, 3, &y, 1.0).unwrap(), &[0.0405176505, 0.7918883659, -0.2678813243, 0.6286156454]);
    // ridge 10: [-0.3214337095, 0.3656985658, -0.2416660078, 0.1558981995]
    close(&fit(&x, 3, &y, 10.0).unwrap(), &[-0.3214337095, 0.3656985658, -0.2416660078, 0.1558981995]);
}

#[test]
fn no_ridge_matches_statsmodels_maximum_likelihood() {
    let (x, y) = data();
    // mle     : [0.2862222230, 0.9760184225, -0.2435855453, 1.0934164177]
    close(&fit(&x, 3, &y, 0.0).unwrap(), &[0.2862222230, 0.9760184225, -0.2435855453, 1.0934164177]);
}

#[test]
fn separated_classes_stay_finite_with_the_ridge_and_fail_without() {
    let x: Vec<f64> = X[..20].iter().map(|r| r[0]).collect();
    let y: Vec<bool> = x.iter().map(|v| *v > 0.0).collect();
    // separated ridge 1: [-0.2717311820, 1.7682750674]
    close(&fit(&x, 1, &y, 1.0).unwrap(), &[-0.2717311820, 1.7682750674]);
    assert_eq!(fit(&x, 1, &y, 0.0), None);
}

#[test]
fn the_gradient_vanishes_at_the_fit() {
    let (x, y) = data();
    for lambda in [0.0, 0.5, 1.0, 25.0] {
        let f = fit(&x, 3, &y, lambda).unwrap();
        let mut g = [0.0; 4];
        for (row, &yi) in X.iter().zip(&y) {
            let eta = f.intercept + row.iter().zip(&f.coef).map(|(a, b)| a * b).sum::<f64>();
            let r = f64::from(u8::from(yi)) - 1.0 / (1.0 + (-eta).exp());
            g[0] += r;
            (0..3).for_each(|j| g[j + 1] += r * row[j]);
        }
        (0..3).for_each(|j| g[j + 1] -= lambda * f.coef[j]);
        assert!(g.iter().all(|v| v.abs() < 1e-8), "λ {lambda}: gradient {g:?}");
        assert!(f.steps < 20, "λ {lambda}: {} steps", f.steps);
    }
}

#[test]
fn flipping_the_labels_flips_the_signs() {
    let (x, y) = data();
    let flipped: Vec<bool> = y.iter().map(|b| !b).collect();
    let (a, b) = (fit(&x, 3, &y, 1.0).unwrap(), fit(&x, 3, &flipped, 1.0).unwrap());
    assert!((a.intercept + b.intercept).abs() < 1e-9);
    assert!(a.coef.iter().zip(&b.coef).all(|(u, v)| (u + v).abs() < 1e-9));
}

#[test]
fn row_order_does_not_matter() {
    let (x, y) = data();
    let order: Vec<usize> = (0..60).rev().collect();
    let xr: Vec<f64> = order.iter().flat_map(|&i| X[i]).collect();
    let yr: Vec<bool> = order.iter().map(|&i| y[i]).collect();
    let (a, b) = (fit(&x, 3, &y, 1.0).unwrap(), fit(&xr, 3, &yr, 1.0).unwrap());
    assert!((a.intercept - b.intercept).abs() < 1e-9);
    assert!(a.coef.iter().zip(&b.coef).all(|(u, v)| (u - v).abs() < 1e-9));
}

#[test]
fn no_columns_fits_the_base_rate() {
    let y: Vec<bool> = (0..40).map(|i| i % 4 == 0).collect();
    let f = fit(&[], 0, &y, 1.0).unwrap();
    assert!((f.intercept - (0.25f64 / 0.75).ln()).abs() < 1e-12);
    assert!(f.coef.is_empty());
}

#[test]
fn a_heavy_ridge_shrinks_every_coefficient_towards_zero() {
    let (x, y) = data();
    let norm = |f: &Fit| f.coef.iter().map(|c| c * c).sum::<f64>().sqrt();
    let norms: Vec<f64> = [0.0, 1.0, 10.0, 1e3, 1e6].iter().map(|&l| norm(&fit(&x, 3, &y, l).unwrap())).collect();
    assert!(norms.windows(2).all(|w| w[1] < w[0]), "{norms:?}");
    assert!(norms[4] < 1e-4);
}

#[test]
fn one_class_or_no_rows_has_no_unpenalized_optimum() {
    let (x, _) = data();
    assert_eq!(fit(&x, 3, &[true; 60], 0.0), None);
    assert_eq!(fit(&[], 0, &[], 1.0), None);
}
