//! What customers say (survey responses) and do (behaviour events), as they
//! arrive through the ingestion API, imports and public survey pages (B4).
//!
//! Each item may carry its own `id`, the sender's idempotency key: the same
//! id sent again is recognised and never stored twice.

use crate::lang::Lang;
use crate::survey::{Question, QuestionType};
use crate::text::TextSummary;
use crate::validate::{json_text, optional_text, required_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A behaviour the company can observe.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EventType {
    Purchase,
    Referral,
    Renewal,
    NonRenewal,
    Cancellation,
    Refund,
    Contact,
    TouchpointVisit,
    /// `custom:NAME`, NAME of a-z, 0-9, '_' and '-' (max 60).
    Custom(String),
}

impl EventType {
    pub const BUILT_IN: [EventType; 8] = [
        EventType::Purchase,
        EventType::Referral,
        EventType::Renewal,
        EventType::NonRenewal,
        EventType::Cancellation,
        EventType::Refund,
        EventType::Contact,
        EventType::TouchpointVisit,
    ];

    pub fn key(&self) -> String {
        match self {
            EventType::Purchase => "purchase".into(),
            EventType::Referral => "referral".into(),
            EventType::Renewal => "renewal".into(),
            EventType::NonRenewal => "non_renewal".into(),
            EventType::Cancellation => "cancellation".into(),
            EventType::Refund => "refund".into(),
            EventType::Contact => "contact".into(),
            EventType::TouchpointVisit => "touchpoint_visit".into(),
            EventType::Custom(name) => format!("custom:{name}"),
        }
    }

    pub fn parse(s: &str) -> Option<EventType> {
        if let Some(name) = s.strip_prefix("custom:") {
            let ok = (1..=60).contains(&name.len())
                && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
            return ok.then(|| EventType::Custom(name.to_string()));
        }
        EventType::BUILT_IN.into_iter().find(|t| t.key() == s)
    }

    /// Behaviours that pull away from the company.
    pub fn is_defection(&self) -> bool {
        matches!(self, EventType::NonRenewal | EventType::Cancellation | EventType::Refund)
    }
}

pub const ID_MAX: usize = 200;
pub const EXTERNAL_ID_MAX: usize = 200;
pub const COMMENT_MAX: usize = 10_000;

/// An event as sent by an integrator.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventDraft {
    /// Idempotency key chosen by the sender.
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The customer's external id.
    pub customer: Option<String>,
    /// RFC 3339 time of the behaviour.
    pub at: Option<String>,
    pub touchpoint: Option<Id>,
    pub amount: Option<f64>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub attributes: Map<String, Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EventInput {
    pub key: Option<String>,
    pub kind: EventType,
    pub customer: String,
    pub at: DateTime<Utc>,
    pub touchpoint: Option<Id>,
    pub amount: Option<f64>,
    pub attributes: Map<String, Value>,
}

fn parse_at(e: &mut FieldErrors, v: Option<&str>) -> DateTime<Utc> {
    match v.map(str::trim) {
        None | Some("") => {
            e.add("at", "required", "is required");
            DateTime::<Utc>::UNIX_EPOCH
        }
        Some(s) => DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)).unwrap_or_else(|_| {
            e.add("at", "invalid_time", "must be an RFC 3339 time such as 2026-03-01T09:30:00Z");
            DateTime::<Utc>::UNIX_EPOCH
        }),
    }
}

impl EventDraft {
    pub fn validate(&self) -> Result<EventInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let key = optional_text(&mut e, "id", self.id.as_deref(), ID_MAX);
        let kind = match self.kind.as_deref().map(str::trim) {
            None | Some("") => {
                e.add("type", "required", "is required");
                EventType::Contact
            }
            Some(s) => EventType::parse(s).unwrap_or_else(|| {
                e.add("type", "invalid_choice", "must be a known event type or custom:NAME");
                EventType::Contact
            }),
        };
        let customer = required_text(&mut e, "customer", self.customer.as_deref(), EXTERNAL_ID_MAX);
        let at = parse_at(&mut e, self.at.as_deref());
        if self.amount.is_some_and(|a| !a.is_finite()) {
            e.add("amount", "out_of_range", "must be a finite number");
        } else if kind == EventType::Purchase && self.amount.is_some_and(|a| a < 0.0) {
            // Money back is its own event: a negative purchase would lower
            // spend and still count as a purchase in every behaviour rate
            // and in the purchase models.
            e.add(
                "amount",
                "out_of_range",
                "must be zero or more for a purchase; send money returned as a refund event",
            );
        }
        json_text(&mut e, "attributes", &self.attributes);
        e.into_result(EventInput {
            key,
            kind,
            customer,
            at,
            touchpoint: self.touchpoint,
            amount: self.amount,
            attributes: self.attributes.clone(),
        })
    }
}

