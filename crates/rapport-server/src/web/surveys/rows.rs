//! Moving and copying question rows in the builder without scripts: each
//! row has "move up", "move down" and "duplicate" submit buttons
//! (`row_action` = `up:3`, `down:3`, `dup:3`); the form comes back with the
//! change made to the values as typed, nothing saved.
//!
//! The rules are the core's (`survey::arrange`): a copy comes right after
//! its row under a new key; a move that would put a question before the one
//! its condition reads is refused on that question's row, the form as it
//! was.

use super::fields::{questions_of, row_count, MAX_ROWS};
use crate::web::form::FormData;
use rapport_core::survey::arrange::{check_order, unique_key};
use rapport_core::validate::FieldErrors;
use std::collections::BTreeMap;

/// What a row button asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RowAction {
    Up(usize),
    Down(usize),
    Duplicate(usize),
}

impl RowAction {
    pub(super) fn parse(v: &str) -> Option<RowAction> {
        let (what, row) = v.split_once(':')?;
        let row: usize = row.parse().ok()?;
        match what {
            "up" => Some(RowAction::Up(row)),
            "down" => Some(RowAction::Down(row)),
            "dup" => Some(RowAction::Duplicate(row)),
            _ => None,
        }
    }
}

/// The row number of a form field `q{i}.x`, and the rest (`.x`).
fn row_of(name: &str) -> Option<(usize, &str)> {
    let rest = name.strip_prefix('q')?;
    let dot = rest.find('.')?;
    Some((rest[..dot].parse().ok()?, &rest[dot..]))
}

/// The values with rows renumbered by `to` (`None`: the row is dropped).
fn renumbered(values: &BTreeMap<String, String>, to: impl Fn(usize) -> Option<usize>) -> BTreeMap<String, String> {
    values
        .iter()
        .filter_map(|(k, v)| match row_of(k) {
            Some((i, rest)) => to(i).map(|j| (format!("q{j}{rest}"), v.clone())),
            None => Some((k.clone(), v.clone())),
        })
        .collect()
}

/// The values with the change made, or the errors that refuse it (named
/// after the rows as they were).
pub(super) fn apply(
    values: &BTreeMap<String, String>,
    action: RowAction,
) -> Result<BTreeMap<String, String>, FieldErrors> {
    let rows = row_count(values.get("rows").map(String::as_str));
    match action {
        RowAction::Up(i) | RowAction::Down(i) => {
            let (a, b) = match action {
                RowAction::Up(i) => (i.saturating_sub(1), i),
                _ => (i, i + 1),
            };
            if b >= rows || a == b {
                return Ok(values.clone());
            }
            let swap = |r: usize| {
                Some(if r == a {
                    b
                } else if r == b {
                    a
                } else {
                    r
                })
            };
            let moved = renumbered(values, swap);
            check_rows(&moved).map_err(|e| {
                // Name the rows as the user sees them now: before the swap.
                let mut out = FieldErrors::new();
                for (field, err) in e.0 {
                    let renamed = field
                        .strip_prefix("questions[")
                        .and_then(|t| t.split_once(']'))
                        .and_then(|(n, tail)| Some((n.parse::<usize>().ok()?, tail)))
                        .map(|(n, tail)| format!("questions[{}]{tail}", swap(n).unwrap_or(n)))
                        .unwrap_or(field);
                    out.add(renamed, err.code, err.message);
                }
                out
            })?;
            Ok(moved)
        }
        RowAction::Duplicate(i) => {
            if i >= rows {
                return Ok(values.clone());
            }
            if rows >= MAX_ROWS {
                return Err(FieldErrors::single("questions", "too_many", "at most 300 questions"));
            }
            let mut out = renumbered(values, |r| Some(if r > i { r + 1 } else { r }));
            let prefix = format!("q{i}.");
            for (k, v) in values.iter().filter(|(k, _)| k.starts_with(&prefix)) {
                out.insert(format!("q{}.{}", i + 1, &k[prefix.len()..]), v.clone());
            }
            if let Some(key) = values.get(&format!("{prefix}key")).map(|k| k.trim()).filter(|k| !k.is_empty()) {
                let taken: Vec<&str> =
                    values.iter().filter(|(k, _)| k.ends_with(".key")).map(|(_, v)| v.trim()).collect();
                out.insert(format!("q{}.key", i + 1), unique_key(key, taken.into_iter()));
            }
            out.insert("rows".into(), (rows + 1).to_string());
            Ok(out)
        }
    }
}

/// Whether every condition of the rows reads an earlier row's question;
/// errors name the form's rows (`questions[row].show_if`).
fn check_rows(values: &BTreeMap<String, String>) -> Result<(), FieldErrors> {
    let form = FormData(values.iter().map(|(k, v)| (k.clone(), v.clone())).collect());
    let (questions, used) = questions_of(&form, &mut FieldErrors::new());
    check_order(&questions, |i| format!("questions[{}].show_if", used[i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn survey() -> BTreeMap<String, String> {
        values(&[
            ("rows", "4"),
            ("title_en", "T"),
            ("q0.key", "nps"),
            ("q0.type", "nps"),
            ("q1.key", "why"),
            ("q1.text_en", "Why?"),
            ("q1.show_q", "nps"),
            ("q2.key", "more"),
            ("q2.text_en", "More?"),
        ])
    }

    #[test]
    fn moves_swap_rows_and_keep_what_was_typed() {
        let v = apply(&survey(), RowAction::Down(1)).unwrap();
        assert_eq!((v["q1.key"].as_str(), v["q2.key"].as_str(), v["q2.show_q"].as_str()), ("more", "why", "nps"));
        assert_eq!(v["title_en"], "T");
        assert!(!v.contains_key("q1.show_q"));
        let back = apply(&v, RowAction::Up(2)).unwrap();
        assert_eq!(back, survey());
        // The edges do nothing.
        assert_eq!(apply(&survey(), RowAction::Up(0)).unwrap(), survey());
        assert_eq!(apply(&survey(), RowAction::Down(3)).unwrap(), survey());
    }

    #[test]
    fn a_move_before_the_question_read_is_refused_on_the_rows_as_they_were() {
        let e = apply(&survey(), RowAction::Up(1)).unwrap_err();
        assert_eq!(e.get("questions[1].show_if").unwrap().code, "invalid_order");
        let e = apply(&survey(), RowAction::Down(0)).unwrap_err();
        assert_eq!(e.get("questions[1].show_if").unwrap().code, "invalid_order");
    }

    #[test]
    fn a_copy_follows_its_row_with_a_new_key() {
        let v = apply(&survey(), RowAction::Duplicate(1)).unwrap();
        assert_eq!(v["rows"], "5");
        assert_eq!((v["q1.key"].as_str(), v["q2.key"].as_str(), v["q3.key"].as_str()), ("why", "why_copy", "more"));
        assert_eq!((v["q2.text_en"].as_str(), v["q2.show_q"].as_str()), ("Why?", "nps"));
        let again = apply(&v, RowAction::Duplicate(1)).unwrap();
        assert_eq!(again["q2.key"], "why_copy2");
        assert_eq!(RowAction::parse("dup:3"), Some(RowAction::Duplicate(3)));
        assert_eq!(RowAction::parse("drop:3"), None);
    }
}
