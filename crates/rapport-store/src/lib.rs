//! The storage trait. One implementation per database lives in its own crate
//! (`rapport-store-sqlite`, `rapport-store-postgres`); the server picks one
//! from the database URL and only ever sees `Arc<dyn Store>`.
//!
//! Policy:
//! - every method that touches program data takes the organization id first
//!   and scopes every statement by it; a row of another organization is
//!   `NotFound`, and ids named in an input that belong elsewhere are `Invalid`;
//! - every method is one transaction: it writes all or nothing;
//! - inputs arrive validated by `rapport-core`; storage checks only what needs
//!   the database (uniqueness, references).

pub mod accounts;
pub mod audit;
pub mod cases;
pub mod conversations;
pub mod council;
pub mod diagnostic;
pub mod distribution;
pub mod empathy;
mod error;
pub mod export;
pub mod gaps;
pub mod improve;
pub mod knowledge;
pub mod listening;
pub mod measure;
pub mod models;
pub mod notifications;
pub mod outbox;
pub mod passwords;
pub mod perfect_behaviours;
pub mod program;
pub mod recognition;
pub mod rows;
pub mod settings;
pub mod staffing;
pub mod team;
pub mod text;
pub mod training;

pub use accounts::Accounts;
pub use accounts::{ApiToken, Audit, AuditEntry, AuditSubject, Handover, NewUser, PoolUse, User};
pub use audit::AuditLog;
pub use cases::{CaseBulkChange, CaseFilter, CaseKey, CaseTriageChange, Escalation};
pub use cases::{CaseSetup, Cases};
pub use conversations::Conversations;
pub use council::Council;
pub use diagnostic::Diagnostics;
pub use distribution::Distribution;
pub use empathy::EmpathyMaps;
pub use error::{Result, StoreError};
pub use export::TableExport;
pub use gaps::GapAnalysis;
pub use improve::{Announcements, Comms, Ideas, Sprints};
pub use improve::{IdeaComment, IdeaDetail, IdeaFilter};
pub use knowledge::Knowledge;
pub use listening::{CustomerList, TimeKey, TimelineKey};
pub use listening::{Customers, Feedback, ListeningPosts, Surveys};
pub use listening::{
    Erasure, FeedbackFilter, Ingested, NewResponse, Notice, NoticeKind, Page, TextFilter, TimelineItem,
};
pub use measure::Measure;
pub use measure::{
    ActivityRow, ActivitySample, BehaviourCounts, BehaviourSeries, CustomerFilter, IntentStatus, ItemDay, Rebuilt,
    ScoreFilter, ScoreRow,
};
pub use models::{
    CustomerScore, DriverResult, ModelEvent, ModelHistory, ModelResponse, ModelRun, NewScore, RiskCursor, RunStatus,
};
pub use models::{DriverAnswers, ModelInputs, ModelScores, Refits};
pub use notifications::{Notification, Notifications, PendingDigest};
pub use outbox::{Delivery, DeliveryRow, DeliveryStatus, Outbox, Target};
pub use passwords::Passwords;
pub use perfect_behaviours::PerfectBehaviours;
pub use program::{Experiences, Intent, Journey, People, Segments};
pub use recognition::Recognition;
pub use settings::OrgSettings;
pub use settings::{Logo, LogoInfo, NewLogo, Settings};
pub use staffing::Staffing;
pub use team::{Member, NewInvitation, Team, TokenInfo};
pub use text::{ResponseThemes, TextAnalytics, TextRebuilt, ThemeCount};
pub use training::Training;

/// The whole store: every part of the contract. The server holds an
/// `Arc<dyn Store>`; each part of it asks for (imports) the part it uses.
pub trait Store:
    Accounts
    + Passwords
    + OrgSettings
    + AuditLog
    + TableExport
    + Team
    + Notifications
    + People
    + Segments
    + Customers
    + Journey
    + Experiences
    + Intent
    + Surveys
    + ListeningPosts
    + Feedback
    + Measure
    + CaseSetup
    + Cases
    + Outbox
    + Ideas
    + Sprints
    + Announcements
    + Comms
    + TextAnalytics
    + Refits
    + ModelInputs
    + ModelScores
    + Training
    + Knowledge
    + Recognition
    + Staffing
    + Distribution
    + Conversations
    + EmpathyMaps
    + PerfectBehaviours
    + Council
    + Diagnostics
    + GapAnalysis
    + Send
    + Sync
    + 'static
{
}

impl<T> Store for T where
    T: Accounts
        + Passwords
        + OrgSettings
        + AuditLog
        + TableExport
        + Team
        + Notifications
        + People
        + Segments
        + Customers
        + Journey
        + Experiences
        + Intent
        + Surveys
        + ListeningPosts
        + Feedback
        + Measure
        + CaseSetup
        + Cases
        + Outbox
        + Ideas
        + Sprints
        + Announcements
        + Comms
        + TextAnalytics
        + Refits
        + ModelInputs
        + ModelScores
        + Training
        + Knowledge
        + Recognition
        + Staffing
        + Distribution
        + Conversations
        + EmpathyMaps
        + PerfectBehaviours
        + Council
        + Diagnostics
        + GapAnalysis
        + Send
        + Sync
        + 'static
{
}
