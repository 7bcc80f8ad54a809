//! D1/D2. Cases as conversations: replies to the customer by e-mail from
//! the case (templates per RESOLVED step in EN/ES), the customer's answers
//! coming back into the same case, and internal notes.
//!
//! Policy:
//! - a case's thread holds three kinds of message: a `reply` (sent by an
//!   agent, e-mailed to the customer), a `note` (internal: never e-mailed,
//!   never shown to the customer) and `customer` (what the customer wrote
//!   back through the inbound-mail endpoint);
//! - the first reply stops the first-response promise clock; after a reply
//!   the case is waiting on the customer until they answer;
//! - the customer's answer is matched by a signed reply address
//!   ([`address`]), stripped of the quoted earlier mail ([`strip_quoted`]),
//!   and reopens the case when it was closed;
//! - replies are written from templates ([`templates`]) in the customer's
//!   language: their `language` attribute, else the organization's default.

pub mod address;
pub mod templates;

use crate::lang::Lang;
use crate::validate::{optional_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The longest message body, in characters.
pub const BODY_MAX: usize = 20_000;
/// The longest subject line, in characters.
pub const SUBJECT_MAX: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// An agent's e-mail to the customer.
    Reply,
    /// Internal: never e-mailed, never shown to the customer.
    Note,
    /// The customer's answer, received by e-mail.
    Customer,
}

impl MessageKind {
    pub fn key(self) -> &'static str {
        match self {
            MessageKind::Reply => "reply",
            MessageKind::Note => "note",
            MessageKind::Customer => "customer",
        }
    }

    pub fn parse(s: &str) -> Option<MessageKind> {
        [MessageKind::Reply, MessageKind::Note, MessageKind::Customer].into_iter().find(|k| k.key() == s)
    }

    /// The case history action a message of this kind writes.
    pub fn history_action(self) -> &'static str {
        match self {
            MessageKind::Reply => "reply_sent",
            MessageKind::Note => "note_added",
            MessageKind::Customer => "customer_replied",
        }
    }
}

/// Whether an outbound e-mail reached the customer's mail server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CaseMailStatus {
    Pending,
    Delivered,
    Failed,
}

impl CaseMailStatus {
    pub fn key(self) -> &'static str {
        match self {
            CaseMailStatus::Pending => "pending",
            CaseMailStatus::Delivered => "delivered",
            CaseMailStatus::Failed => "failed",
        }
    }
}

/// One message of a case's thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseMessage {
    pub id: Id,
    pub case_id: Id,
    pub kind: MessageKind,
    /// Who wrote it: `user:ID` or an e-mail for agents, the sender's
    /// address for the customer.
    pub author: String,
    pub subject: Option<String>,
    pub body: String,
    /// The language a reply was written in.
    pub lang: Option<String>,
    pub created_at: DateTime<Utc>,
    /// A reply's e-mail delivery; `None` for notes and customer messages.
    pub delivery: Option<CaseMailStatus>,
}

/// A reply or a note as sent (API body and web form).
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseMessageDraft {
    /// `reply` (e-mailed to the customer) or `note` (internal).
    pub kind: Option<String>,
    /// A reply's subject; the template's, else "Re: <case title>".
    pub subject: Option<String>,
    /// The text; a reply may leave it out and name a `template`.
    pub body: Option<String>,
    /// A RESOLVED step whose template writes the reply (`respond`, ...).
    pub template: Option<String>,
    /// `en` or `es`; the customer's language when absent.
    pub lang: Option<String>,
}

/// A checked draft: what to write, before the template is rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseMessageInput {
    pub kind: MessageKind,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub template: Option<crate::case::resolved::Step>,
    pub lang: Option<Lang>,
}

impl CaseMessageDraft {
    pub fn validate(&self) -> Result<CaseMessageInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let kind = match self.kind.as_deref().map(str::trim) {
            None | Some("") => {
                e.add("kind", "required", "is required: reply or note");
                MessageKind::Note
            }
            Some(k) => match MessageKind::parse(k) {
                Some(k @ (MessageKind::Reply | MessageKind::Note)) => k,
                _ => {
                    e.add("kind", "invalid_choice", "must be one of: reply, note");
                    MessageKind::Note
                }
            },
        };
        let subject = optional_text(&mut e, "subject", self.subject.as_deref(), SUBJECT_MAX);
        let body = optional_text(&mut e, "body", self.body.as_deref(), BODY_MAX);
        let template = match self.template.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(t) => {
                let step = crate::case::resolved::Step::parse(t);
                if step.is_none() {
                    e.add(
                        "template",
                        "invalid_choice",
                        "must be a RESOLVED step: respond, empathize, seek, open, listen, verify, eliminate, document",
                    );
                }
                step
            }
        };
        let lang = match self.lang.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
            None => None,
            Some(l) => {
                let lang = Lang::ALL.into_iter().find(|x| x.code() == l.to_ascii_lowercase());
                if lang.is_none() {
                    e.add("lang", "invalid_choice", "must be one of: en, es");
                }
                lang
            }
        };
        if body.is_none() && (kind == MessageKind::Note || template.is_none()) && e.get("body").is_none() {
            e.add("body", "required", "is required (or name a template)");
        }
        if kind == MessageKind::Note && template.is_some() {
            e.add("template", "note_not_templated", "a note is written, not templated");
        }
        e.into_result(CaseMessageInput { kind, subject, body, template, lang })
    }
}

/// What the case knows of how its customer writes: the language their
/// latest linked response was given in, and its comment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LatestWords {
    pub language: Option<Lang>,
    pub comment: Option<String>,
}

