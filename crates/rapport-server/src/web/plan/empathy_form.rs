//! The empathy map's edit form: one row per entry (`quadrant-N`,
//! `text-N`, `evidence-N` written `response:12`), blank rows skipped, so
//! clearing a row removes its entry. Errors come back on the row that
//! caused them.

use crate::web::form::FormData;
use rapport_core::plan::empathy::{EmpathyMap, EntryDraft, EvidenceDraft, MapDraft, MAX_ENTRIES};
use rapport_core::validate::FieldErrors;
use std::collections::BTreeMap;

/// Rows read from a form; more than this is refused with `entries`.
const MAX_ROWS: usize = 200;
/// Empty rows offered under the entries.
pub const BLANK_ROWS: usize = 3;

/// The rows of a posted form: the draft of the non-blank rows, and for
/// each of its entries the row it came from.
pub struct Posted {
    pub draft: MapDraft,
    pub rows: Vec<usize>,
    pub values: BTreeMap<String, String>,
}

pub fn read(form: &FormData) -> Posted {
    let mut values = BTreeMap::new();
    let mut highest = None;
    for (k, v) in &form.0 {
        if let Some(n) = ["quadrant-", "text-", "evidence-"]
            .iter()
            .find_map(|p| k.strip_prefix(p))
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n < MAX_ROWS)
        {
            highest = highest.max(Some(n));
            values.insert(k.clone(), v.chars().take(2_000).collect::<String>());
        }
    }
    let mut draft = MapDraft::default();
    let mut rows = Vec::new();
    for i in 0..highest.map_or(0, |h| h + 1) {
        let get = |p: &str| values.get(&format!("{p}-{i}")).map(String::as_str).unwrap_or("");
        let (text, evidence) = (get("text"), get("evidence"));
        if text.trim().is_empty() && evidence.trim().is_empty() {
            continue;
        }
        draft.entries.push(EntryDraft {
            quadrant: Some(get("quadrant").to_string()),
            text: Some(text.to_string()),
            evidence: EvidenceDraft::from_written(evidence),
        });
        rows.push(i);
    }
    Posted { draft, rows, values }
}

/// The core's errors (`entries[2].text`) named by the form's fields
/// (`text-5`); errors about the whole list stay `entries`.
pub fn on_rows(e: &FieldErrors, rows: &[usize]) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (k, v) in &e.0 {
        let named = k.strip_prefix("entries[").and_then(|rest| {
            let (n, field) = rest.split_once(']')?;
            let row = rows.get(n.parse::<usize>().ok()?)?;
            let field = field.trim_start_matches('.');
            let input = if field.starts_with("evidence") {
                "evidence"
            } else if field == "quadrant" {
                "quadrant"
            } else {
                "text"
            };
            Some(format!("{input}-{row}"))
        });
        out.0.entry(named.unwrap_or_else(|| k.clone())).or_insert_with(|| v.clone());
    }
    out
}

/// The form's values for a saved map, with blank rows after its entries.
pub fn values_of(map: Option<&EmpathyMap>) -> (BTreeMap<String, String>, usize) {
    let mut v = BTreeMap::new();
    let entries = map.map(|m| m.entries.as_slice()).unwrap_or(&[]);
    for (i, e) in entries.iter().enumerate() {
        v.insert(format!("quadrant-{i}"), e.quadrant.key().to_string());
        v.insert(format!("text-{i}"), e.text.clone());
        v.insert(format!("evidence-{i}"), e.evidence.map(|ev| ev.written()).unwrap_or_default());
    }
    let rows = (entries.len() + BLANK_ROWS).min(MAX_ENTRIES + BLANK_ROWS);
    (v, rows)
}

/// How many rows a refused form shows again: every row it sent.
pub fn rows_of(values: &BTreeMap<String, String>) -> usize {
    values
        .keys()
        .filter_map(|k| k.rsplit_once('-').and_then(|(_, n)| n.parse::<usize>().ok()))
        .max()
        .map_or(BLANK_ROWS, |n| n + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormData {
        FormData(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn blank_rows_are_skipped_and_errors_land_on_their_row() {
        let f = form(&[
            ("quadrant-0", "says"),
            ("text-0", "Loves the oat milk"),
            ("quadrant-1", "pains"),
            ("text-1", ""),
            ("evidence-1", ""),
            ("quadrant-2", "nope"),
            ("text-2", "Waits"),
            ("evidence-2", "response:x"),
        ]);
        let p = read(&f);
        assert_eq!(p.rows, vec![0, 2]);
        let e = on_rows(&p.draft.validate().unwrap_err(), &p.rows);
        assert!(e.get("quadrant-2").is_some());
        assert!(e.get("evidence-2").is_some());
        assert!(e.get("text-0").is_none());
        assert_eq!(rows_of(&p.values), 3);
    }
}
