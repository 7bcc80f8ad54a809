//! The RESOLVED method: eight steps worked in order on every case.
//! Respond, Empathize (apologize), Seek to solve, Open to the customer's
//! solution, Listen, Verify, Eliminate, Document. Each step records who did
//! it, when and a note; some record more: what the customer proposed
//! (Open), whether they agreed (Verify), the action taken (Eliminate), the
//! root cause (Document). A step may be recorded again (the later record
//! wins) but only once every earlier step is. A case closes only when Verify
//! says the customer agreed and Document names a root cause with a
//! description.

use crate::validate::{optional_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Respond,
    Empathize,
    Seek,
    Open,
    Listen,
    Verify,
    Eliminate,
    Document,
}

impl Step {
    pub const ALL: [Step; 8] = [
        Step::Respond,
        Step::Empathize,
        Step::Seek,
        Step::Open,
        Step::Listen,
        Step::Verify,
        Step::Eliminate,
        Step::Document,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Step::Respond => "respond",
            Step::Empathize => "empathize",
            Step::Seek => "seek",
            Step::Open => "open",
            Step::Listen => "listen",
            Step::Verify => "verify",
            Step::Eliminate => "eliminate",
            Step::Document => "document",
        }
    }

    pub fn parse(s: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|x| x.key() == s)
    }

    /// 1 to 8.
    pub fn number(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }
}

/// A recorded step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepRecord {
    pub step: Step,
    /// `user:ID` or `token:ID`.
    pub done_by: String,
    pub done_at: DateTime<Utc>,
    pub note: Option<String>,
    /// Open: what the customer proposed.
    pub proposal: Option<String>,
    /// Verify: whether the customer agreed with the solution.
    pub agreed: Option<bool>,
    /// Eliminate: the action taken.
    pub action: Option<String>,
    /// Document: the root-cause category and its description.
    pub root_cause_id: Option<Id>,
    pub root_cause_note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepDraft {
    pub note: Option<String>,
    pub proposal: Option<String>,
    pub agreed: Option<bool>,
    pub action: Option<String>,
    pub root_cause_id: Option<Id>,
    pub root_cause_note: Option<String>,
}

/// A step to record, checked for what that step needs.
#[derive(Debug, Clone, PartialEq)]
pub struct StepInput {
    pub step: Step,
    pub note: Option<String>,
    pub proposal: Option<String>,
    pub agreed: Option<bool>,
    pub action: Option<String>,
    pub root_cause_id: Option<Id>,
    pub root_cause_note: Option<String>,
}

impl StepDraft {
    pub fn validate(&self, step: Step) -> Result<StepInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let note = optional_text(&mut e, "note", self.note.as_deref(), 4000);
        let mut text = |field: &str, v: &Option<String>, wanted: bool, what: &str| {
            let t = optional_text(&mut e, field, v.as_deref(), 4000);
            if wanted && t.is_none() {
                e.add(field, "required", format!("is required: {what}"));
            }
            t.filter(|_| wanted)
        };
        let proposal = text("proposal", &self.proposal, step == Step::Open, "what the customer proposed");
        let action = text("action", &self.action, step == Step::Eliminate, "the action taken");
        let root_cause_note =
            text("root_cause_note", &self.root_cause_note, step == Step::Document, "describe the root cause");
        let agreed = if step == Step::Verify {
            if self.agreed.is_none() {
                e.add("agreed", "required", "is required: did the customer agree with the solution?");
            }
            self.agreed
        } else {
            None
        };
        let root_cause_id = if step == Step::Document {
            if self.root_cause_id.is_none() {
                e.add("root_cause_id", "required", "is required: choose a root-cause category");
            }
            self.root_cause_id
        } else {
            None
        };
        e.into_result(StepInput { step, note, proposal, agreed, action, root_cause_id, root_cause_note })
    }
}

/// The latest record of each step.
fn latest(records: &[StepRecord], step: Step) -> Option<&StepRecord> {
    records.iter().filter(|r| r.step == step).max_by_key(|r| r.done_at)
}

/// Every earlier step must be recorded before `step`.
pub fn check_order(records: &[StepRecord], step: Step) -> Result<(), FieldErrors> {
    match Step::ALL.iter().take_while(|s| **s != step).find(|s| latest(records, **s).is_none()) {
        Some(missing) => Err(FieldErrors::single(
            "step",
            "out_of_order",
            format!("step {} ({}) comes first", missing.number(), missing.key()),
        )),
        None => Ok(()),
    }
}

