//! Percent-encoding for the URLs pages build: a query value and a path
//! segment. Depends on nothing, so that templates, the page context and
//! handlers can all use it.

/// Percent-encodes a query value (`/` is kept, as in `next=/journey`).
pub fn query(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encodes one path segment: everything but unreserved characters.
pub fn segment(s: &str) -> String {
    query(s).replace('/', "%2F")
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
