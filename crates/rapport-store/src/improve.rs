//! The improvement loop as storage sees it (D4–D7, E4): which ideas to list,
//! an idea with its voters, comments and linked cases, and the rules of the
//! change channel's outbox payloads. The domain lives in
//! `rapport_core::improve`; storage keeps its results.

use chrono::{DateTime, Utc};
use rapport_core::improve::{Announcement, Idea, IdeaStatus};
use rapport_core::Id;
use serde::Serialize;

/// Which ideas to list; every condition is optional. Merged duplicates are
/// left out unless `include_merged`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IdeaFilter {
    pub status: Option<IdeaStatus>,
    pub touchpoint: Option<Id>,
    pub author: Option<Id>,
    pub include_merged: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdeaComment {
    pub id: Id,
    pub idea_id: Id,
    pub author_id: Id,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// An idea with who voted, what was said and the cases it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IdeaDetail {
    #[serde(flatten)]
    pub idea: Idea,
    /// People who voted, by id.
    pub voters: Vec<Id>,
    /// Oldest first.
    pub comment_list: Vec<IdeaComment>,
    /// The closed cases of the root cause the idea was created from.
    pub case_ids: Vec<Id>,
    pub root_cause_id: Option<Id>,
}

/// How many days before a sprint's start its baseline covers.
pub const BASELINE_DAYS: u64 = 30;

/// The outbox payload of an announcement: English title and summary (there
/// is no reader's language), a link, and e-mail to the recipients.
pub fn announcement_payload(a: &Announcement, emails: Vec<String>) -> serde_json::Value {
    let (title, summary) = a.message.english();
    serde_json::json!({
        "title": title,
        "summary": summary,
        "url": format!("/announcements/{}", a.id),
        "announcement": {
            "id": a.id,
            "kind": a.kind,
            "subject_id": a.subject_id,
            "touchpoint_id": a.touchpoint_id,
            "experience_id": a.experience_id,
            "recipients": a.recipients,
        },
        "email_to": emails,
    })
}

/// The outbox payload telling an idea's author its new status.
pub fn idea_status_payload(idea: &Idea, emails: Vec<String>) -> serde_json::Value {
    let reason = idea.status_reason.as_deref().map(|r| format!(" Reason: {r}")).unwrap_or_default();
    serde_json::json!({
        "title": format!("Your idea \"{}\" is {}", idea.title, idea.status.key().replace('_', " ")),
        "summary": format!("The idea \"{}\" moved to {}.{reason}", idea.title, idea.status.key().replace('_', " ")),
        "url": format!("/ideas/{}", idea.id),
        "idea": { "id": idea.id, "title": idea.title, "status": idea.status, "reason": idea.status_reason },
        "email_to": emails,
    })
}
