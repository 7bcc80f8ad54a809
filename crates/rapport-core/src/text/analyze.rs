//! The analysis of one text: language, sentences, scores, label, flags.

use super::flags::{self, Sentence};
use super::lexicon::{self, Role};
use super::sentiment::{emphasize, normalize, sentence_sum};
use super::tokens::{self, Kind, Scratch, Token};
use super::{language, sentences, Analysis, SentenceSentiment, Sentiment, ANALYSED_MAX};
use crate::lang::Lang;

/// VADER's bounds of a neutral compound score.
const NEUTRAL: f64 = 0.05;
/// A text with a sentence at least this positive and one at least this
/// negative is mixed.
const MIXED: f64 = 0.5;

/// Analyses `text` in the language given, else the one detected. Never
/// panics; texts longer than [`ANALYSED_MAX`] bytes are analysed up to it.
pub fn analyze(text: &str, given: Option<Lang>) -> Analysis {
    let text = &text[..super::floor_char_boundary(text, ANALYSED_MAX)];
    let (language, detected) = match given {
        Some(l) => (l, false),
        None => (language::detect(text), true),
    };
    let lex = lexicon::get(language);
    let spans = sentences::split(text);
    let mut sc = Scratch::with_capacity(text.len());
    let mut work: Vec<Sentence> = Vec::with_capacity(spans.len());
    for span in spans {
        let first = sc.tokens.len();
        tokens::tokenize(text, span.0, span.1, &mut sc);
        work.push(Sentence { span, tokens: first..sc.tokens.len(), sum: 0.0, score: 0.0 });
    }
    let cap_diff = cap_differential(&sc.tokens);
    for s in &mut work {
        lexicon::resolve(lex, &mut sc, s.tokens.clone());
        s.sum = sentence_sum(language, &mut sc, s.tokens.clone(), cap_diff);
        s.score = normalize(emphasize(s.sum, &text[s.span.0..s.span.1]));
    }
    // A sentence's "!" emphasise it; the text's, the text (as VADER reads
    // a whole text).
    let score = normalize(emphasize(text_sum(&sc.tokens, &work), text));
    let label = text_label(score, &work);
    let flags = flags::flags(language, lex, text, &sc, &work, score);
    let sentences = work
        .iter()
        .map(|s| SentenceSentiment {
            start: s.span.0,
            end: s.span.1,
            text: text[s.span.0..s.span.1].to_string(),
            score: s.score,
            label: label_of(s.score),
        })
        .collect();
    Analysis { language, detected, score, label, sentences, flags }
}

/// The sum of the text's valences: its sentences' sums, where a sentence
/// opening with "But"/"Pero" halves the one before and counts half again.
fn text_sum(tokens: &[Token], sentences: &[Sentence]) -> f64 {
    let mut total = 0.0;
    let mut previous = 0.0;
    for s in sentences {
        let turns = tokens.get(s.tokens.start).is_some_and(|t| t.role == Role::Contrast) && !s.tokens.is_empty();
        if turns {
            total -= previous * 0.5;
            total += s.sum * 1.5;
        } else {
            total += s.sum;
        }
        previous = if turns { s.sum * 1.5 } else { s.sum };
    }
    total
}

/// VADER's `allcap_differential`: capitals are emphasis only when some but
/// not all words are in capitals.
fn cap_differential(tokens: &[Token]) -> bool {
    let words = tokens.iter().filter(|t| t.kind != Kind::Emoji);
    let (mut caps, mut all) = (0, 0);
    for t in words {
        all += 1;
        caps += usize::from(t.caps);
    }
    caps > 0 && caps < all
}

fn label_of(score: f64) -> Sentiment {
    if score >= NEUTRAL {
        Sentiment::Positive
    } else if score <= -NEUTRAL {
        Sentiment::Negative
    } else {
        Sentiment::Neutral
    }
}

fn text_label(score: f64, sentences: &[Sentence]) -> Sentiment {
    let high = sentences.iter().any(|s| s.score >= MIXED);
    let low = sentences.iter().any(|s| s.score <= -MIXED);
    if high && low {
        Sentiment::Mixed
    } else {
        label_of(score)
    }
}
