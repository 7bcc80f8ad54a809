//! The journey as designed and as lived: the designed touchpoints as a
//! funnel of horizontal bars (customers who reached each step in order, the
//! part that went no further marked as drop-off), and below it the most
//! common actual paths as rows of boxes with their customer counts.

use super::{escape, num, open, shorten, DROP, FONT, INK, MUTED, PRIMARY, PRIMARY_SOFT, WARN};
use std::fmt::Write;

const MIN_WIDTH: f64 = 700.0;
const NAME_W: f64 = 160.0;
const BAR_W: f64 = 340.0;
const ROW: f64 = 30.0;
const BAR_H: f64 = 18.0;
/// Between the funnel and the paths.
const GAP: f64 = 16.0;
const BOX_W: f64 = 96.0;
const BOX_GAP: f64 = 16.0;
const PAD: f64 = 8.0;

/// One designed step: its name and the customers who reached it in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowStep {
    pub name: String,
    pub reached: i64,
    /// Reached this step but not the next.
    pub dropped: i64,
}

/// One actual path: touchpoint names in order and how many took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowPath {
    pub names: Vec<String>,
    pub customers: i64,
}

/// Text the chart shows, translated by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlowLabels {
    pub title: String,
    pub reached: String,
    pub dropped: String,
    pub customers: String,
}

