//! A metric over time: its value per period as a line, the 95% interval as
//! a shaded band, periods with too few answers drawn hollow (shown, but not
//! to be trusted), and the target as a dashed line.

use super::{escape, num, open, FONT, GRID, MUTED, PRIMARY, WARN};
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 22.0;
const BOTTOM: f64 = 26.0;
/// The least room one x label needs; more labels than fit are thinned out.
const LABEL_ROOM: f64 = 56.0;

/// One period of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesPoint {
    /// The period, e.g. `2026-03`.
    pub label: String,
    pub value: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// Enough answers for the value to be trusted.
    pub sufficient: bool,
}

/// Text the chart shows, translated by the caller.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartLabels {
    pub title: String,
    /// Legend and tooltip note for hollow points.
    pub insufficient: String,
}

/// The plot area and its scale.
struct Plot {
    lo: f64,
    hi: f64,
    n: usize,
}

impl Plot {
    fn x(&self, i: usize) -> f64 {
        LEFT + (WIDTH - LEFT - RIGHT) * (i as f64 + 0.5) / self.n.max(1) as f64
    }

    /// Values outside the range are pinned to its edge so nothing is drawn
    /// outside the plot.
    fn y(&self, v: f64) -> f64 {
        let f = ((v - self.lo) / (self.hi - self.lo)).clamp(0.0, 1.0);
        HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * f
    }
}

/// `points` in order, on a y axis from `y_range.0` to `y_range.1` (an empty
/// or not-finite range falls back to the data's), with `target` if given.
pub fn series_chart(points: &[SeriesPoint], target: Option<f64>, y_range: (f64, f64), labels: &ChartLabels) -> String {
    let fin = |v: Option<f64>| v.filter(|v| v.is_finite());
    let (lo, hi) = y_range_or_data(points, y_range);
    let p = Plot { lo, hi, n: points.len() };
    let mut out = String::new();
    open(&mut out, WIDTH, HEIGHT, "chart-series", &labels.title);

    for t in ticks(lo, hi) {
        let y = p.y(t);
        let _ = write!(
            out,
            r#"<line class="chart-grid" x1="{l}" y1="{y}" x2="{r}" y2="{y}" stroke="{GRID}" stroke-width="1"/><text class="chart-y-label" x="{tx}" y="{ty}" text-anchor="end" fill="{MUTED}" {FONT}>{}</text>"#,
            num(t),
            l = num(LEFT),
            r = num(WIDTH - RIGHT),
            y = num(y),
            tx = num(LEFT - 6.0),
            ty = num(y + 4.0),
        );
    }

    // The interval band, one shape per run of periods that have one.
    let interval = |q: &SeriesPoint| Some((fin(q.ci_low)?, fin(q.ci_high)?));
    for run in runs(points, |q| interval(q).is_some()) {
        let d = if run.len() == 1 {
            let (low, high) = interval(&points[run.start]).unwrap_or_default();
            let x = p.x(run.start);
            format!("M{} {} H{} V{} H{} Z", num(x - 4.0), num(p.y(high)), num(x + 4.0), num(p.y(low)), num(x - 4.0))
        } else {
            let upper = run.clone().map(|i| (p.x(i), p.y(interval(&points[i]).unwrap_or_default().1)));
            let lower = run.clone().rev().map(|i| (p.x(i), p.y(interval(&points[i]).unwrap_or_default().0)));
            path(upper.chain(lower)) + " Z"
        };
        let _ = write!(out, r#"<path class="chart-band" d="{d}" fill="{PRIMARY}" fill-opacity="0.15" stroke="none"/>"#);
    }

    if let Some(t) = fin(target).filter(|t| (lo..=hi).contains(t)) {
        let _ = write!(
            out,
            r#"<line class="chart-target" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{WARN}" stroke-width="1.5" stroke-dasharray="6 4"/>"#,
            num(LEFT),
            num(WIDTH - RIGHT),
            y = num(p.y(t)),
        );
    }

    // The line breaks where a period has no value rather than bridging it.
    for run in runs(points, |q| fin(q.value).is_some()) {
        if run.len() > 1 {
            let d = path(run.map(|i| (p.x(i), p.y(fin(points[i].value).unwrap_or(lo)))));
            let _ = write!(
                out,
                r#"<path class="chart-line" d="{d}" fill="none" stroke="{PRIMARY}" stroke-width="2" stroke-linejoin="round"/>"#
            );
        }
    }

    for (i, q) in points.iter().enumerate() {
        let Some(v) = fin(q.value) else { continue };
        let (class, fill, note) = if q.sufficient {
            ("chart-point", PRIMARY, String::new())
        } else {
            ("chart-point chart-point-insufficient", "#ffffff", format!(" ({})", labels.insufficient))
        };
        let _ = write!(
            out,
            r#"<circle class="{class}" cx="{}" cy="{}" r="3.5" fill="{fill}" stroke="{PRIMARY}" stroke-width="1.5"><title>{}: {}{}</title></circle>"#,
            num(p.x(i)),
            num(p.y(v)),
            escape(&q.label),
            num(v),
            escape(&note),
        );
    }

    let every = label_step(points.len());
    for (i, q) in points.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let _ = write!(
            out,
            r#"<text class="chart-x-label" x="{}" y="{}" text-anchor="middle" fill="{MUTED}" {FONT}>{}</text>"#,
            num(p.x(i)),
            num(HEIGHT - 8.0),
            escape(&q.label),
        );
    }

    if points.iter().any(|q| !q.sufficient && fin(q.value).is_some()) && !labels.insufficient.is_empty() {
        let _ = write!(
            out,
            r##"<g class="chart-legend"><circle class="chart-point chart-point-insufficient" cx="{}" cy="10" r="3.5" fill="#ffffff" stroke="{PRIMARY}" stroke-width="1.5"/><text x="{}" y="14" fill="{MUTED}" {FONT}>{}</text></g>"##,
            num(LEFT + 4.0),
            num(LEFT + 12.0),
            escape(&labels.insufficient),
        );
    }
    out.push_str("</svg>");
    out
}

