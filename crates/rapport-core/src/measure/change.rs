//! Whether a metric changed between two periods, or only wobbled.
//!
//! Each metric is tested the way its interval is built (see
//! [`mod@super::estimate`]): NPS as a difference of two trinomial means with a
//! normal statistic, proportions with the pooled two-proportion z-test,
//! means with Welch's t-test, which does not assume equal spreads and needs
//! only the tallies' sums. All tests are two-sided at alpha 0.05.
//!
//! `significant` also requires both periods to have at least
//! [`MIN_SAMPLE`] answers: below that the normal approximations behind these
//! tests are too rough to call a change, even when the p-value is small. The
//! p-value itself is still reported.

use super::dist::{normal_p_two_sided, t_p_two_sided};
use super::estimate::{estimate, sample_variance, MIN_SAMPLE};
use super::tally::Tally;
use crate::metric::Metric;
use chrono::{Duration, NaiveDate};
use serde::Serialize;

/// Two-sided significance level.
pub const ALPHA: f64 = 0.05;

/// A change from one period to the next: `delta` is after − before in the
/// metric's unit (NPS points, percentage points, or scale points),
/// `statistic` is the test's z or t.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    pub delta: f64,
    pub statistic: f64,
    pub p_value: f64,
    pub significant: bool,
}

impl Change {
    fn new(delta: f64, statistic: f64, p_value: f64, n_before: i64, n_after: i64) -> Change {
        let sufficient = n_before >= MIN_SAMPLE && n_after >= MIN_SAMPLE;
        Change { delta, statistic, p_value, significant: sufficient && p_value < ALPHA }
    }
}

/// The change of an answer metric from `before` to `after`. `None` when
/// either side has no answers, for behaviour metrics (use
/// [`compare_proportions`]) and when the test is undefined — both sides
/// without any spread, or a mean with fewer than two answers on a side.
pub fn compare(metric: Metric, before: &Tally, after: &Tally) -> Option<Change> {
    if before.n <= 0 || after.n <= 0 {
        return None;
    }
    match metric {
        Metric::Nps => nps(before, after),
        Metric::Csat | Metric::PositiveFeedbackRate => compare_proportions(before.high, before.n, after.high, after.n),
        Metric::Ces | Metric::Rating => welch(before, after),
        Metric::RepeatPurchaseRate | Metric::ReferralRate | Metric::ChurnRate | Metric::PerfectBehaviour => None,
    }
}

/// The pooled two-proportion z-test of `hits_after/n_after` against
/// `hits_before/n_before`; `delta` is in percentage points. `None` when a
/// side is empty or both are 0% or both 100% (no spread to test against).
pub fn compare_proportions(hits_before: i64, n_before: i64, hits_after: i64, n_after: i64) -> Option<Change> {
    if n_before <= 0 || n_after <= 0 {
        return None;
    }
    let (hb, ha) = (hits_before.clamp(0, n_before) as f64, hits_after.clamp(0, n_after) as f64);
    let (nb, na) = (n_before as f64, n_after as f64);
    let pooled = (hb + ha) / (nb + na);
    let se = (pooled * (1.0 - pooled) * (1.0 / nb + 1.0 / na)).sqrt();
    let diff = ha / na - hb / nb;
    let z = finite_ratio(diff, se)?;
    Some(Change::new(100.0 * diff, z, normal_p_two_sided(z)?, n_before, n_after))
}

/// NPS: the difference of two independent trinomial means over the root of
/// the summed squared standard errors, read against the normal.
fn nps(before: &Tally, after: &Tally) -> Option<Change> {
    let (b, a) = (estimate(Metric::Nps, before), estimate(Metric::Nps, after));
    let delta = a.value? - b.value?;
    let se = (b.std_error?.powi(2) + a.std_error?.powi(2)).sqrt();
    let z = finite_ratio(delta, se)?;
    Some(Change::new(delta, z, normal_p_two_sided(z)?, before.n, after.n))
}

/// Welch's t-test from summary statistics, with Welch–Satterthwaite degrees
/// of freedom. One side may have zero spread; both may not.
fn welch(before: &Tally, after: &Tally) -> Option<Change> {
    let (delta, se, df) = welch_parts(before, after)?;
    let t = finite_ratio(delta, se)?;
    Some(Change::new(delta, t, t_p_two_sided(t, df)?, before.n, after.n))
}

