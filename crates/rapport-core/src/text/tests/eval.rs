//! Accuracy against public labelled sets (not shipped: read from
//! `$RAPPORT_TEXTDATA`, default `/work/textdata`, skipped when absent).
//! Figures only; nothing here is tuned to them.

use crate::lang::Lang;
use crate::text::analyze;
use std::path::PathBuf;

fn data_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var("RAPPORT_TEXTDATA").unwrap_or_else(|_| "/work/textdata".into()));
    dir.is_dir().then_some(dir)
}

/// Share of texts whose sign (score ≥ 0 is positive) matches the label.
fn accuracy(items: &[(String, bool)], lang: Lang) -> f64 {
    let ok = items.iter().filter(|(t, pos)| (analyze(t, Some(lang)).score >= 0.0) == *pos).count();
    ok as f64 / items.len().max(1) as f64
}

/// The UCI Sentiment Labelled Sentences (npm `sentiment` 5.0.2 fixtures).
fn uci(dir: &std::path::Path, name: &str) -> Vec<(String, bool)> {
    let path = dir.join(format!("npm/sentiment-5.0.2/package/test/fixtures/{name}.json"));
    let Ok(raw) = std::fs::read_to_string(path) else { return Vec::new() };
    let v: serde_json::Value = serde_json::from_str(&raw).unwrap_or_default();
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| Some((d["text"].as_str()?.to_string(), d["class"].as_i64()? == 1)))
        .filter(|(t, _)| !t.trim().is_empty())
        .collect()
}

/// VADER's ground truth (Hutto & Gilbert 2014): mean valence; items with
/// |mean| < 0.5 are left out.
fn ground_truth(dir: &std::path::Path, name: &str) -> Vec<(String, bool)> {
    let path = dir.join(format!(
        "pypi/vader/vaderSentiment-3.3.2/additional_resources/x/hutto_ICWSM_2014/{name}_GroundTruth.txt"
    ));
    let Ok(bytes) = std::fs::read(path) else { return Vec::new() };
    String::from_utf8_lossy(&bytes)
        .lines()
        .filter_map(|l| {
            let mut c = l.splitn(3, '\t');
            let (_, m, t) = (c.next()?, c.next()?.trim().parse::<f64>().ok()?, c.next()?);
            (m.abs() >= 0.5).then(|| (t.to_string(), m > 0.0))
        })
        .collect()
}

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

/// The sentences of the three UCI sets (for timing); empty when absent.
pub(super) fn uci_sentences() -> Vec<String> {
    let Some(dir) = data_dir() else { return Vec::new() };
    ["amazon", "imdb", "yelp"].iter().flat_map(|n| uci(&dir, n)).map(|(t, _)| t).collect()
}

#[test]
#[ignore = "reads public data sets; prints accuracy figures"]
fn accuracy_figures() {
    let Some(dir) = data_dir() else { return eprintln!("no data sets") };
    for name in ["amazon", "imdb", "yelp"] {
        let items = uci(&dir, name);
        eprintln!("UCI {name}: {} items, accuracy {:.4}", items.len(), accuracy(&items, Lang::En));
    }
    for name in ["amazonReviewSnippets", "movieReviewSnippets", "nytEditorialSnippets", "tweets"] {
        let items = ground_truth(&dir, name);
        eprintln!("VADER GT {name}: {} items, accuracy {:.4}", items.len(), accuracy(&items, Lang::En));
    }
    if let Ok(raw) = std::fs::read_to_string(dir.join("eval/es_handmade.tsv")) {
        let items = spanish_set(&raw);
        eprintln!("es_handmade: {} items, accuracy {:.4}", items.len(), accuracy(&items, Lang::Es));
    }
    let items = spanish_set(include_str!("../../../data/text/eval_es.tsv"));
    eprintln!("eval_es: {} items, accuracy {:.4}", items.len(), accuracy(&items, Lang::Es));
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