/// The caller's range when it is usable, else one around the data (values,
/// intervals), else 0–1.
fn y_range_or_data(points: &[SeriesPoint], (lo, hi): (f64, f64)) -> (f64, f64) {
    if lo.is_finite() && hi.is_finite() && hi > lo {
        return (lo, hi);
    }
    let all = points.iter().flat_map(|q| [q.value, q.ci_low, q.ci_high]).flatten().filter(|v| v.is_finite());
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    match (lo.is_finite(), hi > lo) {
        (false, _) => (0.0, 1.0),
        (true, false) => (lo - 1.0, hi + 1.0),
        (true, true) => (lo, hi),
    }
}

/// Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten), about
/// five of them, within `lo..=hi`.
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let raw = (hi - lo) / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    if !(step.is_finite() && step > 0.0) {
        return vec![];
    }
    let first = (lo / step).ceil() * step;
    (0..12).map(|k| first + step * k as f64).take_while(|t| *t <= hi + step * 1e-9).collect()
}

/// Show every `label_step`-th x label, so labels never overlap.
fn label_step(n: usize) -> usize {
    let room = ((WIDTH - LEFT - RIGHT) / LABEL_ROOM).floor().max(1.0) as usize;
    n.div_ceil(room).max(1)
}

/// The index ranges of consecutive points for which `keep` holds.
fn runs(points: &[SeriesPoint], keep: impl Fn(&SeriesPoint) -> bool) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, q) in points.iter().enumerate() {
        match (keep(q), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..points.len());
    }
    out
}

