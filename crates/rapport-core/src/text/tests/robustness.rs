//! Any text gets a result: empty, huge, mixed languages, odd Unicode.

use crate::lang::Lang;
use crate::text::{analyze, Analysis, Sentiment, ANALYSED_MAX};
use proptest::prelude::*;

/// What must hold of every analysis of `text`.
fn check(text: &str, a: &Analysis) {
    assert!((-1.0..=1.0).contains(&a.score), "score {}", a.score);
    for s in &a.sentences {
        assert!((-1.0..=1.0).contains(&s.score));
        assert!(s.start < s.end && s.end <= text.len().min(ANALYSED_MAX));
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        assert_eq!(&text[s.start..s.end], s.text);
        assert_ne!(s.label, Sentiment::Mixed);
    }
    assert!(a.sentences.windows(2).all(|w| w[0].end <= w[1].start), "in order, apart");
}

#[test]
fn empty_and_blank() {
    for text in ["", " ", "\n\n\t", "\u{a0}\u{3000}", "...", "!!!", "¿?"] {
        for lang in [None, Some(Lang::En), Some(Lang::Es)] {
            let a = analyze(text, lang);
            check(text, &a);
            assert_eq!(a.score, 0.0, "{text:?}");
            assert_eq!(a.label, Sentiment::Neutral);
            assert!(a.flags.is_empty());
        }
    }
    assert!(analyze("", None).sentences.is_empty());
}

#[test]
fn one_megabyte_is_cut_on_a_char_boundary() {
    // 3-byte chars, so that ANALYSED_MAX falls inside one.
    let text = "Excelente servicio €€€ ".repeat(1_000_000 / 24);
    assert!(text.len() > 900_000);
    let a = analyze(&text, None);
    check(&text, &a);
    assert!(a.sentences.last().is_none_or(|s| s.end <= ANALYSED_MAX));
    assert!(a.score > 0.5);
    let worst = "terrible!!! ".repeat(100_000);
    let a = analyze(&worst, Some(Lang::En));
    check(&worst, &a);
    assert!(a.score < -0.9);
    let one_line = "a".repeat(1_000_000);
    check(&one_line, &analyze(&one_line, None));
}

#[test]
fn long_angry_texts_cost_no_more_than_short_ones() {
    // Many distinct words in capitals, threats and insults: the reason
    // stays short and the work linear.
    let text: String = (0..20_000).map(|i| format!("WORST{i} SCAM{i} idiots never again!!! ")).collect();
    let a = analyze(&text, Some(Lang::En));
    check(&text, &a);
    let anger = a.flags.iter().find(|f| f.kind == crate::text::FlagKind::Anger).unwrap();
    assert!(anger.reason.len() < 200, "{}", anger.reason);
}

#[test]
fn mixed_languages() {
    let text = "The staff were great. Pero la entrega fue pésima y lenta.";
    for lang in [None, Some(Lang::En), Some(Lang::Es)] {
        let a = analyze(text, lang);
        check(text, &a);
        assert_eq!(a.sentences.len(), 2);
    }
    // Emoji and emoticons read the same in both.
    assert!(analyze("ok 😍 :)", Some(Lang::Es)).score > 0.3);
}

#[test]
fn odd_unicode() {
    let texts = [
        "Cafe\u{301} excelente, muy rico", // combining accent
        "الخدمة ممتازة جدا. Great!",       // right-to-left
        "👩‍👩‍👧‍👦 family plan 👍🏽 great",         // ZWJ sequence, skin tone
        "🇪🇸🇺🇸 \u{200b}zero\u{200d}width\u{feff}",
        "Ｆｕｌｌｗｉｄｔｈ ＧＯＯＤ",
        "İstanbul ǅ ß ẞ ﬁne", // lowercase changes lengths
        "\u{0}\u{1}\u{7f}\u{fffd}",
        "e.g. i.e. 3.5.5 ... ¿¡¿¡ …… :):(:-D<3",
    ];
    for t in texts {
        for lang in [None, Some(Lang::En), Some(Lang::Es)] {
            check(t, &analyze(t, lang));
        }
    }
    assert!(analyze("Cafe\u{301} excelente, muy rico", Some(Lang::Es)).score > 0.3);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn never_panics_on_any_string(text in any::<String>(), lang in prop::option::of(prop_oneof![Just(Lang::En), Just(Lang::Es)])) {
        let a = analyze(&text, lang);
        check(&text, &a);
    }

    #[test]
    fn never_panics_on_wordy_strings(
        words in prop::collection::vec(
            prop_oneof![
                Just("not"), Just("no"), Just("nada"), Just("very"), Just("muy"), Just("but"), Just("pero"),
                Just("aunque"), Just("good"), Just("BAD"), Just("excelente"), Just("un poco"), Just(","),
                Just("!!!"), Just("?"), Just("."), Just(":)"), Just("😡"), Just("never again"), Just("é"),
                Just("\n"), Just("e.g."), Just("Maria"), Just("gracias a"), Just("sin embargo"),
            ],
            0..40,
        ),
        lang in prop::option::of(prop_oneof![Just(Lang::En), Just(Lang::Es)]),
    ) {
        let text = words.join(" ");
        let a = analyze(&text, lang);
        check(&text, &a);
    }
}