/// (difference of means, its standard error, degrees of freedom); `None`
/// with fewer than two answers on a side.
fn welch_parts(before: &Tally, after: &Tally) -> Option<(f64, f64, f64)> {
    let (nb, na) = (before.n as f64, after.n as f64);
    let (sb, sa) = (sample_variance(before)? / nb, sample_variance(after)? / na);
    let delta = after.sum as f64 / na - before.sum as f64 / nb;
    let df = (sb + sa).powi(2) / (sb * sb / (nb - 1.0) + sa * sa / (na - 1.0));
    Some((delta, (sb + sa).sqrt(), df))
}

/// The period of the same number of days just before `from..=to`, which a
/// period's value is compared with ("vs the previous 90 days"): the
/// dashboard's period-over-period change. `from` after `to` is read as the
/// one day `from`.
pub fn previous_period(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let days = (to - from).num_days().max(0) + 1;
    let end = from.pred_opt().unwrap_or(from);
    (end.checked_sub_signed(Duration::days(days - 1)).unwrap_or(end), end)
}

/// How a change reads: significant (at [`ALPHA`], with enough answers on
/// both sides), not significant, or not testable (`None`).
pub fn significance(change: Option<&Change>) -> &'static str {
    match change {
        Some(c) if c.significant => "significant",
        Some(_) => "not_significant",
        None => "untested",
    }
}

