//! The sentiment lexicons shipped in `data/text/` (sources and licences in
//! `NOTICE`), parsed once into hash maps, and the lookup that gives each
//! token its valence and role.

use super::english as en;
use super::phrases::PhraseTable;
use super::tokens::{Kind, Scratch, Token};
use super::wordmap::WordMap;
use crate::lang::Lang;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use std::sync::LazyLock;

/// What a word does to its neighbours.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) enum Role {
    #[default]
    Plain,
    /// Flips the valence of a sentiment word within three words after it.
    Negator,
    /// Adds to the strength of a sentiment word after it ("very", "un poco").
    Boost(f32),
    /// "but", "pero": the clause after it weighs more than the one before.
    Contrast,
    /// "although", "aunque": the clause it opens weighs less.
    Concessive,
    /// Spanish clitics and articles: not counted in the three-word window.
    Light,
}

/// A word's own sentiment and role, before its context is read.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Entry {
    pub valence: f32,
    /// In the lexicon (VADER does not read such a word as a modifier).
    pub lexical: bool,
    pub role: Role,
    /// The number of the phrases starting with this word (0: none).
    pub phrase: u16,
}

/// What a phrase does: a valence of its own, or a role for its last word.
#[derive(Debug, Clone, Copy)]
pub(super) enum Effect {
    Valence(f32),
    Role(Role),
}

/// The words, phrases and (for Spanish) stems of one language.
pub(super) struct Lexicon {
    words: WordMap<Entry>,
    stems: WordMap<f32>,
    stemmer: Option<Stemmer>,
    pub phrases: PhraseTable<Effect>,
    pub cues: PhraseTable<super::flags::Cue>,
}

const VADER: &str = include_str!("../../data/text/vader_lexicon.tsv");
const EN_EXTRA: &str = include_str!("../../data/text/en_extra.tsv");
const EMOJI: &str = include_str!("../../data/text/emoji_utf8_lexicon.txt");
const SENTILEAK: &str = include_str!("../../data/text/sentileak_es.csv");
const ES_EXTRA: &str = include_str!("../../data/text/es_extra.tsv");

static ENGLISH: LazyLock<Lexicon> = LazyLock::new(super::lexicon_build::english);
static SPANISH: LazyLock<Lexicon> = LazyLock::new(super::lexicon_build::spanish);
/// Emoticons (":)", "<3") by their exact spelling.
static EMOTICONS: LazyLock<FxHashMap<&'static str, f32>> = LazyLock::new(|| super::lexicon_build::emoticons(VADER));
/// Emoji, scored as VADER does: by the words of their description.
static EMOJIS: LazyLock<FxHashMap<char, f32>> = LazyLock::new(|| super::lexicon_build::emojis(EMOJI, &ENGLISH));

pub(super) fn sources() -> [&'static str; 5] {
    [VADER, EN_EXTRA, SENTILEAK, ES_EXTRA, EMOJI]
}

pub(super) fn get(lang: Lang) -> &'static Lexicon {
    match lang {
        Lang::En => &ENGLISH,
        Lang::Es => &SPANISH,
    }
}

pub(super) fn emoticon(s: &str) -> Option<f32> {
    if let Some(v) = EMOTICONS.get(s) {
        return Some(*v);
    }
    // ":P" and ":p" alike; emoticons are short, so lowercase on the stack.
    let mut buf = [0u8; 8];
    let b = s.as_bytes();
    if b.len() > buf.len() || !s.is_ascii() {
        return None;
    }
    for (d, c) in buf.iter_mut().zip(b) {
        *d = c.to_ascii_lowercase();
    }
    std::str::from_utf8(&buf[..b.len()]).ok().and_then(|l| EMOTICONS.get(l)).copied()
}

pub(super) fn emoji(c: char) -> Option<f32> {
    EMOJIS.get(&c).copied()
}

impl Lexicon {
    pub(super) fn new(
        words: WordMap<Entry>,
        stems: WordMap<f32>,
        stemmer: Option<Algorithm>,
        phrases: PhraseTable<Effect>,
        cues: PhraseTable<super::flags::Cue>,
    ) -> Self {
        Lexicon { words, stems, stemmer: stemmer.map(Stemmer::create), phrases, cues }
    }

    pub(super) fn word(&self, folded: &str) -> Option<&Entry> {
        self.words.get(folded)
    }

