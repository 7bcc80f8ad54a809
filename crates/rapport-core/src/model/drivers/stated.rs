//! Stated against derived importance: what the plan says matters (weights
//! per touchpoint, on any scale) beside what the data says moves the
//! outcome. Both are turned into shares of their own total so they can be
//! plotted on one chart; `gap` is derived minus stated, so a positive gap is
//! a driver that matters more than the plan thinks.

use super::error::DriverError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatedVsDerived {
    pub name: String,
    pub stated_share: f64,
    pub derived_share: f64,
    /// `derived_share − stated_share`.
    pub gap: f64,
}

/// Normalises `stated` (finite, at least one positive, none negative) and
/// `derived` (e.g. the report's shares, or raw parts of R²) to shares and
/// pairs them per driver. Derived values that are all zero (nothing
/// explained) stay zero rather than 0/0.
pub fn stated_vs_derived(
    names: &[String],
    stated: &[f64],
    derived: &[f64],
) -> Result<Vec<StatedVsDerived>, DriverError> {
    let p = names.len();
    if p == 0 {
        return Err(DriverError::NoDrivers);
    }
    for (what, values) in [("stated importance", stated), ("derived importance", derived)] {
        if values.len() != p {
            return Err(DriverError::WrongLength { what, found: values.len(), expected: p });
        }
        if let Some((name, &value)) = names.iter().zip(values).find(|(_, v)| !v.is_finite()) {
            return Err(DriverError::NotFinite { what, name: name.clone(), value });
        }
    }
    if let Some((name, &value)) = names.iter().zip(stated).find(|(_, v)| **v < 0.0) {
        return Err(DriverError::NegativeStated { name: name.clone(), value });
    }
    let stated_total: f64 = stated.iter().sum();
    if stated_total <= 0.0 {
        return Err(DriverError::NoStatedImportance);
    }
    // Derived parts of R² are never negative in theory; rounding can leave
    // -1e-17, which is clamped rather than refused.
    let derived: Vec<f64> = derived.iter().map(|d| d.max(0.0)).collect();
    let derived_total: f64 = derived.iter().sum();
    Ok((0..p)
        .map(|j| {
            let stated_share = stated[j] / stated_total;
            let derived_share = if derived_total > 0.0 { derived[j] / derived_total } else { 0.0 };
            StatedVsDerived { name: names[j].clone(), stated_share, derived_share, gap: derived_share - stated_share }
        })
        .collect())
}
