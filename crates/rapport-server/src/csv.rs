//! CSV text as Rapport writes it (RFC 4180): fields quoted when they need
//! it, CRLF line ends, numbers with a '.' decimal point whatever the page
//! language, and fields a spreadsheet would run as a formula neutralised.

pub fn line<'a>(out: &mut String, cells: impl Iterator<Item = &'a str>) {
    for (i, c) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&quote(c));
    }
    out.push_str("\r\n");
}

/// A field, quoted when it holds a comma, a quote, a line break or edge
/// spaces; quotes inside are doubled. A field that a spreadsheet would run
/// as a formula (starting with `=`, `+`, `-` or `@`, and not a number) gets
/// a leading apostrophe.
pub fn quote(field: &str) -> String {
    let formula = field.starts_with(['=', '+', '-', '@']) && field.parse::<f64>().is_err();
    let field = if formula { format!("'{field}") } else { field.to_string() };
    if field.contains([',', '"', '\n', '\r']) || field.starts_with(' ') || field.ends_with(' ') {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field
    }
}

/// A number for a CSV cell: '.' decimals, at most two, empty for none.
pub fn num(v: Option<f64>) -> String {
    match v.filter(|v| v.is_finite()) {
        None => String::new(),
        Some(v) => {
            let s = format!("{v:.2}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" {
                "0".into()
            } else {
                s.to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_when_needed() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
        assert_eq!(quote("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(quote("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        assert_eq!(quote("-12.5"), "-12.5");
        assert_eq!(num(Some(12.345)), "12.35");
        assert_eq!(num(Some(40.0)), "40");
        assert_eq!(num(Some(-0.001)), "0");
        assert_eq!(num(None), "");
    }
}
