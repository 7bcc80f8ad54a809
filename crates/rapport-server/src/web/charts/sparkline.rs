//! A sparkline: a small line of recent values beside a number, with gaps
//! where a period had no value (a line drawn across a gap would invent one),
//! and a minimal scale: a baseline at the lowest value, a dotted line at the
//! highest, each labelled with its value at the right, so the line's rise
//! reads as a size and not only as a shape.

use super::{escape, num, open, GRID, MUTED};
use std::fmt::Write;

/// Room at the edges so the stroke and dots are not clipped.
const PAD: f64 = 2.0;
/// Room at the right for the scale's labels ("−100", "93.3%").
const LABEL_W: f64 = 38.0;

/// A `width` × `height` sparkline of `values`, oldest first, its scale
/// labelled with plain numbers. Its title lists the values and the range
/// (lowest – highest, no words to translate),
/// so a screen reader gets the numbers the line shows.
pub fn sparkline(values: &[Option<f64>], width: f64, height: f64) -> String {
    sparkline_scaled(values, width, height, &num)
}

/// As [`sparkline`], the values and the scale written by `fmt` (the page's
/// language and the metric's unit). The line takes `width`, the labels
/// [`LABEL_W`] more.
pub fn sparkline_scaled(values: &[Option<f64>], width: f64, height: f64, fmt: &dyn Fn(f64) -> String) -> String {
    let width = if width.is_finite() && width > 2.0 * PAD { width } else { 100.0 };
    let height = if height.is_finite() && height > 2.0 * PAD { height } else { 24.0 };
    // A non-finite value is treated as missing rather than breaking the scale.
    let values: Vec<Option<f64>> = values.iter().map(|v| v.filter(|v| v.is_finite())).collect();
    let (lo, hi) =
        values.iter().flatten().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let listed = values.iter().map(|v| v.map_or("–".to_string(), fmt)).collect::<Vec<_>>().join(", ");
    let title = if lo.is_finite() { format!("{listed} ({} – {})", fmt(lo), fmt(hi)) } else { listed };
    let mut out = String::new();
    open(&mut out, width + LABEL_W, height, "chart-sparkline", &title);
    if lo.is_finite() {
        scale(&mut out, width, height, (lo, hi), fmt);
    }
    let x = |i: usize| match values.len() {
        1 => width / 2.0,
        n => PAD + (width - 2.0 * PAD) * i as f64 / (n - 1) as f64,
    };
    // A flat series sits in the middle instead of dividing by zero.
    let y = |v: f64| if hi > lo { height - PAD - (height - 2.0 * PAD) * (v - lo) / (hi - lo) } else { height / 2.0 };

    let mut i = 0;
    while i < values.len() {
        if values[i].is_none() {
            i += 1;
            continue;
        }
        let start = i;
        while i < values.len() && values[i].is_some() {
            i += 1;
        }
        let run: Vec<(f64, f64)> = (start..i).map(|j| (x(j), y(values[j].unwrap_or(lo)))).collect();
        if let [(cx, cy)] = run[..] {
            // An isolated value has no neighbour to draw a line to: a dot.
            let _ = write!(
                out,
                r#"<circle class="chart-line-dot" cx="{}" cy="{}" r="1.5" fill="currentColor"/>"#,
                num(cx),
                num(cy)
            );
        } else {
            let d: Vec<String> = run
                .iter()
                .enumerate()
                .map(|(k, (px, py))| format!("{}{} {}", if k == 0 { 'M' } else { 'L' }, num(*px), num(*py)))
                .collect();
            let _ = write!(
                out,
                r#"<path class="chart-line" d="{}" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>"#,
                d.join(" ")
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// The baseline at the lowest value, a dotted line at the highest, and
/// their labels right of the line (one label when the series is flat).
fn scale(out: &mut String, width: f64, height: f64, (lo, hi): (f64, f64), fmt: &dyn Fn(f64) -> String) {
    let (top, bottom) = if hi > lo { (PAD, height - PAD) } else { (height / 2.0, height / 2.0) };
    let _ = write!(
        out,
        r#"<line class="chart-baseline" x1="0" x2="{w}" y1="{b}" y2="{b}" stroke="{GRID}" stroke-width="1"/>"#,
        w = num(width),
        b = num(bottom),
    );
    let label = |out: &mut String, y: f64, v: f64, class: &str| {
        let _ = write!(
            out,
            r#"<text class="{class}" x="{}" y="{}" fill="{MUTED}" font-family="system-ui, sans-serif" font-size="9" dominant-baseline="middle" aria-hidden="true">{}</text>"#,
            num(width + 3.0),
            num(y.clamp(5.0, height - 4.0)),
            escape(&fmt(v)),
        );
    };
    if hi > lo {
        let _ = write!(
            out,
            r#"<line class="chart-topline" x1="0" x2="{w}" y1="{t}" y2="{t}" stroke="{GRID}" stroke-width="1" stroke-dasharray="2 2"/>"#,
            w = num(width),
            t = num(top),
        );
        label(&mut *out, top, hi, "chart-scale-max");
    }
    label(&mut *out, bottom, lo, "chart-scale-min");
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{check, count};
    use super::*;

    /// Points drawn: path vertices plus isolated dots.
    fn points(svg: &str) -> usize {
        let doc = check(svg);
        let in_paths: usize = doc
            .descendants()
            .filter(|n| n.has_tag_name("path"))
            .map(|n| n.attribute("d").unwrap().matches(['M', 'L']).count())
            .sum();
        in_paths + count(svg, "circle", "chart-line-dot")
    }

    #[test]
    fn one_vertex_per_value() {
        let svg = sparkline(&[Some(1.0), Some(3.0), Some(2.0), Some(5.0)], 80.0, 20.0);
        assert_eq!(points(&svg), 4);
        assert_eq!(count(&svg, "path", "chart-line"), 1);
        assert!(svg.contains("<title>1, 3, 2, 5 (1 – 5)</title>"), "{svg}");
        // The scale: the lowest and highest values labelled, a baseline.
        assert_eq!(count(&svg, "text", "chart-scale-min"), 1);
        assert_eq!(count(&svg, "text", "chart-scale-max"), 1);
        assert_eq!(count(&svg, "line", "chart-baseline"), 1);
        assert!(svg.contains(">5</text>") && svg.contains(">1</text>"), "{svg}");
        assert!(svg.contains(r#"viewBox="0 0 118 20""#), "room for the labels: {svg}");
        // The highest value touches the top padding, the lowest the bottom.
        assert!(svg.contains("M2 18 ") && svg.contains("L78 2"), "{svg}");
    }

    #[test]
    fn gaps_split_the_line() {
        let svg = sparkline(&[Some(1.0), Some(2.0), None, Some(4.0), None, Some(1.0), Some(0.5)], 80.0, 20.0);
        assert_eq!(count(&svg, "path", "chart-line"), 2);
        assert_eq!(count(&svg, "circle", "chart-line-dot"), 1);
        assert_eq!(points(&svg), 5);
        assert!(svg.contains("<title>1, 2, –, 4, –, 1, 0.5 (0.5 – 4)</title>"), "{svg}");
    }

    #[test]
    fn empty_flat_and_missing_values_are_finite() {
        for values in [vec![], vec![None, None], vec![Some(f64::NAN)], vec![Some(2.0)], vec![Some(2.0), Some(2.0)]] {
            let svg = sparkline(&values, 60.0, 16.0);
            check(&svg);
        }
        assert_eq!(points(&sparkline(&[None, None, None], 60.0, 16.0)), 0);
        assert_eq!(points(&sparkline(&[Some(2.0), Some(2.0)], 60.0, 16.0)), 2);
        // No value: no scale to show.
        let none = sparkline(&[None, None], 60.0, 16.0);
        assert_eq!(count(&none, "text", "chart-scale-min") + count(&none, "line", "chart-baseline"), 0);
        // A flat series: one label.
        let flat = sparkline(&[Some(2.0), Some(2.0)], 60.0, 16.0);
        assert_eq!((count(&flat, "text", "chart-scale-min"), count(&flat, "text", "chart-scale-max")), (1, 0));
        // Labels in the caller's format.
        let pct = sparkline_scaled(&[Some(12.5), Some(40.0)], 60.0, 16.0, &|v| format!("{v}%"));
        assert!(pct.contains(">12.5%</text>") && pct.contains(">40%</text>") && pct.contains("(12.5% – 40%)"));
        // Nonsense sizes fall back to a default instead of a broken viewBox.
        check(&sparkline(&[Some(1.0)], f64::NAN, -1.0));
    }
}
