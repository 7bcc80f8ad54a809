//! Properties that hold on any data: parts add up to R², shares to one,
//! and nothing depends on the order or the units of the drivers.

use super::super::corr::correlations;
use super::super::data::prepare;
use super::super::r2::subset_r2;
use super::super::{analyze, DriverInput, DriverOptions, DriverReport};
use super::{all_close, close, quick, synthetic};
use nalgebra::{DMatrix, DVector};
use proptest::prelude::*;

#[track_caller]
fn check_sums(report: &DriverReport) {
    let sum = |f: fn(&super::super::DriverResult) -> f64| report.drivers.iter().map(f).sum::<f64>();
    close(sum(|d| d.lmg.raw), report.r2, 1e-12);
    close(sum(|d| d.relative_weight.raw), report.r2, 1e-12);
    // Shares are all zero when nothing is explained (see `fit::shares`).
    let whole = if report.r2 > 0.0 { 1.0 } else { 0.0 };
    close(sum(|d| d.lmg.share), whole, 1e-12);
    close(sum(|d| d.relative_weight.share), whole, 1e-12);
    assert!(report.drivers.iter().all(|d| d.lmg.raw >= -1e-15 && d.relative_weight.raw >= 0.0));
}

#[test]
fn parts_sum_to_r_squared_and_shares_to_one() {
    for p in 1..=7 {
        for seed in 0..3 {
            check_sums(&analyze(&synthetic(40 * p + 50, p, seed), &quick()).unwrap());
        }
    }
}

/// R² of every subset, by the shared-prefix Cholesky walk, against a fresh
/// nalgebra Cholesky solve per subset, and the full set against an ordinary
/// least-squares fit with an intercept on the raw data.
#[test]
fn subset_r_squared_matches_a_solve_per_subset_and_least_squares() {
    let data = synthetic(250, 6, 3);
    let prepared = prepare(&data, &quick()).unwrap();
    let corr = correlations(&prepared, None).unwrap();
    let (rxx, rxy) = (corr.drivers(), corr.outcome());
    let r2 = subset_r2(&corr);
    for (mask, got) in r2.iter().enumerate().skip(1) {
        let idx: Vec<usize> = (0..6).filter(|j| mask >> j & 1 == 1).collect();
        let sub = DMatrix::from_fn(idx.len(), idx.len(), |a, b| rxx[(idx[a], idx[b])]);
        let r = DVector::from_fn(idx.len(), |a, _| rxy[idx[a]]);
        close(*got, r.dot(&sub.cholesky().unwrap().solve(&r)), 1e-12);
    }
    let n = data.outcome.len();
    let x = DMatrix::from_fn(n, 7, |i, j| if j == 0 { 1.0 } else { data.drivers[i][j - 1] });
    let y = DVector::from_column_slice(&data.outcome);
    let beta = (x.transpose() * &x).cholesky().unwrap().solve(&(x.transpose() * &y));
    let mean = y.mean();
    let ss_res = (&y - &x * beta).norm_squared();
    let ss_tot: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    close(r2[63], 1.0 - ss_res / ss_tot, 1e-10);
}

/// The same drivers in another order get the same figures, intervals too:
/// resampling draws observations, not columns.
#[test]
fn driver_order_does_not_matter() {
    let data = synthetic(200, 5, 5);
    let order = [3, 0, 4, 2, 1];
    let shuffled = DriverInput {
        names: order.iter().map(|&j| data.names[j].clone()).collect(),
        outcome: data.outcome.clone(),
        drivers: data.drivers.iter().map(|r| order.iter().map(|&j| r[j]).collect()).collect(),
        scales: vec![],
    };
    let options = DriverOptions { bootstrap_samples: 30, ..DriverOptions::default() };
    let (a, b) = (analyze(&data, &options).unwrap(), analyze(&shuffled, &options).unwrap());
    close(a.r2, b.r2, 1e-12);
    for (k, &j) in order.iter().enumerate() {
        let (x, y) = (&a.drivers[j], &b.drivers[k]);
        assert_eq!(x.name, y.name);
        for (u, v) in [(x.lmg, y.lmg), (x.relative_weight, y.relative_weight)] {
            all_close(&[u.raw, u.share], &[v.raw, v.share], 1e-12);
            let (ui, vi) = (u.raw_interval.unwrap(), v.raw_interval.unwrap());
            all_close(&[ui.low, ui.high], &[vi.low, vi.high], 1e-12);
        }
    }
}

