//! The bar beside each gap: the gap (light) and the gap weighted by
//! importance (dark), on a scale shared by the whole table (its largest
//! gap fills the bar), so rows compare at a glance.

use crate::web::charts::{escape, num};

const WIDTH: f64 = 120.0;
const HEIGHT: f64 = 14.0;

/// The bar of one row; `scale` is the table's largest gap (0: no bar drawn).
pub fn gap_bar(gap: f64, weighted: f64, scale: f64, title: &str) -> String {
    let part = |v: f64| if scale > 0.0 && v.is_finite() { (v / scale).clamp(0.0, 1.0) * WIDTH } else { 0.0 };
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="chart gap-bar" viewBox="0 0 {w} {h}" width="100%" role="img"><title>{title}</title><rect class="gap-bar-track" x="0" y="0" width="{w}" height="{h}" fill="#eef1f6"/><rect class="gap-bar-gap" x="0" y="0" width="{g}" height="{h}" fill="#f0c46c"/><rect class="gap-bar-weighted" x="0" y="3" width="{wg}" height="8" fill="#8a5300"/></svg>"##,
        w = num(WIDTH),
        h = num(HEIGHT),
        g = num(part(gap)),
        wg = num(part(weighted)),
        title = escape(title),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::charts::test_util::check;

    #[test]
    fn bars_scale_to_the_largest_gap_and_never_overflow() {
        let svg = gap_bar(10.0, 5.0, 20.0, "A <gap>");
        check(&svg);
        assert!(svg.contains(r#"class="gap-bar-gap" x="0" y="0" width="60""#), "{svg}");
        assert!(svg.contains(r#"class="gap-bar-weighted" x="0" y="3" width="30""#), "{svg}");
        assert!(svg.contains("A &lt;gap&gt;"));
        let over = gap_bar(50.0, f64::NAN, 20.0, "x");
        assert!(over.contains(r##"width="120" height="14" fill="#f0c46c""##), "{over}");
        assert!(gap_bar(0.0, 0.0, 0.0, "none").contains(r#"class="gap-bar-gap" x="0" y="0" width="0""#));
    }
}
