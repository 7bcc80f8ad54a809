//! Admin-defined themes: matching on stems, and validation of drafts.

use crate::lang::Lang;
use crate::text::{ThemeDef, ThemeDraft, ThemeMatcher, MAX_KEYWORDS};

fn theme(id: i64, en: &[&str], es: &[&str]) -> ThemeDef {
    ThemeDef {
        id,
        name: format!("theme {id}"),
        keywords_en: en.iter().map(|s| s.to_string()).collect(),
        keywords_es: es.iter().map(|s| s.to_string()).collect(),
    }
}

fn matcher() -> ThemeMatcher {
    ThemeMatcher::new(&[
        theme(1, &["delivery", "shipping"], &["entrega", "envío"]),
        theme(2, &["customer service", "support"], &["atención al cliente"]),
        theme(3, &["price"], &["precio", "caro"]),
        theme(4, &["wait time"], &[]),
    ])
}

#[test]
fn stems_match_inflections() {
    let m = matcher();
    assert_eq!(m.matches("Both deliveries were late", Lang::En), [1]);
    assert_eq!(m.matches("Shipped fast, SHIPPING was free", Lang::En), [1]);
    assert_eq!(m.matches("Las entregas llegaron tarde", Lang::Es), [1]);
    assert_eq!(m.matches("Los envios, carísimos; los precios, altos", Lang::Es), [1, 3]);
    assert!(m.matches("Nothing to report", Lang::En).is_empty());
}

#[test]
fn phrases_match_consecutive_stems() {
    let m = matcher();
    assert_eq!(m.matches("Customer Service was slow", Lang::En), [2]);
    assert_eq!(m.matches("the customers' services", Lang::En), [2]);
    assert!(m.matches("the customer had no service", Lang::En).is_empty(), "not consecutive");
    assert_eq!(m.matches("La atencion al cliente, un desastre", Lang::Es), [2], "accents optional");
    assert_eq!(m.matches("The wait times are long; support was kind", Lang::En), [2, 4]);
}

#[test]
fn keywords_of_the_other_language_do_not_match() {
    let m = matcher();
    assert!(m.matches("La delivery fue rápida", Lang::Es).is_empty());
    assert!(m.matches("The entrega was late", Lang::En).is_empty());
    assert!(ThemeMatcher::new(&[]).matches("anything", Lang::En).is_empty());
    assert!(matcher().matches("", Lang::Es).is_empty());
    assert!(matcher().matches(&"delivery ".repeat(200_000), Lang::En) == [1]);
}

#[test]
fn drafts_validate() {
    let draft = |name: &str, en: &[&str], es: &[&str]| ThemeDraft {
        name: Some(name.to_string()),
        keywords_en: en.iter().map(|s| s.to_string()).collect(),
        keywords_es: es.iter().map(|s| s.to_string()).collect(),
    };
    let ok = draft("  Delivery ", &[" delivery", "Delivery", "", "shipping "], &["entrega"]).validate().unwrap();
    assert_eq!(ok.name, "Delivery");
    assert_eq!(ok.keywords_en, ["delivery", "shipping"], "trimmed, blanks and repeats dropped");
    assert_eq!(ok.keywords_es, ["entrega"]);

    let e = ThemeDraft::default().validate().unwrap_err();
    assert_eq!(e.get("name").unwrap().code, "required");
    assert_eq!(e.get("keywords_en").unwrap().code, "required", "one keyword at least");
    let english_only = draft("Staff", &["staff"], &[]).validate().unwrap();
    assert!(english_only.keywords_es.is_empty(), "one language is enough");

    let long = "x".repeat(81);
    let e = draft(&long, &["ok"], &["ok"]).validate().unwrap_err();
    assert_eq!(e.get("name").unwrap().code, "too_long");

    let many: Vec<String> = (0..=MAX_KEYWORDS).map(|i| format!("word{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let e = draft("T", &many, &["ok"]).validate().unwrap_err();
    assert_eq!(e.get("keywords_en").unwrap().code, "too_many");

    let long_kw = "y".repeat(61);
    let e = draft("T", &["ok", &long_kw], &["a\0b", "!!!"]).validate().unwrap_err();
    assert_eq!(e.get("keywords_en[1]").unwrap().code, "too_long");
    assert_eq!(e.get("keywords_es[0]").unwrap().code, "invalid");
    assert_eq!(e.get("keywords_es[1]").unwrap().code, "invalid");
    let e = draft("a\0", &["ok"], &["ok"]).validate().unwrap_err();
    assert_eq!(e.get("name").unwrap().code, "invalid");
}
