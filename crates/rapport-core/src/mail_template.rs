//! Texts people write for e-mails to customers (survey invitations and
//! reminders, thank-you notes, case replies), with `{{placeholder}}` names
//! filled in per customer.
//!
//! Policy: a template is checked when it is saved, not when it is sent, so
//! a typo cannot reach a thousand customers as `{{frist_name}}`. Every
//! `{{ … }}` must name one of the placeholders its use offers (a 422 naming
//! the field and the unknown name otherwise), and every `{{` must close.
//! Rendering replaces each placeholder with its value as plain text (the
//! e-mails are plain text, so nothing needs escaping); a value may itself
//! contain braces without being read again.

use crate::validate::FieldErrors;

/// The longest subject line, in characters.
pub const SUBJECT_MAX: usize = 200;
/// The longest body, in characters.
pub const BODY_MAX: usize = 20_000;

/// A piece of a template: literal text or a placeholder's name.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece<'a> {
    Text(&'a str),
    Name(&'a str),
}

/// Why a template cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// `{{` without its `}}`.
    Unclosed,
    /// `{{ name }}` where `name` is not offered here.
    Unknown(String),
}

fn pieces(text: &str) -> Result<Vec<Piece<'_>>, TemplateError> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        if start > 0 {
            out.push(Piece::Text(&rest[..start]));
        }
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or(TemplateError::Unclosed)?;
        out.push(Piece::Name(after[..end].trim()));
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// The placeholders a text uses, in order of first use; an error for the
/// first unclosed `{{` or the first name not in `allowed`.
pub fn placeholders<'a>(text: &'a str, allowed: &[&str]) -> Result<Vec<&'a str>, TemplateError> {
    let mut used: Vec<&str> = Vec::new();
    for p in pieces(text)? {
        if let Piece::Name(n) = p {
            if !allowed.contains(&n) {
                return Err(TemplateError::Unknown(n.to_string()));
            }
            if !used.contains(&n) {
                used.push(n);
            }
        }
    }
    Ok(used)
}

/// Checks one template field (its length and placeholders), adding an
/// error named `field` with code `unknown_placeholder` (the message names
/// it and lists what is offered), `unclosed_placeholder` or `too_long`.
pub fn check(errors: &mut FieldErrors, field: &str, text: &str, max: usize, allowed: &[&str]) {
    if text.chars().count() > max {
        errors.add(field, "too_long", format!("at most {max} characters"));
        return;
    }
    match placeholders(text, allowed) {
        Ok(_) => {}
        Err(TemplateError::Unclosed) => {
            errors.add(field, "unclosed_placeholder", "a {{ has no closing }}");
        }
        Err(TemplateError::Unknown(name)) => {
            let offered: Vec<String> = allowed.iter().map(|a| format!("{{{{{a}}}}}")).collect();
            errors.add(
                field,
                "unknown_placeholder",
                format!("unknown placeholder {{{{{name}}}}}; use {}", offered.join(", ")),
            );
        }
    }
}

/// The text with each placeholder replaced by its value (an empty string
/// for a name without a value). A template that does not parse (it was
/// checked when saved, so only a changed offer can cause this) is returned
/// as written rather than losing the message.
pub fn render(text: &str, values: &[(&str, &str)]) -> String {
    let Ok(parts) = pieces(text) else { return text.to_string() };
    let mut out = String::with_capacity(text.len());
    for p in parts {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Name(n) => {
                if let Some((_, v)) = values.iter().find(|(k, _)| *k == n) {
                    out.push_str(v);
                }
            }
        }
    }
    out
}

/// A subject line for a header: one line, no control characters.
pub fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_control()).filter(|s| !s.trim().is_empty()).map(str::trim).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFER: &[&str] = &["name", "link", "company"];

    #[test]
    fn renders_each_placeholder_with_spaces_or_not() {
        let t = "Hola {{name}}, {{ company }} quiere saber: {{link}}";
        let out = render(t, &[("name", "Ana"), ("company", "Café Sol"), ("link", "https://x/s/1")]);
        assert_eq!(out, "Hola Ana, Café Sol quiere saber: https://x/s/1");
        assert_eq!(placeholders(t, OFFER).unwrap(), vec!["name", "company", "link"]);
    }

    #[test]
    fn values_are_not_read_again() {
        assert_eq!(render("{{name}}!", &[("name", "{{link}}")]), "{{link}}!");
    }

    #[test]
    fn an_unknown_placeholder_is_named() {
        let mut e = FieldErrors::new();
        check(&mut e, "body_es", "Hola {{frist_name}}", BODY_MAX, OFFER);
        let err = e.get("body_es").unwrap();
        assert_eq!(err.code, "unknown_placeholder");
        assert!(err.message.contains("{{frist_name}}"), "{}", err.message);
        assert!(err.message.contains("{{name}}"), "{}", err.message);
    }

    #[test]
    fn an_unclosed_placeholder_and_a_long_text_are_refused() {
        let mut e = FieldErrors::new();
        check(&mut e, "subject", "Hi {{name", SUBJECT_MAX, OFFER);
        assert_eq!(e.get("subject").unwrap().code, "unclosed_placeholder");
        let mut e = FieldErrors::new();
        check(&mut e, "subject", &"x".repeat(SUBJECT_MAX + 1), SUBJECT_MAX, OFFER);
        assert_eq!(e.get("subject").unwrap().code, "too_long");
        let mut e = FieldErrors::new();
        check(&mut e, "subject", "Plain text, a single { brace } is fine", SUBJECT_MAX, OFFER);
        assert!(e.is_empty());
    }

    #[test]
    fn a_missing_value_renders_empty_and_a_broken_text_as_written() {
        assert_eq!(render("Hi {{name}}.", &[]), "Hi .");
        assert_eq!(render("Hi {{name", &[("name", "Ana")]), "Hi {{name");
    }

    #[test]
    fn one_line_drops_newlines() {
        assert_eq!(one_line("Tu opinión\r\ncuenta\t"), "Tu opinión cuenta");
    }

    proptest::proptest! {
        /// Any text either parses or is refused; rendering never panics,
        /// and a text without `{{` renders as itself.
        #[test]
        fn any_text_is_read_or_refused(text in ".{0,200}") {
            let _ = placeholders(&text, OFFER);
            let out = render(&text, &[("name", "Ana")]);
            if !text.contains("{{") {
                proptest::prop_assert_eq!(out, text);
            }
        }
    }
}
