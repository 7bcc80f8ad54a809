//! CSV of every list of the API: `?format=csv`, or `Accept: text/csv`, on
//! any list answers the whole list, with the request's filters, as CSV.
//!
//! Policy:
//! - The list is read through its own JSON endpoint, [`PAGE`] items at a
//!   time, following its `Link: rel="next"` (every list has one, see
//!   `page.rs`). So the same permissions, filters, order and refusals apply
//!   (a bad filter is the same 422 before any CSV is sent), and an export
//!   holds one page in memory whatever its length: rows are streamed.
//! - Columns: the first item's fields, in alphabetical order. Nested values
//!   (answers, attributes, lists) are one JSON cell each; a field an item
//!   lacks is an empty cell, and a field only later items have is left out
//!   (the API's items are typed: every item of a list has the same fields).
//! - Cells: text through [`crate::csv::quote`] (a cell a spreadsheet would
//!   run as a formula, such as `=HYPERLINK(…)`, gets a leading apostrophe);
//!   numbers and booleans as JSON writes them; null is empty.
//! - `format` is `csv` or `json`; anything else, or `csv` on an answer that
//!   is not a list, is a 422 naming `format`. `after` starts the export at
//!   that cursor. `limit` is checked as for a page (1 to 500, once) but the
//!   export reads pages of its own size.

use crate::error::AppError;
use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{OriginalUri, Request};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rapport_core::validate::FieldErrors;
use serde_json::Value;

/// Items per page read.
const PAGE: &str = "500";
/// The largest page body read (500 items of the widest list are far less).
const MAX_PAGE_BYTES: usize = 64 << 20;

/// Middleware on the API: answers a list as CSV when asked, else passes on.
pub async fn csv_lists(req: Request, next: Next) -> Response {
    let wants = match wanted(&req) {
        Ok(w) => w,
        Err(e) => return e.into_response(),
    };
    // A path that names a CSV file answers CSV itself.
    if !wants || req.method() != Method::GET || req.uri().path().ends_with(".csv") {
        return next.run(req).await;
    }
    let (parts, _) = req.into_parts();
    let after = match checked_paging(parts.uri.query().unwrap_or("")) {
        Ok(after) => after,
        Err(e) => return e.into_response(),
    };
    let first = page_uri(&parts.uri, after.as_deref());
    let (head, body) = match fetch(&next, &parts, first).await {
        Ok(page) => page,
        Err(response) => return response,
    };
    let Some(items) = list_items(&body) else {
        let e = FieldErrors::single("format", "invalid_choice", "CSV is offered on lists only");
        return AppError::Invalid(e).into_response();
    };
    let columns: Vec<String> =
        items.first().and_then(Value::as_object).map_or_else(Vec::new, |o| o.keys().cloned().collect());
    let mut text = String::new();
    crate::csv::line(&mut text, columns.iter().map(String::as_str));
    rows(&mut text, &columns, items);
    let state = (next_link(&head, &parts.uri), Some(text));
    let file = format!("{}-{}.csv", list_name(parts.uri.path()), chrono::Utc::now().format("%Y-%m-%d"));
    let stream = futures_util::stream::unfold(state, move |(link, pending)| {
        let (next, parts, columns) = (next.clone(), parts.clone(), columns.clone());
        async move {
            if let Some(text) = pending {
                return Some((Ok(Bytes::from(text)), (link, None)));
            }
            let uri = link?;
            match fetch(&next, &parts, uri).await {
                Ok((head, body)) => {
                    let mut text = String::new();
                    rows(&mut text, &columns, list_items(&body).unwrap_or(&[]));
                    Some((Ok(Bytes::from(text)), (next_link(&head, &parts.uri), None)))
                }
                Err(response) => {
                    // The status is sent already: end the file short and log why.
                    tracing::error!(status = %response.status(), "a CSV export stopped");
                    Some((Err(std::io::Error::other("the export stopped")), (None, None)))
                }
            }
        }
    });
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{file}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        Body::from_stream(stream),
    )
        .into_response()
}

/// Whether the request asks for CSV: `format`, else the `Accept` header.
fn wanted(req: &Request) -> Result<bool, AppError> {
    let format = req.uri().query().unwrap_or("").split('&').find_map(|kv| kv.strip_prefix("format="));
    match format {
        Some("csv") => Ok(true),
        Some("json") => Ok(false),
        Some(_) => Err(AppError::Invalid(FieldErrors::single("format", "invalid_choice", "must be csv or json"))),
        None => {
            let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
            Ok(accept.contains("text/csv") && !accept.contains("json"))
        }
    }
}

