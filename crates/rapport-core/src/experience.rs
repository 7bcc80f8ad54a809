//! Experience plans (A1): who the customer is, the goal as a measurable
//! behaviour with a target, the accountable leader (A2) and the key
//! interactions, whose additions and removals are kept as history.

use crate::metric::Metric;
use crate::validate::{number_in, optional_text, required_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Month,
    #[default]
    Quarter,
    Year,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::Month, Period::Quarter, Period::Year];
    pub fn key(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }
    pub fn parse(s: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.key() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Goal {
    pub metric: Metric,
    pub target: f64,
    pub period: Period,
    /// The perfect behaviour measured, with the metric `perfect_behaviour`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behaviour_id: Option<Id>,
}

/// A touchpoint that is (or was) a key interaction of an experience.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interaction {
    pub touchpoint_id: Id,
    /// Order within the experience's designed path, from 1.
    pub position: i64,
    pub added_at: DateTime<Utc>,
    /// Set when the interaction was removed; removed ones stay as history.
    pub removed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Experience {
    pub id: Id,
    pub name: String,
    /// Who the customer is, in words everyone on the team shares.
    pub customer_definition: Option<String>,
    pub segment_ids: Vec<Id>,
    pub goal: Goal,
    pub leader_id: Option<Id>,
    /// Current key interactions in designed-path order (removed ones excluded).
    pub interactions: Vec<Interaction>,
    pub created_at: DateTime<Utc>,
}

impl Experience {
    pub fn touchpoint_ids(&self) -> Vec<Id> {
        self.interactions.iter().map(|i| i.touchpoint_id).collect()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExperienceDraft {
    pub name: Option<String>,
    pub customer_definition: Option<String>,
    #[serde(default)]
    pub segment_ids: Vec<Id>,
    pub goal_metric: Option<Metric>,
    pub goal_target: Option<f64>,
    pub goal_period: Option<Period>,
    /// Required with the goal metric `perfect_behaviour`, refused otherwise.
    pub goal_behaviour_id: Option<Id>,
    pub leader_id: Option<Id>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExperienceInput {
    pub name: String,
    pub customer_definition: Option<String>,
    pub segment_ids: Vec<Id>,
    pub goal: Goal,
    pub leader_id: Option<Id>,
}

impl ExperienceDraft {
    pub fn validate(&self) -> Result<ExperienceInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", self.name.as_deref(), 120);
        let customer_definition =
            optional_text(&mut e, "customer_definition", self.customer_definition.as_deref(), 2000);
        let metric = match self.goal_metric {
            Some(m) => m,
            None => {
                e.add("goal_metric", "required", "is required");
                Metric::RepeatPurchaseRate
            }
        };
        let (lo, hi) = metric.range();
        let target = number_in(&mut e, "goal_target", self.goal_target, lo, hi);
        let mut segment_ids = self.segment_ids.clone();
        segment_ids.sort_unstable();
        segment_ids.dedup();
        let behaviour_id =
            crate::plan::perfect_behaviour::behaviour_for(&mut e, "goal_behaviour_id", metric, self.goal_behaviour_id);
        let goal = Goal { metric, target, period: self.goal_period.unwrap_or_default(), behaviour_id };
        e.into_result(ExperienceInput { name, customer_definition, segment_ids, goal, leader_id: self.leader_id })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validate_checks_target_against_metric_range() {
        let mut d = ExperienceDraft {
            name: Some("First purchase".into()),
            goal_metric: Some(Metric::Nps),
            goal_target: Some(-20.0),
            segment_ids: vec![3, 1, 3],
            ..Default::default()
        };
        let ok = d.validate().unwrap();
        assert_eq!(ok.goal.period, Period::Quarter);
        assert_eq!(ok.segment_ids, vec![1, 3]);
        d.goal_metric = Some(Metric::Csat);
        assert_eq!(d.validate().unwrap_err().get("goal_target").unwrap().code, "out_of_range");
        d.goal_metric = None;
        d.name = None;
        let e = d.validate().unwrap_err();
        assert!(e.get("goal_metric").is_some() && e.get("name").is_some());
    }

    #[test]
    fn period_keys() {
        for p in Period::ALL {
            assert_eq!(Period::parse(p.key()), Some(p));
        }
    }
}
