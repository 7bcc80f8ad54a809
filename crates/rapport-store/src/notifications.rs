//! The in-app notification centre and each account's choices (P4). Rows
//! are written by the store itself, in the transaction of the change they
//! tell of (an announcement, a case assigned or breached, an idea's status
//! or a comment on it), for the accounts of the people concerned.

use crate::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::lang::Lang;
use rapport_core::notification::{Delivery, Kind};
use rapport_core::Id;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notification {
    pub id: Id,
    pub kind: Kind,
    /// What it is about: the announcement's subject, the case's or idea's title.
    pub title: String,
    /// Where to see it, a path of the web UI.
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// A digest that is due: the account, and what it carries (oldest first).
#[derive(Debug, Clone, PartialEq)]
pub struct PendingDigest {
    pub org: Id,
    pub user: Id,
    pub email: String,
    pub language: Option<Lang>,
    pub items: Vec<Notification>,
}

#[async_trait]
pub trait Notifications: Send + Sync {
    /// An account's notifications, newest first, older than `after`.
    async fn list_notifications(&self, org: Id, user: Id, after: Option<Id>, limit: i64) -> Result<Vec<Notification>>;

    /// How many are unread, counted up to `cap`.
    async fn unread_notifications(&self, org: Id, user: Id, cap: i64) -> Result<i64>;

    /// Marks one notification read (`NotFound` if not the account's), or
    /// all of them with `None`.
    async fn mark_notifications_read(&self, org: Id, user: Id, id: Option<Id>, now: DateTime<Utc>) -> Result<()>;

    /// Every kind with the account's choice (or its default).
    async fn notification_settings(&self, org: Id, user: Id) -> Result<Vec<(Kind, Delivery)>>;

    async fn set_notification_setting(&self, org: Id, user: Id, kind: Kind, delivery: Delivery) -> Result<()>;

    /// Accounts whose digest is due: their oldest undigested item of a
    /// kind they take as a digest was written before `before`. At most
    /// `limit` accounts, each with at most `items` items.
    async fn pending_digests(&self, before: DateTime<Utc>, limit: i64, items: i64) -> Result<Vec<PendingDigest>>;

    /// Sends a digest: marks the account's digest items up to `through`
    /// carried and enqueues `payload` (an e-mail event) in one transaction.
    /// `false`, with nothing enqueued, when another server sent it first.
    async fn send_digest(&self, org: Id, user: Id, through: Id, payload: &serde_json::Value) -> Result<bool>;
}
