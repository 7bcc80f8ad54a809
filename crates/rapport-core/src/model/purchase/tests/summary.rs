//! Periods, summaries and the calibration/holdout split on small cases
//! worked by hand (tests/purchase_cdnow.rs checks all of CDNOW).

use crate::model::purchase::{calibration_and_holdout, summarize, Period, PurchaseError};
use chrono::NaiveDate;

#[test]
fn weeks_run_monday_to_sunday() {
    let w = |s| Period::Week.index(d(s));
    // 1997-09-29 is a Monday.
    assert_eq!(w("1997-09-29"), w("1997-10-05"));
    assert_eq!(w("1997-09-28") + 1, w("1997-09-29"));
    assert_eq!(Period::Day.index(d("1997-10-05")) - Period::Day.index(d("1997-09-29")), 6);
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn same_week_purchases_collapse_and_the_first_is_not_a_repeat() {
    // Wed 1 Jan 1997 (week of 30 Dec), Sat 18 Jan, Sun 19 Jan (same week), 2 Aug.
    let p = [(d("1997-01-01"), 10.0), (d("1997-01-18"), 5.0), (d("1997-01-19"), 7.0), (d("1997-08-02"), 3.0)];
    let s = summarize(&p, d("1997-09-30"), Period::Week).unwrap().unwrap();
    assert_eq!((s.frequency, s.recency, s.t), (2.0, 30.0, 39.0));
    assert_eq!(s.monetary, (12.0 + 3.0) / 2.0);
    let s = summarize(&p[..1], d("1997-09-30"), Period::Week).unwrap().unwrap();
    assert_eq!((s.frequency, s.recency, s.monetary), (0.0, 0.0, 0.0));
    assert_eq!(summarize(&p, d("1996-12-01"), Period::Week).unwrap(), None);
}

#[test]
fn holdout_counts_periods_and_averages_purchases() {
    let p = [(d("1997-01-01"), 10.0), (d("1997-10-01"), 4.0), (d("1997-10-02"), 6.0), (d("1997-11-20"), 2.0)];
    let (s, h) = calibration_and_holdout(&p, d("1997-09-30"), d("1997-12-31"), Period::Week).unwrap().unwrap();
    assert_eq!(s.frequency, 0.0);
    assert_eq!((h.frequency, h.monetary), (2.0, 4.0));
    assert_eq!(h.duration, 13.0);
}

#[test]
fn refuses_negative_and_non_finite_amounts() {
    let p = [(d("1997-01-01"), 10.0), (d("1997-01-02"), -1.0)];
    let err = summarize(&p, d("1997-09-30"), Period::Day).unwrap_err();
    assert_eq!(err, PurchaseError::InvalidAmount { index: 1, amount: -1.0 });
    assert!(summarize(&[(d("1997-01-01"), f64::NAN)], d("1997-09-30"), Period::Day).is_err());
    assert!(calibration_and_holdout(&p[..1], d("1997-09-30"), d("1997-01-01"), Period::Day).is_err());
}