/// Changing units (x → 3 − 2x, even reversing the scale; y → 10y + 5)
/// leaves every importance as it was; only the sign of r follows the flip.
#[test]
fn affine_rescaling_does_not_matter() {
    let data = synthetic(200, 4, 9);
    let mut rescaled = data.clone();
    rescaled.drivers.iter_mut().for_each(|r| r[1] = 3.0 - 2.0 * r[1]);
    rescaled.outcome.iter_mut().for_each(|y| *y = 10.0 * *y + 5.0);
    let (a, b) = (analyze(&data, &quick()).unwrap(), analyze(&rescaled, &quick()).unwrap());
    close(a.r2, b.r2, 1e-12);
    for (j, (x, y)) in a.drivers.iter().zip(&b.drivers).enumerate() {
        all_close(&[x.lmg.raw, x.relative_weight.raw], &[y.lmg.raw, y.relative_weight.raw], 1e-12);
        close(x.correlation, if j == 1 { -y.correlation } else { y.correlation }, 1e-12);
    }
}

/// LMG by its definition: the increase in R² as each driver enters, averaged
/// over all p! orders, each R² a fresh Cholesky solve on correlations from
/// [`super::pearson`]. `None` when a subset matrix is not positive definite.
fn lmg_by_orderings(input: &DriverInput) -> Option<Vec<f64>> {
    let p = input.names.len();
    let cols: Vec<Vec<f64>> = (0..p).map(|j| super::column(input, j)).collect();
    let r2 = |set: &[usize]| -> Option<f64> {
        if set.is_empty() {
            return Some(0.0);
        }
        let m = DMatrix::from_fn(set.len(), set.len(), |a, b| super::pearson(&cols[set[a]], &cols[set[b]]));
        let r = DVector::from_fn(set.len(), |a, _| super::pearson(&cols[set[a]], &input.outcome));
        Some(r.dot(&m.cholesky()?.solve(&r)))
    };
    let mut orders: Vec<Vec<usize>> = vec![vec![]];
    for _ in 0..p {
        orders = orders
            .iter()
            .flat_map(|o| (0..p).filter(|j| !o.contains(j)).map(|j| [&o[..], &[j]].concat()).collect::<Vec<_>>())
            .collect();
    }
    let mut lmg = vec![0.0; p];
    for order in &orders {
        for k in 0..p {
            lmg[order[k]] += (r2(&order[..=k])? - r2(&order[..k])?) / orders.len() as f64;
        }
    }
    Some(lmg)
}

proptest! {
    // No regression file: it would be written outside this module's folder.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    /// Integer answers 0–10, as surveys give, for 1 to 4 drivers: either a
    /// refusal, or a report whose parts add up and whose LMG is the average
    /// over all orderings.
    #[test]
    fn any_integer_answers_add_up(
        p in 1usize..=4,
        rows in prop::collection::vec((0u8..=10, prop::collection::vec(0u8..=10, 4)), 30..90),
    ) {
        let input = DriverInput {
            names: super::names(p),
            outcome: rows.iter().map(|r| f64::from(r.0)).collect(),
            drivers: rows.iter().map(|r| r.1[..p].iter().map(|&v| f64::from(v)).collect()).collect(),
            scales: vec![],
        };
        if let Ok(report) = analyze(&input, &quick()) {
            check_sums(&report);
            if let Some(want) = lmg_by_orderings(&input) {
                all_close(&report.drivers.iter().map(|d| d.lmg.raw).collect::<Vec<_>>(), &want, 1e-12);
            }
        }
    }
}