    /// A word's entry: its exact form, else (Spanish) its stem; else, for
    /// "buenooo" and "buenísimo", the plain word made stronger.
    fn lookup(&self, lower: &str, folded: &str) -> Entry {
        if let Some(e) = self.words.get(folded) {
            return *e;
        }
        if let Some(v) = self.stemmed(lower, folded) {
            return Entry { valence: v, lexical: true, ..Entry::default() };
        }
        let emphatic = folded.as_bytes().windows(3).any(|x| x[0] == x[1] && x[1] == x[2]);
        let superlative = self.stemmer.is_some() && folded.contains("isim");
        if !emphatic && !superlative {
            return Entry::default();
        }
        let plain = [squeeze(folded, 2), squeeze(folded, 1), superlative_base(folded)];
        for plain in plain.iter().flatten() {
            let e = self.words.get(plain).copied().or_else(|| {
                self.stemmed(plain, plain).map(|v| Entry { valence: v, lexical: true, ..Entry::default() })
            });
            if let Some(e) = e.filter(|e| e.valence != 0.0) {
                return Entry { valence: e.valence + en::B_INCR * e.valence.signum(), ..e };
            }
        }
        Entry::default()
    }

    fn stemmed(&self, lower: &str, folded: &str) -> Option<f32> {
        let stemmer = self.stemmer.as_ref()?;
        // Two letters stem to themselves and are function words.
        folded.chars().nth(2)?;
        let v = self.stems.get(&stemmer.stem(lower)).copied();
        match v {
            None if lower != folded => self.stems.get(&stemmer.stem(folded)).copied(),
            v => v,
        }
        .filter(|v| *v != 0.0)
    }
}

/// "buenooo" → "bueno", "sorryyy" → "sorry" (`keep` 2) or "niiice" →
/// "nice" (`keep` 1): runs of three or more letters are emphasis.
fn squeeze(w: &str, keep: usize) -> Option<String> {
    if !w.as_bytes().windows(3).any(|x| x[0] == x[1] && x[1] == x[2]) {
        return None;
    }
    let chars: Vec<char> = w.chars().collect();
    let mut out = String::with_capacity(w.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| **c == chars[i]).count();
        let n = if run >= 3 { keep } else { run };
        out.extend(std::iter::repeat_n(chars[i], n));
        i += run;
    }
    Some(out)
}

/// "buenísimo" → "bueno", "rapidísimas" → "rapidas" (folded already).
fn superlative_base(w: &str) -> Option<String> {
    ["isimo", "isima", "isimos", "isimas"].iter().find_map(|suffix| {
        let stem = w.strip_suffix(suffix)?;
        (stem.len() >= 2).then(|| format!("{stem}{}", &suffix[4..]))
    })
}

/// Fills the sentiment fields of `sc.tokens[range]` (one sentence), then
/// applies the phrases of the language.
pub(super) fn resolve(lex: &Lexicon, sc: &mut Scratch, range: std::ops::Range<usize>) {
    for i in range.clone() {
        let t = sc.tokens[i];
        if t.kind != Kind::Word {
            // Emoticons and emoji were scored by the tokenizer.
            sc.tokens[i].lexical = true;
            continue;
        }
        let e = lex.lookup(sc.lower(&t), sc.folded(&t));
        let tok = &mut sc.tokens[i];
        tok.valence = e.valence;
        tok.lexical = e.lexical || e.valence != 0.0;
        tok.role = e.role;
        tok.phrase = e.phrase;
    }
    let mut covered = 0;
    for i in range.clone() {
        if sc.tokens[i].phrase != 0 && i >= covered {
            covered = apply_phrase(lex, sc, i, range.end).unwrap_or(i);
        }
    }
}

/// Applies the phrase starting at `i`, if any; returns the index after it.
fn apply_phrase(lex: &Lexicon, sc: &mut Scratch, i: usize, end: usize) -> Option<usize> {
    let (len, effect) = lex.phrases.numbered(sc.tokens[i].phrase, &sc.tokens[..end], i, sc)?;
    let span = &mut sc.tokens[i..i + len];
    for t in span.iter_mut() {
        *t = Token { valence: 0.0, lexical: false, role: Role::Plain, ..*t };
    }
    match effect {
        Effect::Valence(v) => {
            for t in span.iter_mut() {
                t.lexical = true;
            }
            span[0].valence = v;
        }
        Effect::Role(r) => span[len - 1].role = r,
    }
    Some(i + len)
}
