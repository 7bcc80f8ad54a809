//! People in the program: leaders, owners, agents. Distinct from sign-in
//! accounts; an account may be linked to a person.

use crate::validate::{optional_text, required_email, required_text, FieldErrors};
use crate::Id;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: Id,
    pub name: String,
    pub email: String,
    pub department: Option<String>,
    /// Job role, e.g. "Store manager". Not the sign-in role.
    pub role: Option<String>,
    pub joined_on: NaiveDate,
    /// Set when the person leaves; what they owned is then uncovered.
    pub left_on: Option<NaiveDate>,
}

impl Person {
    pub fn is_active(&self) -> bool {
        self.left_on.is_none()
    }
}

/// Input for creating or updating a person, as it arrives from a form or JSON.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonDraft {
    pub name: Option<String>,
    pub email: Option<String>,
    pub department: Option<String>,
    pub role: Option<String>,
    /// Defaults to today.
    pub joined_on: Option<NaiveDate>,
}

/// A validated person to store.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonInput {
    pub name: String,
    pub email: String,
    pub department: Option<String>,
    pub role: Option<String>,
    pub joined_on: NaiveDate,
}

impl PersonDraft {
    pub fn validate(&self, today: NaiveDate) -> Result<PersonInput, FieldErrors> {
        let mut e = FieldErrors::new();
        let input = PersonInput {
            name: required_text(&mut e, "name", self.name.as_deref(), 120),
            email: required_email(&mut e, "email", self.email.as_deref()),
            department: optional_text(&mut e, "department", self.department.as_deref(), 80),
            role: optional_text(&mut e, "role", self.role.as_deref(), 80),
            joined_on: self.joined_on.unwrap_or(today),
        };
        e.into_result(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn validate_fills_defaults_and_reports_fields() {
        let d = PersonDraft { name: Some("Ana".into()), email: Some("ANA@x.io".into()), ..Default::default() };
        let p = d.validate(day("2026-01-02")).unwrap();
        assert_eq!(p.email, "ana@x.io");
        assert_eq!(p.joined_on, day("2026-01-02"));
        assert_eq!(p.department, None);

        let bad = PersonDraft { department: Some("x".repeat(81)), ..Default::default() };
        let e = bad.validate(day("2026-01-02")).unwrap_err();
        assert_eq!(e.get("name").unwrap().code, "required");
        assert_eq!(e.get("email").unwrap().code, "required");
        assert_eq!(e.get("department").unwrap().code, "too_long");
    }

    #[test]
    fn active_until_left() {
        let mut p = Person {
            id: 1,
            name: "A".into(),
            email: "a@b.co".into(),
            department: None,
            role: None,
            joined_on: day("2025-01-01"),
            left_on: None,
        };
        assert!(p.is_active());
        p.left_on = Some(day("2026-01-01"));
        assert!(!p.is_active());
    }
}
