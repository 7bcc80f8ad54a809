//! The importance × performance quadrants and stated against derived.

use super::super::{
    analyze, quadrants, stated_vs_derived, DriverError, DriverReport, ImportanceMethod, Quadrant, QuadrantThresholds,
    Scale,
};
use super::{all_close, close, csv, names, quick};

/// Shares (0.4, 0.3, 0.2, 0.1) split at their mean 0.25; performance
/// (60, 80, 90, 50) at its median 70.
#[test]
fn default_thresholds_are_mean_share_and_median_performance() {
    let chart = quadrants(&names(4), &[0.4, 0.3, 0.2, 0.1], &[60.0, 80.0, 90.0, 50.0], None).unwrap();
    close(chart.thresholds.importance, 0.25, 1e-15);
    assert_eq!(chart.thresholds.performance, 70.0);
    let got: Vec<Quadrant> = chart.points.iter().map(|p| p.quadrant).collect();
    assert_eq!(got, [Quadrant::FixFirst, Quadrant::KeepUp, Quadrant::OverServed, Quadrant::LowPriority]);
    assert_eq!(chart.points[2].performance, 90.0);
}

/// An odd count splits at the middle value, which counts as good; a share
/// equal to the threshold is not important; passed thresholds win.
#[test]
fn ties_and_passed_thresholds() {
    let chart = quadrants(&names(3), &[0.5, 0.25, 0.25], &[7.0, 8.0, 9.0], None).unwrap();
    close(chart.thresholds.importance, 1.0 / 3.0, 1e-15);
    let got: Vec<Quadrant> = chart.points.iter().map(|p| p.quadrant).collect();
    assert_eq!(got, [Quadrant::FixFirst, Quadrant::OverServed, Quadrant::OverServed]);
    let equal = quadrants(&names(2), &[0.5, 0.5], &[1.0, 2.0], None).unwrap();
    assert!(equal.points.iter().all(|p| matches!(p.quadrant, Quadrant::LowPriority | Quadrant::OverServed)));
    let t = QuadrantThresholds { importance: 0.2, performance: 9.5 };
    let chart = quadrants(&names(3), &[0.5, 0.25, 0.1], &[7.0, 8.0, 9.0], Some(t)).unwrap();
    let got: Vec<Quadrant> = chart.points.iter().map(|p| p.quadrant).collect();
    assert_eq!(got, [Quadrant::FixFirst, Quadrant::FixFirst, Quadrant::LowPriority]);
    assert_eq!(chart.thresholds, t);
}

#[test]
fn quadrant_refusals() {
    assert_eq!(quadrants(&[], &[], &[], None), Err(DriverError::NoDrivers));
    assert!(matches!(
        quadrants(&names(2), &[0.5], &[1.0, 2.0], None),
        Err(DriverError::WrongLength { what: "importance", found: 1, expected: 2 })
    ));
    let err = quadrants(&names(2), &[0.5, 0.5], &[1.0, f64::NAN], None).unwrap_err();
    assert!(matches!(&err, DriverError::NotFinite { what: "performance", name, .. } if name == "x2"));
    let bad = QuadrantThresholds { importance: f64::INFINITY, performance: 1.0 };
    assert!(
        matches!(quadrants(&names(1), &[1.0], &[1.0], Some(bad)), Err(DriverError::InvalidThreshold(v)) if v.is_infinite())
    );
}

