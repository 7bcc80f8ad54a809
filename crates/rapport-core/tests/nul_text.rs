//! A NUL character (U+0000) cannot be stored in PostgreSQL text, while
//! SQLite keeps it, so the drafts refuse it field by field (code `invalid`)
//! wherever text enters: names, e-mails, titles, comments and the strings of
//! JSON objects.

use chrono::NaiveDate;
use rapport_core::improve::idea::{CommentDraft, IdeaSource};
use rapport_core::improve::{IdeaDraft, InboundMail};
use rapport_core::journey::{StageDraft, TouchpointDraft};
use rapport_core::person::PersonDraft;
use rapport_core::segment::SegmentDraft;
use rapport_core::validate::FieldErrors;

fn code(result: Result<impl std::fmt::Debug, FieldErrors>, field: &str) -> Option<&'static str> {
    result.err().and_then(|e| e.get(field).map(|f| f.code))
}

#[test]
fn people() {
    let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    let ok = || PersonDraft { name: Some("Ana".into()), email: Some("ana@example.com".into()), ..Default::default() };
    assert!(ok().validate(today).is_ok());
    let d = PersonDraft { name: Some("A\0na".into()), ..ok() };
    assert_eq!(code(d.validate(today), "name"), Some("invalid"));
    let d = PersonDraft { email: Some("a\0na@example.com".into()), ..ok() };
    assert_eq!(code(d.validate(today), "email"), Some("invalid"));
    let d = PersonDraft { department: Some("Sales\0".into()), ..ok() };
    assert_eq!(code(d.validate(today), "department"), Some("invalid"));
}

#[test]
fn ideas_and_comments() {
    let d = IdeaDraft { title: Some("Faster\0 returns".into()), touchpoint_id: Some(1), ..Default::default() };
    assert_eq!(code(d.validate(IdeaSource::Web), "title"), Some("invalid"));
    let d =
        IdeaDraft { title: Some("Ok".into()), body: Some("\0".into()), touchpoint_id: Some(1), ..Default::default() };
    assert_eq!(code(d.validate(IdeaSource::Api), "body"), Some("invalid"));
    assert_eq!(code(CommentDraft { body: Some("x\0".into()) }.validate(), "body"), Some("invalid"));
}

#[test]
fn journey_and_segments() {
    assert_eq!(code(StageDraft { name: Some("B\0uy".into()), position: None }.validate(), "name"), Some("invalid"));
    let d = TouchpointDraft {
        name: Some("Checkout".into()),
        stage_id: Some(1),
        description: Some("\0".into()),
        ..Default::default()
    };
    assert_eq!(code(d.validate(), "description"), Some("invalid"));
    let d = SegmentDraft { name: Some("VIP\0".into()), ..Default::default() };
    assert_eq!(code(d.validate(), "name"), Some("invalid"));
}

#[test]
fn ideas_by_email() {
    let mail = |from: &str, subject: &str| InboundMail {
        from: Some(from.into()),
        subject: Some(subject.into()),
        text: Some("Body".into()),
    };
    // The sender is looked up by address: a NUL must not get that far.
    assert_eq!(code(mail("ana\0@example.com", "Idea").parse(), "from"), Some("invalid_email"));
    let idea = mail("ana@example.com", "Id\0ea").parse().unwrap();
    assert_eq!(code(idea.draft().validate(IdeaSource::Email), "title"), Some("invalid"));
}
