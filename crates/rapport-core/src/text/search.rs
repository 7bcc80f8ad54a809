//! Full-text search over comments, the same on both databases: a comment's
//! search terms are its words lowercased, without accents and stemmed in
//! English and in Spanish (both, because a word's language is not known:
//! "entregas" then finds "entrega", "deliveries" finds "delivery",
//! "atencion" finds "atención"). A query is turned into the same stems;
//! a comment matches when it holds, for every word of the query, one of
//! that word's stems. The databases only index the terms (SQLite FTS5,
//! PostgreSQL GIN); each backend writes the query in its own syntax.

use super::tokens::{fold_into, words};
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// Words of a query that are used; more are ignored.
pub const QUERY_WORDS_MAX: usize = 8;

/// Characters of a query that are read (the API refuses longer ones).
pub const QUERY_MAX: usize = 200;

static STEMMERS: LazyLock<[Stemmer; 2]> =
    LazyLock::new(|| [Stemmer::create(Algorithm::English), Stemmer::create(Algorithm::Spanish)]);

/// A word's stems in both languages (one when they agree). Only letters and
/// digits are kept, so a stem never needs quoting in either query syntax.
fn stems(word: &str, folded: &mut String) -> Vec<String> {
    folded.clear();
    fold_into(word, folded);
    folded.retain(char::is_alphanumeric);
    if folded.is_empty() {
        return vec![];
    }
    let mut out: Vec<String> = STEMMERS.iter().map(|s| s.stem(folded).into_owned()).collect();
    out.retain(|s| !s.is_empty());
    out.sort();
    out.dedup();
    out
}

/// What is indexed of a comment: each distinct stem once, space-separated
/// (`None` for a text without words).
pub fn search_terms(text: &str) -> Option<String> {
    let mut folded = String::new();
    let mut all = BTreeSet::new();
    for word in words(text) {
        all.extend(stems(word, &mut folded));
    }
    (!all.is_empty()).then(|| all.into_iter().collect::<Vec<_>>().join(" "))
}

/// A query as stems: one group per word (at most [`QUERY_WORDS_MAX`]),
/// each the word's alternatives. Empty when the query has no words.
pub fn search_query(q: &str) -> Vec<Vec<String>> {
    let mut folded = String::new();
    let q: String = q.chars().take(QUERY_MAX).collect();
    let mut groups: Vec<Vec<String>> = Vec::new();
    for word in words(&q) {
        let group = stems(word, &mut folded);
        if !group.is_empty() && !groups.contains(&group) {
            groups.push(group);
        }
        if groups.len() == QUERY_WORDS_MAX {
            break;
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(comment: &str, q: &str) -> bool {
        let terms = search_terms(comment).unwrap_or_default();
        let terms: BTreeSet<&str> = terms.split(' ').collect();
        let query = search_query(q);
        !query.is_empty() && query.iter().all(|g| g.iter().any(|s| terms.contains(s.as_str())))
    }

    #[test]
    fn words_find_their_forms_in_both_languages() {
        assert!(matches("The deliveries were late", "delivery"));
        assert!(matches("Two late deliveries", "late delivery"));
        assert!(matches("Las entregas llegaron tarde", "entrega"));
        assert!(matches("Muy buena atención", "atencion"));
        assert!(matches("MUY BUENA ATENCIÓN", "Atención"));
        assert!(matches("Refunded at last", "refund"));
        assert!(!matches("The delivery was fine", "refund"));
        assert!(!matches("The delivery was fine", "delivery refund"), "every word must be found");
        assert!(!matches("anything", ""));
        assert!(!matches("anything", "!!! ... ¿?"));
    }

    #[test]
    fn terms_are_distinct_plain_stems() {
        let t = search_terms("Great, great GREAT service! Servicio excelente.").unwrap();
        let list: Vec<&str> = t.split(' ').collect();
        let unique: BTreeSet<&str> = list.iter().copied().collect();
        assert_eq!(list.len(), unique.len(), "{t}");
        assert!(t.chars().all(|c| c == ' ' || c.is_alphanumeric()), "{t}");
        assert_eq!(search_terms("   ...!!! "), None);
        assert_eq!(search_terms(""), None);
    }

    #[test]
    fn queries_are_bounded_and_safe() {
        let q = search_query("a\" OR 1=1 -- ' ; DROP b c d e f g h i j k l");
        assert_eq!(q.len(), QUERY_WORDS_MAX);
        assert!(q.iter().flatten().all(|s| s.chars().all(char::is_alphanumeric)), "{q:?}");
        let long = "palabra ".repeat(10_000);
        assert_eq!(search_query(&long).len(), 1, "repeated words count once");
    }
}
