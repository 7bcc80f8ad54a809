//! Charts read straight off a stored report.

use super::error::DriverError;
use super::quadrant::{quadrants, QuadrantChart, QuadrantThresholds};
use super::stated::{stated_vs_derived, StatedVsDerived};
use super::types::{DriverReport, DriverResult, ImportanceMethod};

impl DriverReport {
    /// The drivers' names, in input order.
    pub fn names(&self) -> Vec<String> {
        self.drivers.iter().map(|d| d.name.clone()).collect()
    }

    /// Each driver's derived share by `method`.
    pub fn shares(&self, method: ImportanceMethod) -> Vec<f64> {
        let pick = |d: &DriverResult| match method {
            ImportanceMethod::Lmg => d.lmg.share,
            ImportanceMethod::RelativeWeight => d.relative_weight.share,
        };
        self.drivers.iter().map(pick).collect()
    }

    /// Performance comparable across drivers: on 0–100 when every driver's
    /// scale was given, else the plain means (drivers on one scale).
    pub fn chart_performance(&self) -> Vec<f64> {
        let scaled: Option<Vec<f64>> = self.drivers.iter().map(|d| d.performance.scaled).collect();
        scaled.unwrap_or_else(|| self.drivers.iter().map(|d| d.performance.mean).collect())
    }

    /// [`quadrants`] of this report's shares by `method` and its
    /// [`chart_performance`](Self::chart_performance).
    pub fn quadrants(
        &self,
        method: ImportanceMethod,
        thresholds: Option<QuadrantThresholds>,
    ) -> Result<QuadrantChart, DriverError> {
        quadrants(&self.names(), &self.shares(method), &self.chart_performance(), thresholds)
    }

    /// [`stated_vs_derived`] of the plan's stated importance (one weight per
    /// driver, any scale) against this report's shares by `method`.
    pub fn stated_vs_derived(
        &self,
        method: ImportanceMethod,
        stated: &[f64],
    ) -> Result<Vec<StatedVsDerived>, DriverError> {
        stated_vs_derived(&self.names(), stated, &self.shares(method))
    }
}
