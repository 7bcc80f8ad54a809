//! Conditions as the source files write them: comparisons joined by `and` and
//! `or`, in parentheses. Each format parses its own comparisons; splitting on
//! `and`/`or` is the same for LimeSurvey relevance and SurveyJS `visibleIf`.

use super::Operand;
use crate::survey::ConditionOp;

/// A parsed condition: comparisons on source names joined by and/or.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cond {
    Leaf(String, ConditionOp, Operand),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

impl Cond {
    /// The comparisons of an `or` chain; false when an `and` is inside.
    pub(super) fn or_leaves<'a>(&'a self, out: &mut Vec<(&'a String, &'a ConditionOp, &'a Operand)>) -> bool {
        match self {
            Cond::Leaf(t, op, v) => {
                out.push((t, op, v));
                true
            }
            Cond::Or(a, b) => a.or_leaves(out) && b.or_leaves(out),
            Cond::And(..) => false,
        }
    }
}

/// Parses `expr` with `leaf` for each comparison; `None` when any part is
/// not understood.
pub(super) fn parse(expr: &str, leaf: &dyn Fn(&str) -> Option<Cond>) -> Option<Cond> {
    let s = strip_parens(expr.trim());
    if s.is_empty() {
        return None;
    }
    // `or` binds looser than `and`: split on the last top-level `or` first.
    for (word, is_or) in [("or", true), ("and", false)] {
        if let Some((left, right)) = split_last(s, word) {
            let (l, r) = (parse(left, leaf)?, parse(right, leaf)?);
            return Some(if is_or { Cond::Or(Box::new(l), Box::new(r)) } else { Cond::And(Box::new(l), Box::new(r)) });
        }
    }
    leaf(s)
}

/// Removes parentheses around the whole expression.
pub(super) fn strip_parens(mut s: &str) -> &str {
    while let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')).filter(|i| balanced(i)) {
        s = inner.trim();
    }
    s
}

/// Whether parentheses balance without closing below zero (outside quotes).
pub(super) fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    let mut quote = None;
    for c in s.chars() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return false;
        }
    }
    depth == 0
}

/// Splits at the last top-level `word` (`and`/`or`, any case, or `&&`/`||`).
fn split_last<'a>(s: &'a str, word: &str) -> Option<(&'a str, &'a str)> {
    let symbol = if word == "or" { "||" } else { "&&" };
    let bytes = s.as_bytes();
    let mut depth = 0i32;
    let mut quote = None;
    let mut found = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match (quote, c) {
            (None, b'\'' | b'"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, b'(' | b'[') => depth += 1,
            (None, b')' | b']') => depth -= 1,
            (None, _) if depth == 0 && s.is_char_boundary(i) => {
                let rest = &s[i..];
                let is_word = rest.get(..word.len()).is_some_and(|w| w.eq_ignore_ascii_case(word))
                    && i > 0
                    && bytes[i - 1].is_ascii_whitespace()
                    && bytes.get(i + word.len()).is_some_and(|b| b.is_ascii_whitespace() || *b == b'(');
                if rest.starts_with(symbol) {
                    found = Some((i, symbol.len()));
                } else if is_word {
                    found = Some((i, word.len()));
                }
            }
            _ => {}
        }
        i += 1;
    }
    let (at, len) = found?;
    Some((s[..at].trim(), s[at + len..].trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(s: &str) -> Option<Cond> {
        let (l, r) = s.split_once('=')?;
        Some(Cond::Leaf(l.trim().into(), ConditionOp::Eq, Operand::Text(r.trim().into())))
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let l = |a: &str, b: &str| Cond::Leaf(a.into(), ConditionOp::Eq, Operand::Text(b.into()));
        assert_eq!(parse("(a = 1)", &leaf), Some(l("a", "1")));
        assert_eq!(
            parse("a = 1 and b = 2 or c = 3", &leaf),
            Some(Cond::Or(Box::new(Cond::And(Box::new(l("a", "1")), Box::new(l("b", "2")))), Box::new(l("c", "3"))))
        );
        assert_eq!(
            parse("(a = 1) && (b = 'x or y')", &leaf),
            Some(Cond::And(Box::new(l("a", "1")), Box::new(l("b", "'x or y'"))))
        );
        assert_eq!(parse("order = 1", &leaf), Some(l("order", "1")), "a word containing 'or'");
    }
}
