//! Organizations: the unit of isolation. Every other row belongs to one.

use crate::validate::{is_slug, required_text, FieldErrors};
use crate::Id;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organization {
    pub id: Id,
    pub slug: String,
    pub name: String,
    /// Why the company exists, for customers. Shown above the intent statement.
    pub mission: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A validated new organization.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrganization {
    pub slug: String,
    pub name: String,
}

impl NewOrganization {
    pub fn parse(slug: &str, name: &str) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let slug = slug.trim().to_string();
        if !is_slug(&slug) {
            e.add("slug", "invalid_slug", "must be 2-40 characters of a-z, 0-9 and '-'");
        }
        let name = required_text(&mut e, "name", Some(name), 120);
        e.into_result(NewOrganization { slug, name })
    }
}

pub const MISSION_MAX: usize = 2000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_checks_slug_and_name() {
        let ok = NewOrganization::parse(" demo ", " Demo Co ").unwrap();
        assert_eq!((ok.slug.as_str(), ok.name.as_str()), ("demo", "Demo Co"));
        let err = NewOrganization::parse("Bad Slug", "").unwrap_err();
        assert_eq!(err.get("slug").unwrap().code, "invalid_slug");
        assert_eq!(err.get("name").unwrap().code, "required");
    }
}
