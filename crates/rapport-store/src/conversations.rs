//! D1/D2. Cases as conversations: messages to and from the customer and
//! internal notes, in the case's thread, and the organization's reply
//! templates.
//!
//! Policy (see `rapport_core::case::conversation`): a reply is stored and
//! its e-mail enqueued in one transaction, addressed to the customer's
//! e-mail as read under the lock; the first reply sets the case's
//! `first_responded_at`; a reply makes the case wait on the customer
//! (`waiting_since`), their answer clears it and reopens a closed case.
//! Every message writes a history line and publishes a `Case` notice.

use crate::error::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::case::conversation::templates::CaseReplyTemplate;
use rapport_core::case::conversation::{CaseMessage, MessageKind};
use rapport_core::case::resolved::Step;
use rapport_core::Id;
use serde_json::{Map, Value};

/// Whom a case's replies go to, and where the conversation stands.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseContact {
    pub case_id: Id,
    pub title: String,
    /// The customer's external id; `None` once erased.
    pub customer: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub attributes: Map<String, Value>,
    pub assignee_id: Option<Id>,
    pub waiting_since: Option<DateTime<Utc>>,
    /// The latest response linked to the case: its language and comment.
    pub latest: rapport_core::case::conversation::LatestWords,
}

/// A message to write in a case's thread.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCaseMessage {
    /// `Reply` or `Note` (a customer's answer is [`Conversations::receive_customer_reply`]).
    pub kind: MessageKind,
    pub subject: Option<String>,
    pub body: String,
    pub lang: Option<String>,
    /// A reply's outbox payload without its recipient: `{"mail": {...}, ...}`;
    /// the store adds `"email_to": [the customer's e-mail]`.
    pub payload: Option<Value>,
}

/// The outbox event of a case reply to the customer.
pub const REPLY_EVENT: &str = "case.reply_sent";
/// The outbox event telling the assignee the customer answered.
pub const CUSTOMER_REPLIED_EVENT: &str = "case.customer_replied";

#[async_trait]
pub trait Conversations: Send + Sync {
    /// The case's customer and conversation state; `NotFound` for no case
    /// of the organization.
    async fn case_contact(&self, org: Id, case: Id) -> Result<CaseContact>;

    /// Writes a reply or a note (see the module's policy). A reply to a
    /// customer without an e-mail is `Invalid` on `kind` (`no_email`); a
    /// reply on a closed case is a `Conflict` on `status`.
    async fn add_case_message(
        &self,
        org: Id,
        case: Id,
        message: &NewCaseMessage,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<CaseMessage>;

    /// The customer's answer, already matched to the case: `Invalid` on
    /// `from` unless `from` is the customer's e-mail (nothing stored).
    /// Appends it, clears waiting, reopens a closed case (when no other
    /// case of theirs is open at the touchpoint) and notifies the assignee.
    async fn receive_customer_reply(
        &self,
        org: Id,
        case: Id,
        from: &str,
        subject: Option<&str>,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<CaseMessage>;

    /// The thread, oldest first, after the message `after`, at most `limit`.
    async fn list_case_messages(&self, org: Id, case: Id, after: Option<Id>, limit: i64) -> Result<Vec<CaseMessage>>;

    /// The templates the organization wrote (the built-in ones fill the rest).
    async fn list_reply_templates(&self, org: Id) -> Result<Vec<CaseReplyTemplate>>;

    /// Replaces the organization's template of a step.
    async fn save_reply_template(
        &self,
        org: Id,
        template: &CaseReplyTemplate,
        now: DateTime<Utc>,
    ) -> Result<CaseReplyTemplate>;

    /// Goes back to the built-in template of a step.
    async fn reset_reply_template(&self, org: Id, step: Step) -> Result<()>;
}
