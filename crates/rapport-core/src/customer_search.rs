//! Finding a customer by what an agent types: the words of the customer's
//! external id, name and e-mail address, matched by prefix and ignoring
//! case. "ana gar" finds "Ana García"; "cust-0042" finds `cust-00421`;
//! "example.com" finds every address at that domain.
//!
//! The store keeps each customer's [`terms`] in an index and looks up each
//! of the query's [`words`] as a range of it, so a search costs what its
//! matches cost, not a scan of a million customers.

use std::collections::BTreeSet;

/// Longer words are cut to this many characters (in the index and in a
/// query alike, so a long word still finds itself).
pub const MAX_WORD_CHARS: usize = 40;

/// At most this many distinct words are kept per customer.
pub const MAX_TERMS: usize = 24;

/// At most this many words of a query are looked up (all must match).
pub const MAX_QUERY_WORDS: usize = 6;

/// The lower-cased runs of letters and digits of `text`, each cut to
/// [`MAX_WORD_CHARS`].
fn split(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().flat_map(char::to_lowercase).take(MAX_WORD_CHARS).collect())
}

/// The words a customer is found by.
pub fn terms(external_id: &str, name: Option<&str>, email: Option<&str>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for text in [Some(external_id), name, email].into_iter().flatten() {
        for word in split(text) {
            if out.len() >= MAX_TERMS {
                return out;
            }
            out.insert(word);
        }
    }
    out
}

/// The words of a query, each of which must begin one of a customer's
/// terms; none for a query without letters or digits.
pub fn words(query: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for word in split(query) {
        // A word that begins another one adds nothing: "an ana" is "ana".
        if out.iter().any(|w| w.starts_with(&word)) {
            continue;
        }
        out.retain(|w| !word.starts_with(w.as_str()));
        out.push(word);
    }
    out.truncate(MAX_QUERY_WORDS);
    out
}

/// Whether a customer with these terms matches the query's words (the
/// rule the store's index lookups implement).
pub fn matches(terms: &BTreeSet<String>, words: &[String]) -> bool {
    words.iter().all(|w| terms.iter().any(|t| t.starts_with(w.as_str())))
}

/// The first string after every string that begins with `prefix`, in
/// byte order: the end of the index range of a prefix. `None` when there
/// is none (a prefix of only U+10FFFF characters).
pub fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        // The next character; surrogates are not characters.
        let next = (last as u32 + 1..=char::MAX as u32).find_map(char::from_u32);
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(words: &[&str]) -> BTreeSet<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn terms_are_the_lower_cased_words_of_id_name_and_email() {
        let t = terms("CUST-0042", Some("Ana María García"), Some("ana.garcia@Example.com"));
        assert_eq!(t, set(&["cust", "0042", "ana", "maría", "garcía", "garcia", "example", "com"]));
        assert_eq!(terms("x", None, None), set(&["x"]));
        assert!(terms("--", None, Some("@")).is_empty());
    }

    #[test]
    fn terms_and_words_are_bounded() {
        let long = "a".repeat(500);
        assert_eq!(terms(&long, None, None).iter().next().unwrap().chars().count(), MAX_WORD_CHARS);
        let many: String = (0..100).map(|i| format!("w{i} ")).collect();
        assert_eq!(terms("id", Some(&many), None).len(), MAX_TERMS);
        assert_eq!(words(&many).len(), MAX_QUERY_WORDS);
        assert_eq!(words(&long), vec!["a".repeat(MAX_WORD_CHARS)]);
    }

    #[test]
    fn query_words_drop_what_another_word_covers() {
        assert_eq!(words("  Ana GAR "), vec!["ana", "gar"]);
        assert_eq!(words("an ana"), vec!["ana"]);
        assert_eq!(words("ana an"), vec!["ana"]);
        assert!(words("%_-").is_empty());
    }

    #[test]
    fn a_customer_matches_when_every_word_begins_a_term() {
        let t = terms("cust-00421", Some("Ana García"), Some("ana@example.com"));
        for q in ["ana", "ANA GAR", "cust-0042", "00421", "example.com", "garcía ana", "exa"] {
            assert!(matches(&t, &words(q)), "{q}");
        }
        for q in ["cia", "ana lopez", "cust-0043", "421"] {
            assert!(!matches(&t, &words(q)), "{q}");
        }
        assert!(matches(&t, &[]), "no words: everyone");
    }

    #[test]
    fn the_prefix_end_bounds_exactly_the_strings_with_the_prefix() {
        let end = prefix_end("ana").unwrap();
        assert_eq!(end, "anb");
        for s in ["ana", "anabel", "ana\u{10FFFF}"] {
            assert!(s >= "ana" && s < end.as_str(), "{s}");
        }
        for s in ["an", "anb", "anz", "b"] {
            assert!(!(s >= "ana" && s < end.as_str()), "{s}");
        }
        assert_eq!(prefix_end("a\u{D7FF}").unwrap(), "a\u{E000}", "no surrogates");
        assert_eq!(prefix_end("a\u{10FFFF}").unwrap(), "b");
        assert_eq!(prefix_end("\u{10FFFF}"), None);
    }
}