/// The request's `after`, once `limit` and `after` are each given at most
/// once and `limit` is a whole number from 1 to 500, as for a page.
fn checked_paging(query: &str) -> Result<Option<String>, AppError> {
    let values = |name: &str| -> Vec<&str> {
        query.split('&').filter_map(|kv| kv.split_once('=').filter(|(k, _)| *k == name).map(|(_, v)| v)).collect()
    };
    let (limits, afters) = (values("limit"), values("after"));
    let limit_ok = match limits.as_slice() {
        [] => true,
        [one] => one.parse::<i64>().is_ok_and(|n| (1..=super::page::MAX_LIMIT).contains(&n)),
        _ => false,
    };
    if !limit_ok {
        let message = format!("must be one whole number between 1 and {}", super::page::MAX_LIMIT);
        return Err(AppError::Invalid(FieldErrors::single("limit", "out_of_range", message)));
    }
    match afters.as_slice() {
        [] => Ok(None),
        [one] if !one.is_empty() => Ok(Some((*one).to_string())),
        [_] => Ok(None),
        _ => Err(AppError::Invalid(FieldErrors::single("after", "invalid_cursor", "is given more than once"))),
    }
}

/// `uri`'s path and filters, a full page, from the cursor `after`.
fn page_uri(uri: &Uri, after: Option<&str>) -> Uri {
    let kept = uri.query().unwrap_or("").split('&').filter(|kv| {
        let name = kv.split('=').next().unwrap_or("");
        !kv.is_empty() && !matches!(name, "format" | "limit" | "after")
    });
    let mut query: Vec<String> = kept.map(str::to_owned).collect();
    query.push(format!("limit={PAGE}"));
    if let Some(after) = after {
        query.push(format!("after={after}"));
    }
    format!("{}?{}", uri.path(), query.join("&")).parse().unwrap_or_else(|_| uri.clone())
}

/// One page as JSON, asked as the caller asked (same headers, so the same
/// principal), or the answer to pass on when it is not a 200.
async fn fetch(next: &Next, parts: &axum::http::request::Parts, uri: Uri) -> Result<(HeaderMap, Value), Response> {
    let mut req = Request::new(Body::empty());
    *req.uri_mut() = uri.clone();
    *req.headers_mut() = parts.headers.clone();
    req.headers_mut().insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    // Path parameters and the like live in the extensions.
    *req.extensions_mut() = parts.extensions.clone();
    req.extensions_mut().insert(OriginalUri(uri));
    let response = next.clone().run(req).await;
    if response.status() != StatusCode::OK {
        return Err(response);
    }
    let (head, body) = response.into_parts();
    let bytes = to_bytes(body, MAX_PAGE_BYTES).await.map_err(|e| AppError::Internal(Box::new(e)).into_response())?;
    let json = serde_json::from_slice(&bytes).map_err(|e| AppError::Internal(Box::new(e)).into_response())?;
    Ok((head.headers, json))
}

/// The items of a list answer: a bare array, or an envelope's `items`.
fn list_items(body: &Value) -> Option<&[Value]> {
    match body {
        Value::Array(items) => Some(items),
        Value::Object(o) => o.get("items").and_then(Value::as_array).map(Vec::as_slice),
        _ => None,
    }
}

/// The next page's URI from the `Link` header's cursor, if there is one.
fn next_link(head: &HeaderMap, uri: &Uri) -> Option<Uri> {
    let link = head.get(header::LINK)?.to_str().ok()?;
    let target = link.strip_prefix('<')?.split_once(">; rel=\"next\"")?.0;
    let after = target.split(['?', '&']).find_map(|kv| kv.strip_prefix("after="))?;
    Some(page_uri(uri, Some(after)))
}

fn rows(out: &mut String, columns: &[String], items: &[Value]) {
    for item in items {
        let cells: Vec<String> = columns.iter().map(|c| cell(item.get(c))).collect();
        crate::csv::line(out, cells.iter().map(String::as_str));
    }
}

fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// `responses` for `/api/v1/responses`, `timeline` for a customer's: the
/// last path segment, kept to letters, digits, `-` and `_`.
fn list_name(path: &str) -> String {
    let last = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or("export");
    last.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_')).collect()
}