/// A survey response or free feedback as sent by an integrator.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseDraft {
    pub id: Option<String>,
    /// The survey answered; its touchpoint is implied.
    pub survey: Option<Id>,
    /// The touchpoint, for feedback without a survey.
    pub touchpoint: Option<Id>,
    pub customer: Option<String>,
    pub at: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub answers: Map<String, Value>,
    pub comment: Option<String>,
    pub channel: Option<String>,
    pub language: Option<Lang>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseInput {
    pub key: Option<String>,
    pub survey: Option<Id>,
    pub touchpoint: Option<Id>,
    pub customer: Option<String>,
    pub at: DateTime<Utc>,
    pub answers: Map<String, Value>,
    pub comment: Option<String>,
    pub channel: Option<String>,
    pub language: Option<Lang>,
}

impl ResponseDraft {
    /// Checks the envelope; answers are checked against the survey by
    /// `Survey::check_answers` once it is loaded.
    pub fn validate(&self) -> Result<ResponseInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let key = optional_text(&mut e, "id", self.id.as_deref(), ID_MAX);
        if self.survey.is_none() && self.touchpoint.is_none() {
            e.add("survey", "required", "give a survey or a touchpoint");
        }
        let customer = optional_text(&mut e, "customer", self.customer.as_deref(), EXTERNAL_ID_MAX);
        let at = parse_at(&mut e, self.at.as_deref());
        let comment = optional_text(&mut e, "comment", self.comment.as_deref(), COMMENT_MAX);
        let channel = optional_text(&mut e, "channel", self.channel.as_deref(), 40);
        if self.survey.is_none() && !self.answers.is_empty() {
            e.add("answers", "required", "answers need a survey");
        }
        json_text(&mut e, "answers", &self.answers);
        e.into_result(ResponseInput {
            key,
            survey: self.survey,
            touchpoint: self.touchpoint,
            customer,
            at,
            answers: self.answers.clone(),
            comment,
            channel,
            language: self.language,
        })
    }
}

/// A stored response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Response {
    pub id: Id,
    pub key: Option<String>,
    pub survey_id: Option<Id>,
    pub touchpoint_id: Id,
    /// External id; `None` for anonymous or erased customers.
    pub customer: Option<String>,
    pub at: DateTime<Utc>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub answers: Map<String, Value>,
    pub comment: Option<String>,
    pub channel: Option<String>,
    pub language: Option<Lang>,
    /// The comment's sentiment and flags (`crate::text`); `None` without a
    /// comment.
    pub text: Option<TextSummary>,
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: Id,
    pub key: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub customer: Option<String>,
    pub at: DateTime<Utc>,
    pub touchpoint_id: Option<Id>,
    pub amount: Option<f64>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub attributes: Map<String, Value>,
}

