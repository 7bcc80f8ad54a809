//! Account roles and the permission matrix.
//!
//! The matrix is the single source of truth: the HTTP layer asks
//! `role.can(Permission::X)` on every route, and `docs/PERMISSIONS.md` is
//! checked against [`markdown_matrix`] by a test so the two cannot drift.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Leader,
    Owner,
    Agent,
    Member,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 6] = [Role::Admin, Role::Leader, Role::Owner, Role::Agent, Role::Member, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Owner => "owner",
            Role::Agent => "agent",
            Role::Member => "member",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn can(self, p: Permission) -> bool {
        use Permission::*;
        use Role::*;
        match p {
            ReadProgram => true,
            EditJourney | EditPlan | ManagePeople => matches!(self, Admin | Leader),
            ManageAccounts => self == Admin,
            WorkCases => !matches!(self, Member | Viewer),
            Contribute => self != Viewer,
            WriteLearning | PlanStaffing => matches!(self, Admin | Leader | Owner),
            SeePerformance => matches!(self, Admin | Leader),
        }
    }
}

/// What a role's home page puts first: each role opens Rapport on the part
/// of the loop it works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HomeFocus {
    /// Leaders and admins: the intent's status, the council's open actions,
    /// ownership coverage and the experiences.
    Program,
    /// Touchpoint owners: their touchpoints' status and cases.
    Touchpoints,
    /// Agents: their case queue and what falls due.
    Queue,
    /// Any employee: the mission, the intent, ideas and announcements.
    Contribution,
    /// Executives and wall screens: the dashboard itself.
    Dashboard,
}

impl Role {
    pub fn home_focus(self) -> HomeFocus {
        match self {
            Role::Admin | Role::Leader => HomeFocus::Program,
            Role::Owner => HomeFocus::Touchpoints,
            Role::Agent => HomeFocus::Queue,
            Role::Member => HomeFocus::Contribution,
            Role::Viewer => HomeFocus::Dashboard,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The longest name of an API token (which acts with a role).
pub const TOKEN_NAME_MAX: usize = 80;

/// What a request wants to do. Each route names exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// See the plan: experiences, journey, people, segments, coverage, intent.
    ReadProgram,
    /// Create, change or remove stages and touchpoints.
    EditJourney,
    /// Experiences, segments, mission and intent statement.
    EditPlan,
    /// Add, change, deactivate people and hand over what they own.
    ManagePeople,
    /// Sign-in accounts, API tokens and outgoing webhooks (all hold secrets).
    ManageAccounts,
    /// Work customer cases: open, assign, record RESOLVED steps, close, reopen.
    WorkCases,
    /// Submit ideas, vote, comment and acknowledge announcements.
    Contribute,
    /// Write training modules, quizzes and knowledge articles, and assign
    /// training.
    WriteLearning,
    /// Enter contact-centre schedules (agents per hour) and staffing targets.
    PlanStaffing,
    /// See per-person performance beside customer outcomes, and the flag on
    /// people who make their numbers while hurting the experience.
    SeePerformance,
}

impl Permission {
    pub const ALL: [Permission; 10] = [
        Permission::ReadProgram,
        Permission::EditJourney,
        Permission::EditPlan,
        Permission::ManagePeople,
        Permission::ManageAccounts,
        Permission::WorkCases,
        Permission::Contribute,
        Permission::WriteLearning,
        Permission::PlanStaffing,
        Permission::SeePerformance,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            Permission::ReadProgram => "Read the program (experiences, journey, people, segments, coverage, intent)",
            Permission::EditJourney => "Edit journey stages and touchpoints",
            Permission::EditPlan => "Edit experiences, segments, mission and intent statement",
            Permission::ManagePeople => "Manage people and hand over ownership",
            Permission::ManageAccounts => "Manage sign-in accounts, API tokens and webhooks",
            Permission::WorkCases => "Work customer cases (open, assign, RESOLVED steps, close, reopen)",
            Permission::Contribute => "Submit ideas, vote, comment and acknowledge announcements",
            Permission::WriteLearning => "Write training modules, quizzes and knowledge articles; assign training",
            Permission::PlanStaffing => "Enter contact-centre schedules and staffing targets",
            Permission::SeePerformance => "See per-person performance beside customer outcomes, and its flag",
        }
    }
}

/// The matrix as a Markdown table, as it appears in `docs/PERMISSIONS.md`.
pub fn markdown_matrix() -> String {
    let mut out = String::from("| Permission |");
    for r in Role::ALL {
        out.push_str(&format!(" {} |", r.as_str()));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(Role::ALL.len()));
    out.push('\n');
    for p in Permission::ALL {
        out.push_str(&format!("| {} |", p.describe()));
        for r in Role::ALL {
            out.push_str(if r.can(p) { " yes |" } else { " no |" });
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_round_trips() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
            assert_eq!(serde_json::to_string(&r).unwrap(), format!("\"{}\"", r.as_str()));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn everyone_reads_only_admin_manages_accounts() {
        for r in Role::ALL {
            assert!(r.can(Permission::ReadProgram));
            assert_eq!(r.can(Permission::ManageAccounts), r == Role::Admin);
        }
        assert!(!Role::Viewer.can(Permission::EditPlan));
        assert!(!Role::Agent.can(Permission::EditJourney));
        assert!(Role::Leader.can(Permission::ManagePeople));
    }

    #[test]
    fn documented_matrix_matches_code() {
        let doc = include_str!("../../../docs/PERMISSIONS.md");
        assert!(
            doc.contains(&markdown_matrix()),
            "docs/PERMISSIONS.md is out of date; paste in:\n{}",
            markdown_matrix()
        );
    }

    #[test]
    fn every_role_opens_on_its_part_of_the_loop() {
        let focus: Vec<HomeFocus> = Role::ALL.iter().map(|r| r.home_focus()).collect();
        assert_eq!(
            focus,
            [
                HomeFocus::Program,
                HomeFocus::Program,
                HomeFocus::Touchpoints,
                HomeFocus::Queue,
                HomeFocus::Contribution,
                HomeFocus::Dashboard
            ]
        );
        // A viewer's home is the dashboard, which they may read.
        assert!(Role::Viewer.can(Permission::ReadProgram));
    }
}
