//! A metric's value with its 95% confidence interval, computed from a tally.
//!
//! Each metric gets the interval that suits its shape: NPS is the mean of a
//! trinomial (+1 promoter, 0 passive, −1 detractor), so its standard error
//! comes from that variance; CSAT and positive feedback are proportions,
//! which get the Wilson interval because the plain normal one misbehaves
//! near 0% and 100% and with small samples; CES and ratings are means, which
//! get Student's t. Behaviour rates are counted elsewhere and pass their
//! hits and totals to [`proportion`].
//!
//! Every number here is finite: an empty tally has no value, a single answer
//! has no spread, and zero variance gives an interval of zero width.

use super::dist::t_critical_95;
use super::tally::Tally;
use crate::metric::Metric;
use serde::Serialize;

/// Fewer answers than this are shown but flagged as insufficient: their
/// intervals are wide and the normal approximations behind them are rough.
pub const MIN_SAMPLE: i64 = 30;

/// The two-sided 95% quantile of the standard normal distribution.
pub const Z95: f64 = 1.959963984540054;

/// A metric's value (NPS points, a percentage, or a mean on the answer scale)
/// with its 95% interval. `value` is `None` only when there were no answers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Estimate {
    pub value: Option<f64>,
    pub n: i64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub std_error: Option<f64>,
    /// `n >= MIN_SAMPLE`.
    pub sufficient: bool,
}

impl Estimate {
    /// No answers: no value, no interval.
    pub const fn empty() -> Estimate {
        Estimate { value: None, n: 0, ci_low: None, ci_high: None, std_error: None, sufficient: false }
    }

    fn with(value: f64, n: i64, interval: Option<(f64, f64)>, std_error: Option<f64>) -> Estimate {
        Estimate {
            value: Some(value),
            n,
            ci_low: interval.map(|i| i.0),
            ci_high: interval.map(|i| i.1),
            std_error,
            sufficient: n >= MIN_SAMPLE,
        }
    }
}

/// The estimate of an answer metric from its tally. Behaviour metrics
/// (repeat purchase, referral, churn) are not answer tallies and get
/// [`Estimate::empty`]; compute them with [`proportion`].
pub fn estimate(metric: Metric, tally: &Tally) -> Estimate {
    if tally.n <= 0 {
        return Estimate::empty();
    }
    match metric {
        Metric::Nps => nps(tally),
        Metric::Csat | Metric::PositiveFeedbackRate => proportion(tally.high, tally.n),
        Metric::Ces | Metric::Rating => mean(tally),
        Metric::RepeatPurchaseRate | Metric::ReferralRate | Metric::ChurnRate | Metric::PerfectBehaviour => {
            Estimate::empty()
        }
    }
}

/// `hits` out of `n` as a percentage with its Wilson 95% interval. The
/// standard error reported is the plain binomial one, `sqrt(p(1-p)/n)`,
/// which is what the two-proportion tests build on. `hits` outside `0..=n`
/// is clamped (a corrupt count must not produce NaN).
pub fn proportion(hits: i64, n: i64) -> Estimate {
    if n <= 0 {
        return Estimate::empty();
    }
    let hits = hits.clamp(0, n);
    let p = hits as f64 / n as f64;
    let (low, high) = wilson(hits, n);
    let se = (p * (1.0 - p) / n as f64).sqrt();
    Estimate::with(100.0 * p, n, Some((100.0 * low, 100.0 * high)), Some(100.0 * se))
}

