//! Tests of the key-driver analysis, by theme: hand-checkable cases,
//! properties, refusals, the Python reference values, resampling, charts,
//! and a run at the size the analysis is built for.

mod charts;
mod hand;
mod properties;
mod reference;
mod refusals;
mod resampling;
mod scale;

use super::{DriverInput, DriverOptions};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub(super) fn names(p: usize) -> Vec<String> {
    (1..=p).map(|j| format!("x{j}")).collect()
}

pub(super) fn input(outcome: Vec<f64>, drivers: Vec<Vec<f64>>) -> DriverInput {
    let p = drivers.first().map_or(0, Vec::len);
    DriverInput { names: names(p), outcome, drivers, scales: vec![] }
}

/// No bootstrap: most tests look at the point estimates only.
pub(super) fn quick() -> DriverOptions {
    DriverOptions { bootstrap_samples: 0, ..DriverOptions::default() }
}

/// `pattern` repeated `times` times.
pub(super) fn repeat<T: Clone>(pattern: &[T], times: usize) -> Vec<T> {
    (0..times).flat_map(|_| pattern.iter().cloned()).collect()
}

/// Continuous drivers sharing a common factor (so they correlate), and an
/// outcome made of some of them plus noise.
pub(super) fn synthetic(n: usize, p: usize, seed: u64) -> DriverInput {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut outcome = Vec::with_capacity(n);
    let mut drivers = Vec::with_capacity(n);
    for _ in 0..n {
        let g: f64 = (0..3).map(|_| rng.gen_range(-1.0..1.0)).sum();
        let row: Vec<f64> = (0..p)
            .map(|j| (1 + j % 3) as f64 * 0.3 * g + rng.gen_range(-1.0..1.0) + rng.gen_range(-1.0..1.0))
            .collect();
        let signal: f64 = row.iter().enumerate().map(|(j, x)| x * ((j % 4) as f64 - 0.5)).sum();
        outcome.push(signal + 2.0 * rng.gen_range(-1.0..1.0));
        drivers.push(row);
    }
    input(outcome, drivers)
}

/// A fixture CSV: header `y,x1,…`, blank cells missing.
pub(super) fn csv(text: &str) -> DriverInput {
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(str::to_owned).collect();
    let (mut outcome, mut drivers) = (vec![], vec![]);
    for line in lines {
        let cells: Vec<f64> = line.split(',').map(|c| c.parse().unwrap_or(f64::NAN)).collect();
        outcome.push(cells[0]);
        drivers.push(cells[1..].to_vec());
    }
    DriverInput { names: header[1..].to_vec(), outcome, drivers, scales: vec![] }
}

#[track_caller]
pub(super) fn close(got: f64, want: f64, tol: f64) {
    assert!((got - want).abs() <= tol, "got {got}, want {want} (±{tol})");
}

#[track_caller]
pub(super) fn all_close(got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len());
    got.iter().zip(want).for_each(|(g, w)| close(*g, *w, tol));
}

/// Pearson's r, written out independently of `corr.rs`.
pub(super) fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let sxx: f64 = x.iter().map(|a| (a - mx).powi(2)).sum();
    let syy: f64 = y.iter().map(|b| (b - my).powi(2)).sum();
    sxy / (sxx * syy).sqrt()
}

pub(super) fn column(input: &DriverInput, j: usize) -> Vec<f64> {
    input.drivers.iter().map(|r| r[j]).collect()
}
