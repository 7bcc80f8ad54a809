//! The two sampling distributions the engine needs, behind three small
//! functions so that `statrs` is named in one place only and every caller
//! gets a finite number back (statrs panics or returns NaN on bad input;
//! these guard it).

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// The two-sided 95% critical value of Student's t with `df` degrees of
/// freedom, or `None` when `df` is not a positive finite number.
pub(crate) fn t_critical_95(df: f64) -> Option<f64> {
    let t = StudentsT::new(0.0, 1.0, df).ok().filter(|_| df.is_finite())?;
    Some(t.inverse_cdf(0.975)).filter(|q| q.is_finite())
}

/// Two-sided p-value of a standard normal statistic. Uses the survival
/// function rather than `1 - cdf` so that tiny p-values keep their digits.
pub(crate) fn normal_p_two_sided(z: f64) -> Option<f64> {
    if !z.is_finite() {
        return None;
    }
    let normal = Normal::new(0.0, 1.0).expect("the standard normal is valid");
    Some((2.0 * normal.sf(z.abs())).min(1.0))
}

/// Two-sided p-value of a Student t statistic with `df` degrees of freedom
/// (fractional for Welch's test).
pub(crate) fn t_p_two_sided(t: f64, df: f64) -> Option<f64> {
    if !t.is_finite() || !df.is_finite() {
        return None;
    }
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    Some((2.0 * dist.sf(t.abs())).min(1.0)).filter(|p| p.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-6 * b.abs().max(1e-12)
    }

    #[test]
    fn t_quantiles_match_scipy() {
        // scipy 1.17.1: stats.t.ppf(0.975, df) for df = 1, 2, 5, 29, 100, 1000.
        let expected = [
            (1.0, 12.706204736174694),
            (2.0, 4.302652729749462),
            (5.0, 2.5705818356363146),
            (29.0, 2.045229642132703),
            (100.0, 1.9839715185235518),
            (1000.0, 1.9623390808264083),
        ];
        for (df, q) in expected {
            let got = t_critical_95(df).unwrap();
            assert!(close(got, q), "df {df}: {got} vs {q}");
        }
    }

    #[test]
    fn normal_tail_matches_scipy() {
        // scipy 1.17.1: 2 * stats.norm.sf(2.5) and 2 * stats.norm.sf(6.660780421213861).
        assert!(close(normal_p_two_sided(2.5).unwrap(), 0.012419330651552265));
        assert!(close(normal_p_two_sided(-2.5).unwrap(), 0.012419330651552265));
        assert!(close(normal_p_two_sided(6.660780421213861).unwrap(), 2.7237732868732868e-11));
        assert_eq!(normal_p_two_sided(0.0), Some(1.0));
    }

    #[test]
    fn bad_input_is_none_not_nan() {
        assert_eq!(t_critical_95(0.0), None);
        assert_eq!(t_critical_95(-3.0), None);
        assert_eq!(t_critical_95(f64::NAN), None);
        assert_eq!(t_critical_95(f64::INFINITY), None);
        assert_eq!(t_p_two_sided(1.0, 0.0), None);
        assert_eq!(t_p_two_sided(f64::NAN, 3.0), None);
        assert_eq!(normal_p_two_sided(f64::INFINITY), None);
    }
}
