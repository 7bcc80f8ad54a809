//! Importance × performance: where to act first.
//!
//! A driver is *important* when its derived importance is above the
//! importance threshold, and *good* when its performance is at or above the
//! performance threshold. Unless thresholds are passed in, they are the mean
//! importance (for shares, 1/p: the share every driver would have if all
//! mattered equally) and the median performance (half the drivers on each
//! side, however skewed the scores). The importance test is strict so that
//! equal shares, or an outcome nothing explains, flag nothing as important.
//!
//! | | performance below | at or above |
//! |---|---|---|
//! | **important** | `FixFirst` | `KeepUp` |
//! | **not important** | `LowPriority` | `OverServed` |

use super::error::DriverError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// Important and performing below the others: act here first.
    FixFirst,
    /// Important and performing well: protect it.
    KeepUp,
    /// Performing well where it moves the outcome little: effort to move.
    OverServed,
    /// Neither important nor performing well: watch.
    LowPriority,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuadrantThresholds {
    pub importance: f64,
    pub performance: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuadrantPoint {
    pub name: String,
    pub importance: f64,
    pub performance: f64,
    pub quadrant: Quadrant,
}

/// The points of the chart and the lines that split it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuadrantChart {
    pub thresholds: QuadrantThresholds,
    pub points: Vec<QuadrantPoint>,
}

/// Places each driver in its quadrant (see the module's policy).
pub fn quadrants(
    names: &[String],
    importance: &[f64],
    performance: &[f64],
    thresholds: Option<QuadrantThresholds>,
) -> Result<QuadrantChart, DriverError> {
    let p = names.len();
    if p == 0 {
        return Err(DriverError::NoDrivers);
    }
    for (what, values) in [("importance", importance), ("performance", performance)] {
        if values.len() != p {
            return Err(DriverError::WrongLength { what, found: values.len(), expected: p });
        }
        if let Some((name, &value)) = names.iter().zip(values).find(|(_, v)| !v.is_finite()) {
            return Err(DriverError::NotFinite { what, name: name.clone(), value });
        }
    }
    let thresholds = match thresholds {
        Some(t) if !(t.importance.is_finite() && t.performance.is_finite()) => {
            let value = if t.importance.is_finite() { t.performance } else { t.importance };
            return Err(DriverError::InvalidThreshold(value));
        }
        Some(t) => t,
        None => QuadrantThresholds {
            importance: importance.iter().sum::<f64>() / p as f64,
            performance: median(performance),
        },
    };
    let points = (0..p)
        .map(|j| {
            let important = importance[j] > thresholds.importance;
            let good = performance[j] >= thresholds.performance;
            let quadrant = match (important, good) {
                (true, false) => Quadrant::FixFirst,
                (true, true) => Quadrant::KeepUp,
                (false, true) => Quadrant::OverServed,
                (false, false) => Quadrant::LowPriority,
            };
            QuadrantPoint { name: names[j].clone(), importance: importance[j], performance: performance[j], quadrant }
        })
        .collect();
    Ok(QuadrantChart { thresholds, points })
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}