/// An SVG path through `points`.
fn path(points: impl Iterator<Item = (f64, f64)>) -> String {
    let parts: Vec<String> = points
        .enumerate()
        .map(|(k, (x, y))| format!("{}{} {}", if k == 0 { 'M' } else { 'L' }, num(x), num(y)))
        .collect();
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{check, count};
    use super::*;

    fn pt(label: &str, value: Option<f64>, ci: Option<(f64, f64)>, sufficient: bool) -> SeriesPoint {
        SeriesPoint { label: label.into(), value, ci_low: ci.map(|c| c.0), ci_high: ci.map(|c| c.1), sufficient }
    }

    fn labels() -> ChartLabels {
        ChartLabels { title: "NPS by month".into(), insufficient: "Too few answers".into() }
    }

    #[test]
    fn draws_points_band_line_and_target() {
        let points = vec![
            pt("2026-01", Some(20.0), Some((10.0, 30.0)), true),
            pt("2026-02", Some(25.0), Some((15.0, 35.0)), true),
            pt("2026-03", Some(30.0), Some((0.0, 60.0)), false),
        ];
        let svg = series_chart(&points, Some(40.0), (-100.0, 100.0), &labels());
        check(&svg);
        assert_eq!(count(&svg, "circle", "chart-point"), 3 + 1, "three points and the legend's");
        assert_eq!(count(&svg, "circle", "chart-point-insufficient"), 1 + 1);
        assert_eq!(count(&svg, "path", "chart-band"), 1);
        assert_eq!(count(&svg, "path", "chart-line"), 1);
        assert_eq!(count(&svg, "line", "chart-target"), 1);
        assert_eq!(count(&svg, "text", "chart-x-label"), 3);
        assert!(svg.contains("<title>NPS by month</title>"));
        assert!(svg.contains("2026-03: 30 (Too few answers)"), "{svg}");
        // Ticks at -100, -50, 0, 50, 100.
        assert_eq!(count(&svg, "text", "chart-y-label"), 5);
        assert!(svg.contains(">-50</text>"));
    }

    #[test]
    fn gaps_break_the_line_and_band() {
        let points = vec![
            pt("a", Some(1.0), Some((0.5, 1.5)), true),
            pt("b", Some(2.0), Some((1.5, 2.5)), true),
            pt("c", None, None, false),
            pt("d", Some(3.0), Some((2.5, 3.5)), true),
            pt("e", Some(4.0), None, true),
            pt("f", Some(4.5), None, true),
        ];
        let svg = series_chart(&points, None, (0.0, 5.0), &labels());
        check(&svg);
        assert_eq!(count(&svg, "circle", "chart-point"), 5);
        assert_eq!(count(&svg, "path", "chart-band"), 2, "a–b, and d alone");
        assert_eq!(count(&svg, "path", "chart-line"), 2, "a–b and d–f");
        assert_eq!(count(&svg, "line", "chart-target"), 0);
        assert_eq!(count(&svg, "g", "chart-legend"), 0, "no hollow points, no legend");
    }

    #[test]
    fn many_labels_are_thinned_out() {
        let points: Vec<_> = (0..36).map(|i| pt(&format!("m{i}"), Some(i as f64), None, true)).collect();
        let svg = series_chart(&points, None, (0.0, 40.0), &labels());
        let shown = count(&svg, "text", "chart-x-label");
        assert!((5..=10).contains(&shown), "{shown}");
        assert_eq!(count(&svg, "circle", "chart-point"), 36);
    }

    #[test]
    fn text_is_escaped() {
        let l = ChartLabels { title: r#"<b> & "q""#.into(), insufficient: "<few> & \"so\"".into() };
        let svg = series_chart(&[pt("<&\">", Some(1.0), None, false)], None, (0.0, 2.0), &l);
        let doc = check(&svg);
        assert_eq!(doc.root_element().first_element_child().unwrap().text(), Some(r#"<b> & "q""#));
        assert!(svg.contains("&lt;&amp;&quot;&gt;"));
    }

    #[test]
    fn empty_and_missing_values_are_finite() {
        let none = vec![pt("a", None, None, false), pt("b", None, Some((f64::NAN, 1.0)), true)];
        for (points, range) in [
            (vec![], (0.0, 10.0)),
            (vec![], (f64::NAN, f64::NAN)),
            (none.clone(), (5.0, 5.0)),
            (none, (0.0, 10.0)),
            (vec![pt("a", Some(3.0), None, true)], (f64::NAN, 1.0)),
            (vec![pt("a", Some(f64::INFINITY), None, true)], (0.0, 1.0)),
        ] {
            let svg = series_chart(&points, Some(f64::NAN), range, &labels());
            check(&svg);
            assert_eq!(count(&svg, "path", "chart-line"), 0);
        }
    }

    #[test]
    fn out_of_range_values_stay_in_the_plot_and_targets_outside_are_left_out() {
        let svg = series_chart(&[pt("a", Some(500.0), None, true)], Some(200.0), (0.0, 100.0), &labels());
        assert!(svg.contains(&format!(r#"cy="{}""#, num(TOP))), "{svg}");
        assert_eq!(count(&svg, "line", "chart-target"), 0);
        assert_eq!(ticks(0.0, 100.0), vec![0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!(ticks(1.0, 5.0), vec![1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(ticks(0.0, 7.0), vec![0.0, 2.0, 4.0, 6.0]);
    }
}
