//! Logistic regression with an L2 ridge, fitted by Newton's method (IRLS).
//!
//! Maximizes Σᵢ [yᵢ ηᵢ − ln(1 + e^ηᵢ)] − (λ/2) Σⱼ βⱼ², ηᵢ = β₀ + xᵢ·β, with
//! the intercept β₀ not penalized: the objective of scikit-learn's
//! `LogisticRegression(C = 1/λ)`, so the fit can be checked against it.
//! Newton, because the model is small (p ≤ 16): a step costs n·p² and a
//! handful of steps converge. With λ > 0 the objective is strictly concave,
//! so Newton with step halving converges even when the classes are
//! perfectly separated; with λ = 0 that case has no optimum (`None`).

use nalgebra::{DMatrix, DVector};

const MAX_STEPS: usize = 100;
/// Converged when no coefficient would move by more than this. Newton
/// converges quadratically, so the step before is already far below it.
const TOLERANCE: f64 = 1e-10;

/// Fitted coefficients: `coef[j]` multiplies column `j`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fit {
    pub intercept: f64,
    pub coef: Vec<f64>,
    pub steps: usize,
}

/// Fits `y` on the rows of `x` (row-major, `p` columns). `None` when there
/// is no finite optimum (λ = 0 with separated classes) or no rows.
pub(crate) fn fit(x: &[f64], p: usize, y: &[bool], lambda: f64) -> Option<Fit> {
    assert_eq!(x.len(), y.len() * p, "one row of {p} values per label");
    let mut beta = DVector::zeros(p + 1);
    // Start from the base rate, the intercept-only optimum for centred columns.
    let rate = y.iter().filter(|b| **b).count() as f64 / y.len() as f64;
    if rate > 0.0 && rate < 1.0 {
        beta[0] = (rate / (1.0 - rate)).ln();
    }
    let mut current = objective(x, p, y, lambda, &beta);
    for steps in 1..=MAX_STEPS {
        let (gradient, hessian) = derivatives(x, p, y, lambda, &beta);
        let direction = hessian.cholesky()?.solve(&gradient);
        // Halve the step until the objective does not fall (Newton can
        // overshoot far from the optimum); the slack absorbs rounding.
        let mut t = 1.0;
        loop {
            let trial = &beta + &direction * t;
            let value = objective(x, p, y, lambda, &trial);
            if value >= current - 1e-12 * (1.0 + current.abs()) {
                (beta, current) = (trial, value);
                break;
            }
            t *= 0.5;
            if t < 1e-12 {
                return None;
            }
        }
        if !current.is_finite() {
            return None;
        }
        if direction.amax() < TOLERANCE {
            return Some(Fit { intercept: beta[0], coef: beta.as_slice()[1..].to_vec(), steps });
        }
    }
    None
}

/// ln(1 + e^η) without overflow.
pub(crate) fn softplus(eta: f64) -> f64 {
    eta.max(0.0) + (-eta.abs()).exp().ln_1p()
}

fn linear(row: &[f64], beta: &DVector<f64>) -> f64 {
    beta[0] + row.iter().zip(beta.iter().skip(1)).map(|(x, b)| x * b).sum::<f64>()
}

fn penalty(lambda: f64, beta: &DVector<f64>) -> f64 {
    0.5 * lambda * beta.iter().skip(1).map(|b| b * b).sum::<f64>()
}

fn objective(x: &[f64], p: usize, y: &[bool], lambda: f64, beta: &DVector<f64>) -> f64 {
    let loglik: f64 = y
        .iter()
        .enumerate()
        .map(|(i, &yi)| {
            let eta = linear(&x[i * p..(i + 1) * p], beta);
            if yi {
                eta - softplus(eta)
            } else {
                -softplus(eta)
            }
        })
        .sum();
    loglik - penalty(lambda, beta)
}

/// The gradient and the negative Hessian (positive definite) of the objective.
fn derivatives(x: &[f64], p: usize, y: &[bool], lambda: f64, beta: &DVector<f64>) -> (DVector<f64>, DMatrix<f64>) {
    let k = p + 1;
    let (mut g, mut h) = (vec![0.0; k], vec![0.0; k * k]);
    let mut row = vec![1.0; k];
    for (i, &yi) in y.iter().enumerate() {
        row[1..].copy_from_slice(&x[i * p..(i + 1) * p]);
        let eta = linear(&row[1..], beta);
        let mu = 1.0 / (1.0 + (-eta).exp());
        let (w, r) = (mu * (1.0 - mu), f64::from(u8::from(yi)) - mu);
        for a in 0..k {
            g[a] += r * row[a];
            let wa = w * row[a];
            for b in 0..=a {
                h[a * k + b] += wa * row[b];
            }
        }
    }
    let mut hessian = DMatrix::from_fn(k, k, |a, b| h[a.max(b) * k + a.min(b)]);
    for j in 1..k {
        g[j] -= lambda * beta[j];
        hessian[(j, j)] += lambda;
    }
    (DVector::from_vec(g), hessian)
}
