//! Charts as inline SVG, drawn on the server so pages need no JavaScript.
//!
//! Policy: each chart is a pure function from numbers (and strings already
//! translated by the caller) to one `<svg>` element, scaled by its viewBox to
//! the width of its container. Every chart has `role="img"` and a `<title>`
//! for screen readers. Shapes carry CSS classes (`chart-line`, `chart-band`,
//! …) so the stylesheet can restyle them, and inline defaults so they still
//! read without one. Text is escaped here; numbers never print as NaN.

mod bars;
mod flow;
mod quadrant;
mod series;
mod sparkline;

pub use bars::{paired_bars, PairedBar};
pub use flow::{flow_chart, FlowLabels, FlowPath, FlowStep};
pub use quadrant::{quadrant_chart, QuadrantDot, QuadrantLabels};
pub use series::{series_chart, ChartLabels, SeriesPoint};
pub use sparkline::{sparkline, sparkline_scaled};

use std::fmt::Write;

// Inline defaults, from the app's palette (assets/app.css), for pages or
// readers without the stylesheet.
const INK: &str = "#1b2330";
const MUTED: &str = "#5a6475";
const GRID: &str = "#dde2ea";
const PRIMARY: &str = "#2f55d4";
const PRIMARY_SOFT: &str = "#e9eefc";
const WARN: &str = "#8a5300";
const DROP: &str = "#f0c46c";
/// Axis and label text.
const FONT: &str = r#"font-family="system-ui, sans-serif" font-size="11""#;

/// `s` made safe for SVG text and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A number for the SVG source: at most two decimals, no trailing zeros.
/// Not-finite input (never expected, but a bad value must not break the
/// whole drawing) prints as 0.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0".into();
    }
    let s = format!("{v:.2}");
    let s = if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.') } else { &s };
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// The opening `<svg>` tag and its `<title>`; close with `</svg>`.
fn open(out: &mut String, width: f64, height: f64, class: &str, title: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart {class}" viewBox="0 0 {} {}" width="100%" role="img"><title>{}</title>"#,
        num(width),
        num(height),
        escape(title)
    );
}

/// `text` cut to `max` characters with an ellipsis, so labels fit their box.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.truncate(s.trim_end().len());
    s.push('…');
    s
}

#[cfg(test)]
pub(crate) mod test_util {
    /// Parses `svg` (panicking with it when it is not well-formed XML) and
    /// counts the elements named `tag` whose class list holds `class`.
    pub fn count(svg: &str, tag: &str, class: &str) -> usize {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
        doc.descendants()
            .filter(|n| n.has_tag_name(tag))
            .filter(|n| class.is_empty() || n.attribute("class").is_some_and(|c| c.split(' ').any(|c| c == class)))
            .count()
    }

    /// Well-formed, an accessible image, and free of NaN and infinities.
    pub fn check(svg: &str) -> roxmltree::Document<'_> {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
        let root = doc.root_element();
        assert!(root.has_tag_name("svg"));
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(root.attribute("width"), Some("100%"));
        assert!(root.attribute("viewBox").is_some());
        assert!(root.first_element_child().is_some_and(|t| t.has_tag_name("title")), "{svg}");
        for n in doc.descendants() {
            for a in n.attributes() {
                assert!(!a.value().contains("NaN") && !a.value().contains("inf"), "{}: {svg}", a.name());
            }
        }
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_at_most_two_decimals() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.5), "1.5");
        assert_eq!(num(1.23456), "1.23");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(120.0), "120");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(f64::INFINITY), "0");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape(r#"<a & "b" 'c'>"#), "&lt;a &amp; &quot;b&quot; &#39;c&#39;&gt;");
        assert_eq!(escape("a\u{0}b"), "ab");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }
}
