//! CSV exports of the dashboard's tables: one header row of stable column
//! names, numbers with a '.' decimal point whatever the page language,
//! fields quoted when they need it (RFC 4180), CRLF line ends.

use super::WebResult;
pub use crate::csv::{line, num};
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_is_a_header_and_rows() {
        let mut t = Table::new(vec!["name", "value"]);
        t.row(vec!["Café, \"best\"".into(), num(Some(1.5))]);
        assert_eq!(t.to_csv(), "name,value\r\n\"Café, \"\"best\"\"\",1.5\r\n");
    }
}
