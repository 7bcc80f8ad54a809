//! Tests of the rules common to every format.

use crate::survey_import::build::Keys;
use crate::survey_import::*;

#[test]
fn keys_are_slugs_made_unique() {
    let mut k = Keys::default();
    assert_eq!(k.unique("Q1.2", "x"), "q1_2");
    assert_eq!(k.unique("  ¿Cuál es tu opinión?  ", "x"), "cual_es_tu_opinion");
    assert_eq!(k.unique("q1_2", "x"), "q1_2_2");
    assert_eq!(k.unique("Q1-2", "x"), "q1_2_3");
    assert_eq!(k.unique("***", "Choice 4"), "choice_4");
    assert_eq!(k.unique("", ""), "q");
    let long = "a".repeat(50);
    assert_eq!(k.unique(&long, "x"), "a".repeat(40));
    assert_eq!(k.unique(&long, "x"), format!("{}_2", "a".repeat(38)));
    assert!(k.taken.iter().all(|key| crate::survey::is_key(key)), "{:?}", k.taken);
}

#[test]
fn many_same_named_questions_get_keys_quickly() {
    // Each key used to be found by trying `_2`, `_3`... against every key
    // handed out: cubic, 16 s of CPU for a 100 kB file of 4,000 questions.
    let n = 3000;
    let elements: Vec<String> = (0..n).map(|_| r#"{"type": "text", "name": "q"}"#.to_string()).collect();
    let source = format!(r#"{{"elements": [{}]}}"#, elements.join(","));
    let keys: Vec<String> = import(Format::SurveyJs, &source).unwrap().questions.into_iter().map(|q| q.key).collect();
    // A survey holds at most 300 questions; the rest are reported.
    assert_eq!(keys.len(), 300);
    assert_eq!((keys[0].as_str(), keys[1].as_str(), keys[299].as_str()), ("q", "q_2", "q_300"));
    let distinct: std::collections::HashSet<&String> = keys.iter().collect();
    assert_eq!(distinct.len(), 300);
    let mut k = Keys::default();
    assert_eq!(k.unique("a_2", "x"), "a_2");
    assert_eq!(k.unique("a", "x"), "a");
    assert_eq!(k.unique("a", "x"), "a_3", "a_2 was taken by another question");
    assert_eq!(k.unique("a_4", "x"), "a_4");
    assert_eq!(k.unique("a", "x"), "a_5");
}

#[test]
fn html_becomes_plain_text() {
    assert_eq!(plain("<p>How <b>likely</b>&nbsp;are you?</p>"), "How likely are you?");
    assert_eq!(plain("Line one<br/>line two"), "Line one line two");
    assert_eq!(plain("&iquest;Qu&eacute; tan probable?&#33; &#x41;"), "¿Qué tan probable?! A");
    assert_eq!(plain("1 < 2 & 3 > 2 &unknown; &"), "1 < 2 & 3 > 2 &unknown; &");
    assert_eq!(plain("<div style=\"x\">\n  Spaced\t out </div>"), "Spaced out");
}

#[test]
fn english_and_spanish_are_picked() {
    let t = |pairs: &[(&'static str, &str)]| pairs.iter().map(|(c, t)| (*c, t.to_string())).collect::<Vec<_>>();
    let l = |en: &str, es: &str| Localized { en: en.into(), es: es.into() };
    assert_eq!(localize("Hi", Some(Lang::En), t(&[("ES-ES", "Hola (es)"), ("ES", "Hola")])), l("Hi", "Hola"));
    assert_eq!(localize("Hi", Some(Lang::En), t(&[("es-MX", "Qué onda")])), l("Hi", "Qué onda"));
    assert_eq!(localize("Hi", Some(Lang::En), t(&[("de", "Hallo")])), l("Hi", ""));
    // A Spanish main text is the Spanish one; with no English, English falls back to it.
    assert_eq!(localize("Hola", Some(Lang::Es), t(&[])), l("Hola", "Hola"));
    assert_eq!(localize("Hola", Some(Lang::Es), t(&[("en", "Hello")])), l("Hello", "Hola"));
    // Another main language: English from its translation.
    assert_eq!(localize("Hallo", None, t(&[("en", "Hello"), ("es", " ")])), l("Hello", ""));
    assert_eq!(localize("", Some(Lang::En), t(&[("en", "Hello")])), l("Hello", ""));
}

#[test]
fn scales() {
    assert_eq!(scale(0.0, 10.0), Some((QuestionType::Nps, None)));
    assert_eq!(scale(1.0, 5.0), Some((QuestionType::Rating, Some(5))));
    assert_eq!(scale(1.0, 10.0), Some((QuestionType::Rating, Some(10))));
    for (lo, hi) in [(0.0, 5.0), (1.0, 2.0), (1.0, 11.0), (1.0, 4.5), (-5.0, 5.0)] {
        assert_eq!(scale(lo, hi), None, "{lo}..{hi}");
    }
}

#[test]
fn literals_and_comparisons() {
    assert_eq!(literal(" 6 "), Some(Operand::Num(6.0)));
    assert_eq!(literal("'web site'"), Some(Operand::Text("web site".into())));
    assert_eq!(literal("\"A1\""), Some(Operand::Text("A1".into())));
    assert_eq!(literal("true"), Some(Operand::Bool(true)));
    assert_eq!(literal("'a' or 'b'"), None);
    assert_eq!(literal("x"), None);
    assert_eq!(comparison("{nps} <= 6"), Some(("{nps}", ConditionOp::Lte, "6")));
    assert_eq!(comparison("Q1.NAOK == \"A<1\""), Some(("Q1.NAOK", ConditionOp::Eq, "\"A<1\"")));
    assert_eq!(comparison("{a} <> 'x'"), Some(("{a}", ConditionOp::Ne, "'x'")));
    assert_eq!(comparison("{a} notempty"), None);
    assert_eq!(Operand::Num(3.0).text().as_deref(), Some("3"));
}

#[test]
fn conditions_follow_the_target_type() {
    let mut b = Builder::default();
    let l = Localized::default();
    b.push(question("nps".into(), QuestionType::Nps, l.clone(), false), "Q1", "Q1", "t", vec![]);
    let mut one = question("plan".into(), QuestionType::SingleChoice, l.clone(), false);
    one.choices = choices(vec![("A1".into(), "A1".into(), l.clone())]).0;
    b.push(one, "Q2", "Q2", "t", vec![("A1".into(), "a1".into())]);
    b.push(
        question("many".into(), QuestionType::MultipleChoice, l.clone(), false),
        "Q3",
        "Q3",
        "t",
        vec![("x".into(), "x".into())],
    );
    b.push(question("why".into(), QuestionType::Text, l, false), "Q4", "Q4", "t", vec![]);
    let c = |t: &str, op, v: Operand| b.condition(t, op, &v).map(|s| (s.question, s.op, s.value));
    use ConditionOp::*;
    assert_eq!(c("Q1", Lte, Operand::Text("6".into())), Some(("nps".into(), Lte, Value::from(6))));
    assert_eq!(c("Q1", Eq, Operand::Text("x".into())), None);
    assert_eq!(c("Q2", Eq, Operand::Text("A1".into())), Some(("plan".into(), Eq, Value::from("a1"))));
    assert_eq!(c("Q2", Eq, Operand::Text("A9".into())), None, "unknown choice");
    assert_eq!(c("Q2", Gt, Operand::Text("A1".into())), None);
    assert_eq!(c("Q3", Eq, Operand::Text("x".into())), Some(("many".into(), Includes, Value::from("x"))));
    assert_eq!(c("Q3", Ne, Operand::Text("x".into())), None);
    assert_eq!(c("Q4", Answered, Operand::None), Some(("why".into(), Answered, Value::Null)));
    assert_eq!(c("Q9", Answered, Operand::None), None, "not an earlier question");
}

#[test]
fn formats_are_detected_by_content() {
    assert_eq!(Format::detect("\u{feff} {\"SurveyEntry\": {}, \"SurveyElements\": []}"), Some(Format::Qsf));
    assert_eq!(Format::detect("{\"pages\": []}"), Some(Format::SurveyJs));
    assert_eq!(Format::detect("{\"elements\": []}"), Some(Format::SurveyJs));
    assert_eq!(
        Format::detect("<?xml version=\"1.0\"?>\n<document><LimeSurveyDocType>Survey</LimeSurveyDocType></document>"),
        Some(Format::Lss)
    );
    assert_eq!(Format::detect("<html></html>"), None);
    assert_eq!(Format::detect("{\"a\": 1}"), None);
    assert_eq!(Format::detect("not a survey"), None);
    assert_eq!(import_any("name,email\n").unwrap_err(), ImportError::UnknownFormat);
    assert_eq!(Format::parse(" SurveyJS "), Some(Format::SurveyJs));
    assert_eq!(Format::parse("csv"), None);
    assert_eq!(serde_json::to_value(Format::SurveyJs).unwrap(), Value::from("surveyjs"));
}

#[test]
fn malformed_files_are_errors_with_a_clear_message() {
    let e = import(Format::Qsf, "{\"SurveyEntry\": ").unwrap_err();
    assert!(matches!(e, ImportError::Syntax { format: Format::Qsf, .. }), "{e:?}");
    assert!(e.to_string().starts_with("this is not a valid Qualtrics QSF file: EOF while parsing"), "{e}");
    let e = import(Format::SurveyJs, "[1, 2]").unwrap_err();
    assert_eq!(e.to_string(), "this is not a SurveyJS JSON survey: the file is JSON but not an object");
    let e = import(Format::Lss, "<document><questions>").unwrap_err();
    assert!(matches!(e, ImportError::Syntax { format: Format::Lss, .. }), "{e:?}");
    assert!(e.to_string().starts_with("this is not a valid LimeSurvey LSS file: "), "{e}");
}
