//! Consistency over time: how much a metric moves from period to period,
//! and how often a goal was met. A program whose NPS swings by twenty points
//! a month is not under control even when its average looks fine.

use super::estimate::{proportion, Estimate};
use serde::Serialize;

/// The spread of a metric over the periods that have a value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Variation {
    pub mean: f64,
    /// Sample standard deviation (n − 1) of the period values.
    pub std_dev: f64,
    /// Mean of |change| between consecutive periods that have a value
    /// (a gap is skipped, not counted as a change to or from nothing).
    pub mean_abs_change: f64,
    /// How many periods had a value.
    pub periods: usize,
}

/// The variation of a series with one value per bucket (`None` = no data
/// in that bucket; non-finite values count as no data too). `None` with
/// fewer than two values: a single period has no spread and no change, and
/// reporting 0 would read as "perfectly steady".
pub fn variation(values: &[Option<f64>]) -> Option<Variation> {
    let present: Vec<f64> = values.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    if present.len() < 2 {
        return None;
    }
    let n = present.len() as f64;
    let mean = present.iter().sum::<f64>() / n;
    let squares: f64 = present.iter().map(|v| (v - mean).powi(2)).sum();
    let changes: f64 = present.windows(2).map(|w| (w[1] - w[0]).abs()).sum();
    Some(Variation {
        mean,
        std_dev: (squares / (n - 1.0)).sqrt(),
        mean_abs_change: changes / (n - 1.0),
        periods: present.len(),
    })
}

/// (periods that met the goal, periods judged). A `None` status is a period
/// with too little data to judge, so it counts as neither. `None` when no
/// period was judged.
pub fn goal_success(met: &[Option<bool>]) -> Option<(i64, i64)> {
    let judged = met.iter().flatten().count() as i64;
    let hits = met.iter().flatten().filter(|m| **m).count() as i64;
    (judged > 0).then_some((hits, judged))
}

/// The percentage of judged periods that met the goal, with its Wilson
/// interval (few periods give a wide one, which is the honest answer).
pub fn success_rate(met: &[Option<bool>]) -> Option<Estimate> {
    goal_success(met).map(|(hits, judged)| proportion(hits, judged))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-6 * b.abs().max(1e-9)
    }

    #[test]
    fn variation_matches_numpy_and_skips_gaps() {
        // numpy 2.4.6 on v = [42.0, 38.5, 45.25, 40.0, 51.0]: v.mean() = 43.35,
        // v.std(ddof=1) = 4.967393682807917, np.abs(np.diff(v)).mean() = 6.625.
        let series = [Some(42.0), None, Some(38.5), Some(45.25), None, None, Some(40.0), Some(51.0), None];
        let v = variation(&series).unwrap();
        assert_eq!(v.periods, 5);
        assert!(close(v.mean, 43.35));
        assert!(close(v.std_dev, 4.967393682807917));
        assert!(close(v.mean_abs_change, 6.625));
    }

    #[test]
    fn too_few_values_have_no_variation() {
        assert_eq!(variation(&[]), None);
        assert_eq!(variation(&[None, None]), None);
        assert_eq!(variation(&[None, Some(3.0), None]), None);
        assert_eq!(variation(&[Some(f64::NAN), Some(3.0)]), None);
        let flat = variation(&[Some(7.0), Some(7.0), None, Some(7.0)]).unwrap();
        assert_eq!((flat.mean, flat.std_dev, flat.mean_abs_change, flat.periods), (7.0, 0.0, 0.0, 3));
    }

    #[test]
    fn success_rate_counts_judged_periods_only() {
        let met = [Some(true), None, Some(false), Some(true), None, Some(true)];
        assert_eq!(goal_success(&met), Some((3, 4)));
        let e = success_rate(&met).unwrap();
        // statsmodels 0.15.0: 100 * proportion_confint(3, 4, method="wilson").
        assert_eq!((e.value, e.n, e.sufficient), (Some(75.0), 4, false));
        assert!(close(e.ci_low.unwrap(), 30.064184258240186));
        assert!(close(e.ci_high.unwrap(), 95.44127391902994));
        assert_eq!(goal_success(&[None, None]), None);
        assert_eq!(success_rate(&[]), None);
        assert_eq!(success_rate(&[Some(false)]).unwrap().value, Some(0.0));
    }
}
