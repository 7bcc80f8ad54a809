//! Scoring one sentence in the manner of VADER (Hutto & Gilbert, 2014):
//! each sentiment word's valence, modified by the three words before it
//! (boosters, negations), capitals and contrast, summed, emphasised by "!"
//! and "??", and normalised into −1..1.
//!
//! Departures from vaderSentiment 3.3.2, each for a reason:
//! - negations and boosters stop at clause punctuation and at "but", so
//!   "No, it was great" is not negated (VADER crosses commas);
//! - Spanish negations stack ("no me gustó nada" is one emphatic negation,
//!   not a double one), and clitics ("me", "lo") do not count as words;
//! - "although"/"aunque" weigh the main clause more, wherever it stands;
//! - a booster with a valence of its own ("incredible") counts as a word
//!   when it boosts nothing ("the staff was incredible").

use super::lexicon::Role;
use super::tokens::{Scratch, Token};
use crate::lang::Lang;

/// VADER's empirical factor of a negated word.
const N_SCALAR: f32 = -0.74;
/// VADER's increment of a word in capitals (when not all words are).
const C_INCR: f32 = 0.733;
/// Spanish: a negation repeated ("no ... nada") makes the negation stronger.
const CONCORD: f32 = 1.25;

/// VADER's normalisation of a sum of valences into −1..1.
pub(super) fn normalize(raw: f64) -> f64 {
    let n = raw / (raw * raw + 15.0).sqrt();
    if n.is_nan() {
        0.0
    } else {
        n.clamp(-1.0, 1.0)
    }
}

/// The sum of the valences of the sentence `sc.tokens[range]`, before the
/// emphasis of its punctuation (see [`emphasize`]).
pub(super) fn sentence_sum(lang: Lang, sc: &mut Scratch, range: std::ops::Range<usize>, cap_diff: bool) -> f64 {
    for i in 0..range.len() {
        let v = valence_at(lang, sc, &sc.tokens[range.clone()], i, cap_diff);
        sc.tokens[range.start + i].ctx = v;
    }
    let toks = &mut sc.tokens[range];
    weigh_contrast(toks);
    toks.iter().map(|t| f64::from(t.ctx)).sum()
}

/// `sum` made stronger by the "!" and "?" of its `text` (VADER).
pub(super) fn emphasize(sum: f64, text: &str) -> f64 {
    let amp = punctuation_emphasis(text);
    if sum > 0.0 {
        sum + amp
    } else if sum < 0.0 {
        sum - amp
    } else {
        0.0
    }
}

/// VADER: up to four "!" add 0.292 each; two or three "?" 0.18 each, more
/// 0.96.
fn punctuation_emphasis(text: &str) -> f64 {
    let (mut ep, mut qm) = (0u32, 0u32);
    for b in text.bytes() {
        ep += u32::from(b == b'!');
        qm += u32::from(b == b'?');
    }
    let ep = f64::from(ep.min(4)) * 0.292;
    let qm = match qm {
        0 | 1 => 0.0,
        2 | 3 => f64::from(qm) * 0.18,
        _ => 0.96,
    };
    ep + qm
}

fn sign(v: f32) -> f32 {
    if v < 0.0 {
        -1.0
    } else {
        1.0
    }
}

/// Whether `t` continues the clause of the token before it.
fn joins(t: &Token) -> bool {
    !t.brk
}

fn valence_at(lang: Lang, sc: &Scratch, toks: &[Token], i: usize, cap_diff: bool) -> f32 {
    let t = &toks[i];
    let mut v = t.valence;
    if v == 0.0 {
        return 0.0;
    }
    let next = toks.get(i + 1).filter(|n| joins(n));
    match t.role {
        // "no" before a sentiment word only negates it (VADER).
        Role::Negator if next.is_some_and(|n| n.lexical) => return 0.0,
        // A booster counts as a word only where it ends its clause ("the
        // staff was incredible"); before anything it is a modifier.
        Role::Boost(_) if next.is_some() => return 0.0,
        _ => {}
    }
    if t.caps && cap_diff {
        v += C_INCR * sign(v);
    }
    let word = |k: usize| sc.folded(&toks[k]);
    let mut negations = 0;
    let mut negatable = true;
    let (mut d, mut j) = (0, i);
    while d < 3 && j > 0 {
        let here = &toks[j];
        if here.brk {
            if !here.soft {
                break;
            }
            negatable = false;
        }
        j -= 1;
        let p = &toks[j];
        if matches!(p.role, Role::Contrast | Role::Concessive) {
            break;
        }
        if lang == Lang::Es && p.role == Role::Light {
            continue;
        }
        d += 1;
        match p.role {
            Role::Boost(b) => {
                let mut s = b * sign(v);
                if p.caps && cap_diff {
                    s += C_INCR * sign(v);
                }
                v += s * [1.0, 0.95, 0.9][d - 1];
            }
            Role::Negator if !negatable => {}
            Role::Negator if lang == Lang::En => {
                // VADER: "never so good", "never this good" and "without a
                // doubt" are not negations; "no" reaches two words, or three
                // through "or"/"nor" ("no food or good service").
                let between = || (j + 1..i).map(word);
                if word(j) == "no" && d == 3 && !matches!(word(i - 1), "or" | "nor") {
                } else if word(j) == "never" && between().any(|w| w == "so" || w == "this") {
                    v *= 1.25;
                } else if word(j) == "without" && between().any(|w| w == "doubt") {
                } else {
                    v *= N_SCALAR;
                }
            }
            Role::Negator => negations += 1,
            _ => {}
        }
    }
    if lang == Lang::En && i > 0 && joins(t) && word(i - 1) == "least" {
        // "the least helpful" negates; "at least helpful" does not.
        if i == 1 || !matches!(word(i - 2), "at" | "very") {
            v *= N_SCALAR;
        }
    }
    if negations > 0 {
        v *= N_SCALAR;
        if negations > 1 || negation_follows(toks, i) {
            v *= CONCORD;
        }
    }
    v
}

/// Spanish concord after the word: "no me gustó nada", "no sirve nunca".
fn negation_follows(toks: &[Token], i: usize) -> bool {
    toks[i + 1..].iter().take(3).take_while(|t| joins(t)).any(|t| t.role == Role::Negator)
}

/// VADER's "but": the clause before weighs half, the one after half as much
/// again. "although"/"aunque" open the clause that weighs less, and
/// "though" closing a clause works as "but" ("slow service though").
fn weigh_contrast(toks: &mut [Token]) {
    let Some(p) = toks.iter().position(|t| matches!(t.role, Role::Contrast | Role::Concessive)) else { return };
    let n = toks.len();
    let low = if toks[p].role == Role::Contrast {
        0..p
    } else {
        let clause_end = (p + 1..n).find(|&k| toks[k].brk).unwrap_or(n);
        let clause_start = (0..=p).rev().find(|&k| toks[k].brk).unwrap_or(0);
        if p + 1 == clause_end && p > clause_start {
            0..clause_start
        } else {
            p..clause_end
        }
    };
    for (k, t) in toks.iter_mut().enumerate() {
        t.ctx *= if low.contains(&k) { 0.5 } else { 1.5 };
    }
}
