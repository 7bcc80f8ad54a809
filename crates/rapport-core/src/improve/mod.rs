//! The improvement loop (D4–D7, E4): ideas from anyone, redesign sprints
//! that take them up, announcements of every change to the people who
//! deliver the experience, the internal communications plan, and who takes
//! part.
//!
//! - [`idea`]: statuses and their moves (a rejection needs a reason, which
//!   the author is told; implemented is final), votes, comments, duplicate
//!   merges (voters move as a union), the idea of the day;
//! - [`inbound`]: ideas by e-mail, from the form inbound-mail services post;
//! - [`sprint`]: exactly 20 workdays on the organization's calendar,
//!   brainstorm → propose → execute, the leader approves the proposal; the
//!   dates never change, the scope does;
//! - [`outcome`]: the touchpoint's metrics before and after, with intervals
//!   and a test of the change;
//! - [`announce`]: the change channel's recipients and acknowledgements;
//! - [`comms`]: scheduled messages, what is due, the month calendar;
//! - [`engagement`]: submissions, implementations and participation.
//!
//! The loop: an idea is approved, planned and taken up by a sprint (or
//! implemented directly); the sprint's approved proposal and every
//! implemented idea are announced on the change channel (in-app feed, SSE
//! and webhooks through the outbox), recipients acknowledge, and the
//! sprint's outcome says whether the touchpoint's customers noticed.
//! Everything here is pure: the caller passes the calendar, "today" and the
//! rows; storage keeps the results.

pub mod announce;
pub mod comms;
pub mod engagement;
pub mod idea;
pub mod inbound;
pub mod outcome;
pub mod sprint;

pub use announce::{pending, recipients, Announcement, AnnouncementKind, Message};
pub use comms::{due_on, month_grid, CommsDraft, CommsItem, CommsStatus};
pub use engagement::{engagement, Engagement, IdeaRow};
pub use idea::{
    idea_of_the_day, merge_check, transition, Idea, IdeaDraft, IdeaInput, IdeaScore, IdeaSource, IdeaStatus,
};
pub use inbound::{InboundIdea, InboundMail};
pub use outcome::{outcome, Outcome, Snapshot};
pub use sprint::{Sprint, SprintDraft, SprintInput, SprintStatus, SPRINT_WORKDAYS};
