//! Percent-encoding for the URLs pages build: a query value and a path
//! segment (with the `percent-encoding` crate). Depends on nothing else, so
//! that templates, the page context and handlers can all use it.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986's unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
/// A query value keeps `/` too.
const QUERY: &AsciiSet = &SEGMENT.remove(b'/');

/// Percent-encodes a query value (`/` is kept, as in `next=/journey`).
pub fn query(s: &str) -> String {
    utf8_percent_encode(s, QUERY).to_string()
}

/// Percent-encodes one path segment: everything but unreserved characters.
pub fn segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_and_segments() {
        assert_eq!(query("/journey?experience=2"), "/journey%3Fexperience%3D2");
        assert_eq!(query("Ana López & co"), "Ana%20L%C3%B3pez%20%26%20co");
        assert_eq!(segment("a/b c"), "a%2Fb%20c");
        assert_eq!(segment("cust-7_x.y~z"), "cust-7_x.y~z");
    }
}
