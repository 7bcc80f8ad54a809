//! Property tests of inbound mail parsing (ideas by e-mail): whatever an
//! inbound-mail service posts, `InboundMail::parse` answers an idea or field
//! errors, never panics, and keeps its promises: a plausible lower-cased
//! sender, a title of 1 to 200 characters, a body of at most 10,000, and no
//! quoted lines left in the body.

use proptest::prelude::*;
use rapport_core::improve::idea::IdeaSource;
use rapport_core::improve::inbound::{sender_address, strip_prefixes, strip_quoted};
use rapport_core::improve::InboundMail;
use rapport_core::validate::is_email;

fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
}

/// Checks the promises of `parse` on one message.
fn check(mail: &InboundMail) -> Result<(), TestCaseError> {
    let idea = match mail.parse() {
        Ok(idea) => idea,
        Err(e) => {
            prop_assert!(!e.is_empty());
            for field in e.0.keys() {
                prop_assert!(field == "from" || field == "subject", "unexpected field {field}");
            }
            return Ok(());
        }
    };
    prop_assert!(is_email(&idea.sender), "sender {:?}", idea.sender);
    prop_assert_eq!(idea.sender.to_lowercase(), idea.sender.clone());
    let title_chars = idea.title.chars().count();
    prop_assert!((1..=200).contains(&title_chars), "title of {title_chars} characters");
    prop_assert!(!idea.title.trim().is_empty());
    if let Some(body) = &idea.body {
        prop_assert!(!body.is_empty());
        prop_assert!(body.chars().count() <= 10_000);
        prop_assert!(body.lines().all(|l| !l.trim().starts_with('>')), "quoted line kept: {body:?}");
        let text_lines = mail.text.as_deref().unwrap_or("").lines().count();
        prop_assert!(body.lines().count() <= text_lines.max(1));
    }
    // The draft validates, or names the field it refuses (a NUL, say).
    if let Err(e) = idea.draft().validate(IdeaSource::Email) {
        for field in e.0.keys() {
            prop_assert!(field == "title" || field == "body", "unexpected field {field}");
        }
    }
    Ok(())
}

/// Senders as mail services write them, valid or not.
fn from() -> BoxedStrategy<String> {
    let local = prop::sample::select(vec!["ana", "Luis.Garcia", "x+cx", "a", "", "ana pérez", "a\0b"]);
    let domain = prop::sample::select(vec!["example.com", "Example.ES", "b.co", "localhost", ".com", "a@b.co", ""]);
    let address = (local, domain).prop_map(|(l, d)| format!("{l}@{d}"));
    prop_oneof![
        3 => address.clone(),
        2 => (address.clone(), "[A-Za-zé\" ]{0,12}").prop_map(|(a, n)| format!("\"{n}\" <{a}>")),
        1 => (address.clone(), "[A-Za-z ()]{0,12}").prop_map(|(a, n)| format!("{a} ({n})")),
        1 => address.prop_map(|a| format!("<{a}")),
        1 => "[<>@ a-z.\"']{0,20}",
        1 => any::<String>(),
    ]
    .boxed()
}

fn subject() -> BoxedStrategy<String> {
    let prefix =
        prop::sample::select(vec!["Re:", "RE: ", "Fwd:", "FW:", "RV:", "Reenviar:", "res:", " re :", "Ratio:", ":"]);
    (prop::collection::vec(prefix, 0..4), prop_oneof![3 => "[A-Za-z0-9 :ñ¿?]{0,40}", 1 => any::<String>()])
        .prop_map(|(prefixes, rest)| format!("{}{rest}", prefixes.concat()))
        .boxed()
}

/// Bodies made of the lines mail clients write: the reply, attributions on
/// one or two lines, quoted lines, signatures, forwarded headers, blank runs.
fn text() -> BoxedStrategy<String> {
    let line = prop_oneof![
        4 => "[A-Za-z0-9 ,.ñé]{0,60}",
        1 => prop::sample::select(vec![
            "On Mon, Nov 2, 2026 at 10:04 AM Rapport <ideas@rapport.example> wrote:",
            "On Mon, Nov 2, 2026 at 10:04 AM Rapport <ideas@rapport.example>",
            "wrote:",
            "El lun, 2 nov 2026 a las 10:04, Rapport escribió:",
            "escribió:",
            "> quoted",
            ">",
            "  > indented quote",
            "-- ",
            "--",
            "-----Original Message-----",
            "-----Mensaje original-----",
            "",
            "   ",
            "\t",
            "\u{0}",
            "\u{feff}",
        ])
        .prop_map(String::from),
        1 => "[a-z]{200,400}",
        1 => any::<String>(),
    ];
    let ending = prop::sample::select(vec!["\n", "\r\n", "\r", "\n\n"]);
    prop::collection::vec((line, ending), 0..30)
        .prop_map(|lines| lines.into_iter().map(|(l, e)| format!("{l}{e}")).collect())
        .boxed()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_fields(
        from in prop::option::of(any::<String>()),
        subject in prop::option::of(any::<String>()),
        text in prop::option::of(any::<String>()),
    ) {
        check(&InboundMail { from, subject, text })?;
    }

    #[test]
    fn mail_like_fields(
        from in prop::option::weighted(0.95, from()),
        subject in prop::option::weighted(0.8, subject()),
        text in prop::option::weighted(0.9, text()),
    ) {
        check(&InboundMail { from, subject, text })?;
    }

    #[test]
    fn long_subjects_and_bodies_are_shortened(n in 190usize..400, m in 9_990usize..10_100, c in "[a-zñ€ ]") {
        let mail = InboundMail {
            from: Some("ana@example.com".into()),
            subject: Some(format!("x{}", c.repeat(n))),
            text: Some(format!("x{}", c.repeat(m))),
        };
        check(&mail)?;
        prop_assert!(mail.parse().is_ok());
    }

    #[test]
    fn helpers_are_total(s in any::<String>()) {
        if let Some(address) = sender_address(&s) {
            prop_assert!(is_email(&address));
            prop_assert_eq!(address.to_lowercase(), address.clone());
        }
        let stripped = strip_prefixes(&s);
        prop_assert_eq!(stripped.trim(), stripped.as_str());
        prop_assert!(s.contains(stripped.as_str()), "{:?} is not part of {:?}", stripped, s);
        prop_assert_eq!(strip_prefixes(&stripped), stripped.clone(), "stripping twice changes nothing");
        let body = strip_quoted(&s);
        prop_assert!(body.lines().count() <= s.lines().count());
        prop_assert!(body.len() <= s.len());
    }
}