/// Stated 5, 3, 2 (any scale) are shares 0.5, 0.3, 0.2; derived raw parts
/// 0.1, 0.3, 0.1 are shares 0.2, 0.6, 0.2; gaps −0.3, 0.3, 0.
#[test]
fn stated_and_derived_become_shares_and_gaps() {
    let rows = stated_vs_derived(&names(3), &[5.0, 3.0, 2.0], &[0.1, 0.3, 0.1]).unwrap();
    let col = |f: fn(&super::super::StatedVsDerived) -> f64| rows.iter().map(f).collect::<Vec<_>>();
    all_close(&col(|r| r.stated_share), &[0.5, 0.3, 0.2], 1e-15);
    all_close(&col(|r| r.derived_share), &[0.2, 0.6, 0.2], 1e-15);
    all_close(&col(|r| r.gap), &[-0.3, 0.3, 0.0], 1e-15);
    assert_eq!(rows[1].name, "x2");
    let none = stated_vs_derived(&names(2), &[1.0, 1.0], &[0.0, 0.0]).unwrap();
    assert!(none.iter().all(|r| r.derived_share == 0.0));
}

#[test]
fn stated_refusals() {
    assert_eq!(stated_vs_derived(&names(2), &[0.0, 0.0], &[0.1, 0.2]), Err(DriverError::NoStatedImportance));
    assert_eq!(
        stated_vs_derived(&names(2), &[1.0, -1.0], &[0.1, 0.2]),
        Err(DriverError::NegativeStated { name: "x2".into(), value: -1.0 })
    );
    assert!(matches!(stated_vs_derived(&names(2), &[1.0], &[0.1, 0.2]), Err(DriverError::WrongLength { .. })));
    assert!(matches!(stated_vs_derived(&names(2), &[1.0, f64::NAN], &[0.1, 0.2]), Err(DriverError::NotFinite { .. })));
    assert_eq!(stated_vs_derived(&[], &[], &[]), Err(DriverError::NoDrivers));
}

fn p4_report(scales: bool) -> DriverReport {
    let mut data = csv(include_str!("../../../../tests/fixtures/drivers/p4.csv"));
    if scales {
        data.scales = vec![Some(Scale { min: 0.0, max: 10.0 }); 4];
    }
    analyze(&data, &quick()).unwrap()
}

/// A report charts its own shares, on 0–100 when every scale is known.
#[test]
fn charts_from_a_report() {
    let (plain, scaled) = (p4_report(false), p4_report(true));
    let a = plain.quadrants(ImportanceMethod::Lmg, None).unwrap();
    let b = scaled.quadrants(ImportanceMethod::Lmg, None).unwrap();
    close(b.points[0].performance, 10.0 * a.points[0].performance, 1e-12);
    assert_eq!(
        a.points.iter().map(|p| p.quadrant).collect::<Vec<_>>(),
        b.points.iter().map(|p| p.quadrant).collect::<Vec<_>>()
    );
    all_close(&a.points.iter().map(|p| p.importance).collect::<Vec<_>>(), &plain.shares(ImportanceMethod::Lmg), 0.0);
    let rw = plain.stated_vs_derived(ImportanceMethod::RelativeWeight, &[1.0, 1.0, 1.0, 1.0]).unwrap();
    close(rw[0].derived_share, plain.drivers[0].relative_weight.share, 1e-12);
    close(rw[0].stated_share, 0.25, 0.0);
}

/// The report as stored: JSON and back, with snake_case enum names. Back
/// to within an ulp, not bit for bit: serde_json parses floats fast by
/// default (its `float_roundtrip` feature would make it exact).
#[test]
fn report_round_trips_through_json() {
    let report = p4_report(true);
    let back: DriverReport = serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
    assert_eq!((back.n, back.names(), back.bootstrap), (report.n, report.names(), report.bootstrap));
    close(back.r2, report.r2, 1e-15);
    all_close(&back.shares(ImportanceMethod::Lmg), &report.shares(ImportanceMethod::Lmg), 1e-15);
    assert_eq!(back.drivers[2].performance, report.drivers[2].performance);
    let chart = serde_json::to_value(report.quadrants(ImportanceMethod::Lmg, None).unwrap()).unwrap();
    assert_eq!(chart["points"][0]["quadrant"], "keep_up");
    assert_eq!(serde_json::to_value(ImportanceMethod::RelativeWeight).unwrap(), "relative_weight");
}
