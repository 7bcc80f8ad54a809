//! Single-thread throughput of the analyser (sentences per second). The
//! English corpus is the UCI labelled sentences when present (see `eval`),
//! so that Python's vaderSentiment can be timed on the same sentences.

use super::eval::{spanish_set, uci_sentences};
use crate::lang::Lang;
use crate::text::analyze;
use std::time::{Duration, Instant};

/// Analyses `items` over and over for about a second, three times;
/// sentences per second in the best round (the machine may be busy).
fn throughput(items: &[String], lang: Option<Lang>) -> f64 {
    let mut best: f64 = 0.0;
    for _ in 0..3 {
        let mut n = 0usize;
        let mut checksum = 0.0;
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(1) {
            for t in items {
                checksum += analyze(t, lang).score;
                n += 1;
            }
        }
        assert!(checksum.is_finite());
        best = best.max(n as f64 / start.elapsed().as_secs_f64());
    }
    best
}

#[test]
#[ignore = "timing; run in release with --nocapture"]
fn sentences_per_second() {
    let mut en = uci_sentences();
    if en.is_empty() {
        en = super::vader_parity::SENTENCES.iter().map(|(s, _)| s.to_string()).collect();
    }
    let es: Vec<String> =
        spanish_set(include_str!("../../../data/text/eval_es.tsv")).into_iter().map(|(t, _)| t).collect();
    analyze("warm up", None);
    eprintln!("English, {} sentences: {:.0}/s", en.len(), throughput(&en, Some(Lang::En)));
    if std::env::var("RAPPORT_SPEED_ENGLISH_ONLY").is_ok() {
        return;
    }
    eprintln!("English, language detected: {:.0}/s", throughput(&en, None));
    eprintln!("Spanish, {} comments: {:.0}/s", es.len(), throughput(&es, Some(Lang::Es)));
    eprintln!("Spanish, language detected: {:.0}/s", throughput(&es, None));
}
