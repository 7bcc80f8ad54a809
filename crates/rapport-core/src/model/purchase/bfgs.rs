//! BFGS (Nocedal & Wright, algorithm 6.1) with a backtracking line search:
//! the likelihoods here come with exact gradients, so a quasi-Newton method
//! settles in tens of evaluations where Nelder–Mead needs thousands.
//!
//! The line search only asks for sufficient decrease (Armijo); a step whose
//! curvature pair is not positive leaves the inverse Hessian as it was, so
//! it stays positive definite without the strong Wolfe conditions.

use super::optimise::Objective;

/// Iterations per run: a 4-parameter likelihood settles in 20 to 60.
const MAX_ITERS: usize = 500;
/// Largest gradient component at which a run stops: the objectives are
/// means per customer of order 1, whose gradients are exact to about 1e-14.
const GRADIENT_TOLERANCE: f64 = 1e-10;
/// Armijo's sufficient-decrease constant.
const ARMIJO: f64 = 1e-4;
/// The longest step, in log-parameters (a factor e² on a parameter): a
/// first step along a steep gradient would otherwise leap out of range.
const MAX_STEP: f64 = 2.0;
/// Halvings of the step before the line search gives up (the point is then
/// as good as rounding allows).
const MAX_HALVINGS: usize = 60;

/// The point a run from `start` ends at, and the value there.
pub(super) fn bfgs(f: &dyn Objective, start: &[f64]) -> (Vec<f64>, f64) {
    let n = start.len();
    let mut x = start.to_vec();
    let mut g = vec![0.0; n];
    let mut v = f.value_and_gradient(&x, &mut g);
    if !v.is_finite() {
        return (x, v);
    }
    let mut h = identity(n);
    let mut next_g = vec![0.0; n];
    for iteration in 0..MAX_ITERS {
        if max_abs(&g) <= GRADIENT_TOLERANCE {
            break;
        }
        let mut d: Vec<f64> = h.iter().map(|row| -dot(row, &g)).collect();
        if dot(&d, &g) >= 0.0 {
            // Not a descent direction (rounding): restart from steepest descent.
            h = identity(n);
            d = g.iter().map(|v| -v).collect();
        }
        let longest = max_abs(&d);
        if longest > MAX_STEP {
            d.iter_mut().for_each(|v| *v *= MAX_STEP / longest);
        }
        let slope = dot(&g, &d);
        let Some((next, next_v)) = line_search(f, &x, v, &d, slope, &mut next_g) else {
            break;
        };
        let s: Vec<f64> = next.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = next_g.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 * dot(&s, &s).sqrt() * dot(&y, &y).sqrt() {
            if iteration == 0 {
                // Scale the first guess of the inverse Hessian (N&W 6.20).
                let scale = sy / dot(&y, &y);
                h.iter_mut().enumerate().for_each(|(i, row)| row[i] = scale);
            }
            update(&mut h, &s, &y, sy);
        }
        (x, v) = (next, next_v);
        std::mem::swap(&mut g, &mut next_g);
    }
    (x, v)
}

/// The first of 1, ½, ¼, … along `d` that lowers the value enough, with the
/// gradient there in `g`; `None` when no step lowers it at all.
fn line_search(f: &dyn Objective, x: &[f64], v: f64, d: &[f64], slope: f64, g: &mut [f64]) -> Option<(Vec<f64>, f64)> {
    let mut t = 1.0;
    for _ in 0..MAX_HALVINGS {
        let trial: Vec<f64> = x.iter().zip(d).map(|(a, b)| a + t * b).collect();
        let tv = f.value_and_gradient(&trial, g);
        if tv.is_finite() && tv <= v + ARMIJO * t * slope {
            return (tv < v || max_abs(g) <= GRADIENT_TOLERANCE).then_some((trial, tv));
        }
        t *= 0.5;
    }
    None
}

/// H ← (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ with ρ = 1/(yᵀs), written out.
fn update(h: &mut [Vec<f64>], s: &[f64], y: &[f64], sy: f64) {
    let rho = 1.0 / sy;
    let hy: Vec<f64> = h.iter().map(|row| dot(row, y)).collect();
    let yhy = dot(y, &hy);
    for (i, row) in h.iter_mut().enumerate() {
        for (j, cell) in row.iter_mut().enumerate() {
            *cell += -rho * (s[i] * hy[j] + hy[i] * s[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
    }
}

fn identity(n: usize) -> Vec<Vec<f64>> {
    (0..n).map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect()).collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}
