//! The listening-post inventory (B3): every channel where the company
//! listens, the touchpoint it covers, how much it matters, who governs the
//! response and the response time promised.

use crate::validate::{optional_text, required_text, FieldErrors};
use crate::Id;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListeningPost {
    pub id: Id,
    pub name: String,
    /// e.g. "survey", "email", "phone", "social", "review_site", "chat".
    pub channel: String,
    pub touchpoint_id: Option<Id>,
    /// 1 (nice to have) to 5 (critical).
    pub priority: i64,
    /// The person who governs the response.
    pub governed_by: Option<Id>,
    /// Promised response time in working hours.
    pub response_hours: Option<i64>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListeningPostDraft {
    pub name: Option<String>,
    pub channel: Option<String>,
    pub touchpoint_id: Option<Id>,
    pub priority: Option<i64>,
    pub governed_by: Option<Id>,
    pub response_hours: Option<i64>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListeningPostInput {
    pub name: String,
    pub channel: String,
    pub touchpoint_id: Option<Id>,
    pub priority: i64,
    pub governed_by: Option<Id>,
    pub response_hours: Option<i64>,
    pub notes: Option<String>,
}

impl ListeningPostDraft {
    pub fn validate(&self) -> Result<ListeningPostInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = required_text(&mut e, "name", self.name.as_deref(), 120);
        let channel = required_text(&mut e, "channel", self.channel.as_deref(), 40);
        let priority = self.priority.unwrap_or(3);
        if !(1..=5).contains(&priority) {
            e.add("priority", "out_of_range", "must be between 1 and 5");
        }
        if self.response_hours.is_some_and(|h| !(1..=24 * 365).contains(&h)) {
            e.add("response_hours", "out_of_range", "must be between 1 and 8760");
        }
        let notes = optional_text(&mut e, "notes", self.notes.as_deref(), 2000);
        e.into_result(ListeningPostInput {
            name,
            channel,
            touchpoint_id: self.touchpoint_id,
            priority,
            governed_by: self.governed_by,
            response_hours: self.response_hours,
            notes,
        })
    }
}

/// Touchpoints that no listening post covers: where the company is deaf.
pub fn unheard_touchpoints(touchpoints: &[Id], posts: &[ListeningPost]) -> Vec<Id> {
    touchpoints.iter().copied().filter(|t| !posts.iter().any(|p| p.touchpoint_id == Some(*t))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_defaults_priority() {
        let d = ListeningPostDraft {
            name: Some("NPS after delivery".into()),
            channel: Some("survey".into()),
            ..Default::default()
        };
        assert_eq!(d.validate().unwrap().priority, 3);
        let bad = ListeningPostDraft { priority: Some(9), response_hours: Some(0), ..Default::default() };
        let e = bad.validate().unwrap_err();
        for k in ["name", "channel", "priority", "response_hours"] {
            assert!(e.get(k).is_some(), "{k}");
        }
    }

    #[test]
    fn unheard() {
        let post = |id, tp| ListeningPost {
            id,
            name: "p".into(),
            channel: "survey".into(),
            touchpoint_id: tp,
            priority: 3,
            governed_by: None,
            response_hours: None,
            notes: None,
        };
        assert_eq!(unheard_touchpoints(&[1, 2, 3], &[post(1, Some(2)), post(2, None)]), vec![1, 3]);
    }
}
