//! A council meeting as an iCalendar file (RFC 5545), written by hand: one
//! VEVENT, times in UTC, text escaped (§3.3.11) and lines folded at 75
//! octets (§3.1) without splitting a character, CRLF line ends.
//!
//! [`unfold`] and [`unescape`] read it back (for tests and for anyone
//! checking a file); they are the exact inverses of [`fold`] and
//! [`escape`].

use chrono::{DateTime, Utc};

/// The longest line, in octets, CRLF excluded.
pub const LINE_OCTETS: usize = 75;

/// One attendee: a display name and an e-mail address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub name: String,
    pub email: String,
}

/// What the calendar file says about a meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// Globally unique and stable for the meeting.
    pub uid: String,
    /// When the file was made.
    pub stamp: DateTime<Utc>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub summary: String,
    pub location: Option<String>,
    /// The agenda, one item a line.
    pub description: String,
    pub attendees: Vec<Attendee>,
    /// A page to open the meeting, if known.
    pub url: Option<String>,
}

/// TEXT escaping: backslash, semicolon and comma escaped, line breaks (CRLF,
/// CR or LF) written `\n`; other control characters are dropped (they are
/// not allowed in TEXT).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// The text an escaped TEXT value stands for.
pub fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') | Some('N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// A content line folded into lines of at most [`LINE_OCTETS`] octets, each
/// continuation starting with one space, each line ending in CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

/// The content lines of a file: line ends removed, folded lines joined.
pub fn unfold(file: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for raw in file.split("\r\n") {
        match raw.strip_prefix(' ').or_else(|| raw.strip_prefix('\t')) {
            Some(rest) if !lines.is_empty() => {
                if let Some(last) = lines.last_mut() {
                    last.push_str(rest);
                }
            }
            _ if raw.is_empty() => {}
            _ => lines.push(raw.to_string()),
        }
    }
    lines
}

/// The value of the first property `name` (parameters ignored), unescaped.
pub fn property(file: &str, name: &str) -> Option<String> {
    unfold(file).into_iter().find_map(|l| {
        let (head, value) = l.split_once(':')?;
        let prop = head.split(';').next()?;
        prop.eq_ignore_ascii_case(name).then(|| unescape(value))
    })
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A parameter value: quoted, without the characters a quoted value may
/// not hold (DQUOTE and controls).
fn param(v: &str) -> String {
    let clean: String = v.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    format!("\"{clean}\"")
}

/// The whole file.
pub fn calendar(e: &IcsEvent) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//Rapport//CX council//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        "BEGIN:VEVENT".to_string(),
        format!("UID:{}", escape(&e.uid)),
        format!("DTSTAMP:{}", utc(e.stamp)),
        format!("DTSTART:{}", utc(e.start)),
        format!("DTEND:{}", utc(e.end)),
        format!("SUMMARY:{}", escape(&e.summary)),
    ];
    if let Some(l) = e.location.as_deref().filter(|l| !l.is_empty()) {
        lines.push(format!("LOCATION:{}", escape(l)));
    }
    if !e.description.is_empty() {
        lines.push(format!("DESCRIPTION:{}", escape(&e.description)));
    }
    if let Some(u) = e.url.as_deref().filter(|u| !u.chars().any(|c| c.is_whitespace() || c.is_control())) {
        lines.push(format!("URL:{u}"));
    }
    for a in &e.attendees {
        let email: String = a.email.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
        lines.push(format!("ATTENDEE;CN={};ROLE=REQ-PARTICIPANT:mailto:{email}", param(&a.name)));
    }
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());
    lines.iter().map(|l| fold(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn event() -> IcsEvent {
        IcsEvent {
            uid: "council-meeting-7@rapport".into(),
            stamp: Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap(),
            start: Utc.with_ymd_and_hms(2026, 12, 10, 9, 30, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 12, 10, 11, 0, 0).unwrap(),
            summary: "CX council; December, the big one".into(),
            location: Some("Room 2, Roastery".into()),
            description: format!("1. Intent criterion missed: NPS at least 30\n2. {}", "Idea ñandú ☕ ".repeat(12)),
            attendees: vec![Attendee { name: "Ana \"Chair\" Ruiz".into(), email: "ana@example.com".into() }],
            url: Some("https://rapport.example/council/meetings/7".into()),
        }
    }

    #[test]
    fn a_meeting_reads_back() {
        let f = calendar(&event());
        assert!(f.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(f.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(f.split("\r\n").all(|l| l.len() <= LINE_OCTETS), "{f}");
        assert!(!f.replace("\r\n", "").contains('\n'), "bare line feeds");
        assert_eq!(property(&f, "DTSTART").as_deref(), Some("20261210T093000Z"));
        assert_eq!(property(&f, "DTEND").as_deref(), Some("20261210T110000Z"));
        assert_eq!(property(&f, "SUMMARY").as_deref(), Some("CX council; December, the big one"));
        assert_eq!(property(&f, "LOCATION").as_deref(), Some("Room 2, Roastery"));
        assert_eq!(property(&f, "DESCRIPTION"), Some(event().description));
        assert_eq!(property(&f, "UID").as_deref(), Some("council-meeting-7@rapport"));
        let attendee = unfold(&f).into_iter().find(|l| l.starts_with("ATTENDEE")).unwrap();
        assert_eq!(attendee, "ATTENDEE;CN=\"Ana Chair Ruiz\";ROLE=REQ-PARTICIPANT:mailto:ana@example.com");
        assert!(f.contains("SUMMARY:CX council\\; December\\, the big one\r\n"));
    }

    #[test]
    fn folding_never_splits_a_character() {
        let line = format!("DESCRIPTION:{}", "é☕".repeat(40));
        let folded = fold(&line);
        for l in folded.split("\r\n") {
            assert!(l.len() <= LINE_OCTETS);
        }
        assert_eq!(unfold(&folded), vec![line]);
        // Exactly 75 octets is not folded.
        let exact = "X".repeat(75);
        assert_eq!(fold(&exact), format!("{exact}\r\n"));
        assert_eq!(fold(&"X".repeat(76)), format!("{}\r\n X\r\n", "X".repeat(75)));
    }

    #[test]
    fn escaping_handles_each_special_character() {
        assert_eq!(escape("a\\b;c,d\ne\r\nf\rg\u{7}"), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
        assert_eq!(unescape("a\\\\b\\;c\\,d\\ne\\Nf"), "a\\b;c,d\ne\nf");
    }

    proptest! {
        #[test]
        fn escape_then_unescape_is_the_text(s in "[\\PC\\n\\\\;,]{0,200}") {
            let e = escape(&s);
            prop_assert!(!e.contains('\n') && !e.contains('\r'));
            prop_assert_eq!(unescape(&e), s);
        }

        #[test]
        fn any_text_folds_and_unfolds(s in "\\PC{0,300}") {
            let line = format!("DESCRIPTION:{}", escape(&s));
            let folded = fold(&line);
            prop_assert!(folded.ends_with("\r\n"));
            for l in folded.trim_end_matches("\r\n").split("\r\n") {
                prop_assert!(l.len() <= LINE_OCTETS);
            }
            prop_assert_eq!(unfold(&folded), vec![line]);
            prop_assert_eq!(property(&folded, "DESCRIPTION"), Some(s));
        }
    }
}
