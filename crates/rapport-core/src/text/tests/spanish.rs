//! Spanish sentiment: negation (with concord), contrast, intensity,
//! emoji, emphasis; and the labelled comments in `data/text/eval_es.tsv`.

use super::eval::spanish_set;
use crate::lang::Lang;
use crate::text::analyze;

fn score(s: &str) -> f64 {
    analyze(s, Some(Lang::Es)).score
}

#[test]
fn plain_words_score_by_sign() {
    assert!(score("El servicio fue excelente.") > 0.3);
    assert!(score("La atención fue pésima.") < -0.3);
    assert!(score("Me encantó.") > 0.3);
    assert!(score("Es horrible") < -0.3);
    assert_eq!(score("El paquete llegó el martes."), 0.0);
}

#[test]
fn stems_and_accents() {
    // Surface forms reach SentiLeak's stems; accents may be missing.
    assert!(score("Muy amables todos") > 0.3);
    assert!(score("fue pesimo") < -0.3);
    assert!(score("increible") > 0.3);
    assert!(score("Una atencion maravillosa") > 0.3);
    assert!(score("buenísimo") > score("bueno"));
    assert!(score("buenooo") > score("bueno"));
}

#[test]
fn negation_is_scoped_and_concord_emphasises() {
    assert!(score("No me gustó nada.") < 0.0);
    assert!(score("No me gustó nada.") < score("No me gustó."), "'no ... nada' is stronger, not cancelled");
    assert!(score("No está mal.") > -0.1);
    assert!(score("No es bueno.") < 0.0);
    assert!(score("Nunca me atendieron bien.") < 0.0);
    assert!(score("Sin problemas, todo correcto.") > 0.0);
    assert!(score("Nada bueno que decir.") < 0.0);
    assert!(score("Ni amables ni rápidos.") < 0.0);
    assert!(score("No me lo recomendaron bien.") < 0.0, "clitics do not count in the window");
    // Negation does not run to the end of the text.
    assert!(score("No funciona el wifi. El personal fue muy amable y atento.") > -0.3);
    assert!(analyze("No vino nadie. Después todo excelente.", Some(Lang::Es)).sentences[1].score > 0.3);
    assert!(score("No, me encantó.") > 0.3, "'No,' answers");
}

#[test]
fn contrast_weighs_the_main_clause() {
    assert!(score("Caro pero excelente servicio.") > 0.0);
    assert!(score("Bueno pero lento.") < score("Bueno y lento."));
    assert!(score("El producto es bonito, sin embargo se rompió y es malo.") < 0.0);
    // "aunque" opens the clause that weighs less, first or last.
    assert!(score("Aunque es caro, el servicio es excelente.") > 0.3);
    assert!(score("El servicio es excelente, aunque caro.") > 0.3);
    assert!(score("Aunque el local es bonito, la atención fue muy mala.") < 0.0);
    assert!(score("A pesar del retraso, la comida estaba buenísima.") > 0.3);
}

#[test]
fn boosters_and_dampeners() {
    let bueno = score("Es bueno.");
    assert!(score("Es muy bueno.") > bueno);
    assert!(score("Es súper bueno.") > bueno);
    assert!(score("Es un poco bueno.") < bueno);
    assert!(score("Es un poco bueno.") > 0.0);
    assert!(score("Es muy malo.") < score("Es malo."));
    assert!(score("Es un poco lento.") > score("Es lento."));
    assert!(score("Es un poco lento.") < 0.0);
    // "poco" alone negates more than it dampens: "poco amable" is unkind.
    assert!(score("Personal poco amable.") < 0.0);
}

#[test]
fn emphasis_emoji_and_emoticons() {
    assert!(score("¡Me encantó!!!") > score("Me encantó."));
    assert!(score("El servicio fue PÉSIMO y lento") < score("El servicio fue pésimo y lento"));
    assert!(score("Llegó 😍") > 0.3);
    assert!(score("Llegó 😢") < -0.3);
    assert!(score("Todo bien :)") > score("Todo bien"));
    assert!(score("Otra vez tarde :(") < -0.3);
}

#[test]
fn threats_and_insults_are_negative() {
    assert!(score("Nunca más.") < 0.0);
    assert!(score("Es una estafa.") < -0.3);
    assert!(score("Me voy a la competencia.") < 0.0);
    assert!(score("Quiero darme de baja.") < 0.0);
    assert!(score("Son unos ladrones.") < -0.3);
}

/// Comments written and labelled before the analyser scored them (the
/// first blind run scored 0.82); the goal is at least 0.70.
#[test]
fn labelled_spanish_comments() {
    let items = spanish_set(include_str!("../../../data/text/eval_es.tsv"));
    assert_eq!(items.len(), 100);
    let ok = items.iter().filter(|(t, pos)| (score(t) >= 0.0) == *pos).count();
    assert!(ok >= 75, "{ok} of 100");
}
