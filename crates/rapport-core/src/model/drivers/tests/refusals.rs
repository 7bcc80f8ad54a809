//! Every refusal, and that its message names what to fix.

use super::super::{analyze, minimum_sample, DriverError, DriverInput, DriverOptions, Scale, MAX_DRIVERS};
use super::{input, quick, repeat, synthetic};

fn refuse(data: &DriverInput, options: &DriverOptions) -> DriverError {
    analyze(data, options).expect_err("the analysis should have been refused")
}

#[test]
fn no_drivers() {
    assert_eq!(refuse(&DriverInput::default(), &quick()), DriverError::NoDrivers);
}

#[test]
fn too_many_drivers() {
    let err = refuse(&synthetic(400, MAX_DRIVERS + 1, 1), &quick());
    assert_eq!(err, DriverError::TooManyDrivers { count: 16, max: 15 });
    assert!(err.to_string().contains("choose the 15"));
    assert!(analyze(&synthetic(400, MAX_DRIVERS, 1), &quick()).is_ok());
}

#[test]
fn malformed_input() {
    let mut data = synthetic(60, 2, 1);
    data.names[1] = "x1".into();
    assert_eq!(refuse(&data, &quick()), DriverError::DuplicateName("x1".into()));

    let mut data = synthetic(60, 2, 1);
    data.outcome.pop();
    assert_eq!(refuse(&data, &quick()), DriverError::LengthMismatch { outcomes: 59, rows: 60 });

    let mut data = synthetic(60, 2, 1);
    data.drivers[7].push(1.0);
    assert_eq!(refuse(&data, &quick()), DriverError::RaggedRow { index: 7, found: 3, expected: 2 });
}

#[test]
fn bad_scales_and_confidence() {
    let mut data = synthetic(60, 2, 1);
    data.scales = vec![None];
    assert!(matches!(refuse(&data, &quick()), DriverError::WrongLength { found: 1, expected: 2, .. }));
    for bad in [Scale { min: 5.0, max: 5.0 }, Scale { min: 10.0, max: 0.0 }, Scale { min: 0.0, max: f64::NAN }] {
        data.scales = vec![None, Some(bad)];
        assert_eq!(refuse(&data, &quick()), DriverError::InvalidScale { name: "x2".into() });
    }
    data.scales = vec![];
    for bad in [0.0, 1.0, -0.5, 95.0] {
        assert_eq!(refuse(&data, &DriverOptions { confidence: bad, ..quick() }), DriverError::InvalidConfidence(bad));
    }
    assert!(matches!(
        refuse(&data, &DriverOptions { confidence: f64::NAN, ..quick() }),
        DriverError::InvalidConfidence(_)
    ));
}

/// The minimum is max(min_sample, 10·p), counted after listwise deletion.
#[test]
fn too_few_observations() {
    assert_eq!(minimum_sample(2, &quick()), 30);
    assert_eq!(minimum_sample(4, &quick()), 40);
    assert_eq!(minimum_sample(4, &DriverOptions { min_sample: 100, ..quick() }), 100);
    assert_eq!(
        refuse(&synthetic(29, 2, 1), &quick()),
        DriverError::TooFewObservations { n: 29, total: 29, min: 30, p: 2 }
    );
    assert!(analyze(&synthetic(30, 2, 1), &quick()).is_ok());
    assert_eq!(
        refuse(&synthetic(39, 4, 1), &quick()),
        DriverError::TooFewObservations { n: 39, total: 39, min: 40, p: 4 }
    );
    let mut data = synthetic(31, 2, 1);
    data.drivers[3][1] = f64::NAN;
    data.outcome[9] = f64::INFINITY;
    let err = refuse(&data, &quick());
    assert_eq!(err, DriverError::TooFewObservations { n: 29, total: 31, min: 30, p: 2 });
    assert!(err.to_string().starts_with("only 29 of 31 observations"), "{err}");
}

#[test]
fn constant_outcome_or_driver() {
    let mut data = synthetic(40, 3, 1);
    data.outcome = vec![7.0; 40];
    assert_eq!(refuse(&data, &quick()), DriverError::ConstantOutcome { value: 7.0 });
    let mut data = synthetic(40, 3, 1);
    data.names[2] = "Wait time".into();
    data.drivers.iter_mut().for_each(|r| r[2] = 4.0);
    let err = refuse(&data, &quick());
    assert_eq!(err, DriverError::ConstantDriver { name: "Wait time".into(), value: 4.0 });
    assert!(err.to_string().contains("driver \"Wait time\" is 4 in every observation"), "{err}");
    // Constant only among the complete observations counts too.
    let mut data = synthetic(41, 3, 1);
    data.drivers.iter_mut().for_each(|r| r[0] = 1.0);
    data.drivers[0][0] = 9.0;
    data.outcome[0] = f64::NAN;
    assert_eq!(refuse(&data, &quick()), DriverError::ConstantDriver { name: "x1".into(), value: 1.0 });
}

/// An exact dependence names the drivers in it, and only those.
#[test]
fn collinear_drivers() {
    let mut data = synthetic(60, 4, 2);
    data.drivers.iter_mut().for_each(|r| r[3] = r[0] + r[2]);
    let err = refuse(&data, &quick());
    assert_eq!(err, DriverError::Collinear(vec!["x1".into(), "x3".into(), "x4".into()]));
    assert!(err.to_string().starts_with("drivers \"x1\", \"x3\", \"x4\" move in perfect lockstep"), "{err}");
    let mut data = synthetic(60, 3, 2);
    data.drivers.iter_mut().for_each(|r| r[1] = 2.0 * r[2] + 1.0);
    assert_eq!(refuse(&data, &quick()), DriverError::Collinear(vec!["x2".into(), "x3".into()]));
    // Nearly but not exactly collinear is analysed.
    let rows: Vec<Vec<f64>> = (0..40).map(|i| vec![i as f64, i as f64 + if i == 7 { 0.01 } else { 0.0 }]).collect();
    assert!(analyze(&input(repeat(&[1.0, 3.0, 2.0, 5.0], 10), rows), &quick()).is_ok());
}
