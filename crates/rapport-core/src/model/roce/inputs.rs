//! The financial inputs of the ROCE model, as leaders edit them.

use crate::validate::{number_in, FieldErrors};
use serde::{Deserialize, Serialize};

/// A leader's inputs as sent; every field is required.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoceDraft {
    /// Share of revenue that is margin, 0 to 1.
    pub margin_rate: Option<f64>,
    /// What winning one new customer costs.
    pub acquisition_cost: Option<f64>,
    /// What keeping one customer costs per year.
    pub retention_cost: Option<f64>,
    /// What handling one case costs.
    pub cost_per_case: Option<f64>,
    /// What one contact (call, chat, e-mail) costs.
    pub cost_per_contact: Option<f64>,
}

/// Validated inputs (money in the organization's currency).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoceInputs {
    pub margin_rate: f64,
    pub acquisition_cost: f64,
    pub retention_cost: f64,
    pub cost_per_case: f64,
    pub cost_per_contact: f64,
}

/// The most any money input may be: far above any real cost, low enough
/// that sums over a million customers stay exact in an f64.
pub const MONEY_MAX: f64 = 1e9;

impl RoceInputs {
    /// What an organization starts from until a leader sets its own:
    /// common retail figures, shown as such on the page.
    pub const DEFAULT: RoceInputs = RoceInputs {
        margin_rate: 0.3,
        acquisition_cost: 50.0,
        retention_cost: 10.0,
        cost_per_case: 15.0,
        cost_per_contact: 5.0,
    };
}

impl RoceDraft {
    pub fn validate(&self) -> Result<RoceInputs, FieldErrors> {
        let mut e = FieldErrors::new();
        let inputs = RoceInputs {
            margin_rate: number_in(&mut e, "margin_rate", self.margin_rate, 0.0, 1.0),
            acquisition_cost: number_in(&mut e, "acquisition_cost", self.acquisition_cost, 0.0, MONEY_MAX),
            retention_cost: number_in(&mut e, "retention_cost", self.retention_cost, 0.0, MONEY_MAX),
            cost_per_case: number_in(&mut e, "cost_per_case", self.cost_per_case, 0.0, MONEY_MAX),
            cost_per_contact: number_in(&mut e, "cost_per_contact", self.cost_per_contact, 0.0, MONEY_MAX),
        };
        e.into_result(inputs)
    }
}

impl From<RoceInputs> for RoceDraft {
    fn from(i: RoceInputs) -> Self {
        RoceDraft {
            margin_rate: Some(i.margin_rate),
            acquisition_cost: Some(i.acquisition_cost),
            retention_cost: Some(i.retention_cost),
            cost_per_case: Some(i.cost_per_case),
            cost_per_contact: Some(i.cost_per_contact),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_inputs_pass_and_each_bad_field_is_named() {
        let ok = RoceDraft::from(RoceInputs::DEFAULT);
        assert_eq!(ok.validate().unwrap(), RoceInputs::DEFAULT);
        let bad = RoceDraft {
            margin_rate: Some(1.5),
            acquisition_cost: Some(-1.0),
            retention_cost: Some(f64::NAN),
            cost_per_case: None,
            cost_per_contact: Some(f64::INFINITY),
        };
        let e = bad.validate().unwrap_err();
        for field in ["margin_rate", "acquisition_cost", "retention_cost", "cost_per_contact"] {
            assert_eq!(e.get(field).unwrap().code, "out_of_range", "{field}");
        }
        assert_eq!(e.get("cost_per_case").unwrap().code, "required");
    }

    #[test]
    fn bounds_are_inclusive() {
        let mut d = RoceDraft::from(RoceInputs::DEFAULT);
        d.margin_rate = Some(0.0);
        d.acquisition_cost = Some(MONEY_MAX);
        assert!(d.validate().is_ok());
        d.margin_rate = Some(1.0);
        d.cost_per_case = Some(0.0);
        assert!(d.validate().is_ok());
    }
}
