//! Documents people write in Rapport (training modules, knowledge articles)
//! are Markdown: headings, lists, links, emphasis, tables and images, as
//! writers already know it from chat tools and wikis. It is rendered with
//! `pulldown-cmark` and cleaned with `ammonia`, so whatever is typed, the
//! page gets a safe subset of HTML: no scripts, styles or event handlers,
//! links only to `http`, `https` and `mailto`, and images only from Rapport
//! itself (a path starting with `/`), so a page never loads from another
//! server.

use pulldown_cmark::{html, Options, Parser};
use std::collections::HashSet;

/// The longest document read, in bytes (a long procedure with tables is
/// under 50 kB).
pub const DOCUMENT_MAX: usize = 100_000;

const TAGS: &[&str] = &[
    "p",
    "br",
    "strong",
    "em",
    "del",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "blockquote",
    "hr",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
];

/// The Markdown as safe HTML.
pub fn to_html(markdown: &str) -> String {
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::empty()
        .add_tags(TAGS)
        .add_tag_attributes("a", ["href"])
        .add_tag_attributes("img", ["src", "alt"])
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .attribute_filter(|tag, attr, value| match (tag, attr) {
            // Only Rapport's own images: a root-relative path, not `//host`.
            ("img", "src") if !value.starts_with('/') || value.starts_with("//") => None,
            _ => Some(value.into()),
        })
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

/// The document's text without markup, for search and previews.
pub fn to_text(markdown: &str) -> String {
    crate::survey::plain_text(&to_html(markdown))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_lists_links_tables_and_images_are_kept() {
        let html = to_html(
            "# Refunds\n\n1. Say sorry\n2. Refund\n\n[Policy](https://example.com/p) ![Form](/media/3)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        );
        for part in [
            "<h1>Refunds</h1>",
            "<ol>",
            "<li>Say sorry</li>",
            "href=\"https://example.com/p\"",
            "src=\"/media/3\"",
            "<table>",
            "<td>2</td>",
        ] {
            assert!(html.contains(part), "{part} missing from {html}");
        }
    }

    #[test]
    fn scripts_handlers_and_foreign_images_are_removed() {
        let html = to_html(
            "<script>alert(1)</script><img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) ![t](https://tracker.example/p.gif) ![s](//evil/p.gif)\n\n<p onclick=\"x()\" style=\"color:red\">hi</p>",
        );
        for bad in ["<script", "onerror", "javascript:", "tracker.example", "//evil", "onclick", "style="] {
            assert!(!html.contains(bad), "{bad} kept in {html}");
        }
        assert!(html.contains("hi"));
    }

    #[test]
    fn text_reads_the_words() {
        assert_eq!(to_text("## Say **sorry**\n\n- first"), "Say sorry first");
    }
}
