use super::*;
use proptest::prelude::*;

fn entry(q: &str, text: &str) -> EntryDraft {
    EntryDraft { quadrant: Some(q.into()), text: Some(text.into()), evidence: None }
}

fn cite(kind: &str, id: i64) -> Option<EvidenceDraft> {
    Some(EvidenceDraft { kind: Some(kind.into()), id: Some(id) })
}

#[test]
fn a_valid_map_keeps_order_and_evidence() {
    let mut pains = entry("pains", "  Waits 20 minutes for a latte ");
    pains.evidence = cite("response", 7);
    let m = MapDraft { entries: vec![entry("says", "Loves the oat milk"), pains] }.validate().unwrap();
    assert_eq!(m.entries.len(), 2);
    assert_eq!(m.entries[1].quadrant, Quadrant::Pains);
    assert_eq!(m.entries[1].text, "Waits 20 minutes for a latte");
    assert_eq!(m.entries[1].evidence, Some(Evidence { kind: EvidenceKind::Response, id: 7 }));
    assert_eq!(m.with_evidence(), 1);
}

#[test]
fn errors_name_the_entry_and_its_field() {
    let mut bad_evidence = entry("gains", "ok");
    bad_evidence.evidence = Some(EvidenceDraft { kind: Some("tweet".into()), id: Some(0) });
    let d = MapDraft {
        entries: vec![
            entry("says", "fine"),
            entry("hears", "unknown quadrant"),
            entry("does", "   "),
            entry("feels", &"x".repeat(MAX_TEXT + 1)),
            bad_evidence,
            entry("feels", "nul \0 inside"),
        ],
    };
    let e = d.validate().unwrap_err();
    assert_eq!(e.get("entries[1].quadrant").unwrap().code, "unknown");
    assert_eq!(e.get("entries[2].text").unwrap().code, "required");
    assert_eq!(e.get("entries[3].text").unwrap().code, "too_long");
    assert_eq!(e.get("entries[4].evidence.kind").unwrap().code, "unknown");
    assert_eq!(e.get("entries[4].evidence.id").unwrap().code, "out_of_range");
    assert_eq!(e.get("entries[5].text").unwrap().code, "invalid");
    assert!(e.get("entries[0].text").is_none());
}

#[test]
fn exactly_max_text_and_max_entries_pass_one_more_fails() {
    let ok = MapDraft { entries: vec![entry("says", &"é".repeat(MAX_TEXT)); MAX_ENTRIES] };
    assert_eq!(ok.validate().unwrap().entries.len(), MAX_ENTRIES);
    let too_many = MapDraft { entries: vec![entry("says", "a"); MAX_ENTRIES + 1] };
    assert_eq!(too_many.validate().unwrap_err().get("entries").unwrap().code, "too_many");
}

#[test]
fn an_empty_map_is_a_valid_version() {
    assert!(MapDraft::default().validate().unwrap().entries.is_empty());
}

#[test]
fn tone_picks_the_quadrant() {
    assert_eq!(suggested_quadrant(Some(Sentiment::Negative)), Quadrant::Pains);
    assert_eq!(suggested_quadrant(Some(Sentiment::Positive)), Quadrant::Gains);
    assert_eq!(suggested_quadrant(Some(Sentiment::Mixed)), Quadrant::Says);
    assert_eq!(suggested_quadrant(None), Quadrant::Says);
}

#[test]
fn long_comments_are_cut_to_a_valid_entry() {
    let t = entry_text(&"a".repeat(MAX_TEXT * 2));
    assert_eq!(t.chars().count(), MAX_TEXT);
    assert!(t.ends_with('…'));
    assert_eq!(entry_text("  short  "), "short");
}

#[test]
fn written_evidence_reads_back() {
    let d = EvidenceDraft::from_written("Case #4").unwrap();
    assert_eq!((d.kind.as_deref(), d.id), (Some("case"), Some(4)));
    let d = EvidenceDraft::from_written("response:12").unwrap();
    assert_eq!((d.kind.as_deref(), d.id), (Some("response"), Some(12)));
    assert!(EvidenceDraft::from_written("   ").is_none());
    let d = EvidenceDraft::from_written("theme:x").unwrap();
    assert_eq!(d.id, None);
}

#[test]
fn the_summary_takes_the_first_pains_and_gains() {
    let entries = ["p1", "p2", "p3", "p4"]
        .iter()
        .map(|t| Entry { quadrant: Quadrant::Pains, text: (*t).into(), evidence: None, quote: None })
        .chain(std::iter::once(Entry {
            quadrant: Quadrant::Gains,
            text: "g1".into(),
            evidence: Some(Evidence { kind: EvidenceKind::Theme, id: 2 }),
            quote: Some("Speed".into()),
        }))
        .collect();
    let m = EmpathyMap {
        touchpoint_id: 1,
        segment_id: None,
        version: 3,
        author: "ana".into(),
        created_at: DateTime::<Utc>::UNIX_EPOCH,
        entries,
    };
    let s = m.summary();
    assert_eq!(s.pains, vec!["p1", "p2", "p3"]);
    assert_eq!(s.gains, vec!["g1"]);
    assert_eq!((s.entries, s.with_evidence), (5, 1));
    assert!(m.to_input().entries.iter().all(|e| e.quote.is_none()));
}

proptest! {
    #[test]
    fn written_evidence_round_trips(kind in 0usize..3, id in 1i64..i64::MAX) {
        let ev = Evidence { kind: EvidenceKind::ALL[kind], id };
        let d = EvidenceDraft::from_written(&ev.written()).unwrap();
        let mut e = FieldErrors::new();
        prop_assert_eq!(d.check(&mut e, "x"), Some(ev));
    }

    #[test]
    fn any_written_text_is_judged_never_panics(s in ".{0,40}") {
        if let Some(d) = EvidenceDraft::from_written(&s) {
            let mut e = FieldErrors::new();
            let ok = d.check(&mut e, "x").is_some();
            prop_assert_eq!(ok, e.is_empty());
        }
    }

    #[test]
    fn validation_accepts_exactly_what_is_in_bounds(texts in prop::collection::vec(".{0,600}", 0..70)) {
        let d = MapDraft { entries: texts.iter().map(|t| entry("feels", t)).collect() };
        let expect_ok = texts.len() <= MAX_ENTRIES
            && texts.iter().all(|t| {
                let t = t.trim();
                !t.is_empty() && !t.contains('\0') && t.chars().count() <= MAX_TEXT
            });
        prop_assert_eq!(d.validate().is_ok(), expect_ok);
    }
}

#[test]
fn a_cited_comment_can_be_the_entry_without_a_copy() {
    let mut quoted = entry("pains", "  ");
    quoted.evidence = cite("response", 3);
    let mut case_only = entry("pains", "");
    case_only.evidence = cite("case", 3);
    let e = MapDraft { entries: vec![quoted.clone(), case_only] }.validate().unwrap_err();
    assert!(e.get("entries[0].text").is_none());
    assert_eq!(e.get("entries[1].text").unwrap().code, "required");
    let m = MapDraft { entries: vec![quoted] }.validate().unwrap();
    assert_eq!(m.entries[0].text, "");
    let shown = Entry { quote: Some("Cold coffee".into()), ..m.entries[0].clone() };
    assert_eq!(shown.shown(), "Cold coffee");
}
