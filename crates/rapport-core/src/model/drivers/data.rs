//! Checking the input and keeping the complete observations.
//!
//! Missing values are dropped listwise (a whole observation goes) rather
//! than pairwise: pairwise correlations mix different respondents and can
//! form a matrix no data set could produce, and then R² parts go negative.

use super::error::DriverError;
use super::types::{DriverInput, DriverOptions, Scale};

/// The most drivers an analysis weighs. LMG fits a model on every subset of
/// drivers, 2^p of them, once per resample: 15 drivers are 32,768 subsets
/// times 201 fits, about 0.4 s in release (12 drivers: 0.1 s), and each
/// driver more doubles it, past what a page should wait for by 18.
/// A chart of more than 15 drivers is unreadable anyway, and 15 is also the
/// cap `dominance-analysis` puts on its predictors.
pub const MAX_DRIVERS: usize = 15;

/// The fewest complete observations for `p` drivers: the caller's floor
/// (`min_sample`, 30 by default) or ten per driver, whichever is larger.
/// Ten per driver is the common rule for regressions (Harrell): below it R²
/// is mostly overfit, as its expected value with no real effect is about
/// p/(n−1), 0.1 at ten per driver. A floor of 30 because a correlation from
/// fewer pairs has a standard error near 0.2, as large as the effects sought.
pub fn minimum_sample(p: usize, options: &DriverOptions) -> usize {
    options.min_sample.max(10 * p)
}

/// Complete observations, row-major: the outcome, then the `p` drivers.
pub(super) struct Data {
    pub q: usize,
    pub n: usize,
    pub dropped: usize,
    pub rows: Vec<f64>,
}

impl Data {
    /// The drivers' means over the observations used.
    pub fn driver_means(&self) -> Vec<f64> {
        let mut sums = vec![0.0; self.q - 1];
        for row in self.rows.chunks_exact(self.q) {
            sums.iter_mut().zip(&row[1..]).for_each(|(s, x)| *s += x);
        }
        sums.into_iter().map(|s| s / self.n as f64).collect()
    }
}

pub(super) fn prepare(input: &DriverInput, options: &DriverOptions) -> Result<Data, DriverError> {
    let p = input.names.len();
    if p == 0 {
        return Err(DriverError::NoDrivers);
    }
    if p > MAX_DRIVERS {
        return Err(DriverError::TooManyDrivers { count: p, max: MAX_DRIVERS });
    }
    if let Some(name) = input.names.iter().enumerate().find(|(i, n)| input.names[..*i].contains(n)) {
        return Err(DriverError::DuplicateName(name.1.clone()));
    }
    // Written so that NaN fails too.
    if !(options.confidence > 0.0 && options.confidence < 1.0) {
        return Err(DriverError::InvalidConfidence(options.confidence));
    }
    check_scales(&input.names, &input.scales)?;
    let total = input.drivers.len();
    if input.outcome.len() != total {
        return Err(DriverError::LengthMismatch { outcomes: input.outcome.len(), rows: total });
    }
    let mut rows = Vec::with_capacity(total * (p + 1));
    for (index, (y, x)) in input.outcome.iter().zip(&input.drivers).enumerate() {
        if x.len() != p {
            return Err(DriverError::RaggedRow { index, found: x.len(), expected: p });
        }
        if y.is_finite() && x.iter().all(|v| v.is_finite()) {
            rows.push(*y);
            rows.extend_from_slice(x);
        }
    }
    let n = rows.len() / (p + 1);
    let min = minimum_sample(p, options);
    if n < min {
        return Err(DriverError::TooFewObservations { n, total, min, p });
    }
    Ok(Data { q: p + 1, n, dropped: total - n, rows })
}

fn check_scales(names: &[String], scales: &[Option<Scale>]) -> Result<(), DriverError> {
    if !scales.is_empty() && scales.len() != names.len() {
        return Err(DriverError::WrongLength {
            what: "the list of scales",
            found: scales.len(),
            expected: names.len(),
        });
    }
    for (name, scale) in names.iter().zip(scales) {
        if let Some(s) = scale {
            if !(s.min.is_finite() && s.max.is_finite() && s.min < s.max) {
                return Err(DriverError::InvalidScale { name: name.clone() });
            }
        }
    }
    Ok(())
}
