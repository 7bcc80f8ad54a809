//! Cases small enough to work out on paper.

use super::super::analyze;
use super::{close, column, input, pearson, quick, repeat, synthetic};

/// One driver: everything explained is its own, so LMG = relative weight
/// = R² = r². x = (−1, 0, 1) and y = (−1, 1, 1) around ȳ = 1/3 give
/// Σxy = 2, Σx² = 2, Σ(y−ȳ)² = 8/3, so r² = 4 / (2 · 8/3) = 3/4.
#[test]
fn one_driver_takes_all_of_r_squared() {
    let x = repeat(&[-1.0, 0.0, 1.0], 12);
    let y = repeat(&[-1.0, 1.0, 1.0], 12);
    let report = analyze(&input(y, x.into_iter().map(|v| vec![v]).collect()), &quick()).unwrap();
    let d = &report.drivers[0];
    close(report.r2, 0.75, 1e-12);
    close(d.lmg.raw, 0.75, 1e-12);
    close(d.relative_weight.raw, 0.75, 1e-12);
    close(d.correlation, 0.75f64.sqrt(), 1e-12);
    close(d.lmg.share, 1.0, 1e-12);
    assert_eq!(report.n, 36);
}

/// Orthogonal drivers: nothing is shared, so each takes its own r². With
/// x1 = (1, 1, −1, −1), x2 = (1, −1, 1, −1), y − ȳ = (2, 0, −1, −1):
/// r1² = 4²/(4·6) = 2/3, r2² = 2²/(4·6) = 1/6, R² = 5/6.
#[test]
fn orthogonal_drivers_take_their_own_r_squared() {
    let rows = repeat(&[vec![1.0, 1.0], vec![1.0, -1.0], vec![-1.0, 1.0], vec![-1.0, -1.0]], 10);
    let y = repeat(&[3.0, 1.0, 0.0, 0.0], 10);
    let report = analyze(&input(y, rows), &quick()).unwrap();
    close(report.r2, 5.0 / 6.0, 1e-12);
    for (d, want) in report.drivers.iter().zip([2.0 / 3.0, 1.0 / 6.0]) {
        close(d.lmg.raw, want, 1e-12);
        close(d.relative_weight.raw, want, 1e-12);
        close(d.lmg.share, want / (5.0 / 6.0), 1e-12);
    }
}

/// Two correlated drivers, from their three correlations alone:
/// R² = (r1² + r2² − 2 r1 r2 r12) / (1 − r12²); LMG1 = ½ r1² + ½ (R² − r2²)
/// (the two orders). Relative weights: R^{1/2} = [[a, b], [b, a]] with
/// a, b = (√(1+r12) ± √(1−r12)) / 2, β = R^{-1/2} r, weight1 = a²β1² + b²β2².
#[test]
fn two_correlated_drivers_match_the_closed_forms() {
    let data = synthetic(300, 2, 11);
    let (x1, x2) = (column(&data, 0), column(&data, 1));
    let (r1, r2, r12) = (pearson(&x1, &data.outcome), pearson(&x2, &data.outcome), pearson(&x1, &x2));
    let big_r2 = (r1 * r1 + r2 * r2 - 2.0 * r1 * r2 * r12) / (1.0 - r12 * r12);
    let lmg = [0.5 * r1 * r1 + 0.5 * (big_r2 - r2 * r2), 0.5 * r2 * r2 + 0.5 * (big_r2 - r1 * r1)];
    let (sp, sm) = ((1.0 + r12).sqrt(), (1.0 - r12).sqrt());
    let (a, b) = ((sp + sm) / 2.0, (sp - sm) / 2.0);
    // The inverse of [[a, b], [b, a]] is [[a, −b], [−b, a]] / (a² − b²).
    let det = a * a - b * b;
    let beta = [(a * r1 - b * r2) / det, (a * r2 - b * r1) / det];
    let rw = [a * a * beta[0].powi(2) + b * b * beta[1].powi(2), b * b * beta[0].powi(2) + a * a * beta[1].powi(2)];

    let report = analyze(&data, &quick()).unwrap();
    assert!(r12.abs() > 0.1, "the drivers should correlate: r12 = {r12}");
    close(report.r2, big_r2, 1e-12);
    for j in 0..2 {
        close(report.drivers[j].lmg.raw, lmg[j], 1e-12);
        close(report.drivers[j].relative_weight.raw, rw[j], 1e-12);
    }
}

/// The performance figures: mean over the observations used, and on 0–100
/// from the scale. x = 0, 5, 10, 5 on 0–10 has mean 5, so 50; on 1–11 it is 40.
#[test]
fn performance_is_the_mean_and_its_place_on_the_scale() {
    let mut data = input(
        repeat(&[1.0, 2.0, 4.0, 3.0], 10),
        repeat(&[vec![0.0, 1.0], vec![5.0, 2.0], vec![10.0, 3.0], vec![5.0, 5.0]], 10),
    );
    data.scales = vec![Some(super::super::Scale { min: 0.0, max: 10.0 }), None];
    let report = analyze(&data, &quick()).unwrap();
    close(report.drivers[0].performance.mean, 5.0, 1e-12);
    close(report.drivers[0].performance.scaled.unwrap(), 50.0, 1e-12);
    assert_eq!(report.drivers[1].performance.scaled, None);
    close(report.drivers[1].performance.mean, 2.75, 1e-12);
    data.scales[0] = Some(super::super::Scale { min: 1.0, max: 11.0 });
    close(analyze(&data, &quick()).unwrap().drivers[0].performance.scaled.unwrap(), 40.0, 1e-12);
}

/// An outcome uncorrelated with every driver: R² = 0 and shares are 0,
/// not NaN (which JSON could not carry).
#[test]
fn nothing_explained_gives_zero_shares() {
    let rows = repeat(&[vec![1.0, 1.0], vec![1.0, -1.0], vec![-1.0, 1.0], vec![-1.0, -1.0]], 10);
    // y − ȳ = (1, −1, −1, 1) is orthogonal to both x1 and x2 (it is x1·x2).
    let report = analyze(&input(repeat(&[1.0, 0.0, 0.0, 1.0], 10), rows), &quick()).unwrap();
    close(report.r2, 0.0, 1e-15);
    for d in &report.drivers {
        assert_eq!((d.lmg.share, d.relative_weight.share), (0.0, 0.0));
    }
    assert!(serde_json::to_string(&report).is_ok());
}
