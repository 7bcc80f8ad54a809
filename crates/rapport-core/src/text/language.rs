//! The language of a comment without one: English or Spanish.
//!
//! whatlang's trigram model, restricted to our two languages, decides when
//! it is confident; short comments ("ok", "muy bien") often leave it
//! unsure, and then a vote of frequent words does; a tie means English.

use super::{english, spanish, tokens};
use crate::lang::Lang;
use std::sync::LazyLock;

static DETECTOR: LazyLock<whatlang::Detector> =
    LazyLock::new(|| whatlang::Detector::with_allowlist(vec![whatlang::Lang::Eng, whatlang::Lang::Spa]));

/// Spanish frequent words as tokens are compared: without accents.
static ES_STOP_WORDS: LazyLock<Vec<String>> =
    LazyLock::new(|| spanish::STOP_WORDS.iter().map(|w| super::phrases::fold(w)).collect());

/// How much of a long text the detector reads (its cost grows with length;
/// a few sentences decide).
const SAMPLE: usize = 2_000;

pub(super) fn detect(text: &str) -> Lang {
    let sample = &text[..super::floor_char_boundary(text, SAMPLE)];
    if let Some(info) = DETECTOR.detect(sample) {
        if info.is_reliable() {
            return match info.lang() {
                whatlang::Lang::Spa => Lang::Es,
                _ => Lang::En,
            };
        }
    }
    vote(sample).unwrap_or(Lang::En)
}

/// The language whose frequent words the text uses more; `None` on a tie.
/// Spanish accents and ñ ¿ ¡ count for Spanish.
pub(super) fn vote(text: &str) -> Option<Lang> {
    let (mut en, mut es) = (0usize, 0usize);
    let mut folded = String::new();
    for w in tokens::words(text) {
        folded.clear();
        tokens::fold_into(w, &mut folded);
        en += usize::from(english::STOP_WORDS.contains(&folded.as_str()));
        es += usize::from(ES_STOP_WORDS.contains(&folded));
        es += usize::from(w.contains(['ñ', 'á', 'é', 'í', 'ó', 'ú', 'Ñ', 'Á', 'É', 'Í', 'Ó', 'Ú']));
    }
    es += text.matches(['¿', '¡']).count();
    match en.cmp(&es) {
        std::cmp::Ordering::Greater => Some(Lang::En),
        std::cmp::Ordering::Less => Some(Lang::Es),
        std::cmp::Ordering::Equal => None,
    }
}
