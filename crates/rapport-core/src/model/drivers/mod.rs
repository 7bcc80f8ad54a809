//! Key-driver analysis (C5): which driver scores (questions, touchpoints)
//! move an outcome such as likelihood to recommend, and by how much.
//!
//! Policy:
//! - Importance is *derived* two ways, each splitting the R² of the linear
//!   regression of the outcome on all drivers among them: LMG, the Shapley
//!   value of R² (`lmg.rs`), and Johnson's relative weights
//!   (`relative_weights.rs`). Both are told as raw parts of R² and as
//!   shares of it, with bootstrap percentile intervals (`bootstrap.rs`).
//! - An observation missing any value (non-finite) is dropped whole, so
//!   every figure comes from the same people; the report gives n and the
//!   number dropped.
//! - Refused, with a [`DriverError`] naming the driver: no drivers, more than
//!   [`MAX_DRIVERS`], fewer observations than [`minimum_sample`], a constant
//!   outcome or driver, or drivers that are exact combinations of others.
//! - Performance is each driver's mean, on 0–100 when its scale is given.
//!   [`quadrants`] sets importance against performance; [`stated_vs_derived`]
//!   sets the plan's stated importance against the derived shares.
//! - Deterministic: the same data, options and seed give the same report.

mod bootstrap;
mod corr;
mod data;
mod eigen;
mod error;
mod fit;
mod lmg;
mod quadrant;
mod r2;
mod relative_weights;
mod report;
mod stated;
mod types;

#[cfg(test)]
mod tests;

pub use data::{minimum_sample, MAX_DRIVERS};
pub use error::DriverError;
pub use quadrant::{quadrants, Quadrant, QuadrantChart, QuadrantPoint, QuadrantThresholds};
pub use stated::{stated_vs_derived, StatedVsDerived};
pub use types::{
    BootstrapSummary, DriverInput, DriverOptions, DriverReport, DriverResult, Importance, ImportanceMethod, Interval,
    Performance, Scale,
};

use bootstrap::percentile_interval;
use fit::{fit, shares, Degenerate};

/// Runs the analysis: the full-sample fit, then the bootstrap.
pub fn analyze(input: &DriverInput, options: &DriverOptions) -> Result<DriverReport, DriverError> {
    let data = data::prepare(input, options)?;
    let full = fit(&data, None).map_err(|d| refusal(d, input, &data))?;
    let draws = bootstrap::resample(&data, options);
    let interval = |values: &[f64]| draws.reportable().then(|| percentile_interval(values, options.confidence));
    let (lmg_share, rw_share) = (shares(&full.lmg, full.r2), shares(&full.relative_weights, full.r2));
    let means = data.driver_means();
    let drivers = (0..data.q - 1)
        .map(|j| DriverResult {
            name: input.names[j].clone(),
            correlation: full.correlations[j],
            lmg: Importance {
                raw: full.lmg[j],
                share: lmg_share[j],
                raw_interval: interval(&draws.lmg[j]),
                share_interval: interval(&draws.lmg_share[j]),
            },
            relative_weight: Importance {
                raw: full.relative_weights[j],
                share: rw_share[j],
                raw_interval: interval(&draws.rw[j]),
                share_interval: interval(&draws.rw_share[j]),
            },
            performance: Performance {
                mean: means[j],
                scaled: input.scales.get(j).copied().flatten().map(|s| 100.0 * (means[j] - s.min) / (s.max - s.min)),
            },
        })
        .collect();
    let bootstrap = BootstrapSummary {
        requested: options.bootstrap_samples,
        used: draws.used(),
        skipped: draws.skipped,
        confidence: options.confidence,
        seed: options.seed,
    };
    Ok(DriverReport { n: data.n, dropped: data.dropped, r2: full.r2, drivers, bootstrap })
}

fn refusal(degenerate: Degenerate, input: &DriverInput, data: &data::Data) -> DriverError {
    match degenerate {
        Degenerate::Constant(0) => DriverError::ConstantOutcome { value: data.rows[0] },
        Degenerate::Constant(k) => {
            DriverError::ConstantDriver { name: input.names[k - 1].clone(), value: data.rows[k] }
        }
        Degenerate::Collinear(js) => DriverError::Collinear(js.into_iter().map(|j| input.names[j].clone()).collect()),
    }
}
