//! The flags a CX team acts on: a WOW moment (strong delight, to recognise
//! the person named) and anger (strong negative with anger cues, to answer
//! now). The reason lists the cues as the customer wrote them.

use super::lexicon::{Lexicon, Role};
use super::tokens::{Scratch, Token};
use super::{english, spanish, Flag, FlagKind};
use crate::lang::Lang;
use std::ops::Range;

/// Kinds of words and phrases that raise (or explain) a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cue {
    /// "wow", "amazing", "me encantó", "de diez".
    Delight,
    /// A threat to leave or escalate: "cancel", "never again", "estafa".
    Threat,
    /// "incompetent", "idiotas", "ladrones".
    Insult,
    /// What a person did: "helped", "resolvió".
    Action,
    /// Thanks that name someone: "thanks to", "gracias a".
    Thanks,
}

/// The text score from which delight is strong.
const WOW_SCORE: f64 = 0.6;
/// The text (or a sentence's) score from which a negative is strong.
const ANGER_SCORE: f64 = -0.5;
/// Reasons list at most this many cues.
const MAX_CUES: usize = 5;

/// A sentence as scored: its tokens, the sum of their valences and its
/// score.
pub(super) struct Sentence {
    /// Byte range in the text.
    pub span: (usize, usize),
    pub tokens: Range<usize>,
    pub sum: f64,
    pub score: f64,
}

pub(super) fn flags(
    lang: Lang,
    lex: &Lexicon,
    text: &str,
    sc: &Scratch,
    sentences: &[Sentence],
    score: f64,
) -> Vec<Flag> {
    let strongly_negative = score <= ANGER_SCORE || sentences.iter().any(|s| s.score <= ANGER_SCORE - 0.1);
    if score < WOW_SCORE && !strongly_negative {
        return Vec::new();
    }
    let mut found: Vec<(Cue, Range<usize>, usize)> = Vec::new();
    for (k, s) in sentences.iter().enumerate() {
        let toks = &sc.tokens[s.tokens.clone()];
        let mut i = 0;
        while i < toks.len() {
            match lex.cues.at(toks, i, sc) {
                Some((len, cue)) if !negated(toks, i) => {
                    found.push((cue, s.tokens.start + i..s.tokens.start + i + len, k));
                    i += len;
                }
                _ => i += 1,
            }
        }
    }
    let quote = |r: &Range<usize>| {
        let (a, b) = (&sc.tokens[r.start], &sc.tokens[r.end - 1]);
        text[a.start as usize..b.end as usize].to_string()
    };
    let cues_of = |kinds: &[Cue], min: f64, max: f64| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (c, r, k) in &found {
            let s = sentences[*k].score;
            if kinds.contains(c) && s >= min && s <= max {
                push_unique(&mut out, quote(r));
            }
        }
        out
    };
    let mut flags = Vec::new();
    if score >= WOW_SCORE {
        let delight = cues_of(&[Cue::Delight], 0.05, 1.0);
        if !delight.is_empty() {
            let mut named = names(lang, text, sc, sentences, &found);
            for a in cues_of(&[Cue::Action], 0.05, 1.0) {
                push_unique(&mut named, a);
            }
            flags.push(Flag { kind: FlagKind::Wow, reason: reason(delight, named) });
        }
    }
    if strongly_negative {
        let mut cues = cues_of(&[Cue::Threat, Cue::Insult], -1.0, -0.05);
        shouting(text, sc, sentences, &mut cues);
        if !cues.is_empty() {
            flags.push(Flag { kind: FlagKind::Anger, reason: reason(cues, Vec::new()) });
        }
    }
    flags
}

fn reason(mut cues: Vec<String>, mut named: Vec<String>) -> String {
    cues.truncate(MAX_CUES);
    named.truncate(3);
    let mut r = cues.join(", ");
    if !named.is_empty() {
        r.push_str("; ");
        r.push_str(&named.join(", "));
    }
    r
}