/// `num / den` when the denominator is positive and the result finite: a
/// zero standard error means the test is undefined, not infinitely sure.
fn finite_ratio(num: f64, den: f64) -> Option<f64> {
    (den > 0.0).then(|| num / den).filter(|x| x.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-6 * b.abs().max(1e-9)
    }

    fn assert_change(c: Change, delta: f64, statistic: f64, p_value: f64, significant: bool) {
        assert!(close(c.delta, delta), "delta {} vs {delta}", c.delta);
        assert!(close(c.statistic, statistic), "statistic {} vs {statistic}", c.statistic);
        assert!(close(c.p_value, p_value), "p {} vs {p_value}", c.p_value);
        assert_eq!(c.significant, significant);
    }

    fn nps_tally(n: i64, high: i64, low: i64) -> Tally {
        Tally { n, sum: 0, sum_sq: 0, high, low }
    }

    #[test]
    fn nps_change_matches_numpy_and_scipy() {
        // From raw 0-10 scores: before = default_rng(20260101).integers(0, 11, 200)
        // (as in estimate.rs), after = the same generator's next
        // .choice(11, 150, p=[1,1,1,1,1,2,3,5,8,10,12]/45); then s = +1/0/−1,
        // se = sqrt(s.var(ddof=0) / n), z = (mean_after − mean_before) /
        // sqrt(se_a² + se_b²), p = 2 * scipy.stats.norm.sf(|z|) (numpy 2.4.6,
        // scipy 1.17.1). The second pair comes from default_rng(7) likewise.
        let c = compare(Metric::Nps, &nps_tally(200, 45, 120), &nps_tally(150, 66, 35)).unwrap();
        assert_change(c, 58.166666666666664, 6.660780421213861, 2.7237732868732868e-11, true);
        let c = compare(Metric::Nps, &nps_tally(120, 45, 39), &nps_tally(130, 60, 40)).unwrap();
        assert_change(c, 10.384615384615385, 0.9663727521648084, 0.33385769350933503, false);
    }

    #[test]
    fn proportions_match_statsmodels_ztest() {
        // statsmodels 0.15.0: proportions_ztest([hits_after, hits_before],
        // [n_after, n_before]) — pooled variance, two-sided.
        let c = compare_proportions(45, 60, 40, 70).unwrap();
        assert_change(c, -17.85714285714286, -2.133499643377359, 0.032883760879043995, true);
        let c = compare_proportions(120, 200, 150, 210).unwrap();
        assert_change(c, 11.428571428571432, 2.439285423783943, 0.014716339569308923, true);
        let c = compare_proportions(5, 40, 6, 41).unwrap();
        assert_change(c, 2.134146341463414, 0.28031301793995844, 0.7792373641134028, false);
        // CSAT compares top-2 boxes.
        let (before, after) =
            (Tally { n: 60, high: 45, ..Tally::default() }, Tally { n: 70, high: 40, ..Tally::default() });
        assert_eq!(compare(Metric::Csat, &before, &after), compare_proportions(45, 60, 40, 70));
    }

    #[test]
    fn means_match_scipy_welch() {
        // after = the 32 CES answers of estimate.rs; before =
        // [4,5,3,6,5,4,5,3,4,5,6,4,3,5,4,4,5,3,2,4,5,4,3,5,4,6,4,5,3,4,4].
        // scipy 1.17.1: stats.ttest_ind(after, before, equal_var=False) and
        // ttest_ind_from_stats(..., equal_var=False) agree: t, p, df below.
        let before = Tally { n: 31, sum: 131, sum_sq: 583, high: 12, low: 7 };
        let after = Tally { n: 32, sum: 168, sum_sq: 938, high: 24, low: 4 };
        let c = compare(Metric::Ces, &before, &after).unwrap();
        assert_change(c, 1.024193548387097, 3.450883106026478, 0.0010590397178493088, true);
        assert!(close(welch_parts(&before, &after).unwrap().2, 56.986329240765215));
        // One side without spread: before = [5; 5], after = [3,4,5,6,2,4];
        // stats.ttest_ind(after, before, equal_var=False).
        let c = compare(
            Metric::Rating,
            &Tally { n: 5, sum: 25, sum_sq: 125, ..Tally::default() },
            &Tally { n: 6, sum: 24, sum_sq: 106, ..Tally::default() },
        )
        .unwrap();
        assert_change(c, -1.0, -1.7320508075688774, 0.1438108087116039, false);
    }

    #[test]
    fn significance_needs_thirty_answers_on_each_side() {
        let small = compare_proportions(2, 29, 25, 29).unwrap();
        assert!(small.p_value < ALPHA && !small.significant);
        let enough = compare_proportions(2, 30, 25, 30).unwrap();
        assert!(enough.p_value < ALPHA && enough.significant);
    }

    #[test]
    fn undefined_tests_are_none() {
        let empty = Tally::default();
        let some = nps_tally(40, 20, 10);
        for m in Metric::ALL {
            assert_eq!(compare(m, &empty, &some), None);
            assert_eq!(compare(m, &some, &empty), None);
        }
        for m in [Metric::RepeatPurchaseRate, Metric::ReferralRate, Metric::ChurnRate] {
            assert_eq!(compare(m, &some, &some), None);
        }
        // No spread on either side.
        assert_eq!(compare(Metric::Nps, &nps_tally(40, 40, 0), &nps_tally(35, 35, 0)), None);
        assert_eq!(compare_proportions(0, 40, 0, 50), None);
        assert_eq!(compare_proportions(40, 40, 50, 50), None);
        assert_eq!(compare_proportions(1, 0, 1, 5), None);
        let fives = Tally { n: 40, sum: 200, sum_sq: 1000, high: 40, low: 0 };
        let fours = Tally { n: 40, sum: 160, sum_sq: 640, high: 0, low: 0 };
        assert_eq!(compare(Metric::Ces, &fives, &fours), None);
        // A single answer has no variance to test with.
        let one = Tally { n: 1, sum: 5, sum_sq: 25, high: 1, low: 0 };
        assert_eq!(compare(Metric::Ces, &one, &Tally { n: 3, sum: 9, sum_sq: 29, high: 0, low: 1 }), None);
        // Identical periods: no change, p = 1.
        let c = compare(Metric::Nps, &some, &some).unwrap();
        assert_eq!((c.delta, c.statistic, c.p_value, c.significant), (0.0, 0.0, 1.0, false));
    }

    #[test]
    fn the_previous_period_has_the_same_length_and_ends_the_day_before() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // 90 days ending 2026-12-06 (from 2026-09-08): the 90 days before.
        assert_eq!(previous_period(d("2026-09-08"), d("2026-12-06")), (d("2026-06-10"), d("2026-09-07")));
        let (from, to) = previous_period(d("2026-09-08"), d("2026-12-06"));
        assert_eq!((to - from).num_days() + 1, 90);
        assert_eq!(previous_period(d("2026-03-01"), d("2026-03-01")), (d("2026-02-28"), d("2026-02-28")));
        // Across a leap day.
        assert_eq!(previous_period(d("2024-03-01"), d("2024-03-30")), (d("2024-01-31"), d("2024-02-29")));
        // Reversed bounds: one day.
        assert_eq!(previous_period(d("2026-03-05"), d("2026-03-01")), (d("2026-03-04"), d("2026-03-04")));
    }

    #[test]
    fn significance_reads_the_test() {
        let before = Tally { n: 200, sum: 200 * 6, sum_sq: 0, high: 60, low: 40 };
        let after = Tally { n: 200, sum: 200 * 6, sum_sq: 0, high: 110, low: 20 };
        let big = compare(Metric::Nps, &before, &after).unwrap();
        assert_eq!(significance(Some(&big)), "significant", "{big:?}");
        let small = compare(Metric::Nps, &before, &Tally { high: 62, low: 40, ..before }).unwrap();
        assert_eq!(significance(Some(&small)), "not_significant", "{small:?}");
        assert_eq!(significance(None), "untested");
        // Too few answers: not significant whatever the p-value.
        let few = compare_proportions(0, 5, 5, 5).unwrap();
        assert_eq!(significance(Some(&few)), "not_significant");
    }
}
