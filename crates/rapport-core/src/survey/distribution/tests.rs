use super::csv::{parse, Recipient};
use super::template::{MailTemplate, INVITATION_PLACEHOLDERS, THANKS_PLACEHOLDERS};
use super::*;
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    "2026-06-30T12:00:00Z".parse().unwrap()
}

fn facts(email: Option<&str>) -> SendFacts<'_> {
    SendFacts { email, unsubscribed: false, bounced: false, last_answer: None, fatigue_days: 30 }
}

#[test]
fn who_is_skipped_and_why() {
    let ok = facts(Some("ana@example.com"));
    assert_eq!(skip_reason(&ok, now(), true), None);
    assert_eq!(
        skip_reason(&SendFacts { unsubscribed: true, bounced: true, ..ok }, now(), true),
        Some(SkipReason::Unsubscribed)
    );
    assert_eq!(skip_reason(&SendFacts { bounced: true, ..ok }, now(), true), Some(SkipReason::Bounced));
    assert_eq!(skip_reason(&facts(None), now(), true), Some(SkipReason::NoEmail));
    assert_eq!(skip_reason(&facts(Some("not-an-address")), now(), true), Some(SkipReason::NoEmail));
    let answered = SendFacts { last_answer: Some(now() - Duration::days(3)), ..ok };
    assert_eq!(skip_reason(&answered, now(), true), Some(SkipReason::RecentlyAnswered));
    assert_eq!(skip_reason(&answered, now(), false), None, "thank-you notes skip the fatigue rule");
    let long_ago = SendFacts { last_answer: Some(now() - Duration::days(30)), ..ok };
    assert_eq!(skip_reason(&long_ago, now(), true), None);
    for r in SkipReason::ALL {
        assert_eq!(SkipReason::parse(r.key()), Some(r));
    }
}

#[test]
fn one_reminder_after_n_days_to_non_answerers() {
    let sent = Some(now() - Duration::days(3));
    assert!(reminder_due(sent, 3, false, false, now()));
    assert!(!reminder_due(sent, 4, false, false, now()), "not yet");
    assert!(!reminder_due(sent, 3, true, false, now()), "answered");
    assert!(!reminder_due(sent, 3, false, true, now()), "only one");
    assert!(!reminder_due(sent, 0, false, false, now()), "0: no reminder");
    assert!(!reminder_due(None, 3, false, false, now()), "never sent");
}

#[test]
fn a_trigger_is_due_after_its_delay() {
    assert_eq!(trigger_due_at(now(), 48), now() + Duration::hours(48));
    assert_eq!(trigger_due_at(now(), -5), now());
    assert!(trigger_fresh(now() - Duration::hours(24), now()));
    assert!(!trigger_fresh(now() - Duration::hours(25), now()), "a history import mails nobody");
    assert!(trigger_repeats(now(), now() + Duration::days(29), 30));
    assert!(!trigger_repeats(now(), now() + Duration::days(30), 30));
    assert!(!trigger_repeats(now(), now(), 0), "no fatigue window: one per event");
    assert_eq!(event_kind("delivery").as_deref(), Some("custom:delivery"));
    assert_eq!(event_kind("purchase").as_deref(), Some("purchase"));
    assert_eq!(event_kind("Bad Name"), None);
}

#[test]
fn the_throttle_fills_an_hour_then_opens_the_next() {
    let t = Throttle { start: None, sent: 0 };
    let (t, ok) = t.take(2, now());
    assert!(ok);
    let (t, ok) = t.take(2, now() + Duration::minutes(10));
    assert!(ok);
    let (t, ok) = t.take(2, now() + Duration::minutes(59));
    assert!(!ok, "the hour's slot is full");
    assert_eq!(t.sent, 2);
    let (t, ok) = t.take(2, now() + Duration::minutes(60));
    assert!(ok, "a new hour");
    assert_eq!((t.start, t.sent), (Some(now() + Duration::minutes(60)), 1));
}