/// Adds `s` unless listed already (ignoring case). Lists stop growing past
/// what a reason shows, so that a long text costs no more than a short one.
fn push_unique(list: &mut Vec<String>, s: String) {
    let same = |x: &String| x.chars().flat_map(char::to_lowercase).eq(s.chars().flat_map(char::to_lowercase));
    if list.len() <= MAX_CUES && !list.iter().any(same) {
        list.push(s);
    }
}

/// A negation within three words before (in the clause): "not amazing".
fn negated(toks: &[Token], i: usize) -> bool {
    let mut j = i;
    let mut n = 0;
    while j > 0 && n < 3 && !toks[j].brk {
        j -= 1;
        n += 1;
        if toks[j].role == Role::Negator {
            return true;
        }
    }
    false
}

/// Capitals and "!!" in negative sentences: "NEVER", "ESTAFA", "!!!".
/// One word in capitals may be an acronym, so it counts when it is a
/// negative word or a negation, or when there are more.
fn shouting(text: &str, sc: &Scratch, sentences: &[Sentence], cues: &mut Vec<String>) {
    let mut caps = Vec::new();
    let mut caps_words = 0;
    let mut strong_caps = false;
    for s in sentences.iter().filter(|s| s.score < -0.05) {
        for t in &sc.tokens[s.tokens.clone()] {
            let w = &text[t.start as usize..t.end as usize];
            if t.caps && w.chars().filter(|c| c.is_alphabetic()).count() >= 3 {
                strong_caps |= t.valence < 0.0 || t.role == Role::Negator;
                caps_words += 1;
                push_unique(&mut caps, w.to_string());
            }
        }
    }
    if strong_caps || caps_words >= 2 {
        for c in caps {
            push_unique(cues, c);
        }
    }
    if let Some(run) = exclamations(text) {
        push_unique(cues, run.to_string());
    }
}

/// The first run of two or more "!" in the text.
fn exclamations(text: &str) -> Option<&str> {
    let start = text.find("!!")?;
    let len = text[start..].bytes().take_while(|b| *b == b'!').count();
    Some(&text[start..start + len])
}

/// Who or what a WOW moment names: the words after "thanks to"/"gracias
/// a", else a capitalised word inside a positive sentence ("Maria was
/// amazing" does not count its first word, "ask for Maria" does).
fn names(
    lang: Lang,
    text: &str,
    sc: &Scratch,
    sentences: &[Sentence],
    found: &[(Cue, Range<usize>, usize)],
) -> Vec<String> {
    let not_names = match lang {
        Lang::En => english::NOT_NAMES,
        Lang::Es => spanish::NOT_NAMES,
    };
    // Names may be words too ("Rosa", "Luz", "Pilar"), so sentiment words
    // count, but not the cues themselves ("the service was Amazing").
    let in_cue = |i: usize| found.iter().any(|(_, r, _)| r.contains(&i));
    let is_name = |i: usize| {
        let t = &sc.tokens[i];
        let w = &text[t.start as usize..t.end as usize];
        w.chars().next().is_some_and(char::is_uppercase)
            && !(t.caps && w.chars().count() > 1)
            && t.role == Role::Plain
            && !in_cue(i)
            && !not_names.contains(&sc.folded(t))
    };
    let span_from = |i: usize, end: usize| -> Option<String> {
        let toks = &sc.tokens;
        let mut j = i;
        while j < end && j < i + 3 && is_name(j) && (j == i || !toks[j].brk) {
            j += 1;
        }
        (j > i).then(|| text[toks[i].start as usize..toks[j - 1].end as usize].to_string())
    };
    for (c, r, k) in found {
        if *c == Cue::Thanks {
            if let Some(n) = span_from(r.end, sentences[*k].tokens.end) {
                return vec![n];
            }
        }
    }
    for s in sentences.iter().filter(|s| s.score > 0.05) {
        for i in s.tokens.start + 1..s.tokens.end {
            if let Some(n) = span_from(i, s.tokens.end) {
                return vec![n];
            }
        }
    }
    Vec::new()
}
