//! Field-level validation shared by the API and the web forms.
//!
//! Errors carry a stable machine `code` (translated by the UI) and an English
//! `message` (returned by the API). A field name is the input's key, with
//! `criteria[2].threshold`-style paths for nested lists.

use serde_json::{Map, Value};
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

/// The message of a text refused for holding a NUL character (U+0000).
///
/// Policy: no stored text holds NUL. PostgreSQL refuses it in `text` columns
/// (the statement fails, and with it the whole batch) while SQLite keeps it,
/// so the drafts refuse it field by field, with the code `invalid`, for text
/// to be stored the same way on both backends.
pub const NUL_MESSAGE: &str = "must not contain NUL characters";

/// Records `field` as invalid when `value` holds a NUL character; true when
/// it does not.
pub fn no_nul(errors: &mut FieldErrors, field: &str, value: &str) -> bool {
    let ok = !value.contains('\0');
    if !ok {
        errors.add(field, "invalid", NUL_MESSAGE);
    }
    ok
}

/// A required, trimmed text of at most `max` characters, without NUL.
pub fn required_text(errors: &mut FieldErrors, field: &str, value: Option<&str>, max: usize) -> String {
    let v = value.map(str::trim).unwrap_or("");
    if v.is_empty() {
        errors.add(field, "required", "is required");
    } else if no_nul(errors, field, v) && v.chars().count() > max {
        errors.add(field, "too_long", format!("must be at most {max} characters"));
    }
    v.to_string()
}

/// An optional, trimmed text of at most `max` characters, without NUL; blank
/// becomes `None`.
pub fn optional_text(errors: &mut FieldErrors, field: &str, value: Option<&str>, max: usize) -> Option<String> {
    let v = value.map(str::trim).unwrap_or("");
    if v.is_empty() {
        return None;
    }
    if no_nul(errors, field, v) && v.chars().count() > max {
        errors.add(field, "too_long", format!("must be at most {max} characters"));
    }
    Some(v.to_string())
}

/// Checks every string of a JSON object, at any depth, and every key for NUL
/// characters (see [`NUL_MESSAGE`]), naming each offending value by its path
/// under `field`: `answers.why`, `attributes.tags[2]`, `answers.a.b`. A key
/// holding NUL is named with it written `\u0000`.
pub fn json_text(errors: &mut FieldErrors, field: &str, object: &Map<String, Value>) {
    // Depth first with a stack, so that no nesting can exhaust the call stack;
    // pushed in reverse for the fields to be met in document order.
    let mut pending: Vec<(String, &Value)> = Vec::new();
    push_members(errors, &mut pending, field, object);
    while let Some((path, value)) = pending.pop() {
        match value {
            Value::String(s) => {
                no_nul(errors, &path, s);
            }
            Value::Array(items) => {
                pending.extend(items.iter().enumerate().rev().map(|(i, v)| (format!("{path}[{i}]"), v)));
            }
            Value::Object(o) => push_members(errors, &mut pending, &path, o),
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
}

/// The members of an object onto `json_text`'s stack, checking their names.
fn push_members<'a>(
    errors: &mut FieldErrors,
    pending: &mut Vec<(String, &'a Value)>,
    path: &str,
    object: &'a Map<String, Value>,
) {
    for (key, value) in object.iter().rev() {
        let child = format!("{path}.{}", key.replace('\0', "\\u0000"));
        if key.contains('\0') {
            errors.add(child.clone(), "invalid", "its name must not contain NUL characters");
        }
        pending.push((child, value));
    }
}

/// A plausible e-mail address: one `@`, something on both sides, a dot in the
/// domain, no spaces or control characters (NUL included: addresses are looked
/// up as they are). Deliverability is not our business here.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
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
    fn nul_characters_are_refused() {
        let mut e = FieldErrors::new();
        assert_eq!(required_text(&mut e, "name", Some(" A\0na "), 10), "A\0na");
        assert_eq!(e.get("name").unwrap().code, "invalid");
        assert_eq!(e.get("name").unwrap().message, "must not contain NUL characters");
        optional_text(&mut e, "note", Some("\0"), 10);
        assert_eq!(e.get("note").unwrap().code, "invalid");
        required_email(&mut e, "email", Some("ana\0@example.com"));
        assert_eq!(e.get("email").unwrap().code, "invalid");
        assert!(!is_email("ana\0@example.com"));
        assert!(!is_email("ana@exa\u{7}mple.com"), "no control characters at all in an address");
        let mut e = FieldErrors::new();
        required_text(&mut e, "name", Some("\0"), 10);
        assert_eq!(e.get("name").unwrap().code, "invalid", "a NUL alone is not blank");
        assert_eq!(e.0.len(), 1);
    }

    #[test]
    fn json_strings_are_checked_at_any_depth() {
        let object = |v: Value| v.as_object().cloned().unwrap();
        let mut e = FieldErrors::new();
        json_text(&mut e, "answers", &object(serde_json::json!({"nps": 9, "why": "fine", "list": ["a", {"b": null}]})));
        assert!(e.is_empty(), "{e}");
        let mut e = FieldErrors::new();
        let v = serde_json::json!({"why": "x\u{0}", "list": ["ok", {"b": ["\u{0}"]}], "k\u{0}": "v", "n": 1});
        json_text(&mut e, "answers", &object(v));
        let fields: Vec<&str> = e.0.keys().map(String::as_str).collect();
        assert_eq!(fields, vec!["answers.k\\u0000", "answers.list[1].b[0]", "answers.why"], "{e}");
        assert_eq!(e.get("answers.why").unwrap().message, NUL_MESSAGE);
        assert_eq!(e.get("answers.k\\u0000").unwrap().code, "invalid");

        // Deeper than any parser would build: no recursion to overflow.
        let mut deep = Value::from("\u{0}");
        for _ in 0..20_000 {
            deep = Value::Array(vec![deep]);
        }
        let mut e = FieldErrors::new();
        let mut map = Map::new();
        map.insert("d".into(), deep);
        json_text(&mut e, "attributes", &map);
        assert_eq!(e.0.len(), 1);
        assert!(e.0.keys().next().unwrap().ends_with("[0][0]"));
        // Dropping a value this deep would recurse; take it apart by hand.
        let mut v = map.remove("d");
        while let Some(Value::Array(mut items)) = v {
            v = items.pop();
        }
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
