//! Text blocks hold a small, safe subset of HTML; everything else in a
//! survey is plain text. Imports bring HTML from other tools, so both
//! directions live here: cleaning HTML to the subset (with `ammonia`, made
//! for exactly this) and reading the text out of HTML.

use std::collections::HashSet;

/// The tags a text block keeps: structure and emphasis, links and lists.
/// No images (they would load from other servers on the public page), no
/// styles, no scripts; links open with `rel="noopener noreferrer"`.
const TAGS: &[&str] =
    &["p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "a", "blockquote", "hr"];

/// HTML cleaned to the text-block subset (idempotent).
pub fn sanitize_html(html: &str) -> String {
    ammonia::Builder::empty()
        .add_tags(TAGS)
        .add_tag_attributes("a", ["href"])
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
        .trim()
        .to_string()
}

/// The text of an HTML fragment: tags removed, entities decoded, whitespace
/// collapsed. A '<' not starting a tag (as in "a < b") is kept.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        text.push_str(&rest[..i]);
        rest = &rest[i..];
        let next = rest[1..].chars().next();
        if rest.starts_with('<') && next.is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?')) {
            let end = rest.find('>').map_or(rest.len(), |j| j + 1);
            // Tags separate words: "<p>a</p><p>b</p>" reads "a b".
            text.push(' ');
            rest = &rest[end..];
        } else if let Some((c, len)) = rest.starts_with('&').then(|| entity(rest)).flatten() {
            text.push(c);
            rest = &rest[len..];
        } else {
            text.push_str(&rest[..1]);
            rest = &rest[1..];
        }
    }
    text.push_str(rest);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The character of an entity at the start of `s`, and the entity's length.
fn entity(s: &str) -> Option<(char, usize)> {
    let end = s.bytes().take(12).position(|b| b == b';')?;
    let name = &s[1..end];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        const NAMED: &[(&str, char)] = &[
            ("nbsp", ' '),
            ("amp", '&'),
            ("lt", '<'),
            ("gt", '>'),
            ("quot", '"'),
            ("apos", '\''),
            ("aacute", 'á'),
            ("eacute", 'é'),
            ("iacute", 'í'),
            ("oacute", 'ó'),
            ("uacute", 'ú'),
            ("uuml", 'ü'),
            ("ntilde", 'ñ'),
            ("Aacute", 'Á'),
            ("Eacute", 'É'),
            ("Iacute", 'Í'),
            ("Oacute", 'Ó'),
            ("Uacute", 'Ú'),
            ("Ntilde", 'Ñ'),
            ("iquest", '¿'),
            ("iexcl", '¡'),
            ("laquo", '«'),
            ("raquo", '»'),
            ("lsquo", '‘'),
            ("rsquo", '’'),
            ("ldquo", '“'),
            ("rdquo", '”'),
            ("ndash", '–'),
            ("mdash", '—'),
            ("hellip", '…'),
        ];
        NAMED.iter().find(|(n, _)| *n == name)?.1
    };
    Some((c, end + 1))
}
