//! Minimising a negative log-likelihood over log-parameters.
//!
//! Policy: from each fixed start, BFGS with the likelihood's exact gradient
//! ([`super::bfgs`]) runs until the gradient vanishes; the best start wins.
//! Should the best point still fail the checks below (a flat or ragged
//! likelihood can stall a quasi-Newton method), Nelder–Mead polishes it:
//! it runs until its simplex is smaller than 1e-10 in every log-parameter,
//! then restarts with a fresh simplex until a restart gains nothing. The
//! search stays inside |log-parameter| ≤ 30; a result past 25 has run off
//! towards a boundary, and a result must pass a finite-difference gradient
//! check (which also guards the analytic gradients): either is reported as
//! not converged rather than returned.
//!
//! Written here rather than taken from argmin: argmin's Nelder–Mead stops
//! only on the spread of the simplex's values, which with a likelihood
//! summed over thousands of customers sits at rounding noise (it stops
//! early, costing digits, or never stops), and two small methods with the
//! stopping rules above cost less than its dependency tree.

use super::bfgs::bfgs;

/// What the fits minimise: a value and its exact gradient.
pub(crate) trait Objective {
    /// The value and, in `gradient`, its gradient; NaN or infinite where the
    /// likelihood is undefined.
    fn value_and_gradient(&self, p: &[f64], gradient: &mut [f64]) -> f64;

    /// The value alone.
    fn value(&self, p: &[f64]) -> f64 {
        self.value_and_gradient(p, &mut vec![0.0; p.len()])
    }
}

/// The objective as the methods see it: +∞ outside the search box and
/// wherever the value is NaN, never NaN.
struct Guarded<'a>(&'a dyn Objective);

impl Objective for Guarded<'_> {
    fn value_and_gradient(&self, p: &[f64], gradient: &mut [f64]) -> f64 {
        if p.iter().any(|x| x.abs() > BOX) {
            return f64::INFINITY;
        }
        match self.0.value_and_gradient(p, gradient) {
            v if v.is_nan() || gradient.iter().any(|g| !g.is_finite()) => f64::INFINITY,
            v => v,
        }
    }
}

/// Nelder–Mead's iterations per run (a 4-parameter fit settles in about
/// 600), and runs.
const MAX_ITERS: usize = 5_000;
const MAX_RESTARTS: usize = 8;
/// The simplex size, in log-parameters, at which a run ends.
const X_TOLERANCE: f64 = 1e-10;
/// A restart that improves the value by less than this (relative) means
/// the optimum is found.
const GAIN: f64 = 1e-14;
/// The search box and the run-off line, in log-parameters (e²⁵ ≈ 7e10).
const BOX: f64 = 30.0;
const MAX_LOG: f64 = 25.0;
/// Largest gradient component accepted at the optimum: the objective is a
/// mean per customer of order 1, whose rounding noise in a central
/// difference at step 1e-5 is about 1e-11.
const GRADIENT_TOLERANCE: f64 = 1e-6;

/// The minimising log-parameters over the starts, or why there are none;
/// `names` name the parameters in the reason.
pub(crate) fn minimise(f: &dyn Objective, starts: &[Vec<f64>], names: &[&str]) -> Result<Vec<f64>, String> {
    let f = Guarded(f);
    let mut best: Option<(Vec<f64>, f64)> = None;
    for start in starts {
        let found = bfgs(&f, start);
        if best.as_ref().is_none_or(|(_, v)| found.1 < *v) {
            best = Some(found);
        }
    }
    let (x, v) = best.ok_or("there was no start to search from")?;
    let value = |p: &[f64]| f.value(p);
    match check(&value, &x, v, names) {
        Err(_) if v.is_finite() => {
            let (x, v) = from_start(&value, &x);
            check(&value, &x, v, names).map(|()| x)
        }
        checked => checked.map(|()| x),
    }
}

