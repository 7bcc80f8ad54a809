//! E1. Training modules on the intent statement and how to deliver it,
//! assigned by role, department or touchpoint, with short quizzes; and the
//! images Rapport serves at `/media/{id}` for documents.
//!
//! Assignment: one row per person, module and module revision. Who is in a
//! module's audience is resolved in the store (accounts with a role → their
//! person; people of a department, ignoring case; the people who deliver a
//! touchpoint: its owner, its department's people, the agents routed to
//! it; everyone), active people only. An assignment run adds the missing
//! rows, due `due_days` after the run; it happens when a module is saved
//! (same transaction), for the intent module when an intent version is
//! published (same transaction as the publication), and in the server's
//! periodic training pass (`rapport-server/src/notify/training.rs`), which
//! brings people who joined an audience since.

use crate::error::Result;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rapport_core::lang::Lang;
use rapport_core::people::training::{Answers, Assignment, Gap, Module, ModuleInput, ProgressRow, QuizResult};
use rapport_core::Id;

/// A checked image to store.
#[derive(Debug, Clone, Copy)]
pub struct NewMedia<'a> {
    /// As sniffed (`rapport_core::media::sniff_image`).
    pub content_type: &'a str,
    pub bytes: &'a [u8],
    /// A prefix of its SHA-256 (the ETag).
    pub version: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    pub id: Id,
    pub content_type: String,
    pub version: String,
    pub bytes: Vec<u8>,
}

/// What the progress report groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressBy {
    /// Keyset by person id.
    Person,
    /// Keyset by the department's name ("" for people without one).
    Department,
    /// Keyset by touchpoint id; counts the assignments of modules for the
    /// touchpoint (its audience names it) of the people who deliver it.
    Touchpoint,
}

/// A cursor of the progress report: the last row's id, or its name for
/// departments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgressAfter {
    Id(Id),
    Name(String),
}

/// An overdue assignment whose reminder is due.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingReminder {
    pub org: Id,
    pub assignment_id: Id,
    pub module_id: Id,
    pub person_id: Id,
    pub email: String,
    /// The language of the person's account, if they have one that chose.
    pub language: Option<Lang>,
    pub title_en: String,
    pub title_es: String,
    pub due_at: DateTime<Utc>,
}

#[async_trait]
pub trait Training: Send + Sync {
    /// Stores a checked image; its id.
    async fn store_media(&self, org: Id, media: &NewMedia<'_>, actor: &str) -> Result<Id>;

    /// `NotFound` for another organization's image.
    async fn get_media(&self, org: Id, id: Id) -> Result<Media>;

    /// Modules by id (the intent module first when it exists, as it has the
    /// lowest id it was given), after `after`, at most `limit` (0: all).
    async fn list_modules(&self, org: Id, after: Option<Id>, limit: i64) -> Result<Vec<Module>>;

    async fn get_module(&self, org: Id, id: Id) -> Result<Module>;

    /// Creates a module and assigns it to its audience in the same
    /// transaction. Unknown touchpoints are a 422 naming
    /// `audience.touchpoints[i]`.
    async fn create_module(&self, org: Id, m: &ModuleInput, actor: &str, now: DateTime<Utc>) -> Result<Module>;

    /// Changes a module (not the intent module: a conflict; it is generated)
    /// and assigns it to whoever joined its audience. Existing assignments
    /// and completions stay.
    async fn update_module(&self, org: Id, id: Id, m: &ModuleInput, now: DateTime<Utc>) -> Result<Module>;

    /// Deletes a module with its assignments (not the intent module).
    async fn delete_module(&self, org: Id, id: Id) -> Result<()>;

    /// The assignment run of one module or of all: adds the missing
    /// assignments of the current revision for the people in each audience;
    /// how many were added.
    async fn assign_training(&self, org: Id, module: Option<Id>, now: DateTime<Utc>) -> Result<u64>;

    /// The organizations that have modules (for the periodic pass).
    async fn training_orgs(&self) -> Result<Vec<Id>>;

    /// Generates the intent module from the current intent version (creating
    /// it, or raising its revision and assigning it anew to everyone when
    /// the version changed); none without an intent statement. Publishing
    /// an intent version does this itself, in its own transaction.
    async fn regenerate_intent_module(&self, org: Id, now: DateTime<Utc>) -> Result<Option<Module>>;

    /// A person's assignments of the modules' current revisions, soonest
    /// due first, with their status at `now`.
    async fn assignments_of(&self, org: Id, person: Id, now: DateTime<Utc>) -> Result<Vec<Assignment>>;

    /// A person's assignment of a module's current revision, if any.
    async fn assignment(&self, org: Id, module: Id, person: Id, now: DateTime<Utc>) -> Result<Option<Assignment>>;

    /// Scores a quiz attempt (in the core) and records it on the person's
    /// current assignment: attempts + 1, the last score, the best score,
    /// and completion on the first pass. A person without an assignment of
    /// the module is a 422 naming `person_id`; a module without a quiz a
    /// 422 naming `answers`.
    async fn attempt_quiz(
        &self,
        org: Id,
        module: Id,
        person: Id,
        answers: &Answers,
        now: DateTime<Utc>,
    ) -> Result<(QuizResult, Assignment)>;

    /// Completes a module without a quiz (a 422 naming `quiz` when it has
    /// one); already completed is kept as it was.
    async fn acknowledge_module(&self, org: Id, module: Id, person: Id, now: DateTime<Utc>) -> Result<Assignment>;

    /// Completion and scores grouped `by`, over the current assignments of
    /// active people, after `after`, at most `limit` rows (0: all).
    async fn training_progress(
        &self,
        org: Id,
        by: ProgressBy,
        now: DateTime<Utc>,
        after: Option<ProgressAfter>,
        limit: i64,
    ) -> Result<Vec<ProgressRow>>;

    /// The people who deliver a touchpoint without having completed a
    /// module for it, by touchpoint, then person, then module.
    async fn training_gaps(&self, org: Id, now: DateTime<Utc>) -> Result<Vec<Gap>>;

    /// Overdue assignments (any organization) not reminded in the last
    /// `REMIND_EVERY_DAYS`, at most `limit`, of active people.
    async fn pending_training_reminders(&self, now: DateTime<Utc>, limit: i64) -> Result<Vec<PendingReminder>>;

    /// Enqueues the reminder's e-mail (`training.reminder`, payload as
    /// given) and records `reminded_at = now`, if the reminder is still due
    /// (re-checked under the organization's lock, so servers sharing the
    /// database send it once); whether it was sent.
    async fn send_training_reminder(
        &self,
        org: Id,
        assignment: Id,
        now: DateTime<Utc>,
        payload: &serde_json::Value,
    ) -> Result<bool>;
}
