//! The intent statement (A3): a versioned statement of what the experience is
//! meant to achieve, made of formal criteria the system monitors.
//!
//! A criterion reads "metric, over scope, at least / at most threshold". It is
//! *met* when the value clears the threshold by more than the margin, *at
//! risk* when it clears it by no more than the margin (about to slip), and
//! *missed* when it does not clear it.

use crate::metric::Metric;
use crate::validate::{number_in, required_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Comparator {
    AtLeast,
    AtMost,
}

/// What a criterion is measured over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Scope {
    Organization,
    Experience(Id),
    Touchpoint(Id),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Criterion {
    pub metric: Metric,
    pub scope: Scope,
    pub comparator: Comparator,
    pub threshold: f64,
    /// Non-negative; a value within this distance of the threshold is at risk.
    pub margin: f64,
    /// The perfect behaviour measured, with the metric `perfect_behaviour`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behaviour_id: Option<Id>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Met,
    AtRisk,
    Missed,
    /// Too few answers to judge (see `measure::estimate::MIN_SAMPLE`).
    Insufficient,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Met, Status::AtRisk, Status::Missed, Status::Insufficient];

    pub fn key(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::AtRisk => "at_risk",
            Status::Missed => "missed",
            Status::Insufficient => "insufficient",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.key() == s)
    }
}

impl Criterion {
    pub fn evaluate(&self, value: f64) -> Status {
        // Distance by which the value clears the threshold (negative: short).
        let clearance = match self.comparator {
            Comparator::AtLeast => value - self.threshold,
            Comparator::AtMost => self.threshold - value,
        };
        if clearance < 0.0 {
            Status::Missed
        } else if clearance <= self.margin {
            Status::AtRisk
        } else {
            Status::Met
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntentVersion {
    pub id: Id,
    /// 1 for the first statement, then 2, 3, ...
    pub version: i64,
    pub statement: String,
    pub criteria: Vec<Criterion>,
    pub created_at: DateTime<Utc>,
    pub created_by: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CriterionDraft {
    pub metric: Option<Metric>,
    pub scope: Option<Scope>,
    pub comparator: Option<Comparator>,
    pub threshold: Option<f64>,
    pub margin: Option<f64>,
    /// Required with the metric `perfect_behaviour`, refused otherwise.
    pub behaviour_id: Option<Id>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntentDraft {
    pub statement: Option<String>,
    #[serde(default)]
    pub criteria: Vec<CriterionDraft>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IntentInput {
    pub statement: String,
    pub criteria: Vec<Criterion>,
}

pub const MAX_CRITERIA: usize = 20;

impl IntentDraft {
    pub fn validate(&self) -> Result<IntentInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let statement = required_text(&mut e, "statement", self.statement.as_deref(), 4000);
        if self.criteria.len() > MAX_CRITERIA {
            e.add("criteria", "too_many", format!("at most {MAX_CRITERIA} criteria"));
        }
        let mut criteria = Vec::new();
        for (i, c) in self.criteria.iter().enumerate() {
            let f = |k: &str| format!("criteria[{i}].{k}");
            let metric = c.metric.unwrap_or_else(|| {
                e.add(f("metric"), "required", "is required");
                Metric::Nps
            });
            let comparator = c.comparator.unwrap_or_else(|| {
                e.add(f("comparator"), "required", "is required");
                Comparator::AtLeast
            });
            let (lo, hi) = metric.range();
            let threshold = number_in(&mut e, &f("threshold"), c.threshold, lo, hi);
            let margin = number_in(&mut e, &f("margin"), Some(c.margin.unwrap_or(0.0)), 0.0, hi - lo);
            let behaviour_id =
                crate::plan::perfect_behaviour::behaviour_for(&mut e, &f("behaviour_id"), metric, c.behaviour_id);
            criteria.push(Criterion {
                metric,
                scope: c.scope.unwrap_or(Scope::Organization),
                comparator,
                threshold,
                margin,
                behaviour_id,
            });
        }
        e.into_result(IntentInput { statement, criteria })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crit(comparator: Comparator, threshold: f64, margin: f64) -> Criterion {
        Criterion { metric: Metric::Nps, scope: Scope::Organization, comparator, threshold, margin, behaviour_id: None }
    }

    #[test]
    fn at_least_bands() {
        let c = crit(Comparator::AtLeast, 40.0, 5.0);
        assert_eq!(c.evaluate(50.0), Status::Met);
        assert_eq!(c.evaluate(45.0), Status::AtRisk, "the edge of the margin is at risk");
        assert_eq!(c.evaluate(40.0), Status::AtRisk);
        assert_eq!(c.evaluate(39.9), Status::Missed);
    }

    #[test]
    fn at_most_bands() {
        let c = crit(Comparator::AtMost, 5.0, 1.0);
        assert_eq!(c.evaluate(3.0), Status::Met);
        assert_eq!(c.evaluate(4.5), Status::AtRisk);
        assert_eq!(c.evaluate(5.1), Status::Missed);
        assert_eq!(crit(Comparator::AtMost, 5.0, 0.0).evaluate(5.0), Status::AtRisk);
    }

    #[test]
    fn scope_serializes_tagged() {
        assert_eq!(
            serde_json::to_value(Scope::Experience(4)).unwrap(),
            serde_json::json!({"kind": "experience", "id": 4})
        );
        assert_eq!(serde_json::to_value(Scope::Organization).unwrap(), serde_json::json!({"kind": "organization"}));
        let s: Scope = serde_json::from_value(serde_json::json!({"kind": "touchpoint", "id": 9})).unwrap();
        assert_eq!(s, Scope::Touchpoint(9));
    }

    #[test]
    fn validate_criteria() {
        let d = IntentDraft {
            statement: Some("Customers feel known at every step.".into()),
            criteria: vec![
                CriterionDraft {
                    metric: Some(Metric::Csat),
                    comparator: Some(Comparator::AtLeast),
                    threshold: Some(85.0),
                    ..Default::default()
                },
                CriterionDraft {
                    metric: Some(Metric::Ces),
                    comparator: None,
                    threshold: Some(9.0),
                    margin: Some(-1.0),
                    ..Default::default()
                },
            ],
        };
        let e = d.validate().unwrap_err();
        assert_eq!(e.get("criteria[1].comparator").unwrap().code, "required");
        assert_eq!(e.get("criteria[1].threshold").unwrap().code, "out_of_range");
        assert_eq!(e.get("criteria[1].margin").unwrap().code, "out_of_range");
        assert!(e.get("criteria[0].threshold").is_none());
        let ok = IntentDraft { criteria: vec![d.criteria[0].clone()], ..d }.validate().unwrap();
        assert_eq!(ok.criteria[0].margin, 0.0);
        assert_eq!(ok.criteria[0].scope, Scope::Organization);
    }
}
