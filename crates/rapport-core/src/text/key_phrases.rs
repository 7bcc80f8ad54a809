//! Key phrases customers use, found rather than defined: YAKE (the
//! `yake-rust` crate, with its English and Spanish stop words) over the
//! comments of a period, per language, then each phrase counted in the
//! comments that use it (whole words, case and accents aside), with their
//! mean sentiment and the count in the period before. What it finds is what
//! a theme could be made of.
//!
//! YAKE reads only the first [`DISCOVERY_SAMPLE`] comments of each language
//! (the callers pass the newest first); the counts cover every comment
//! given. YAKE costs about 0.25 ms per comment (linear: 512 ms for 2,000
//! two-sentence comments, 124 ms for 500, release build), and a phrase
//! customers keep using is among the top ones of any few hundred comments.

use super::tokens::{fold_into, words};
use crate::lang::Lang;
use serde::Serialize;
use std::sync::LazyLock;
use yake_rust::{get_n_best, Config, StopWords};

/// A comment as key phrases read it.
#[derive(Debug, Clone, Copy)]
pub struct Comment<'a> {
    pub text: &'a str,
    pub language: Lang,
    /// Its sentiment, −1..1.
    pub score: f64,
}

/// A phrase found in a period's comments.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyPhrase {
    pub phrase: String,
    pub language: Lang,
    /// Comments of the period that use it.
    pub n: i64,
    /// Comments of the period before that use it.
    pub previous_n: i64,
    /// The mean sentiment of the comments that use it.
    pub mean_sentiment: Option<f64>,
}

/// A phrase must be used by at least this many comments to be shown.
const MIN_COMMENTS: i64 = 2;

/// The comments of one language YAKE reads to find candidate phrases.
pub const DISCOVERY_SAMPLE: usize = 500;

static STOP_WORDS: LazyLock<[StopWords; 2]> = LazyLock::new(|| {
    let load = |code| StopWords::predefined(code).unwrap_or_else(|| StopWords::custom(Default::default()));
    [load("en"), load("es")]
});

/// A text as its folded words, each between spaces (" la entrega tarde "),
/// so that a phrase is found as whole words with `contains`.
fn folded_words(text: &str) -> String {
    let mut out = String::from(" ");
    for w in words(text) {
        fold_into(w, &mut out);
        out.push(' ');
    }
    out
}

/// The `top` phrases most used in `now`, most used first, with their use in
/// `before`.
pub fn key_phrases(now: &[Comment<'_>], before: &[Comment<'_>], top: usize) -> Vec<KeyPhrase> {
    let config = Config { ngrams: 3, only_alphanumeric_and_hyphen: true, ..Config::default() };
    let mut out = Vec::new();
    for (i, lang) in Lang::ALL.into_iter().enumerate() {
        let of_lang = |list: &[Comment<'_>]| -> Vec<(String, f64)> {
            list.iter().filter(|c| c.language == lang).map(|c| (folded_words(c.text), c.score)).collect()
        };
        let (current, previous) = (of_lang(now), of_lang(before));
        if current.is_empty() {
            continue;
        }
        let doc: String = now
            .iter()
            .filter(|c| c.language == lang)
            .take(DISCOVERY_SAMPLE)
            .map(|c| c.text)
            .collect::<Vec<_>>()
            .join("\n\n");
        for found in get_n_best(top * 3, &doc, &STOP_WORDS[i], &config) {
            let key = format!(" {} ", folded_words(&found.keyword).trim());
            if key.trim().is_empty() {
                continue;
            }
            let using: Vec<f64> = current.iter().filter(|(w, _)| w.contains(&key)).map(|(_, s)| *s).collect();
            let n = using.len() as i64;
            if n < MIN_COMMENTS {
                continue;
            }
            let previous_n = previous.iter().filter(|(w, _)| w.contains(&key)).count() as i64;
            let mean_sentiment = Some(using.iter().sum::<f64>() / n as f64);
            out.push(KeyPhrase { phrase: found.keyword, language: lang, n, previous_n, mean_sentiment });
        }
    }
    out.sort_by(|a, b| b.n.cmp(&a.n).then_with(|| a.phrase.cmp(&b.phrase)));
    out.dedup_by(|a, b| a.phrase == b.phrase && a.language == b.language);
    out.truncate(top);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str, language: Lang, score: f64) -> Comment<'_> {
        Comment { text, language, score }
    }

    #[test]
    fn phrases_are_found_counted_and_compared() {
        let now = [
            c("The delivery was late again.", Lang::En, -0.5),
            c("Late delivery, cold coffee.", Lang::En, -0.7),
            c("Another late delivery this week!", Lang::En, -0.6),
            c("Great coffee beans.", Lang::En, 0.8),
            c("La entrega llegó tarde.", Lang::Es, -0.4),
            c("Otra vez la entrega tarde.", Lang::Es, -0.5),
        ];
        let before = [c("Late delivery once.", Lang::En, -0.3), c("Fine.", Lang::En, 0.2)];
        let found = key_phrases(&now, &before, 10);
        let delivery = found.iter().find(|p| p.phrase == "late delivery").expect("late delivery is found");
        assert_eq!((delivery.n, delivery.previous_n, delivery.language), (2, 1, Lang::En), "{found:?}");
        assert!((delivery.mean_sentiment.unwrap() + 0.65).abs() < 1e-9);
        assert!(found.iter().any(|p| p.language == Lang::Es && p.phrase.contains("entrega")), "{found:?}");
        assert!(found.iter().all(|p| p.n >= MIN_COMMENTS), "{found:?}");
        assert!(found.windows(2).all(|w| w[0].n >= w[1].n), "most used first");
    }

    #[test]
    fn phrases_found_in_the_newest_comments_are_counted_in_all() {
        let mut now = vec![c("Late delivery again.", Lang::En, -0.5); DISCOVERY_SAMPLE + 100];
        // Beyond the discovery sample: counted, but not read by YAKE.
        now.extend([c("Cold coffee, cold coffee.", Lang::En, -0.4); 3]);
        let found = key_phrases(&now, &[], 10);
        let late =
            found.iter().find(|p| p.phrase.to_lowercase() == "late delivery").unwrap_or_else(|| panic!("{found:?}"));
        assert_eq!(late.n, (DISCOVERY_SAMPLE + 100) as i64, "{found:?}");
        assert!(!found.iter().any(|p| p.phrase.to_lowercase().contains("cold")), "{found:?}");
    }

    #[test]
    fn nothing_to_find_in_nothing() {
        assert!(key_phrases(&[], &[], 10).is_empty());
        assert!(key_phrases(&[c("", Lang::En, 0.0), c("!!!", Lang::Es, 0.0)], &[], 10).is_empty());
    }
}
