//! The language of a comment without one: English or Spanish.
//!
//! A vote of frequent words decides first when it is clear (most comments:
//! it costs a hash lookup per word, where the trigram model costs several
//! times the whole sentiment analysis); otherwise whatlang's trigram model,
//! restricted to our two languages, decides when it is confident; then the
//! vote's leader, whatever its margin; a tie means English.

use super::{english, spanish, tokens};
use crate::lang::Lang;
use rustc_hash::FxHashSet;
use std::sync::LazyLock;

static DETECTOR: LazyLock<whatlang::Detector> =
    LazyLock::new(|| whatlang::Detector::with_allowlist(vec![whatlang::Lang::Eng, whatlang::Lang::Spa]));

/// Spanish frequent words as tokens are compared: without accents.
static ES_STOP_WORDS: LazyLock<FxHashSet<String>> =
    LazyLock::new(|| spanish::STOP_WORDS.iter().map(|w| super::phrases::fold(w)).collect());

static EN_STOP_WORDS: LazyLock<FxHashSet<&'static str>> =
    LazyLock::new(|| english::STOP_WORDS.iter().copied().collect());

/// A vote is clear with at least this many more frequent words of one
/// language, and at least twice as many as the other's.
const CLEAR_MARGIN: usize = 3;

/// How much of a long text the detector reads (its cost grows with length;
/// a few sentences decide).
const SAMPLE: usize = 2_000;

pub(super) fn detect(text: &str) -> Lang {
    let sample = &text[..super::floor_char_boundary(text, SAMPLE)];
    let (en, es) = votes(sample);
    if en >= es + CLEAR_MARGIN && en >= 2 * es {
        return Lang::En;
    }
    if es >= en + CLEAR_MARGIN && es >= 2 * en {
        return Lang::Es;
    }
    if let Some(info) = DETECTOR.detect(sample) {
        if info.is_reliable() {
            return match info.lang() {
                whatlang::Lang::Spa => Lang::Es,
                _ => Lang::En,
            };
        }
    }
    leader(en, es).unwrap_or(Lang::En)
}

fn leader(en: usize, es: usize) -> Option<Lang> {
    match en.cmp(&es) {
        std::cmp::Ordering::Greater => Some(Lang::En),
        std::cmp::Ordering::Less => Some(Lang::Es),
        std::cmp::Ordering::Equal => None,
    }
}

/// The English and the Spanish votes of a text: its frequent words of each;
/// Spanish accents and ñ ¿ ¡ count for Spanish.
fn votes(text: &str) -> (usize, usize) {
    let (mut en, mut es) = (0usize, 0usize);
    let mut folded = String::new();
    for w in tokens::words(text) {
        folded.clear();
        tokens::fold_into(w, &mut folded);
        en += usize::from(EN_STOP_WORDS.contains(folded.as_str()));
        es += usize::from(ES_STOP_WORDS.contains(&folded));
        es += usize::from(w.contains(['ñ', 'á', 'é', 'í', 'ó', 'ú', 'Ñ', 'Á', 'É', 'Í', 'Ó', 'Ú']));
    }
    es += text.matches(['¿', '¡']).count();
    (en, es)
}
