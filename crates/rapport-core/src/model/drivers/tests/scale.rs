//! The size the analysis is built for: 12 drivers (4,096 subsets), 5,000
//! observations, 200 resamples. Only correctness is checked here; it took
//! 0.09 s in release and 1.6 s in a debug build (see `r2.rs` and `corr.rs`
//! on where the time goes).

use super::super::{analyze, DriverOptions};
use super::{close, synthetic};

#[test]
fn twelve_drivers_five_thousand_observations() {
    let data = synthetic(5_000, 12, 2024);
    let report = analyze(&data, &DriverOptions::default()).unwrap();
    assert_eq!((report.n, report.bootstrap.used, report.bootstrap.skipped), (5_000, 200, 0));
    close(report.drivers.iter().map(|d| d.lmg.raw).sum(), report.r2, 1e-12);
    close(report.drivers.iter().map(|d| d.relative_weight.share).sum(), 1.0, 1e-12);
    for d in &report.drivers {
        let i = d.lmg.share_interval.unwrap();
        assert!(0.0 <= i.low && i.low <= i.high && i.high <= 1.0, "{}: {i:?}", d.name);
    }
}
