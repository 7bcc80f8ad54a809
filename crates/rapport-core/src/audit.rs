//! Reading the audit trail (P4): which lines a filter asks for.
//!
//! Policy:
//! - `actor`: who made the change, an e-mail or `token:NAME`, matched
//!   whole, ignoring case (ASCII; e-mails are ASCII in practice).
//! - `object`: what was changed, as lines name it. `segment:12` is that
//!   object exactly; a kind alone, `segment` or `segment:`, is every line on
//!   a segment (the subjects `segment` and `segment:…`).
//! - `from` and `to`: a date (`YYYY-MM-DD`), a day on the organization's
//!   calendar (its time zone), `to` included; or an RFC 3339 instant, `from`
//!   included and `to` excluded. `to` before `from` is refused.
//! - Every problem is a field error naming the parameter.

use crate::calendar::start_of_local_day;
use crate::validate::{no_nul, FieldErrors};
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};

/// The longest actor looked for (an e-mail is at most 254 characters).
pub const ACTOR_MAX: usize = 320;
/// The longest object looked for.
pub const OBJECT_MAX: usize = 200;

/// The filters as sent (query parameters or a form's fields).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AuditDraft {
    pub actor: Option<String>,
    pub object: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Which objects' lines to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectMatch {
    /// One object, e.g. `segment:12`.
    Exact(String),
    /// Every object of a kind, e.g. `segment`: the subject `segment` and
    /// those beginning `segment:`.
    Kind(String),
}

/// A checked filter; `None` does not filter.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AuditFilter {
    /// In lower case.
    pub actor: Option<String>,
    pub object: Option<ObjectMatch>,
    /// Lines at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Lines before this instant.
    pub to: Option<DateTime<Utc>>,
}

impl AuditDraft {
    /// Checks the filters; dates are days of `time_zone`.
    pub fn validate(&self, time_zone: &str) -> Result<AuditFilter, FieldErrors> {
        let mut e = FieldErrors::new();
        let actor = text(&mut e, "actor", self.actor.as_deref(), ACTOR_MAX).map(|a| a.to_ascii_lowercase());
        let object = text(&mut e, "object", self.object.as_deref(), OBJECT_MAX).map(|o| match o.split_once(':') {
            Some((kind, "")) => ObjectMatch::Kind(kind.to_string()),
            Some(_) => ObjectMatch::Exact(o),
            None => ObjectMatch::Kind(o),
        });
        let from = bound(&mut e, "from", self.from.as_deref(), time_zone, false);
        let to = bound(&mut e, "to", self.to.as_deref(), time_zone, true);
        if let (Some(f), Some(t)) = (from, to) {
            if t <= f {
                e.add("to", "invalid", "must come after from");
            }
        }
        e.into_result(AuditFilter { actor, object, from, to })
    }
}

fn text(e: &mut FieldErrors, field: &str, value: Option<&str>, max: usize) -> Option<String> {
    let v = value.map(str::trim).filter(|v| !v.is_empty())?;
    if !no_nul(e, field, v) {
        return None;
    }
    if v.chars().count() > max {
        e.add(field, "too_long", format!("must be at most {max} characters"));
        return None;
    }
    Some(v.to_string())
}

/// A date or an instant as the instant the filter starts or ends at: a
/// date's start for `from`, the next day's start for `to` (the day is
/// included).
fn bound(e: &mut FieldErrors, field: &str, value: Option<&str>, zone: &str, end: bool) -> Option<DateTime<Utc>> {
    let v = value.map(str::trim).filter(|v| !v.is_empty())?;
    let at = if let Ok(day) = NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        let day = if end { day.checked_add_days(Days::new(1)) } else { Some(day) };
        day.filter(|d| (1..=9999).contains(&d.year())).map(|d| start_of_local_day(zone, d))
    } else if let Ok(at) = DateTime::parse_from_rfc3339(v) {
        Some(at.with_timezone(&Utc)).filter(|t| (1..=9999).contains(&t.year()))
    } else {
        e.add(field, "invalid_date", "must be a date (YYYY-MM-DD) or an RFC 3339 date and time");
        return None;
    };
    if at.is_none() {
        e.add(field, "out_of_range", "must be between the years 1 and 9999");
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(actor: &str, object: &str, from: &str, to: &str) -> AuditDraft {
        let f = |s: &str| Some(s.to_string());
        AuditDraft { actor: f(actor), object: f(object), from: f(from), to: f(to) }
    }

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn blank_filters_filter_nothing() {
        assert_eq!(AuditDraft::default().validate("UTC").unwrap(), AuditFilter::default());
        assert_eq!(draft(" ", "", "  ", "").validate("UTC").unwrap(), AuditFilter::default());
    }

    #[test]
    fn objects_are_exact_or_a_kind() {
        let object = |o: &str| draft("", o, "", "").validate("UTC").unwrap().object.unwrap();
        assert_eq!(object("segment:12"), ObjectMatch::Exact("segment:12".into()));
        assert_eq!(object(" segment: "), ObjectMatch::Kind("segment".into()));
        assert_eq!(object("calendar"), ObjectMatch::Kind("calendar".into()));
        let f = draft(" Ana@Example.com ", "", "", "").validate("UTC").unwrap();
        assert_eq!(f.actor.as_deref(), Some("ana@example.com"));
    }

    #[test]
    fn dates_are_local_days_and_to_is_included() {
        let f = draft("", "", "2026-03-01", "2026-03-31").validate("Europe/Madrid").unwrap();
        assert_eq!(f.from, Some(at("2026-02-28T23:00:00Z")));
        assert_eq!(f.to, Some(at("2026-03-31T22:00:00Z")), "the end of the 31st, summer time by then");
        let f = draft("", "", "2026-03-01T10:00:00+01:00", "2026-03-01T10:00:01Z").validate("UTC").unwrap();
        assert_eq!((f.from, f.to), (Some(at("2026-03-01T09:00:00Z")), Some(at("2026-03-01T10:00:01Z"))));
        let one_day = draft("", "", "2026-03-01", "2026-03-01").validate("UTC").unwrap();
        assert_eq!(one_day.to.unwrap() - one_day.from.unwrap(), chrono::TimeDelta::days(1));
    }

    #[test]
    fn bad_filters_name_their_field() {
        let code = |d: AuditDraft, field: &str| d.validate("UTC").unwrap_err().get(field).map(|e| e.code);
        assert_eq!(code(draft("", "", "yesterday", ""), "from"), Some("invalid_date"));
        assert_eq!(code(draft("", "", "", "2026-02-30"), "to"), Some("invalid_date"));
        assert_eq!(code(draft("", "", "2026-03-02", "2026-03-01"), "to"), Some("invalid"));
        assert_eq!(code(draft("", "", "", "9999-12-31"), "to"), Some("out_of_range"));
        assert_eq!(code(draft(&"a".repeat(321), "", "", ""), "actor"), Some("too_long"));
        assert_eq!(code(draft("", "x\0", "", ""), "object"), Some("invalid"));
        let both = draft("", "", "x", "y").validate("UTC").unwrap_err();
        assert!(both.get("from").is_some() && both.get("to").is_some());
    }
}