/// Whether `x` (value `v`) is a finite optimum inside the run-off line.
fn check(f: &dyn Fn(&[f64]) -> f64, x: &[f64], v: f64, names: &[&str]) -> Result<(), String> {
    if !v.is_finite() {
        return Err("the likelihood is not finite anywhere the optimiser looked".into());
    }
    if let Some(i) = x.iter().position(|v| v.abs() > MAX_LOG) {
        return Err(format!("{} ran off to {:.1e}, so the data do not determine it", names[i], x[i].exp()));
    }
    let h = 1e-5;
    for i in 0..x.len() {
        let (mut up, mut down) = (x.to_vec(), x.to_vec());
        up[i] += h;
        down[i] -= h;
        let g = (f(&up) - f(&down)) / (2.0 * h);
        if g.is_nan() || g.abs() > GRADIENT_TOLERANCE {
            return Err(format!(
                "the likelihood still slopes at the best point found (gradient {g:.1e} in {})",
                names[i]
            ));
        }
    }
    Ok(())
}

/// Nelder–Mead from `start`: a wide simplex first, then narrow restarts.
fn from_start(f: &dyn Fn(&[f64]) -> f64, start: &[f64]) -> (Vec<f64>, f64) {
    let (mut x, mut v) = (start.to_vec(), f(start));
    let mut step = 0.5;
    for _ in 0..MAX_RESTARTS {
        let (nx, nv) = nelder_mead(f, &x, step);
        let gain = v - nv;
        if nv <= v {
            (x, v) = (nx, nv);
        }
        if gain.is_nan() || gain <= GAIN * v.abs().max(1.0) {
            break;
        }
        step = 0.05;
    }
    (x, v)
}

/// One run from a simplex of side `step` at `x`, with the standard
/// coefficients (reflect 1, expand 2, contract ½, shrink ½).
fn nelder_mead(f: &dyn Fn(&[f64]) -> f64, x: &[f64], step: f64) -> (Vec<f64>, f64) {
    let n = x.len();
    let mut simplex: Vec<(Vec<f64>, f64)> = vec![(x.to_vec(), f(x))];
    for i in 0..n {
        let mut p = x.to_vec();
        p[i] += step;
        let v = f(&p);
        simplex.push((p, v));
    }
    let along =
        |from: &[f64], to: &[f64], t: f64| -> Vec<f64> { from.iter().zip(to).map(|(a, b)| a + t * (b - a)).collect() };
    for _ in 0..MAX_ITERS {
        simplex.sort_by(|a, b| a.1.total_cmp(&b.1));
        let size = simplex[1..]
            .iter()
            .flat_map(|(p, _)| p.iter().zip(&simplex[0].0).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        if size <= X_TOLERANCE {
            break;
        }
        let centroid: Vec<f64> =
            (0..n).map(|j| simplex[..n].iter().map(|(p, _)| p[j]).sum::<f64>() / n as f64).collect();
        let (worst, worst_v) = simplex[n].clone();
        let reflected = along(&centroid, &worst, -1.0);
        let rv = f(&reflected);
        if rv < simplex[0].1 {
            let expanded = along(&centroid, &worst, -2.0);
            let ev = f(&expanded);
            simplex[n] = if ev < rv { (expanded, ev) } else { (reflected, rv) };
        } else if rv < simplex[n - 1].1 {
            simplex[n] = (reflected, rv);
        } else {
            // Contract towards the better of the worst point and its reflection.
            let (towards, tv) = if rv < worst_v { (reflected, rv) } else { (worst, worst_v) };
            let contracted = along(&centroid, &towards, 0.5);
            let cv = f(&contracted);
            if cv <= tv {
                simplex[n] = (contracted, cv);
            } else {
                let best = simplex[0].0.clone();
                for vertex in simplex.iter_mut().skip(1) {
                    vertex.0 = along(&best, &vertex.0, 0.5);
                    vertex.1 = f(&vertex.0);
                }
            }
        }
    }
    simplex.into_iter().min_by(|a, b| a.1.total_cmp(&b.1)).expect("a simplex has n + 1 points")
}