/// The funnel of `steps` above the rows of `paths` (most common first, as
/// given).
pub fn flow_chart(steps: &[FlowStep], paths: &[FlowPath], labels: &FlowLabels) -> String {
    let longest = paths.iter().map(|p| p.names.len()).max().unwrap_or(0) as f64;
    let width = MIN_WIDTH.max(PAD + longest * (BOX_W + BOX_GAP) + 140.0);
    let funnel_h = steps.len() as f64 * ROW;
    let gap = if steps.is_empty() || paths.is_empty() { 0.0 } else { GAP };
    let height = (PAD + funnel_h + gap + paths.len() as f64 * ROW + PAD).max(2.0 * PAD);
    let mut out = String::new();
    open(&mut out, width, height, "chart-flow", &labels.title);

    // Bars share one scale, the largest count, so later steps shrink visibly.
    let most = steps.iter().map(|s| s.reached).max().unwrap_or(0).max(1) as f64;
    for (k, s) in steps.iter().enumerate() {
        let reached = s.reached.max(0);
        let dropped = s.dropped.clamp(0, reached);
        let y = PAD + k as f64 * ROW;
        let mid = y + BAR_H / 2.0 + 4.0;
        let w = BAR_W * reached as f64 / most;
        let drop_w = BAR_W * dropped as f64 / most;
        let _ = write!(
            out,
            r#"<text class="chart-flow-name" x="{}" y="{}" text-anchor="end" fill="{INK}" {FONT}><title>{name}</title>{}</text>"#,
            num(NAME_W - PAD),
            num(mid),
            escape(&shorten(&s.name, 24)),
            name = escape(&s.name),
        );
        let _ = write!(
            out,
            r#"<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" fill="{PRIMARY}"><title>{}: {}: {}</title></rect>"#,
            num(NAME_W),
            num(y),
            num(w),
            num(BAR_H),
            escape(&s.name),
            escape(&labels.reached),
            reached,
        );
        if dropped > 0 {
            // The bar's tail: customers who stopped here.
            let _ = write!(
                out,
                r#"<rect class="chart-drop" x="{}" y="{}" width="{}" height="{}" fill="{DROP}"><title>{}: {}: {}</title></rect>"#,
                num(NAME_W + w - drop_w),
                num(y),
                num(drop_w),
                num(BAR_H),
                escape(&s.name),
                escape(&labels.dropped),
                dropped,
            );
        }
        let _ = write!(
            out,
            r#"<text class="chart-flow-count" x="{}" y="{}" fill="{MUTED}" {FONT}>{}: {}"#,
            num(NAME_W + BAR_W + PAD),
            num(mid),
            escape(&labels.reached),
            reached,
        );
        if dropped > 0 {
            let _ = write!(
                out,
                r#"<tspan class="chart-flow-drop" fill="{WARN}"> · {}: {}</tspan>"#,
                escape(&labels.dropped),
                dropped
            );
        }
        out.push_str("</text>");
    }

    let top = PAD + funnel_h + gap;
    for (r, p) in paths.iter().enumerate() {
        let y = top + r as f64 * ROW;
        let _ = write!(out, r#"<g class="chart-path">"#);
        for (i, name) in p.names.iter().enumerate() {
            let x = PAD + i as f64 * (BOX_W + BOX_GAP);
            if i > 0 {
                let _ = write!(
                    out,
                    r#"<line class="chart-path-link" x1="{}" y1="{cy}" x2="{}" y2="{cy}" stroke="{MUTED}" stroke-width="1.5"/>"#,
                    num(x - BOX_GAP),
                    num(x),
                    cy = num(y + BAR_H / 2.0),
                );
            }
            let _ = write!(
                out,
                r#"<rect class="chart-path-step" x="{}" y="{}" width="{}" height="{}" rx="3" fill="{PRIMARY_SOFT}" stroke="{PRIMARY}"><title>{name}</title></rect><text x="{}" y="{}" text-anchor="middle" fill="{INK}" {FONT}><title>{name}</title>{}</text>"#,
                num(x),
                num(y),
                num(BOX_W),
                num(BAR_H),
                num(x + BOX_W / 2.0),
                num(y + BAR_H / 2.0 + 4.0),
                escape(&shorten(name, 14)),
                name = escape(name),
            );
        }
        let _ = write!(
            out,
            r#"<text class="chart-path-count" x="{}" y="{}" fill="{MUTED}" {FONT}>{}: {}</text></g>"#,
            num(PAD + p.names.len() as f64 * (BOX_W + BOX_GAP)),
            num(y + BAR_H / 2.0 + 4.0),
            escape(&labels.customers),
            p.customers.max(0),
        );
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_util::{check, count};
    use super::*;

    fn labels() -> FlowLabels {
        FlowLabels {
            title: "Journey".into(),
            reached: "Reached".into(),
            dropped: "Dropped".into(),
            customers: "Customers".into(),
        }
    }

    fn step(name: &str, reached: i64, dropped: i64) -> FlowStep {
        FlowStep { name: name.into(), reached, dropped }
    }

    fn path(names: &[&str], customers: i64) -> FlowPath {
        FlowPath { names: names.iter().map(|n| n.to_string()).collect(), customers }
    }

    #[test]
    fn bars_drops_and_paths() {
        let steps = [step("Website", 100, 40), step("Shop", 60, 10), step("Support", 50, 0)];
        let paths =
            [path(&["Website", "Shop"], 30), path(&["Shop"], 12), path(&["A", "B", "C", "D", "E", "F", "G", "H"], 2)];
        let svg = flow_chart(&steps, &paths, &labels());
        let doc = check(&svg);
        assert_eq!(count(&svg, "rect", "chart-bar"), 3);
        assert_eq!(count(&svg, "rect", "chart-drop"), 2, "no drop at the last step");
        assert_eq!(count(&svg, "g", "chart-path"), 3);
        assert_eq!(count(&svg, "rect", "chart-path-step"), 2 + 1 + 8);
        assert_eq!(count(&svg, "line", "chart-path-link"), 1 + 7);
        // The first bar is the full width; the next are to scale.
        let widths: Vec<&str> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("chart-bar"))
            .map(|n| n.attribute("width").unwrap())
            .collect();
        assert_eq!(widths, vec!["340", "204", "170"]);
        assert!(svg.contains("Reached: 100"));
        assert!(svg.contains("Dropped: 40"));
        assert!(svg.contains("Customers: 30"));
        // Eight boxes need more room than the default width.
        let vb = doc.root_element().attribute("viewBox").unwrap();
        let w: f64 = vb.split(' ').nth(2).unwrap().parse().unwrap();
        assert!(w >= PAD + 8.0 * (BOX_W + BOX_GAP), "{vb}");
    }

    #[test]
    fn names_are_escaped_and_shortened() {
        let long = "A touchpoint with a rather long name <&\">";
        let svg = flow_chart(&[step(long, 3, 1)], &[path(&[long, "<&\">"], 1)], &labels());
        let doc = check(&svg);
        assert!(svg.contains("&lt;&amp;&quot;&gt;"));
        assert!(!svg.contains("<&"));
        // The full name stays in the tooltip.
        assert!(doc.descendants().any(|n| n.has_tag_name("title") && n.text() == Some(long)));
        assert!(doc.descendants().any(|n| n.text() == Some("A touchpoint…")));
    }

    #[test]
    fn empty_and_odd_input() {
        let svg = flow_chart(&[], &[], &labels());
        check(&svg);
        assert_eq!(count(&svg, "rect", ""), 0);
        // All zero: no bar divides by zero; a nonsense drop is clamped.
        let svg = flow_chart(&[step("a", 0, 0), step("b", 0, 5), step("c", 4, 9)], &[path(&[], 0)], &labels());
        check(&svg);
        assert_eq!(count(&svg, "rect", "chart-bar"), 3);
        assert_eq!(count(&svg, "rect", "chart-drop"), 1);
        assert!(svg.contains("Dropped: 4<"));
    }
}
