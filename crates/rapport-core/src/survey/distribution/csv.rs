//! The CSV of a wave's recipients: one customer per line, columns
//! `external_id` and optionally `email`, `name`, `language` (a header line
//! naming them in any order, or those four in that order without one).
//!
//! Policy: the file is read whole (RFC 4180 quoting, `,` or `;`), every bad
//! row is reported with its line number and the reason, and the good rows
//! are still invited. A customer named twice is invited once (the second
//! line is reported). At most [`super::MAX_RECIPIENTS`] rows.

use crate::lang::Lang;
use serde::Serialize;

/// The longest field, in characters.
pub const MAX_FIELD: usize = 200;

/// A customer to invite, with what their row gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// The line of the file (1-based); outside a CSV, the index in the list.
    pub line: usize,
    pub external_id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub language: Option<Lang>,
}

/// A row that cannot be invited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = InvitationCsvRowError))]
pub struct RowError {
    pub line: usize,
    /// `missing_external_id`, `invalid_email`, `unknown_language`,
    /// `too_long`, `too_many_columns`, `duplicate`, `unclosed_quote`,
    /// `too_many_rows`, `unknown_customer`.
    pub reason: String,
}

/// The file as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub rows: Vec<Recipient>,
    pub errors: Vec<RowError>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Id,
    Email,
    Name,
    Language,
}

/// Splits the text into records of fields, each with its first line.
/// `Err(line)` for a quote never closed.
fn records(text: &str, sep: char) -> Result<Vec<(usize, Vec<String>)>, usize> {
    let mut out = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let (mut line, mut start) = (1usize, 1usize);
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                quoted = true;
                any = true;
            }
            c if c == sep => {
                fields.push(std::mem::take(&mut field));
                any = true;
            }
            '\r' => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                if any || fields.iter().any(|f| !f.trim().is_empty()) {
                    out.push((start, std::mem::take(&mut fields)));
                }
                fields.clear();
                any = false;
                line += 1;
                start = line;
            }
            c => {
                field.push(c);
                any = true;
            }
        }
    }
    if quoted {
        return Err(start);
    }
    if any || !field.is_empty() {
        fields.push(field);
        out.push((start, fields));
    }
    Ok(out)
}

fn header(fields: &[String]) -> Option<Vec<Option<Col>>> {
    let cols: Vec<Option<Col>> = fields
        .iter()
        .map(|f| match f.trim().trim_start_matches('\u{feff}').to_ascii_lowercase().as_str() {
            "external_id" | "customer" | "id" => Some(Col::Id),
            "email" | "e-mail" => Some(Col::Email),
            "name" => Some(Col::Name),
            "language" | "lang" => Some(Col::Language),
            _ => None,
        })
        .collect();
    cols.contains(&Some(Col::Id)).then_some(cols)
}

/// Reads a recipients file (see the module's policy).
pub fn parse(text: &str) -> Parsed {
    let first = text.lines().next().unwrap_or("");
    let sep = if first.matches(';').count() > first.matches(',').count() { ';' } else { ',' };
    let mut p = Parsed::default();
    let recs = match records(text, sep) {
        Ok(r) => r,
        Err(line) => {
            p.errors.push(RowError { line, reason: "unclosed_quote".into() });
            return p;
        }
    };
    let mut recs = recs.into_iter().peekable();
    let cols = match recs.peek().and_then(|(_, f)| header(f)) {
        Some(cols) => {
            recs.next();
            cols
        }
        None => vec![Some(Col::Id), Some(Col::Email), Some(Col::Name), Some(Col::Language)],
    };
    let mut seen = std::collections::HashSet::new();
    for (line, fields) in recs {
        if p.rows.len() >= super::MAX_RECIPIENTS {
            p.errors.push(RowError { line, reason: "too_many_rows".into() });
            break;
        }
        match row(line, &cols, fields) {
            Ok(r) if !seen.insert(r.external_id.clone()) => {
                p.errors.push(RowError { line, reason: "duplicate".into() })
            }
            Ok(r) => p.rows.push(r),
            Err(reason) => p.errors.push(RowError { line, reason: reason.into() }),
        }
    }
    p
}

fn row(line: usize, cols: &[Option<Col>], fields: Vec<String>) -> Result<Recipient, &'static str> {
    if fields.len() > cols.len() && fields[cols.len()..].iter().any(|f| !f.trim().is_empty()) {
        return Err("too_many_columns");
    }
    let mut r = Recipient { line, external_id: String::new(), email: None, name: None, language: None };
    for (col, value) in cols.iter().zip(fields) {
        let value = value.trim().to_string();
        if value.chars().count() > MAX_FIELD {
            return Err("too_long");
        }
        if value.contains('\0') {
            return Err("invalid_text");
        }
        let value = Some(value).filter(|v| !v.is_empty());
        match col {
            Some(Col::Id) => r.external_id = value.unwrap_or_default(),
            Some(Col::Email) => r.email = value,
            Some(Col::Name) => r.name = value,
            Some(Col::Language) => {
                r.language = match value {
                    None => None,
                    Some(v) => Some(Lang::parse(&v).ok_or("unknown_language")?),
                }
            }
            None => {}
        }
    }
    if r.external_id.is_empty() {
        return Err("missing_external_id");
    }
    if r.email.as_deref().is_some_and(|e| !crate::validate::is_email(e)) {
        return Err("invalid_email");
    }
    Ok(r)
}
