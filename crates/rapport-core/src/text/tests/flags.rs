//! WOW and anger flags, with their reasons, in both languages.

use crate::lang::Lang;
use crate::text::{analyze, FlagKind};

fn reason(text: &str, lang: Lang, kind: FlagKind) -> Option<String> {
    analyze(text, Some(lang)).flags.into_iter().find(|f| f.kind == kind).map(|f| f.reason)
}

#[test]
fn wow_names_the_cues_and_the_person() {
    let r = reason("Amazing service, thanks to Maria! She went above and beyond.", Lang::En, FlagKind::Wow).unwrap();
    assert!(r.contains("Amazing") && r.contains("above and beyond") && r.contains("Maria"), "{r}");
    let r = reason("Wow, the technician Pedro Gomez fixed it in ten minutes. Incredible!", Lang::En, FlagKind::Wow)
        .unwrap();
    assert!(r.contains("Wow") && r.contains("Pedro Gomez") && r.contains("fixed"), "{r}");
    let r = reason("¡Me encantó! Gracias a Lucía, la atención fue de diez.", Lang::Es, FlagKind::Wow).unwrap();
    assert!(r.contains("Me encantó") && r.contains("de diez") && r.contains("Lucía"), "{r}");
    let r = reason("Increíble, superó mis expectativas. Carmen resolvió todo.", Lang::Es, FlagKind::Wow).unwrap();
    assert!(r.contains("Increíble") && r.contains("superó") && r.contains("resolvió"), "{r}");
}

#[test]
fn wow_needs_strong_delight_and_a_cue() {
    assert_eq!(reason("The service was good.", Lang::En, FlagKind::Wow), None, "no cue");
    assert_eq!(reason("Not amazing, honestly.", Lang::En, FlagKind::Wow), None, "negated cue");
    assert_eq!(reason("Amazing how slow and rude they were.", Lang::En, FlagKind::Wow), None, "not delight");
    assert_eq!(reason("Bien.", Lang::Es, FlagKind::Wow), None);
    assert_eq!(reason("No fue increíble, fue normal.", Lang::Es, FlagKind::Wow), None);
}

#[test]
fn anger_lists_threats_insults_capitals_and_exclamations() {
    let r =
        reason("This is the WORST company EVER. I'm cancelling, never again!!!", Lang::En, FlagKind::Anger).unwrap();
    assert!(r.contains("WORST") && r.contains("never again") && r.contains("!!!"), "{r}");
    let r = reason("Useless, incompetent staff. I will talk to my lawyer.", Lang::En, FlagKind::Anger).unwrap();
    assert!(r.contains("incompetent") && r.contains("lawyer"), "{r}");
    let r = reason("Es una ESTAFA, me voy a la competencia. ¡Vergüenza!", Lang::Es, FlagKind::Anger).unwrap();
    assert!(r.contains("ESTAFA") && r.contains("me voy a la competencia"), "{r}");
    let r = reason("Pésimo servicio, nunca más. Quiero darme de baja ya.", Lang::Es, FlagKind::Anger).unwrap();
    assert!(r.contains("nunca más") && r.contains("darme de baja"), "{r}");
    let r = reason("Son unos ladrones e inútiles!!", Lang::Es, FlagKind::Anger).unwrap();
    assert!(r.contains("ladrones") && r.contains("!!"), "{r}");
}

#[test]
fn anger_needs_a_strong_negative_and_a_cue() {
    assert_eq!(reason("The delivery was a bit late.", Lang::En, FlagKind::Anger), None, "mild");
    assert_eq!(reason("Terrible and disappointing.", Lang::En, FlagKind::Anger), None, "no anger cue");
    assert_eq!(reason("I will not cancel, it is great!!!", Lang::En, FlagKind::Anger), None, "positive");
    assert_eq!(reason("Llegó tarde.", Lang::Es, FlagKind::Anger), None);
    // One acronym in capitals is no shouting.
    assert_eq!(reason("The ATM was broken and slow.", Lang::En, FlagKind::Anger), None);
}

#[test]
fn flags_summarise() {
    let a = analyze("Worst service ever, I'm switching to another bank!!!", Some(Lang::En));
    let s = a.summary();
    assert!(s.anger && !s.wow && s.score < -0.5);
    assert!(a.has(FlagKind::Anger));
}
