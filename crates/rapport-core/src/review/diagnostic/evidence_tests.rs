use super::*;

fn find<'a>(s: &'a [DiagnosticSuggestion], q: &str) -> &'a DiagnosticSuggestion {
    s.iter().find(|x| x.question == q).expect("a suggestion")
}

fn p(name: &str, decided: i64, in_time: i64) -> PromiseFigure {
    PromiseFigure { name: name.into(), decided, in_time }
}

#[test]
fn nothing_known_suggests_nothing() {
    assert!(suggestions(&EvidenceFigures::default()).is_empty());
}

#[test]
fn each_question_gets_its_figure_and_verdict() {
    let f = EvidenceFigures {
        touchpoints: Some(8),
        listening_gaps: Some(2),
        owned_touchpoints: Some((8, 8)),
        promise_overall: Some(p("", 20, 19)),
        promise_by_channel: vec![(1, p("Web chat", 10, 10)), (2, p("Phone", 10, 9)), (3, p("Store", 0, 0))],
        perfect_behaviours: Some(3),
        roce: Some(RoceEvidence {
            inputs_set: false,
            fitted: true,
            cost_of_poor_service: 1234.4,
            acquisition_to_retention: Some(5.0),
            price_share: Some(0.25),
            service_share: Some(0.75),
        }),
    };
    let s = suggestions(&f);
    let order: Vec<&str> = s.iter().map(|x| x.question).collect();
    assert_eq!(order, ["q12", "q13", "q14", "q15", "q16", "q17", "q18", "q19", "q20"]);
    // 6 of 8 heard: 75%, partial.
    let q12 = find(&s, "q12");
    assert_eq!((q12.signal, q12.figures["heard"], q12.figures["percent"]), (Some(Partial), 6.0, 75.0));
    // 19 of 20 in time (95%), the weakest channel Phone at 90%: strong.
    let q13 = find(&s, "q13");
    assert_eq!((q13.signal, q13.figures["percent"], q13.figures["worst"]), (Some(Strong), 95.0, 90.0));
    assert_eq!(q13.channel.as_deref(), Some("Phone"));
    assert_eq!((find(&s, "q14").signal, find(&s, "q14").figures["gaps"]), (Some(Partial), 2.0));
    assert_eq!((find(&s, "q15").signal, find(&s, "q15").figures["percent"]), (Some(Strong), 100.0));
    assert_eq!(find(&s, "q16").figures["count"], 3.0);
    assert_eq!((find(&s, "q17").kind, find(&s, "q17").signal), ("roce-defaults", Some(Weak)));
    assert_eq!((find(&s, "q18").signal, find(&s, "q18").figures["amount"]), (Some(Partial), 1234.0));
    assert_eq!(find(&s, "q20").figures["service"], 75.0);
}

#[test]
fn empty_programs_and_weak_channels_read_weak() {
    let f = EvidenceFigures {
        touchpoints: Some(0),
        listening_gaps: Some(0),
        owned_touchpoints: Some((0, 0)),
        promise_overall: Some(p("", 10, 7)),
        promise_by_channel: vec![(1, p("Phone", 5, 2))],
        perfect_behaviours: Some(0),
        roce: Some(RoceEvidence { inputs_set: true, ..RoceEvidence::default() }),
    };
    let s = suggestions(&f);
    assert_eq!(find(&s, "q14").kind, "journey-empty");
    // No "100% of 0": an empty map is weak, not covered.
    assert_eq!((find(&s, "q15").kind, find(&s, "q15").signal), ("ownership-empty", Some(Weak)));
    // 70% overall: partial, though the phone keeps 40%.
    let q13 = find(&s, "q13");
    assert_eq!((q13.signal, q13.figures["worst"]), (Some(Partial), 40.0));
    assert_eq!(find(&s, "q16").kind, "behaviours-none");
    assert_eq!(find(&s, "q17").signal, Some(Strong));
    // Not fitted yet: no ROCE figures.
    assert!(!s.iter().any(|x| x.question == "q18"));
    let none = EvidenceFigures { promise_overall: Some(p("", 0, 0)), ..EvidenceFigures::default() };
    assert_eq!(suggestions(&none)[0].signal, None);
}

#[test]
fn every_kind_suggested_is_listed() {
    let f = EvidenceFigures {
        touchpoints: Some(3),
        listening_gaps: Some(1),
        owned_touchpoints: Some((1, 3)),
        promise_overall: Some(p("", 4, 1)),
        perfect_behaviours: Some(2),
        roce: Some(RoceEvidence { fitted: true, ..RoceEvidence::default() }),
        ..EvidenceFigures::default()
    };
    for s in suggestions(&f) {
        assert!(KINDS.contains(&s.kind), "{}", s.kind);
    }
}
