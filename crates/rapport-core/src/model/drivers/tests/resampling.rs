//! The bootstrap: repeatable, counted, and honest about skipped resamples.

use super::super::bootstrap::{percentile_interval, quantile};
use super::super::{analyze, DriverOptions, Interval};
use super::{close, csv, input, repeat};

fn options(bootstrap_samples: usize, seed: u64) -> DriverOptions {
    DriverOptions { bootstrap_samples, seed, ..DriverOptions::default() }
}

#[test]
fn same_seed_same_intervals_other_seed_other_intervals() {
    let data = csv(include_str!("../../../../tests/fixtures/drivers/p4.csv"));
    let a = analyze(&data, &options(100, 42)).unwrap();
    assert_eq!(a, analyze(&data, &options(100, 42)).unwrap());
    let b = analyze(&data, &options(100, 43)).unwrap();
    assert_ne!(a.drivers[0].lmg.raw_interval, b.drivers[0].lmg.raw_interval);
    assert_eq!((a.bootstrap.used, a.bootstrap.skipped, a.bootstrap.requested), (100, 0, 100));
    for d in &a.drivers {
        for imp in [d.lmg, d.relative_weight] {
            let (raw, share) = (imp.raw_interval.unwrap(), imp.share_interval.unwrap());
            assert!(raw.low <= raw.high && share.low <= share.high && raw.low >= -1e-15);
        }
    }
    // The two strong drivers sit inside their own intervals.
    for d in &a.drivers[..2] {
        let i = d.lmg.raw_interval.unwrap();
        assert!(i.low < d.lmg.raw && d.lmg.raw < i.high, "{i:?} {}", d.lmg.raw);
    }
}

/// Quantiles interpolate between order statistics as numpy's default does:
/// `np.percentile([1, 2, 3, 4], [2.5, 25, 97.5])` = 1.075, 1.75, 3.925.
#[test]
fn percentiles_match_numpy() {
    let sorted = [1.0, 2.0, 3.0, 4.0];
    close(quantile(&sorted, 0.25), 1.75, 1e-12);
    let Interval { low, high } = percentile_interval(&[4.0, 1.0, 3.0, 2.0], 0.95);
    close(low, 1.075, 1e-12);
    close(high, 3.925, 1e-12);
    close(quantile(&[5.0], 0.5), 5.0, 0.0);
}

/// Two rare yes/no drivers, each "yes" once in 40: a resample misses a given
/// row with probability (39/40)^40 ≈ 0.36, so one driver or the other
/// turns constant in about 60% of resamples. Those are counted as skipped,
/// and with more than half skipped no interval is given.
#[test]
fn degenerate_resamples_are_skipped_and_counted() {
    let rows: Vec<Vec<f64>> = (0..40).map(|i| vec![f64::from(i == 3), f64::from(i == 17)]).collect();
    let y = repeat(&[1.0, 4.0, 2.0, 5.0, 3.0], 8);
    let report = analyze(&input(y.clone(), rows), &options(200, 7)).unwrap();
    let b = report.bootstrap;
    assert_eq!(b.used + b.skipped, 200);
    assert!(b.skipped > 100 && b.skipped < 150, "skipped {}", b.skipped);
    assert!(report.drivers.iter().all(|d| d.lmg.raw_interval.is_none() && d.relative_weight.share_interval.is_none()));

    // Rare but not that rare (each "yes" 4 times): some skipped, intervals kept.
    let rows: Vec<Vec<f64>> = (0..40).map(|i| vec![f64::from(i % 10 == 3), f64::from(i % 20 < 2)]).collect();
    let report = analyze(&input(y, rows), &options(200, 7)).unwrap();
    assert!(report.bootstrap.skipped > 0 && report.bootstrap.skipped < 100, "{:?}", report.bootstrap);
    assert!(report.drivers.iter().all(|d| d.lmg.raw_interval.is_some()));
}

#[test]
fn no_resamples_no_intervals() {
    let data = csv(include_str!("../../../../tests/fixtures/drivers/p4.csv"));
    let report = analyze(&data, &options(0, 1)).unwrap();
    assert_eq!((report.bootstrap.used, report.bootstrap.skipped), (0, 0));
    assert!(report.drivers.iter().all(|d| d.lmg.raw_interval.is_none()));
}
