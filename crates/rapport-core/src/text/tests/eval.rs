//! Rapport's labelled Spanish comments (the accuracy figures on them and on
//! the public English sets are printed by `rapport bench text`, beside
//! Python VADER's), and tools for looking at the analyser. Figures only;
//! nothing here is tuned to them.

use crate::lang::Lang;
use crate::text::analyze;

/// Labelled Spanish comments: `1|0<TAB>text`.
pub(super) fn spanish_set(raw: &str) -> Vec<(String, bool)> {
    raw.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (label, text) = l.split_once('\t')?;
            let label = label.trim();
            (label == "1" || label == "0").then(|| (text.to_string(), label == "1"))
        })
        .collect()
}

/// Accuracy on a scratch set of labelled Spanish comments outside the
/// repository (`$RAPPORT_TEXTDATA/eval/es_handmade.tsv`, default
/// `/work/textdata`; skipped when absent).
#[test]
#[ignore = "reads a data set outside the repository; prints an accuracy figure"]
fn es_handmade_accuracy() {
    let dir = std::path::PathBuf::from(std::env::var("RAPPORT_TEXTDATA").unwrap_or_else(|_| "/work/textdata".into()));
    let Ok(raw) = std::fs::read_to_string(dir.join("eval/es_handmade.tsv")) else { return eprintln!("no data set") };
    let items = spanish_set(&raw);
    let ok = items.iter().filter(|(t, pos)| (analyze(t, Some(Lang::Es)).score >= 0.0) == *pos).count();
    eprintln!("es_handmade: {} items, accuracy {:.4}", items.len(), ok as f64 / items.len().max(1) as f64);
}

/// Prints the analysis of each line of `$RAPPORT_TEXT_INPUT` (a tool for
/// looking at the analyser, not a test).
#[test]
#[ignore = "a tool: prints analyses of the lines of $RAPPORT_TEXT_INPUT"]
fn print_analyses() {
    let Ok(path) = std::env::var("RAPPORT_TEXT_INPUT") else { return };
    let lang = std::env::var("RAPPORT_TEXT_LANG").ok().and_then(|l| Lang::parse(&l));
    for line in std::fs::read_to_string(path).unwrap_or_default().lines() {
        let a = analyze(line, lang);
        let flags: Vec<String> = a.flags.iter().map(|f| format!("{}: {}", f.kind.key(), f.reason)).collect();
        println!("{:.4}\t{}\t{}\t{:?}\t{}", a.score, a.label.key(), a.language.code(), flags, line);
    }
}

/// Prints each token's valence before and in context, for the lines of
/// `$RAPPORT_TEXT_INPUT` (a tool for looking at the scorer).
#[test]
#[ignore = "a tool: prints token valences of the lines of $RAPPORT_TEXT_INPUT"]
fn print_tokens() {
    use crate::text::{lexicon, sentences, sentiment, tokens};
    let Ok(path) = std::env::var("RAPPORT_TEXT_INPUT") else { return };
    let lang = std::env::var("RAPPORT_TEXT_LANG").ok().and_then(|l| Lang::parse(&l)).unwrap_or_default();
    for line in std::fs::read_to_string(path).unwrap_or_default().lines() {
        for (s, e) in sentences::split(line) {
            let mut sc = tokens::Scratch::default();
            tokens::tokenize(line, s, e, &mut sc);
            let n = sc.tokens.len();
            lexicon::resolve(lexicon::get(lang), &mut sc, 0..n);
            let raw = sentiment::emphasize(sentiment::sentence_sum(lang, &mut sc, 0..n, true), &line[s..e]);
            let toks: Vec<String> = sc
                .tokens
                .iter()
                .map(|t| (t, t.ctx))
                .map(|(t, v)| {
                    format!(
                        "{}[{:.2}>{:.2} {:?}{}]",
                        &line[t.start as usize..t.end as usize],
                        t.valence,
                        v,
                        t.role,
                        if t.lexical { " L" } else { "" }
                    )
                })
                .collect();
            println!("{raw:.3} {}", toks.join(" "));
        }
    }
}
