//! Customer cases (D1–D3): when feedback says a customer is unhappy, a case
//! puts one named person on it with a promised response time, walks them
//! through the RESOLVED method and ends with a root cause the company can
//! learn from.
//!
//! - [`trigger`]: which feedback opens a case (rules);
//! - [`routing`]: who gets it and what is promised (routing rules, then the
//!   touchpoint's owner, then the listening post's governor);
//! - [`promise`]: due times in working hours, breaches;
//! - [`resolved`]: the eight ordered steps and when a case may close;
//! - [`root_cause`]: the taxonomy and the report of what keeps going wrong.
//!
//! At most one case per customer and touchpoint is open at a time: new
//! matching feedback joins it rather than opening another (storage enforces
//! it with a partial unique index).

pub mod closed_loop;
pub mod conversation;
pub mod history;
pub mod promise;
pub mod resolved;
pub mod root_cause;
pub mod routing;
pub mod triage;
pub mod trigger;

use crate::validate::{optional_text, required_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, Utc};
use resolved::StepRecord;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Open,
    Closed,
}

impl CaseStatus {
    pub fn key(self) -> &'static str {
        match self {
            CaseStatus::Open => "open",
            CaseStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<CaseStatus> {
        [CaseStatus::Open, CaseStatus::Closed].into_iter().find(|x| x.key() == s)
    }
}

/// Feedback or behaviour linked to a case: what opened it and what joined it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseItem {
    /// "response" or "event".
    pub kind: String,
    pub id: Id,
    pub at: DateTime<Utc>,
}

/// One line of a case's history: opened, joined, assigned, escalated,
/// step, closed, reopened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    /// `user:ID`, `token:ID` or `system`.
    pub actor: String,
    pub action: String,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Case {
    pub id: Id,
    pub title: String,
    /// The customer's external id; `None` once erased.
    pub customer: Option<String>,
    pub touchpoint_id: Option<Id>,
    /// The rule that opened it; `None` when opened by hand.
    pub rule_id: Option<Id>,
    pub status: CaseStatus,
    pub assignee_id: Option<Id>,
    pub opened_at: DateTime<Utc>,
    pub first_response_due: DateTime<Utc>,
    pub resolution_due: DateTime<Utc>,
    pub first_responded_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// When a promise was first broken, and to whom it was escalated.
    pub escalated_at: Option<DateTime<Utc>>,
    pub escalated_to: Option<Id>,
    pub root_cause_id: Option<Id>,
    pub steps: Vec<StepRecord>,
    pub items: Vec<CaseItem>,
    pub history: Vec<HistoryEntry>,
    /// Priority, tags and why it is with its assignee (the queue's triage).
    #[serde(flatten)]
    pub triage: CaseTriage,
}

/// A case's triage in the queue (see [`triage`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseTriage {
    pub priority: triage::Priority,
    pub tags: Vec<String>,
    /// Which routing step (or person) gave the case its assignee; `None`
    /// for cases opened before it was recorded.
    pub assignment_reason: Option<triage::AssignmentReason>,
    /// Opened from a detractor's response (NPS 0-6 or CSAT 1-2): counted
    /// by the closed-loop rate.
    pub detractor: bool,
}

impl Case {
    /// An open case whose promise is broken: late as of `now`, or already
    /// recorded as broken (escalated) by the escalation clock.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.status == CaseStatus::Open && (self.escalated_at.is_some() || !promise::breaches(self, now).is_empty())
    }

    /// When the next promise falls due: the first response until it is
    /// given, then the resolution.
    pub fn next_due(&self) -> DateTime<Utc> {
        if self.first_responded_at.is_none() {
            self.first_response_due
        } else {
            self.resolution_due
        }
    }
}

/// A case opened by hand from a customer's timeline.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseDraft {
    pub customer: Option<String>,
    pub touchpoint_id: Option<Id>,
    pub title: Option<String>,
    /// Someone to give it to instead of whom routing would choose.
    pub assignee_id: Option<Id>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseInput {
    pub customer: String,
    pub touchpoint_id: Option<Id>,
    pub title: String,
    pub assignee_id: Option<Id>,
    pub note: Option<String>,
}

impl CaseDraft {
    pub fn validate(&self) -> Result<CaseInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let customer = required_text(&mut e, "customer", self.customer.as_deref(), 200);
        let title = required_text(&mut e, "title", self.title.as_deref(), 200);
        let note = optional_text(&mut e, "note", self.note.as_deref(), 4000);
        e.into_result(CaseInput {
            customer,
            touchpoint_id: self.touchpoint_id,
            title,
            assignee_id: self.assignee_id,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_keys_round_trip() {
        for s in [CaseStatus::Open, CaseStatus::Closed] {
            assert_eq!(CaseStatus::parse(s.key()), Some(s));
        }
        assert_eq!(CaseStatus::parse("pending"), None);
    }

    #[test]
    fn a_manual_case_needs_a_customer_and_a_title() {
        let e = CaseDraft::default().validate().unwrap_err();
        assert_eq!(e.get("customer").unwrap().code, "required");
        assert_eq!(e.get("title").unwrap().code, "required");
        let ok =
            CaseDraft { customer: Some(" c-1 ".into()), title: Some("Late delivery".into()), ..Default::default() }
                .validate()
                .unwrap();
        assert_eq!(ok.customer, "c-1");
        assert_eq!(ok.note, None);
    }
}
