//! Sentences, offsets, labels and language detection.

use crate::lang::Lang;
use crate::text::{analyze, sentences, Sentiment};

fn split(s: &str) -> Vec<&str> {
    sentences::split(s).into_iter().map(|(a, b)| &s[a..b]).collect()
}

#[test]
fn sentences_split_on_terminals_and_lines() {
    assert_eq!(split("Good. Bad! Why? Fine… ok"), ["Good.", "Bad!", "Why?", "Fine…", "ok"]);
    assert_eq!(split("line one\nline two\r\n\r\nthree"), ["line one", "line two", "three"]);
    assert_eq!(split("¡Hola! ¿Qué tal? Bien"), ["¡Hola!", "¿Qué tal?", "Bien"]);
    assert_eq!(split("Muy bien ¿y usted?"), ["Muy bien", "¿y usted?"]);
    assert_eq!(split("Pues, ¿qué decir?"), ["Pues, ¿qué decir?"]);
}

#[test]
fn sentences_keep_abbreviations_decimals_and_runs() {
    assert_eq!(split("Great tools, e.g. the app. Next."), ["Great tools, e.g. the app.", "Next."]);
    assert_eq!(split("It costs 3.5 euros. Fine."), ["It costs 3.5 euros.", "Fine."]);
    assert_eq!(split("Wow!!! Great?! Yes..."), ["Wow!!!", "Great?!", "Yes..."]);
    assert_eq!(split("Ask Dr. Smith at www.example.com today."), ["Ask Dr. Smith at www.example.com today."]);
    assert_eq!(split("La Sra. García fue amable. Gracias."), ["La Sra. García fue amable.", "Gracias."]);
    assert_eq!(split("He said \"great.\" Then left."), ["He said \"great.\"", "Then left."]);
    assert!(split("   \n\t ").is_empty());
}

#[test]
fn sentence_offsets_slice_the_text() {
    let text = "  Good food. 🙂 Slow service!!\nNo volveré, ¿verdad? ";
    let a = analyze(text, Some(Lang::En));
    assert_eq!(a.sentences.len(), 3);
    for s in &a.sentences {
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        assert_eq!(&text[s.start..s.end], s.text);
    }
    assert_eq!(a.sentences[0].text, "Good food.");
    assert_eq!(a.sentences[1].text, "🙂 Slow service!!");
    assert_eq!(a.sentences[2].text, "No volveré, ¿verdad?", "no split at \"¿\" after a comma");
}

#[test]
fn labels_and_mixed() {
    let label = |s: &str| analyze(s, Some(Lang::En)).label;
    assert_eq!(label("Great staff."), Sentiment::Positive);
    assert_eq!(label("Awful staff."), Sentiment::Negative);
    assert_eq!(label("The store opens at nine."), Sentiment::Neutral);
    assert_eq!(label("The staff were wonderful and kind. The food was awful and disgusting."), Sentiment::Mixed);
    assert_eq!(analyze("La comida, excelente. El servicio, pésimo.", Some(Lang::Es)).label, Sentiment::Mixed);
    // One sentence with both is not mixed: its contrast decides.
    assert_ne!(label("Wonderful staff but awful food."), Sentiment::Mixed);
    // Sentence labels are never mixed.
    let a = analyze("The staff were wonderful. The food was awful.", Some(Lang::En));
    assert_eq!(a.sentences[0].label, Sentiment::Positive);
    assert_eq!(a.sentences[1].label, Sentiment::Negative);
}

#[test]
fn language_given_or_detected() {
    let a = analyze("The delivery was quick and the staff were friendly.", None);
    assert_eq!((a.language, a.detected), (Lang::En, true));
    let a = analyze("La entrega fue rápida y el personal muy amable.", None);
    assert_eq!((a.language, a.detected), (Lang::Es, true));
    let a = analyze("La entrega fue rápida.", Some(Lang::En));
    assert_eq!((a.language, a.detected), (Lang::En, false), "given wins");
    // Too short for trigrams: the vote of frequent words decides.
    assert_eq!(analyze("muy bien", None).language, Lang::Es);
    assert_eq!(analyze("el mejor", None).language, Lang::Es);
    assert_eq!(analyze("very good", None).language, Lang::En);
    assert_eq!(analyze("ok", None).language, Lang::En, "a tie is English");
    assert_eq!(analyze("", None).language, Lang::En);
    assert_eq!(analyze("¿Todo bien?", None).language, Lang::Es);
}

#[test]
fn spanish_detected_is_scored_in_spanish() {
    let a = analyze("No me gustó nada, pésima atención.", None);
    assert_eq!(a.language, Lang::Es);
    assert!(a.score < -0.3);
}