#[test]
fn rates_are_shares_of_the_sent() {
    let r = Rates { invited: 10, sent: 8, skipped: 2, opened: 4, answered: 3, ..Rates::default() };
    assert_eq!(r.opened_rate(), Some(50.0));
    assert_eq!(r.answered_rate(), Some(37.5));
    assert_eq!(r.scheduled(), 0);
    assert_eq!(Rates::default().answered_rate(), None);
}

#[test]
fn the_language_is_the_rows_then_the_customers_then_the_orgs() {
    assert_eq!(customer_language(Some("es"), Some("en"), Lang::En), Lang::Es);
    assert_eq!(customer_language(None, Some("es-MX"), Lang::En), Lang::Es);
    assert_eq!(customer_language(None, None, Lang::Es), Lang::Es);
}

#[test]
fn default_templates_check_and_render() {
    let mut e = FieldErrors::new();
    MailTemplate::invitation().check(&mut e, "template", INVITATION_PLACEHOLDERS);
    MailTemplate::thanks().check(&mut e, "thanks", THANKS_PLACEHOLDERS);
    assert!(e.is_empty(), "{e:?}");
    let vals =
        [("name", "Ana"), ("company", "Café Sol"), ("link", "https://x/s/t?c=1"), ("unsubscribe", "https://x/u")];
    let (subject, body) = MailTemplate::invitation().render(Lang::Es, &vals, true);
    assert_eq!(subject, "Recordatorio: Café Sol quiere conocer su opinión");
    assert!(body.contains("Hola Ana") && body.contains("https://x/s/t?c=1") && body.contains("https://x/u"));
}

#[test]
fn an_unknown_placeholder_names_the_field() {
    let mut t = MailTemplate::invitation();
    t.body_es = "Hola {{nombre}}".into();
    let draft = WaveDraft { segment_id: Some(1), template: Some(t), ..WaveDraft::default() };
    let e = draft.validate(None, now()).unwrap_err();
    let f = e.get("template.body_es").unwrap();
    assert_eq!(f.code, "unknown_placeholder");
    assert!(f.message.contains("{{nombre}}"));
    let mut t = MailTemplate::thanks();
    t.body_en = "{{link}}".into();
    let mut e = FieldErrors::new();
    t.check(&mut e, "thanks", THANKS_PLACEHOLDERS);
    assert!(e.get("thanks.body_en").is_some(), "no link in a thank-you note");
}

#[test]
fn wave_limits_are_named() {
    let draft = WaveDraft { per_hour: Some(0), reminder_days: Some(99), ..WaveDraft::default() };
    let e = draft.validate(None, now()).unwrap_err();
    for f in ["per_hour", "reminder_days", "segment_id"] {
        assert!(e.get(f).is_some(), "{f}: {e:?}");
    }
    let both = WaveDraft { segment_id: Some(1), customers: Some(vec!["a".into()]), ..WaveDraft::default() };
    assert!(both.validate(None, now()).unwrap_err().get("customers").is_some());
    let list = WaveDraft { customers: Some(vec!["a".into(), " ".into(), "a".into()]), ..WaveDraft::default() };
    assert!(list.clone().validate(None, now()).unwrap_err().get("customers[1]").is_some());
    let ok = WaveDraft { customers: Some(vec!["a".into(), "b".into(), "a".into()]), ..WaveDraft::default() };
    let w = ok.validate(None, now()).unwrap();
    assert!(matches!(w.audience, Audience::List(ref l) if l.len() == 2), "named twice, invited once");
    assert_eq!((w.per_hour, w.reminder_days, w.send_at), (DEFAULT_PER_HOUR, DEFAULT_REMINDER_DAYS, now()));
}

