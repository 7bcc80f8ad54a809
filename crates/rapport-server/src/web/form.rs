//! Reading HTML forms: every field arrives as text; numbers, dates and ids
//! are parsed here (a bad one is a field error like any other), then the
//! domain's drafts validate the rest.

use super::WebError;
use crate::error::AppError;
use axum::extract::{FromRequest, Request};
use axum::Form as AxumForm;
use chrono::NaiveDate;
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use std::collections::BTreeMap;

/// A submitted form, in field order; repeated names keep every value.
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        AxumForm::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map(|AxumForm(v)| FormData(v))
            .map_err(|e| WebError(AppError::BadRequest(e.body_text())))
    }
}

/// A comma-separated field as its trimmed, non-blank entries; `None` when
/// there are none.
pub fn comma_list(s: Option<&str>) -> Option<Vec<String>> {
    let v: Vec<String> = s?.split(',').map(str::trim).filter(|w| !w.is_empty()).map(str::to_string).collect();
    (!v.is_empty()).then_some(v)
}

/// Reads "1.5" and "1,5" alike (Spanish writes a decimal comma).
pub fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim().replace(' ', "");
    let s = if s.contains(',') && !s.contains('.') { s.replace(',', ".") } else { s };
    s.parse::<f64>().ok().filter(|v| v.is_finite())
}

impl FormData {
    /// The first value of a field, as sent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    /// The trimmed value, `None` when blank.
    pub fn filled(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    /// A number; blank is `None`, anything else unreadable is an error.
    pub fn number(&self, name: &str, errors: &mut FieldErrors) -> Option<f64> {
        let v = self.filled(name)?;
        let n = parse_number(v);
        if n.is_none() {
            errors.add(name, "not_a_number", "must be a number");
        }
        n
    }

    /// A whole number; blank is `None`.
    pub fn integer(&self, name: &str, errors: &mut FieldErrors) -> Option<i64> {
        let v = self.filled(name)?;
        let n = v.parse::<i64>().ok();
        if n.is_none() {
            errors.add(name, "not_a_number", "must be a whole number");
        }
        n
    }

    /// The id of a chosen row; blank is `None`.
    pub fn id(&self, name: &str, errors: &mut FieldErrors) -> Option<Id> {
        let v = self.filled(name)?;
        let n = v.parse::<Id>().ok();
        if n.is_none() {
            errors.add(name, "unknown_id", "does not exist");
        }
        n
    }

    /// Every id chosen in a group of checkboxes.
    pub fn ids(&self, name: &str) -> Vec<Id> {
        self.all(name).iter().filter_map(|v| v.trim().parse().ok()).collect()
    }

    /// A date as `<input type="date">` sends it (YYYY-MM-DD); blank is `None`.
    pub fn date(&self, name: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
        let v = self.filled(name)?;
        let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
        if d.is_none() {
            errors.add(name, "invalid_date", "must be a date");
        }
        d
    }

    /// The input to show again when the form comes back with errors.
    pub fn values(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (k, v) in &self.0 {
            out.entry(k.clone()).or_insert_with(|| v.clone());
        }
        out
    }
}

/// Joins the errors found while reading the form with the draft's own; a
/// parse error on a field comes first.
pub fn checked<T>(mut parsed: FieldErrors, validated: Result<T, FieldErrors>) -> Result<T, AppError> {
    match validated {
        Ok(v) if parsed.is_empty() => Ok(v),
        Ok(_) => Err(AppError::Invalid(parsed)),
        Err(e) => {
            for (k, v) in e.0 {
                parsed.add(k, v.code, v.message);
            }
            Err(AppError::Invalid(parsed))
        }
    }
}

/// Splits the outcome of a form: stored, or field errors to show with the
/// status they mean; any other error is the page's.
pub fn outcome<T>(r: Result<T, AppError>) -> Result<Result<T, (axum::http::StatusCode, FieldErrors)>, WebError> {
    match r {
        Ok(v) => Ok(Ok(v)),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let status = e.status();
            let (AppError::Invalid(f) | AppError::Conflict(f)) = e else { unreachable!() };
            Ok(Err((status, f)))
        }
        Err(e) => Err(WebError(e)),
    }
}

/// Renames `prefix[i].x` to `prefix[rows[i]].x`: a draft numbers its list
/// items from 0 while the form may have skipped blank rows.
pub fn renumber(errors: FieldErrors, prefix: &str, rows: &[usize]) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (k, v) in errors.0 {
        let key = k
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('['))
            .and_then(|rest| rest.split_once(']'))
            .and_then(|(i, tail)| Some((i.parse::<usize>().ok()?, tail)))
            .and_then(|(i, tail)| rows.get(i).map(|row| format!("{prefix}[{row}]{tail}")))
            .unwrap_or(k);
        out.add(key, v.code, v.message);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormData {
        FormData(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn numbers_accept_a_decimal_comma() {
        assert_eq!(parse_number("30,5"), Some(30.5));
        assert_eq!(parse_number(" -12.25 "), Some(-12.25));
        assert_eq!(parse_number("abc"), None);
        assert_eq!(parse_number("NaN"), None);
        let f = form(&[("t", "4,5"), ("bad", "x"), ("blank", " ")]);
        let mut e = FieldErrors::new();
        assert_eq!(f.number("t", &mut e), Some(4.5));
        assert_eq!(f.number("blank", &mut e), None);
        assert_eq!(f.number("bad", &mut e), None);
        assert_eq!(e.get("bad").unwrap().code, "not_a_number");
        assert_eq!(e.0.len(), 1);
    }

    #[test]
    fn ids_dates_and_lists() {
        let f = form(&[("s", "3"), ("s", "5"), ("s", "x"), ("d", "2026-02-30"), ("who", "")]);
        assert_eq!(f.ids("s"), vec![3, 5]);
        let mut e = FieldErrors::new();
        assert_eq!(f.date("d", &mut e), None);
        assert_eq!(e.get("d").unwrap().code, "invalid_date");
        assert_eq!(f.id("who", &mut e), None);
        assert_eq!(f.values()["s"], "3");
    }

    #[test]
    fn renumber_maps_rows() {
        let mut e = FieldErrors::new();
        e.add("criteria[0].threshold", "required", "x");
        e.add("criteria[1].metric", "required", "x");
        e.add("statement", "required", "x");
        let e = renumber(e, "criteria", &[2, 4]);
        assert!(e.get("criteria[2].threshold").is_some());
        assert!(e.get("criteria[4].metric").is_some());
        assert!(e.get("statement").is_some());
    }

    #[test]
    fn parse_errors_come_first() {
        let parsed = FieldErrors::single("goal_target", "not_a_number", "x");
        let validated: Result<(), _> = Err(FieldErrors::single("goal_target", "required", "x"));
        let Err(AppError::Invalid(e)) = checked(parsed, validated) else { panic!() };
        assert_eq!(e.get("goal_target").unwrap().code, "not_a_number");
    }
}
