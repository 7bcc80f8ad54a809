//! The sentiment of comments over time: scores are tallied per day in
//! thousandths (integers, so rollups add exactly and a mean's interval
//! comes from n, Σx and Σx²), and read back as a mean in −1..1 with its
//! 95% Student-t interval.

use crate::measure::{scaled_mean, Estimate, Tally};

/// Tallied sentiment units per score unit.
pub const MILLI: f64 = 1000.0;

/// A score as tallied: thousandths, rounded, within −1000..1000.
pub fn milli(score: f64) -> i64 {
    if score.is_finite() {
        (score.clamp(-1.0, 1.0) * MILLI).round() as i64
    } else {
        0
    }
}

/// The tally of one comment's score.
pub fn tally(score: f64) -> Tally {
    let v = milli(score);
    Tally { n: 1, sum: v, sum_sq: v * v, high: 0, low: 0 }
}

/// The mean sentiment of a tally of comments, with its interval.
pub fn mean_sentiment(t: &Tally) -> Estimate {
    scaled_mean(t, MILLI)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_tally_in_thousandths_and_read_back_as_a_mean() {
        assert_eq!(milli(0.12345), 123);
        assert_eq!(milli(-2.0), -1000);
        assert_eq!(milli(f64::NAN), 0);
        let mut t = Tally::default();
        for s in [0.5, -0.25, 0.75, 0.0] {
            let one = tally(s);
            t.n += one.n;
            t.sum += one.sum;
            t.sum_sq += one.sum_sq;
        }
        let e = mean_sentiment(&t);
        assert!((e.value.unwrap() - 0.25).abs() < 1e-12);
        // Sample sd of (0.5, -0.25, 0.75, 0) is 0.4564355; se = sd/2;
        // t(3) 97.5% = 3.182446 (a published t table).
        let half = 3.182446 * 0.4564355 / 2.0;
        assert!((e.ci_high.unwrap() - (0.25 + half)).abs() < 1e-5, "{e:?}");
        assert!((e.ci_low.unwrap() - (0.25 - half)).abs() < 1e-5, "{e:?}");
        assert_eq!(mean_sentiment(&Tally::default()).value, None);
        assert_eq!(mean_sentiment(&tally(0.4)).ci_low, None, "one comment has no spread");
    }
}