#[test]
fn trigger_rules_are_checked() {
    let e = TriggerDraft { event_kind: Some("no such".into()), delay_hours: Some(-1), ..TriggerDraft::default() }
        .validate()
        .unwrap_err();
    assert!(e.get("event_kind").is_some() && e.get("delay_hours").is_some());
    let t = TriggerDraft { event_kind: Some("delivery".into()), delay_hours: Some(48), ..TriggerDraft::default() }
        .validate()
        .unwrap();
    assert_eq!((t.event_kind.as_str(), t.delay_hours), ("custom:delivery", 48));
}

#[test]
fn csv_reports_each_bad_row_and_keeps_the_good() {
    let text = "external_id,email,name,language\n\
                c1,ana@example.com,Ana,es\n\
                ,bob@example.com,Bob,en\n\
                c3,not-an-email,Cy,en\n\
                c4,dee@example.com,Dee,fr\n\
                \n\
                \"c5\",\"eve@example.com\",\"Eve, \"\"E\"\"\",\n\
                c1,ana@example.com,Ana,es\n";
    let p = parse(text);
    let lines: Vec<(usize, &str)> = p.errors.iter().map(|e| (e.line, e.reason.as_str())).collect();
    assert_eq!(
        lines,
        vec![(3, "missing_external_id"), (4, "invalid_email"), (5, "unknown_language"), (8, "duplicate")]
    );
    assert_eq!(p.rows.len(), 2);
    assert_eq!(
        p.rows[0],
        Recipient {
            line: 2,
            external_id: "c1".into(),
            email: Some("ana@example.com".into()),
            name: Some("Ana".into()),
            language: Some(Lang::Es)
        }
    );
    assert_eq!(p.rows[1].name.as_deref(), Some("Eve, \"E\""));
    assert_eq!(p.rows[1].line, 7);
}

#[test]
fn csv_without_header_with_semicolons_and_an_unclosed_quote() {
    let p = parse("c1;a@b.co\r\nc2\r\n");
    assert_eq!(p.rows.iter().map(|r| r.external_id.as_str()).collect::<Vec<_>>(), vec!["c1", "c2"]);
    let p = parse("email,customer\nx@y.zz,c9\n");
    assert_eq!(p.rows[0].external_id, "c9");
    let p = parse("c1\n\"c2,oops\n");
    assert_eq!(p.errors[0].reason, "unclosed_quote");
    let p = parse("c1,a@b.co,Ann,en,extra\n");
    assert_eq!(p.errors[0].reason, "too_many_columns");
}

proptest! {
    /// Whatever the text, the parser ends, reports lines within the file,
    /// and never returns an empty or duplicated id.
    #[test]
    fn csv_parser_is_total(text in "[a-z0-9@.,;\"\n\r ]{0,300}") {
        let p = parse(&text);
        let lines = text.matches('\n').count() + 1;
        let mut ids = std::collections::HashSet::new();
        for r in &p.rows {
            prop_assert!(!r.external_id.is_empty());
            prop_assert!(ids.insert(r.external_id.clone()));
            prop_assert!(r.line >= 1 && r.line <= lines);
        }
        for e in &p.errors {
            prop_assert!(e.line >= 1 && e.line <= lines);
        }
    }

    /// Rows written with quoting read back as written.
    #[test]
    fn csv_round_trip(rows in proptest::collection::vec(("[a-z0-9]{1,12}", "[A-Za-z ,\"]{0,12}"), 1..20)) {
        let mut text = String::from("external_id,name\n");
        for (id, name) in &rows {
            text.push_str(&format!("{id},\"{}\"\n", name.replace('"', "\"\"")));
        }
        let p = parse(&text);
        let mut seen = std::collections::HashSet::new();
        let expected: Vec<_> = rows.iter().filter(|(id, _)| seen.insert(id.clone())).collect();
        prop_assert_eq!(p.rows.len(), expected.len());
        for (r, (id, name)) in p.rows.iter().zip(expected) {
            prop_assert_eq!(&r.external_id, id);
            let name = name.trim();
            prop_assert_eq!(r.name.as_deref().unwrap_or(""), name);
        }
    }
}
