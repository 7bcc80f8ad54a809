//! Field-level validation shared by the API and the web forms.
//!
//! Errors carry a stable machine `code` (translated by the UI) and an English
//! `message` (returned by the API). A field name is the input's key, with
//! `criteria[2].threshold`-style paths for nested lists.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub code: &'static str,
    pub message: String,
}

/// All the problems found in one input, by field. Empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct FieldErrors(pub BTreeMap<String, FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the first problem of a field; later ones are dropped so the
    /// user fixes one thing at a time.
    pub fn add(&mut self, field: impl Into<String>, code: &'static str, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| FieldError { code, message: message.into() });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&FieldError> {
        self.0.get(field)
    }

    /// `Ok(value)` when nothing was recorded.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    pub fn single(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        let mut e = Self::new();
        e.add(field, code, message);
        e
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(k, v)| format!("{k}: {}", v.message)).collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for FieldErrors {}

/// A required, trimmed text of at most `max` characters.
pub fn required_text(errors: &mut FieldErrors, field: &str, value: Option<&str>, max: usize) -> String {
    let v = value.map(str::trim).unwrap_or("");
    if v.is_empty() {
        errors.add(field, "required", "is required");
    } else if v.chars().count() > max {
        errors.add(field, "too_long", format!("must be at most {max} characters"));
    }
    v.to_string()
}

/// An optional, trimmed text of at most `max` characters; blank becomes `None`.
pub fn optional_text(errors: &mut FieldErrors, field: &str, value: Option<&str>, max: usize) -> Option<String> {
    let v = value.map(str::trim).unwrap_or("");
    if v.is_empty() {
        return None;
    }
    if v.chars().count() > max {
        errors.add(field, "too_long", format!("must be at most {max} characters"));
    }
    Some(v.to_string())
}

/// A plausible e-mail address: one `@`, something on both sides, a dot in the
/// domain, no spaces. Deliverability is not our business here.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
        && s.len() <= 254
}

/// A required e-mail address, lower-cased.
pub fn required_email(errors: &mut FieldErrors, field: &str, value: Option<&str>) -> String {
    let v = required_text(errors, field, value, 254).to_lowercase();
    if !v.is_empty() && errors.get(field).is_none() && !is_email(&v) {
        errors.add(field, "invalid_email", "must be an e-mail address");
    }
    v
}

/// An organization slug: 2-40 characters of a-z, 0-9 and '-', not starting or
/// ending with '-'. Slugs appear in URLs and CLI arguments.
pub fn is_slug(s: &str) -> bool {
    (2..=40).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A finite number within `[min, max]`.
pub fn number_in(errors: &mut FieldErrors, field: &str, value: Option<f64>, min: f64, max: f64) -> f64 {
    match value {
        None => {
            errors.add(field, "required", "is required");
            0.0
        }
        Some(v) if !v.is_finite() || v < min || v > max => {
            errors.add(field, "out_of_range", format!("must be between {min} and {max}"));
            v
        }
        Some(v) => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_limits() {
        let mut e = FieldErrors::new();
        assert_eq!(required_text(&mut e, "name", Some("  Ana "), 10), "Ana");
        assert!(e.is_empty());
        required_text(&mut e, "name", Some("   "), 10);
        assert_eq!(e.get("name").unwrap().code, "required");
        let mut e = FieldErrors::new();
        required_text(&mut e, "name", Some("ñandú-ñandú"), 10);
        assert_eq!(e.get("name").unwrap().code, "too_long");
        let mut e = FieldErrors::new();
        required_text(&mut e, "x", None, 3);
        assert_eq!(e.get("x").unwrap().code, "required");
    }

    #[test]
    fn optional_text_blank_is_none() {
        let mut e = FieldErrors::new();
        assert_eq!(optional_text(&mut e, "d", Some("  "), 5), None);
        assert_eq!(optional_text(&mut e, "d", None, 5), None);
        assert_eq!(optional_text(&mut e, "d", Some(" ok "), 5), Some("ok".into()));
        assert!(e.is_empty());
        optional_text(&mut e, "d", Some("toolong"), 5);
        assert_eq!(e.get("d").unwrap().code, "too_long");
    }

    #[test]
    fn emails() {
        for ok in ["a@b.co", "ana.lopez+cx@example.com"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["", "a", "a@b", "@b.co", "a@.co", "a@b.", "a b@c.co", "a@b@c.co"] {
            assert!(!is_email(bad), "{bad}");
        }
        let mut e = FieldErrors::new();
        assert_eq!(required_email(&mut e, "email", Some(" Ana@Example.COM ")), "ana@example.com");
        assert!(e.is_empty());
        required_email(&mut e, "email", Some("nope"));
        assert_eq!(e.get("email").unwrap().code, "invalid_email");
    }

    #[test]
    fn slugs() {
        assert!(is_slug("demo"));
        assert!(is_slug("acme-2"));
        for bad in ["a", "-x", "x-", "Acme", "a_b", "a b", &"x".repeat(41)] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn numbers_and_first_error_wins() {
        let mut e = FieldErrors::new();
        assert_eq!(number_in(&mut e, "t", Some(5.0), 0.0, 10.0), 5.0);
        number_in(&mut e, "t", Some(f64::NAN), 0.0, 10.0);
        number_in(&mut e, "t", None, 0.0, 10.0);
        assert_eq!(e.get("t").unwrap().code, "out_of_range");
        assert_eq!(e.0.len(), 1);
        assert!(e.clone().into_result(()).is_err());
        assert_eq!(e.to_string(), "t: must be between 0 and 10");
    }
}
