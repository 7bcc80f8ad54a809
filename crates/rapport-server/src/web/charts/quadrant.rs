//! Importance × performance: one dot per driver on derived importance
//! (share of R², x) and performance (0–100 or the drivers' own scale, y),
//! split by the thresholds into the four quadrants, each named.

use super::{escape, num, open, shorten, FONT, GRID, INK, MUTED, PRIMARY, WARN};
use std::fmt::Write;

const W: f64 = 520.0;
const H: f64 = 340.0;
const L: f64 = 44.0;
const R: f64 = 12.0;
const T: f64 = 12.0;
const B: f64 = 36.0;

/// One driver: label, importance share (0–1), performance, and whether it
/// is in "fix first" (drawn in the warning colour).
pub struct QuadrantDot {
    pub label: String,
    pub importance: f64,
    pub performance: f64,
    pub fix_first: bool,
}

/// Words of the chart, already translated.
pub struct QuadrantLabels {
    pub title: String,
    pub x_axis: String,
    pub y_axis: String,
    /// Fix first, keep up, over-served, low priority.
    pub quadrants: [String; 4],
}

pub fn quadrant_chart(dots: &[QuadrantDot], thresholds: (f64, f64), labels: &QuadrantLabels) -> String {
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let x_max = dots.iter().map(|d| finite(d.importance)).fold(finite(thresholds.0) * 2.0, f64::max).max(0.05) * 1.1;
    let (mut y_lo, mut y_hi) = dots
        .iter()
        .map(|d| finite(d.performance))
        .fold((finite(thresholds.1), finite(thresholds.1)), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let pad = ((y_hi - y_lo) * 0.15).max(1.0);
    (y_lo, y_hi) = (y_lo - pad, y_hi + pad);
    let x = |v: f64| L + (W - L - R) * finite(v) / x_max;
    let y = |v: f64| T + (H - T - B) * (1.0 - (finite(v) - y_lo) / (y_hi - y_lo));
    let mut out = String::new();
    open(&mut out, W, H, "chart-quadrant", &labels.title);
    let (tx, ty) = (x(thresholds.0), y(thresholds.1));
    let _ = write!(
        out,
        r#"<rect class="chart-frame" x="{L}" y="{T}" width="{}" height="{}" fill="none" stroke="{GRID}"/>"#,
        num(W - L - R),
        num(H - T - B)
    );
    for (x1, y1, x2, y2) in [(tx, T, tx, H - B), (L, ty, W - R, ty)] {
        let _ = write!(
            out,
            r#"<line class="chart-threshold" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{MUTED}" stroke-dasharray="4 3"/>"#,
            num(x1),
            num(y1),
            num(x2),
            num(y2)
        );
    }
    // Quadrant names in their corners: fix first bottom right, keep up top
    // right, over-served top left, low priority bottom left.
    let corners = [
        (W - R - 4.0, H - B - 6.0, "end"),
        (W - R - 4.0, T + 14.0, "end"),
        (L + 4.0, T + 14.0, "start"),
        (L + 4.0, H - B - 6.0, "start"),
    ];
    for ((cx, cy, anchor), name) in corners.iter().zip(&labels.quadrants) {
        let _ = write!(
            out,
            r#"<text class="chart-quadrant-name" x="{}" y="{}" text-anchor="{anchor}" fill="{MUTED}" {FONT}>{}</text>"#,
            num(*cx),
            num(*cy),
            escape(name)
        );
    }
    for d in dots {
        let (cx, cy) = (x(d.importance), y(d.performance));
        let (class, colour) = if d.fix_first { ("chart-dot chart-dot-warn", WARN) } else { ("chart-dot", PRIMARY) };
        let _ = write!(
            out,
            r#"<circle class="{class}" cx="{}" cy="{}" r="5" fill="{colour}"><title>{}</title></circle><text class="chart-dot-label" x="{}" y="{}" fill="{INK}" {FONT}>{}</text>"#,
            num(cx),
            num(cy),
            escape(&d.label),
            num(cx + 7.0),
            num(cy + 4.0),
            escape(&shorten(&d.label, 24))
        );
    }
    let _ = write!(
        out,
        r#"<text class="chart-axis" x="{}" y="{}" text-anchor="middle" fill="{MUTED}" {FONT}>{}</text><text class="chart-axis" x="12" y="{}" text-anchor="middle" transform="rotate(-90 12 {})" fill="{MUTED}" {FONT}>{}</text></svg>"#,
        num((L + W - R) / 2.0),
        num(H - 8.0),
        escape(&labels.x_axis),
        num((T + H - B) / 2.0),
        num((T + H - B) / 2.0),
        escape(&labels.y_axis)
    );
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{check, count};
    use super::*;

    fn labels() -> QuadrantLabels {
        QuadrantLabels {
            title: "Drivers <of> NPS".into(),
            x_axis: "Importance".into(),
            y_axis: "Performance".into(),
            quadrants: ["Fix first".into(), "Keep up".into(), "Over-served".into(), "Low priority".into()],
        }
    }

    #[test]
    fn one_dot_per_driver_and_fix_first_stands_out() {
        let dots = vec![
            QuadrantDot { label: "Delivery".into(), importance: 0.6, performance: 40.0, fix_first: true },
            QuadrantDot { label: "Coffee".into(), importance: 0.4, performance: 80.0, fix_first: false },
        ];
        let svg = quadrant_chart(&dots, (0.5, 60.0), &labels());
        check(&svg);
        assert_eq!(count(&svg, "circle", "chart-dot"), 2);
        assert_eq!(count(&svg, "circle", "chart-dot-warn"), 1);
        assert_eq!(count(&svg, "text", "chart-quadrant-name"), 4);
        assert!(svg.contains("Drivers &lt;of&gt; NPS"));
    }

    #[test]
    fn bad_numbers_do_not_break_the_drawing() {
        let dots =
            vec![QuadrantDot { label: "x".into(), importance: f64::NAN, performance: f64::INFINITY, fix_first: false }];
        check(&quadrant_chart(&dots, (f64::NAN, 0.0), &labels()));
        check(&quadrant_chart(&[], (0.0, 0.0), &labels()));
    }
}