/// The first step not yet recorded.
pub fn next_step(records: &[StepRecord]) -> Option<Step> {
    Step::ALL.into_iter().find(|s| latest(records, *s).is_none())
}

/// Whether the case may close, and if not, why (field `status`).
pub fn check_close(records: &[StepRecord]) -> Result<(), FieldErrors> {
    let agreed = latest(records, Step::Verify).and_then(|r| r.agreed) == Some(true);
    let documented =
        latest(records, Step::Document).is_some_and(|r| r.root_cause_id.is_some() && r.root_cause_note.is_some());
    let message = match (agreed, documented) {
        (true, true) => return Ok(()),
        (false, false) => {
            "cannot close yet: Verify must record that the customer agreed, and Document must name the root cause"
        }
        (false, true) => "cannot close yet: Verify must record that the customer agreed",
        (true, false) => "cannot close yet: Document must name the root cause and describe it",
    };
    Err(FieldErrors::single("status", "not_resolved", message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn record(step: Step, minute: u32) -> StepRecord {
        StepRecord {
            step,
            done_by: "user:1".into(),
            done_at: Utc.with_ymd_and_hms(2026, 11, 23, 10, minute, 0).unwrap(),
            note: None,
            proposal: None,
            agreed: None,
            action: None,
            root_cause_id: None,
            root_cause_note: None,
        }
    }

    #[test]
    fn keys_and_numbers() {
        for (i, s) in Step::ALL.into_iter().enumerate() {
            assert_eq!(Step::parse(s.key()), Some(s));
            assert_eq!(s.number(), i + 1);
        }
        assert_eq!(Step::parse("resolve"), None);
        let letters: String = Step::ALL.iter().map(|s| s.key().chars().next().unwrap().to_ascii_uppercase()).collect();
        assert_eq!(letters, "RESOLVED");
    }

    #[test]
    fn steps_go_in_order_and_may_be_redone() {
        let mut done = vec![];
        assert!(check_order(&done, Step::Respond).is_ok());
        let e = check_order(&done, Step::Seek).unwrap_err();
        assert_eq!(e.get("step").unwrap().code, "out_of_order");
        assert!(e.get("step").unwrap().message.contains("step 1 (respond)"));
        done.push(record(Step::Respond, 0));
        done.push(record(Step::Empathize, 1));
        assert!(check_order(&done, Step::Seek).is_ok());
        assert!(check_order(&done, Step::Respond).is_ok(), "redoing an earlier step is fine");
        assert_eq!(next_step(&done), Some(Step::Seek));
    }

    #[test]
    fn each_step_requires_what_it_records() {
        let empty = StepDraft::default();
        assert!(empty.validate(Step::Respond).is_ok());
        assert_eq!(empty.validate(Step::Open).unwrap_err().get("proposal").unwrap().code, "required");
        assert_eq!(empty.validate(Step::Verify).unwrap_err().get("agreed").unwrap().code, "required");
        assert_eq!(empty.validate(Step::Eliminate).unwrap_err().get("action").unwrap().code, "required");
        let e = empty.validate(Step::Document).unwrap_err();
        assert!(e.get("root_cause_id").is_some() && e.get("root_cause_note").is_some());
        let noisy = StepDraft { agreed: Some(true), action: Some("x".into()), ..Default::default() };
        let s = noisy.validate(Step::Listen).unwrap();
        assert_eq!((s.agreed, s.action), (None, None), "fields of other steps are dropped");
    }

    #[test]
    fn closing_needs_agreement_and_a_documented_root_cause() {
        let mut done: Vec<StepRecord> = Step::ALL.iter().enumerate().map(|(i, s)| record(*s, i as u32)).collect();
        let e = check_close(&done).unwrap_err();
        assert!(e.get("status").unwrap().message.contains("Verify"));
        done[5].agreed = Some(false);
        assert!(check_close(&done).is_err());
        done[5].agreed = Some(true);
        assert!(check_close(&done).unwrap_err().get("status").unwrap().message.contains("Document"));
        done[7].root_cause_id = Some(3);
        done[7].root_cause_note = Some("Courier lost the parcel".into());
        assert!(check_close(&done).is_ok());
        let mut disagreed = record(Step::Verify, 30);
        disagreed.agreed = Some(false);
        done.push(disagreed);
        assert!(check_close(&done).is_err(), "the latest Verify counts");
    }
}
