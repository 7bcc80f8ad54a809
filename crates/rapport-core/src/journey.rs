//! The journey map (A5): ordered stages, and touchpoints placed on them in
//! the designed path, each with a channel, a department, an owner (A2) and an
//! importance per customer segment (A4).

use crate::validate::{optional_text, required_text, FieldErrors};
use crate::Id;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Stage {
    pub id: Id,
    pub name: String,
    /// Order on the map, from 1.
    pub position: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StageDraft {
    pub name: Option<String>,
    /// Defaults to after the last stage.
    pub position: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StageInput {
    pub name: String,
    pub position: Option<i64>,
}

impl StageDraft {
    pub fn validate(&self) -> Result<StageInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", self.name.as_deref(), 80);
        if self.position.is_some_and(|p| !(1..=1000).contains(&p)) {
            e.add("position", "out_of_range", "must be between 1 and 1000");
        }
        e.into_result(StageInput { name, position: self.position })
    }
}

/// How much a touchpoint matters to one segment, 1 (little) to 5 (critical).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Importance {
    pub segment_id: Id,
    pub importance: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Touchpoint {
    pub id: Id,
    pub name: String,
    pub description: Option<String>,
    pub stage_id: Id,
    /// Order within the designed path of its stage, from 1.
    pub position: i64,
    pub channel: Option<String>,
    pub department: Option<String>,
    pub owner_id: Option<Id>,
    pub importance: Vec<Importance>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TouchpointDraft {
    pub name: Option<String>,
    pub description: Option<String>,
    pub stage_id: Option<Id>,
    /// Defaults to after the stage's last touchpoint.
    pub position: Option<i64>,
    pub channel: Option<String>,
    pub department: Option<String>,
    pub owner_id: Option<Id>,
    #[serde(default)]
    pub importance: Vec<Importance>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TouchpointInput {
    pub name: String,
    pub description: Option<String>,
    pub stage_id: Id,
    pub position: Option<i64>,
    pub channel: Option<String>,
    pub department: Option<String>,
    pub owner_id: Option<Id>,
    pub importance: Vec<Importance>,
}

/// Channels suggested in forms; any other text is accepted too.
pub const CHANNELS: [&str; 8] = ["web", "mobile_app", "email", "phone", "chat", "store", "field", "mail"];

impl TouchpointDraft {
    pub fn validate(&self) -> Result<TouchpointInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", self.name.as_deref(), 120);
        let description = optional_text(&mut e, "description", self.description.as_deref(), 2000);
        let stage_id = match self.stage_id {
            Some(id) => id,
            None => {
                e.add("stage_id", "required", "is required");
                0
            }
        };
        if self.position.is_some_and(|p| !(1..=1000).contains(&p)) {
            e.add("position", "out_of_range", "must be between 1 and 1000");
        }
        let channel = optional_text(&mut e, "channel", self.channel.as_deref(), 40);
        let department = optional_text(&mut e, "department", self.department.as_deref(), 80);
        let mut seen = std::collections::HashSet::new();
        for (i, imp) in self.importance.iter().enumerate() {
            if !(1..=5).contains(&imp.importance) {
                e.add(format!("importance[{i}].importance"), "out_of_range", "must be between 1 and 5");
            }
            if !seen.insert(imp.segment_id) {
                e.add(format!("importance[{i}].segment_id"), "duplicate", "segment listed twice");
            }
        }
        e.into_result(TouchpointInput {
            name,
            description,
            stage_id,
            position: self.position,
            channel,
            department,
            owner_id: self.owner_id,
            importance: self.importance.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_validation() {
        assert!(StageDraft { name: Some("Buy".into()), position: None }.validate().is_ok());
        let e = StageDraft { name: None, position: Some(0) }.validate().unwrap_err();
        assert_eq!(e.get("name").unwrap().code, "required");
        assert_eq!(e.get("position").unwrap().code, "out_of_range");
    }

    #[test]
    fn touchpoint_validation() {
        let mut d = TouchpointDraft {
            name: Some("Checkout".into()),
            stage_id: Some(2),
            importance: vec![Importance { segment_id: 1, importance: 5 }],
            ..Default::default()
        };
        assert_eq!(d.validate().unwrap().stage_id, 2);
        d.importance.push(Importance { segment_id: 1, importance: 9 });
        d.stage_id = None;
        let e = d.validate().unwrap_err();
        assert_eq!(e.get("stage_id").unwrap().code, "required");
        assert_eq!(e.get("importance[1].importance").unwrap().code, "out_of_range");
    }
}
