//! Numbers as people read them, in the page's language. No dependencies
//! inside the server, so the template environment can use them.

use rapport_core::lang::Lang;
use rapport_core::metric::Metric;

/// A number for people: at most one decimal, a decimal comma in Spanish.
pub fn fmt_number(lang: Lang, v: f64) -> String {
    let rounded = (v * 10.0).round() / 10.0;
    let s = if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}") };
    let s = if s == "-0" { "0".to_string() } else { s };
    match lang {
        Lang::En => s,
        Lang::Es => s.replace('.', ","),
    }
}

/// "93.3%" in English, "93,3 %" in Spanish (with a no-break space).
pub fn fmt_percent(lang: Lang, v: f64) -> String {
    match lang {
        Lang::En => format!("{}%", fmt_number(lang, v)),
        Lang::Es => format!("{}\u{a0}%", fmt_number(lang, v)),
    }
}

/// Money with two decimals and grouped thousands: "12,345.60" in English,
/// "12.345,60" in Spanish (no currency: the organization's own).
pub fn fmt_money(lang: Lang, v: f64) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let text = format!("{:.2}", v.abs());
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let (group, point) = match lang {
        Lang::En => (',', '.'),
        Lang::Es => ('.', ','),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 && text != "0.00" { "-" } else { "" };
    format!("{sign}{grouped}{point}{cents}")
}

/// A metric's value in its unit: NPS and CES are scores, the rest percents.
pub fn fmt_metric(lang: Lang, metric: &str, v: f64) -> String {
    match Metric::parse(metric) {
        Some(Metric::Nps) | Some(Metric::Ces) => fmt_number(lang, v),
        _ => fmt_percent(lang, v),
    }
}

/// A number as a form field shows it, for editing.
pub fn input_number(lang: Lang, v: f64) -> String {
    let s = if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v}") };
    match lang {
        Lang::En => s,
        Lang::Es => s.replace('.', ","),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_per_language() {
        assert_eq!(fmt_number(Lang::En, 93.33), "93.3");
        assert_eq!(fmt_number(Lang::Es, 93.33), "93,3");
        assert_eq!(fmt_number(Lang::Es, 100.0), "100");
        assert_eq!(fmt_number(Lang::En, -0.01), "0");
        assert_eq!(fmt_percent(Lang::En, 66.7), "66.7%");
        assert_eq!(fmt_percent(Lang::Es, 66.7), "66,7\u{a0}%");
        assert_eq!(fmt_metric(Lang::En, "nps", 30.0), "30");
        assert_eq!(fmt_metric(Lang::En, "csat", 85.0), "85%");
        assert_eq!(input_number(Lang::Es, 4.25), "4,25");
    }

    #[test]
    fn money_groups_thousands_in_each_language() {
        assert_eq!(fmt_money(Lang::En, 12345.6), "12,345.60");
        assert_eq!(fmt_money(Lang::Es, 12345.6), "12.345,60");
        assert_eq!(fmt_money(Lang::En, -1234567.891), "-1,234,567.89");
        assert_eq!(fmt_money(Lang::En, 0.004), "0.00");
        assert_eq!(fmt_money(Lang::En, -0.001), "0.00");
        assert_eq!(fmt_money(Lang::Es, f64::NAN), "0,00");
        assert_eq!(fmt_money(Lang::En, 999.0), "999.00");
    }
}
