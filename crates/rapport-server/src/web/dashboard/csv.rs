//! CSV exports of the dashboard's tables: one header row of stable column
//! names, numbers with a '.' decimal point whatever the page language,
//! fields quoted when they need it (RFC 4180), CRLF line ends.

use super::WebResult;
use axum::http::header;
use axum::response::IntoResponse;

/// A table to export: its column names and rows of already-formatted cells.
pub struct Table {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: Vec<&'static str>) -> Table {
        Table { header, rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.header.len());
        self.rows.push(cells);
    }

    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        line(&mut out, self.header.iter().copied());
        for r in &self.rows {
            line(&mut out, r.iter().map(String::as_str));
        }
        out
    }

    /// The table as a download named `{name}-{day}.csv`.
    pub fn response(&self, name: &str) -> WebResult {
        let file = format!("{}-{}.csv", name, super::today());
        Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            self.to_csv(),
        )
            .into_response())
    }
}

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
        assert_eq!(quote("-12.5"), "-12.5");
        assert_eq!(num(Some(12.345)), "12.35");
        assert_eq!(num(Some(40.0)), "40");
        assert_eq!(num(Some(-0.001)), "0");
        assert_eq!(num(None), "");
        let mut t = Table::new(vec!["name", "value"]);
        t.row(vec!["Café, \"best\"".into(), num(Some(1.5))]);
        assert_eq!(t.to_csv(), "name,value\r\n\"Café, \"\"best\"\"\",1.5\r\n");
    }
}
