//! Paired horizontal bars: for each item two shares (0–1) side by side,
//! e.g. stated against derived importance of each touchpoint.

use super::{escape, num, open, shorten, FONT, INK, PRIMARY, PRIMARY_SOFT};
use std::fmt::Write;

const W: f64 = 520.0;
const LABEL: f64 = 150.0;
const ROW: f64 = 30.0;
const BAR: f64 = 11.0;

/// One row: label and its two shares.
pub struct PairedBar {
    pub label: String,
    pub first: f64,
    pub second: f64,
}

/// `names`: the two series' names (already translated), shown in a legend.
pub fn paired_bars(rows: &[PairedBar], names: (&str, &str), title: &str) -> String {
    let h = 24.0 + ROW * rows.len() as f64;
    let mut out = String::new();
    open(&mut out, W, h, "chart-paired-bars", title);
    let max = rows.iter().flat_map(|r| [r.first, r.second]).filter(|v| v.is_finite()).fold(0.01, f64::max);
    let width = |v: f64| if v.is_finite() && v > 0.0 { (W - LABEL - 50.0) * v / max } else { 0.0 };
    let _ = write!(
        out,
        r#"<rect x="{LABEL}" y="4" width="10" height="10" fill="{PRIMARY_SOFT}" stroke="{PRIMARY}"/><text x="{}" y="13" fill="{INK}" {FONT}>{}</text><rect x="{}" y="4" width="10" height="10" fill="{PRIMARY}"/><text x="{}" y="13" fill="{INK}" {FONT}>{}</text>"#,
        num(LABEL + 14.0),
        escape(names.0),
        num(LABEL + 150.0),
        num(LABEL + 164.0),
        escape(names.1)
    );
    for (i, r) in rows.iter().enumerate() {
        let top = 24.0 + ROW * i as f64;
        let pct = |v: f64| format!("{}%", num(if v.is_finite() { v * 100.0 } else { 0.0 }));
        let _ = write!(
            out,
            r#"<text class="chart-bar-label" x="0" y="{}" fill="{INK}" {FONT}>{}</text><rect class="chart-bar chart-bar-first" x="{LABEL}" y="{}" width="{}" height="{BAR}" fill="{PRIMARY_SOFT}" stroke="{PRIMARY}"><title>{}: {}</title></rect><rect class="chart-bar chart-bar-second" x="{LABEL}" y="{}" width="{}" height="{BAR}" fill="{PRIMARY}"><title>{}: {}</title></rect>"#,
            num(top + 14.0),
            escape(&shorten(&r.label, 22)),
            num(top + 2.0),
            num(width(r.first)),
            escape(names.0),
            pct(r.first),
            num(top + 2.0 + BAR + 1.0),
            num(width(r.second)),
            escape(names.1),
            pct(r.second)
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{check, count};
    use super::*;

    #[test]
    fn two_bars_per_row() {
        let rows = vec![
            PairedBar { label: "Checkout".into(), first: 0.5, second: 0.2 },
            PairedBar { label: "Delivery & returns".into(), first: 0.5, second: f64::NAN },
        ];
        let svg = paired_bars(&rows, ("Stated", "Derived"), "Importance");
        check(&svg);
        assert_eq!(count(&svg, "rect", "chart-bar"), 4);
        assert!(svg.contains("Delivery &amp; returns"));
    }
}