/// The Wilson score interval for a proportion, as fractions in [0, 1].
fn wilson(hits: i64, n: i64) -> (f64, f64) {
    let n = n as f64;
    let p = hits as f64 / n;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// NPS in points. The trinomial variance `pP + pD − (pP − pD)²` is the
/// variance of the ±1/0 scores (ddof 0); the normal interval around it can
/// run past ±100, so it is clamped to the scale.
fn nps(t: &Tally) -> Estimate {
    let n = t.n as f64;
    let (promoters, detractors) = (t.high as f64 / n, t.low as f64 / n);
    let score = promoters - detractors;
    let variance = (promoters + detractors - score * score).max(0.0);
    let se = 100.0 * (variance / n).sqrt();
    let value = 100.0 * score;
    let interval = ((value - Z95 * se).max(-100.0), (value + Z95 * se).min(100.0));
    Estimate::with(value, t.n, Some(interval), Some(se))
}

/// A mean with its Student-t interval (n − 1 degrees of freedom). A single
/// answer has no spread, hence no standard error and no interval.
fn mean(t: &Tally) -> Estimate {
    let value = t.sum as f64 / t.n as f64;
    let Some(variance) = sample_variance(t) else {
        return Estimate::with(value, t.n, None, None);
    };
    let se = (variance / t.n as f64).sqrt();
    let interval = t_critical_95((t.n - 1) as f64).map(|q| (value - q * se, value + q * se));
    Estimate::with(value, t.n, interval, Some(se))
}

/// The mean of values tallied as integers `scale` times larger (sentiment
/// scores −1..1 are tallied in thousandths), with its Student-t interval,
/// in the values' own unit.
pub fn scaled_mean(t: &Tally, scale: f64) -> Estimate {
    if t.n <= 0 || !(scale.is_finite() && scale > 0.0) {
        return Estimate::empty();
    }
    let m = mean(t);
    let value = m.value.map(|v| v / scale).unwrap_or(0.0);
    let interval = m.ci_low.zip(m.ci_high).map(|(lo, hi)| (lo / scale, hi / scale));
    Estimate::with(value, m.n, interval, m.std_error.map(|se| se / scale))
}

/// The sample variance (n − 1 denominator) of the answers in a tally, `None`
/// below two answers. The sum of squared deviations is computed exactly in
/// integers as `(n·Σx² − (Σx)²) / n`, so cancellation cannot make it
/// negative or lose the small spreads of near-identical answers.
pub(crate) fn sample_variance(t: &Tally) -> Option<f64> {
    (t.n >= 2).then(|| {
        let spread = (t.n as i128 * t.sum_sq as i128 - t.sum as i128 * t.sum as i128).max(0);
        spread as f64 / (t.n as f64 * (t.n - 1) as f64)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::tally::Scale;

    /// Relative closeness, 1e-6 as agreed for values checked against scipy.
    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-6 * b.abs().max(1e-9)
    }

    fn tally_of(scale: Scale, values: &[i64], max: i64) -> Tally {
        values.iter().map(|&v| Tally::of(scale, v, max)).sum()
    }

    fn assert_interval(e: &Estimate, low: f64, high: f64) {
        let (l, h) = (e.ci_low.unwrap(), e.ci_high.unwrap());
        assert!(close(l, low) && close(h, high), "got [{l}, {h}], expected [{low}, {high}]");
    }

    #[test]
    fn wilson_matches_statsmodels() {
        // statsmodels 0.15.0:
        // 100 * proportion_confint(k, n, alpha=0.05, method="wilson") for each (k, n).
        let cases = [
            (45, 60, 62.767929922952185, 84.22347746994333),
            (10, 10, 72.24672001371107, 100.0),
            (1, 1, 20.65493143772374, 100.0),
            (7, 29, 12.218422442520083, 42.10760161781134),
            (123, 456, 23.104962756216274, 31.227123667969046),
        ];
        for (k, n, low, high) in cases {
            let e = proportion(k, n);
            assert!(close(e.value.unwrap(), 100.0 * k as f64 / n as f64));
            assert_interval(&e, low, high);
        }
        // proportion_confint(0, 10, method="wilson") = (0.0, 0.27753279986288927).
        let e = proportion(0, 10);
        assert_eq!((e.value, e.ci_low), (Some(0.0), Some(0.0)));
        assert!(close(e.ci_high.unwrap(), 27.753279986288927));
    }

    #[test]
    fn csat_is_top_two_box_with_wilson() {
        // 45 satisfied answers (4-5) out of 60: the same Wilson case as above.
        let answers: Vec<i64> = (0..60).map(|i| if i < 45 { 4 + i % 2 } else { 1 + i % 3 }).collect();
        let e = estimate(Metric::Csat, &tally_of(Scale::Csat, &answers, 5));
        assert_eq!((e.value, e.n, e.sufficient), (Some(75.0), 60, true));
        assert_interval(&e, 62.767929922952185, 84.22347746994333);
        // Positive feedback reads a Feedback tally the same way.
        let fb = tally_of(Scale::Feedback, &[1, 1, 0, 1], 1);
        assert_eq!(estimate(Metric::PositiveFeedbackRate, &fb), proportion(3, 4));
    }

    #[test]
    fn ces_mean_matches_scipy_t_interval() {
        // ces = [7,6,5,5,4,7,3,6,6,5,2,7,5,4,6,7,5,6,3,5,6,7,4,5,6,5,7,6,5,4,3,6]
        // scipy 1.17.1: stats.sem(ces) = 0.2375954816557457;
        // stats.t.interval(0.95, 31, loc=ces.mean(), scale=stats.sem(ces)).
        let ces = [7, 6, 5, 5, 4, 7, 3, 6, 6, 5, 2, 7, 5, 4, 6, 7, 5, 6, 3, 5, 6, 7, 4, 5, 6, 5, 7, 6, 5, 4, 3, 6];
        let e = estimate(Metric::Ces, &tally_of(Scale::Ces, &ces, 7));
        assert_eq!((e.value, e.n), (Some(5.25), 32));
        assert!(close(e.std_error.unwrap(), 0.2375954816557457));
        assert_interval(&e, 4.765420820360076, 5.734579179639924);
        // Two ratings, 3 and 5: stats.t.interval(0.95, 1, loc=4, scale=1.0).
        let e = estimate(Metric::Rating, &tally_of(Scale::Rating, &[3, 5], 5));
        assert_interval(&e, -8.706204736174694, 16.706204736174694);
    }

    #[test]
    fn nps_matches_numpy_trinomial_and_the_published_rule_of_thumb() {
        // 200 scores from numpy default_rng(20260101).integers(0, 11): 45 promoters,
        // 120 detractors. With s = +1/0/−1 scores: 100 * s.mean() = −37.5 and
        // 100 * sqrt(s.var(ddof=0) / 200) = 5.849679478398794 (numpy 2.4.6).
        let t = Tally { n: 200, sum: 1048, sum_sq: 7570, high: 45, low: 120 };
        let e = estimate(Metric::Nps, &t);
        assert_eq!(e.value, Some(-37.5));
        assert!(close(e.std_error.unwrap(), 5.849679478398794));
        assert_interval(&e, -48.96516109876468, -26.034838901235315);
        // CYBAEA, "Net Promoter Score confidence intervals 2" (2016): with a
        // third each of promoters and detractors the 95% interval is about
        // 320/sqrt(n) wide, i.e. 10 points at n = 1024 (here n = 3072 → 5.77).
        let e = estimate(Metric::Nps, &Tally { n: 3072, sum: 0, sum_sq: 0, high: 1024, low: 1024 });
        let width = e.ci_high.unwrap() - e.ci_low.unwrap();
        assert!((width - 320.0 / 3072f64.sqrt()).abs() < 0.02, "{width}");
    }

    #[test]
    fn nps_interval_is_clamped_and_one_group_has_zero_error() {
        let all_promoters = tally_of(Scale::Nps, &[10; 5], 10);
        let e = estimate(Metric::Nps, &all_promoters);
        assert_eq!((e.value, e.std_error, e.ci_low, e.ci_high), (Some(100.0), Some(0.0), Some(100.0), Some(100.0)));
        let e = estimate(Metric::Nps, &tally_of(Scale::Nps, &[10, 10, 10, 8], 10));
        assert_eq!(e.ci_high, Some(100.0));
        assert!(e.ci_low.unwrap() < 75.0);
    }

    #[test]
    fn empty_single_and_identical_answers_are_finite() {
        for m in Metric::ALL {
            assert_eq!(estimate(m, &Tally::default()), Estimate::empty());
        }
        assert_eq!(proportion(0, 0), Estimate::empty());
        let one = estimate(Metric::Ces, &Tally::of(Scale::Ces, 6, 7));
        assert_eq!((one.value, one.n, one.ci_low, one.std_error), (Some(6.0), 1, None, None));
        let same = estimate(Metric::Rating, &tally_of(Scale::Rating, &[4; 40], 5));
        assert_eq!(
            (same.value, same.std_error, same.ci_low, same.ci_high),
            (Some(4.0), Some(0.0), Some(4.0), Some(4.0))
        );
        // A corrupt count is clamped rather than turned into NaN.
        assert_eq!(proportion(12, 10), proportion(10, 10));
        assert_eq!(proportion(-1, 10), proportion(0, 10));
    }

    #[test]
    fn thirty_answers_are_sufficient_twenty_nine_are_not() {
        assert!(!estimate(Metric::Nps, &tally_of(Scale::Nps, &[9; 29], 10)).sufficient);
        assert!(estimate(Metric::Nps, &tally_of(Scale::Nps, &[9; 30], 10)).sufficient);
        assert!(!proportion(7, 29).sufficient);
        assert!(proportion(7, 30).sufficient);
    }

    #[test]
    fn behaviour_metrics_are_not_tallies() {
        let t = tally_of(Scale::Csat, &[5; 40], 5);
        for m in [Metric::RepeatPurchaseRate, Metric::ReferralRate, Metric::ChurnRate] {
            assert_eq!(estimate(m, &t), Estimate::empty());
        }
    }
}