/// The customer's language: their `language` attribute when it is one of
/// ours, else the language of their latest response on the case (as given,
/// else as their comment reads), else the organization's default. A
/// customer who complained in Spanish is answered in Spanish even when
/// nobody recorded their language.
pub fn customer_language(attributes: &Map<String, Value>, latest: &LatestWords, org_default: Lang) -> Lang {
    crate::customer::language_attribute(attributes)
        .or(latest.language)
        .or_else(|| latest.comment.as_deref().filter(|c| !c.trim().is_empty()).map(crate::text::detect_language))
        .unwrap_or(org_default)
}

/// The customer's own words, without what their mail program quoted: lines
/// starting with `>`, and everything from an attribution line ("On … wrote:",
/// "El … escribió:") or an "Original Message" separator on. Trailing blank
/// lines go; an answer that was all quote stays empty.
pub fn strip_quoted(text: &str) -> String {
    let mut kept: Vec<&str> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if is_attribution(t) || t.starts_with("-----Original Message") || t.starts_with("-----Mensaje original") {
            break;
        }
        if t.starts_with('>') {
            continue;
        }
        kept.push(line.trim_end());
    }
    while kept.last().is_some_and(|l| l.trim().is_empty()) {
        kept.pop();
    }
    while kept.first().is_some_and(|l| l.trim().is_empty()) {
        kept.remove(0);
    }
    kept.join("\n")
}

fn is_attribution(line: &str) -> bool {
    let lower = line.to_lowercase();
    (lower.starts_with("on ") && lower.ends_with("wrote:"))
        || (lower.starts_with("el ") && lower.ends_with("escribió:"))
        || (lower.starts_with("le ") && lower.ends_with("a écrit :"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_reply_needs_a_body_or_a_template_and_a_note_a_body() {
        let d = |v: Value| serde_json::from_value::<CaseMessageDraft>(v).unwrap().validate();
        assert_eq!(d(json!({})).unwrap_err().get("kind").unwrap().code, "required");
        assert_eq!(d(json!({"kind": "shout", "body": "x"})).unwrap_err().get("kind").unwrap().code, "invalid_choice");
        assert_eq!(
            d(json!({"kind": "customer", "body": "x"})).unwrap_err().get("kind").unwrap().code,
            "invalid_choice"
        );
        assert_eq!(d(json!({"kind": "reply"})).unwrap_err().get("body").unwrap().code, "required");
        let t = d(json!({"kind": "reply", "template": "respond", "lang": "ES"})).unwrap();
        assert_eq!((t.template, t.lang), (Some(crate::case::resolved::Step::Respond), Some(Lang::Es)));
        assert_eq!(
            d(json!({"kind": "note", "template": "respond"})).unwrap_err().get("body").unwrap().code,
            "required"
        );
        assert_eq!(
            d(json!({"kind": "reply", "template": "apologise"})).unwrap_err().get("template").unwrap().code,
            "invalid_choice"
        );
        assert_eq!(
            d(json!({"kind": "note", "body": "x", "lang": "fr"})).unwrap_err().get("lang").unwrap().code,
            "invalid_choice"
        );
        let long = "x".repeat(BODY_MAX + 1);
        assert_eq!(d(json!({"kind": "note", "body": long})).unwrap_err().get("body").unwrap().code, "too_long");
        assert_eq!(d(json!({"kind": "note", "body": " Called her. "})).unwrap().body.as_deref(), Some("Called her."));
    }

    #[test]
    fn language_from_attributes_else_the_default() {
        let attrs = |v: Value| v.as_object().unwrap().clone();
        let none = LatestWords::default();
        assert_eq!(customer_language(&attrs(json!({"language": "es"})), &none, Lang::En), Lang::Es);
        assert_eq!(customer_language(&attrs(json!({"locale": "es-MX"})), &none, Lang::En), Lang::Es);
        assert_eq!(customer_language(&attrs(json!({"language": "de"})), &none, Lang::Es), Lang::Es);
        assert_eq!(customer_language(&attrs(json!({})), &none, Lang::En), Lang::En);
        // Without an attribute: the response's language, else its comment's.
        let given = LatestWords { language: Some(Lang::Es), comment: Some("It came late".into()) };
        assert_eq!(customer_language(&attrs(json!({})), &given, Lang::En), Lang::Es);
        let written =
            LatestWords { language: None, comment: Some("Llegó una semana tarde. Quiero un reembolso.".into()) };
        assert_eq!(customer_language(&attrs(json!({})), &written, Lang::En), Lang::Es);
        // The attribute wins over what they wrote.
        assert_eq!(customer_language(&attrs(json!({"language": "en"})), &written, Lang::Es), Lang::En);
    }

    #[test]
    fn quoted_text_and_attributions_are_trimmed() {
        let mail = "Gracias, acepto el reembolso.\n\nEl lun, 7 dic 2026 a las 10:00, Acme <reply+1.2.ab@x> escribió:\n> Lamentamos...\n> Saludos";
        assert_eq!(strip_quoted(mail), "Gracias, acepto el reembolso.");
        let mail = "\nFine.\n> quoted\nStill mine\r\nOn Mon, Dec 7, 2026 at 10:00 AM Acme wrote:\nold";
        assert_eq!(strip_quoted(mail), "Fine.\nStill mine");
        assert_eq!(strip_quoted("> all quote\n> more"), "");
        assert_eq!(strip_quoted("Hi\n-----Original Message-----\nold"), "Hi");
    }

    proptest::proptest! {
        /// Stripping never panics, never grows the text, keeps no quoted line.
        #[test]
        fn stripping_only_removes(text in "(?s).{0,300}") {
            let out = strip_quoted(&text);
            proptest::prop_assert!(out.len() <= text.len());
            proptest::prop_assert!(!out.lines().any(|l| l.trim_start().starts_with('>')));
        }
    }
}