/// What a customer wrote in a response, as text analytics reads it: the
/// comment, then the answer to each free-text question in the survey's
/// order, one per line (surveys often ask "why?" as a question rather than
/// in the comment). `None` when nothing was written.
pub fn written_text(comment: Option<&str>, questions: &[Question], answers: &Map<String, Value>) -> Option<String> {
    let texts = questions
        .iter()
        .filter(|q| q.kind == QuestionType::Text)
        .filter_map(|q| answers.get(&q.key).and_then(Value::as_str));
    let parts: Vec<&str> = comment.into_iter().chain(texts).map(str::trim).filter(|t| !t.is_empty()).collect();
    (!parts.is_empty()).then(|| parts.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn event_types_round_trip() {
        for t in EventType::BUILT_IN {
            assert_eq!(EventType::parse(&t.key()), Some(t));
        }
        assert_eq!(EventType::parse("custom:trial-start"), Some(EventType::Custom("trial-start".into())));
        for bad in ["custom:", "custom:Bad Name", "buy", ""] {
            assert_eq!(EventType::parse(bad), None, "{bad}");
        }
        assert!(EventType::Refund.is_defection());
        assert!(!EventType::Purchase.is_defection());
    }

    #[test]
    fn event_validation() {
        let d: EventDraft = serde_json::from_value(json!({
            "id": "e-1", "type": "purchase", "customer": "c-9", "at": "2026-03-01T10:00:00+01:00", "amount": 12.5
        }))
        .unwrap();
        let ok = d.validate().unwrap();
        assert_eq!(ok.at.to_rfc3339(), "2026-03-01T09:00:00+00:00");
        assert_eq!(ok.key.as_deref(), Some("e-1"));
        let bad: EventDraft = serde_json::from_value(json!({"type": "buy", "at": "yesterday"})).unwrap();
        let e = bad.validate().unwrap_err();
        assert_eq!(e.get("type").unwrap().code, "invalid_choice");
        assert_eq!(e.get("customer").unwrap().code, "required");
        assert_eq!(e.get("at").unwrap().code, "invalid_time");
        let negative = |kind: &str| {
            let d: EventDraft = serde_json::from_value(json!({
                "type": kind, "customer": "c-9", "at": "2026-03-01T10:00:00Z", "amount": -20.0
            }))
            .unwrap();
            d.validate()
        };
        let e = negative("purchase").unwrap_err();
        assert_eq!(e.get("amount").unwrap().code, "out_of_range");
        assert!(e.to_string().contains("refund event"), "{e}");
        assert_eq!(negative("refund").unwrap().amount, Some(-20.0), "other kinds keep their sign");
    }

    #[test]
    fn response_validation() {
        let d: ResponseDraft = serde_json::from_value(json!({
            "survey": 4, "customer": "c-1", "at": "2026-03-01T10:00:00Z", "answers": {"nps": 9}, "comment": "  quick  "
        }))
        .unwrap();
        let ok = d.validate().unwrap();
        assert_eq!(ok.comment.as_deref(), Some("quick"));
        let d: ResponseDraft =
            serde_json::from_value(json!({"at": "2026-03-01T10:00:00Z", "answers": {"nps": 9}})).unwrap();
        let e = d.validate().unwrap_err();
        assert_eq!(e.get("survey").unwrap().code, "required");
        assert_eq!(e.get("answers").unwrap().code, "required");
    }

    #[test]
    fn nul_characters_are_refused_by_field() {
        let d: ResponseDraft = serde_json::from_value(json!({
            "id": "r\u{0}1", "survey": 4, "customer": "c\u{0}1", "at": "2026-03-01T10:00:00Z",
            "comment": "fine\u{0}", "channel": "w\u{0}eb",
            "answers": {"nps": 9, "why": "fast\u{0}", "more": {"list": ["ok", "b\u{0}d"]}, "k\u{0}y": 1}
        }))
        .unwrap();
        let e = d.validate().unwrap_err();
        for field in
            ["id", "customer", "comment", "channel", "answers.why", "answers.more.list[1]", "answers.k\\u0000y"]
        {
            assert_eq!(e.get(field).map(|f| f.code), Some("invalid"), "{field}: {e}");
        }
        assert_eq!(e.0.len(), 7, "{e}");
        assert!(e.to_string().contains("answers.why: must not contain NUL characters"), "{e}");

        let d: EventDraft = serde_json::from_value(json!({
            "id": "e-1", "type": "purchase", "customer": "c\u{0}", "at": "2026-03-01T10:00:00Z",
            "attributes": {"plan": "pro\u{0}", "ok": "yes", "n": 3, "deep": [[{"x": "\u{0}"}]]}
        }))
        .unwrap();
        let e = d.validate().unwrap_err();
        let mut fields: Vec<&str> = e.0.keys().map(String::as_str).collect();
        fields.sort();
        assert_eq!(fields, vec!["attributes.deep[0][0].x", "attributes.plan", "customer"], "{e}");
    }

    #[test]
    fn what_they_wrote_is_the_comment_and_the_free_text_answers() {
        let questions: Vec<Question> = serde_json::from_value(json!([
            {"key": "nps", "type": "nps", "text": {"en": "NPS", "es": "NPS"}},
            {"key": "plan", "type": "single_choice", "text": {"en": "Plan", "es": "Plan"},
             "choices": [{"key": "pro", "label": {"en": "Pro", "es": "Pro"}}]},
            {"key": "why", "type": "text", "text": {"en": "Why?", "es": "¿Por qué?"}}
        ]))
        .unwrap();
        let answers = json!({"nps": 3, "plan": "pro", "why": " Too slow. "});
        let answers = answers.as_object().unwrap();
        assert_eq!(written_text(Some("Call me."), &questions, answers).as_deref(), Some("Call me.\nToo slow."));
        assert_eq!(written_text(None, &questions, answers).as_deref(), Some("Too slow."), "choice keys are not text");
        assert_eq!(written_text(Some("  "), &[], &Map::new()), None);
    }
}
