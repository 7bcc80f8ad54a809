//! Keyset paging, the same on every list of the API.
//!
//! - `limit`: how many items, 1 to [`MAX_LIMIT`]; [`DEFAULT_LIMIT`] when
//!   absent. Anything else (`0`, `501`, `-1`, `abc`, blank) is a 422 naming
//!   `limit`.
//! - `after`: the cursor of the page to read, as the previous page gave it.
//!   A cursor is opaque: base64url (no padding) of the JSON `[list, key]`,
//!   where `key` is the sort key of the last item of the previous page (for
//!   responses `{"at", "id"}`, for customers the external id, ...). A cursor
//!   that does not decode, belongs to another list or names a key the
//!   database cannot compare with is a 422 naming `after`.
//! - The next page's cursor: `next` in the lists answered as an envelope
//!   (`{items, next, total}`: responses, events, a customer's timeline), and
//!   a `Link: </api/v1/...?...&after=CURSOR&limit=N>; rel="next"` header on
//!   every list (the only place for lists answered as a bare JSON array).
//!   No `next` (null) and no `Link` on the last page.
//! - Totals never count millions of rows per request: `X-Total-Count` (and
//!   `total` in envelopes) where a total is cheap: kept counters
//!   (responses, events and customers without filters), a count that stops
//!   at 10,000 for filtered responses and events (`total_is_estimate`), the
//!   length of the configuration lists, which are read whole.
//!
//! The store answers one item more than the page ([`Paging::fetch`]), which
//! says whether another page follows without counting. Configuration lists
//! (people, segments, ...) are small by nature and read whole, then sliced
//! by the same rules with a key of their order ([`Paging::slice`]).

use crate::error::AppError;
use axum::extract::{FromRequestParts, OriginalUri, Query};
use axum::http::header::{HeaderMap, HeaderName, HeaderValue, LINK};
use axum::http::request::Parts;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Datelike, Utc};
use rapport_core::validate::FieldErrors;
use rapport_core::Id;
use rapport_store::{CaseKey, TimeKey, TimelineKey};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::IntoParams;

/// Items per page when `limit` is absent.
pub const DEFAULT_LIMIT: i64 = 50;
/// The most items a page holds.
pub const MAX_LIMIT: i64 = 500;
/// The longest cursor accepted (ours are far shorter).
const MAX_CURSOR_LEN: usize = 2048;
/// The header giving a list's total where it is cheap to know.
pub const TOTAL_COUNT: &str = "x-total-count";

/// The paging parameters of every list (documentation and parsing).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// How many items to answer: 1 to 500; 50 when absent.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 500)]
    pub limit: Option<String>,
    /// Where the page starts: the cursor the previous page gave (`next`, or
    /// the `after` of its `Link: <...>; rel="next"` header). Opaque; absent
    /// for the first page.
    pub after: Option<String>,
    /// `csv`: the whole list, with these filters, as a CSV download (also
    /// `Accept: text/csv`), streamed; `limit` and `after` then do not
    /// apply. `json` (the default): one page.
    #[param(value_type = Option<String>, pattern = "^(csv|json)$")]
    pub format: Option<String>,
}

/// A sort key that travels in a cursor and is compared by the database.
pub trait CursorKey: Serialize + DeserializeOwned {
    /// Whether the database can compare with it: text without NUL, times
    /// in years 1 to 9999 (what both backends store and order alike).
    fn storable(&self) -> bool;
}

fn storable_time(t: &DateTime<Utc>) -> bool {
    (1..=9999).contains(&t.year())
}

impl CursorKey for i64 {
    fn storable(&self) -> bool {
        true
    }
}

impl CursorKey for String {
    fn storable(&self) -> bool {
        !self.contains('\0') && self.len() <= 1000
    }
}

impl CursorKey for TimeKey {
    fn storable(&self) -> bool {
        storable_time(&self.at)
    }
}

impl CursorKey for TimelineKey {
    fn storable(&self) -> bool {
        storable_time(&self.at)
    }
}

impl CursorKey for CaseKey {
    fn storable(&self) -> bool {
        storable_time(&self.due)
    }
}

/// `limit` and `after` of a list request, checked (422 naming the field),
/// and where the request went (for the `Link` of the next page).
#[derive(Debug, Clone)]
pub struct Paging {
    pub limit: i64,
    /// The cursor's list name and key, still to be typed by the handler.
    after: Option<(String, Value)>,
    uri: Uri,
}

impl<S: Send + Sync> FromRequestParts<S> for Paging {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let uri = parts.extensions.get::<OriginalUri>().map_or_else(|| parts.uri.clone(), |o| o.0.clone());
        let Query(q) = Query::<PageParams>::try_from_uri(&uri).map_err(super::extract::bad_query)?;
        Ok(Paging::parse(&q, uri)?)
    }
}

impl Paging {
    /// Checks the parameters; both fields' problems at once.
    pub fn parse(q: &PageParams, uri: Uri) -> Result<Paging, FieldErrors> {
        let mut e = FieldErrors::new();
        let limit = parse_limit(&mut e, q.limit.as_deref());
        let after = match q.after.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            None => None,
            Some(text) => {
                let decoded = decode(text);
                if decoded.is_none() {
                    bad_cursor(&mut e);
                }
                decoded
            }
        };
        e.into_result(Paging { limit, after, uri })
    }

    /// The first page of `limit` items (for pages that list without a request).
    pub fn first(limit: i64, uri: Uri) -> Paging {
        Paging { limit: limit.clamp(1, MAX_LIMIT), after: None, uri }
    }

    /// The key the page starts after, for the list named `list`; 422 naming
    /// `after` when the cursor is another list's, or not a key of this one.
    pub fn after<K: CursorKey>(&self, list: &str) -> Result<Option<K>, AppError> {
        let key = self.after_any::<K>(list)?;
        match key {
            Some(k) if !k.storable() => Err(invalid_cursor()),
            k => Ok(k),
        }
    }

    fn after_any<K: DeserializeOwned>(&self, list: &str) -> Result<Option<K>, AppError> {
        match &self.after {
            None => Ok(None),
            Some((name, _)) if name != list => Err(invalid_cursor()),
            Some((_, key)) => serde_json::from_value(key.clone()).map(Some).map_err(|_| invalid_cursor()),
        }
    }

    /// How many items to ask the store for: one more than the page, which
    /// tells whether another page follows.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// The page of `items` (read with [`Paging::fetch`], in the list's
    /// order): at most `limit` of them, and the cursor after the last one
    /// when more follow.
    pub fn page<T, K: Serialize>(&self, list: &str, mut items: Vec<T>, key: impl Fn(&T) -> K) -> Listed<T> {
        let limit = self.limit.max(0) as usize;
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(|last| encode(list, &key(last)))
        } else {
            None
        };
        Listed { items, next, total: None, limit: self.limit, uri: self.uri.clone() }
    }

    /// A page of a list read whole (the configuration lists, small by
    /// nature): ordered by `key` (the list's documented order; ties cannot
    /// happen, keys end with the id), the items after the cursor's key, and
    /// the whole list's length as the total.
    pub fn slice<T, K>(&self, list: &str, mut items: Vec<T>, key: impl Fn(&T) -> K) -> Result<Listed<T>, AppError>
    where
        K: Ord + Serialize + DeserializeOwned,
    {
        let total = items.len() as i64;
        items.sort_by_cached_key(|item| key(item));
        if let Some(after) = self.after_any::<K>(list)? {
            items.retain(|item| key(item) > after);
        }
        items.truncate(self.fetch() as usize);
        Ok(self.page(list, items, key).with_total(Some(total)))
    }
}

/// The key of the lists ordered by name ignoring case, then id (the order
/// `rapport_store::rows::sort_by_name` gives them).
pub fn name_key(name: &str, id: Id) -> (String, Id) {
    (name.to_lowercase(), id)
}

fn parse_limit(e: &mut FieldErrors, v: Option<&str>) -> i64 {
    // Absent is the default; present, even blank (`limit=`), it must be a
    // whole number in range, as the OpenAPI document says.
    let Some(v) = v.map(str::trim) else { return DEFAULT_LIMIT };
    match v.parse::<i64>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
        Ok(_) => {
            e.add("limit", "out_of_range", format!("must be between 1 and {MAX_LIMIT}"));
            DEFAULT_LIMIT
        }
        Err(_) => {
            e.add("limit", "invalid_type", "must be a whole number");
            DEFAULT_LIMIT
        }
    }
}

const CURSOR_MESSAGE: &str = "is not a cursor of this list: pass the `next` of the previous page, unchanged";

fn bad_cursor(e: &mut FieldErrors) {
    e.add("after", "invalid_cursor", CURSOR_MESSAGE);
}

fn invalid_cursor() -> AppError {
    AppError::Invalid(FieldErrors::single("after", "invalid_cursor", CURSOR_MESSAGE))
}

/// The cursor after `key` in the list named `list`.
pub fn encode<K: Serialize + ?Sized>(list: &str, key: &K) -> String {
    // Serializing plain keys (numbers, text, times) cannot fail.
    let json = serde_json::to_vec(&(list, key)).unwrap_or_default();
    base64url::encode(&json)
}

/// The key of a cursor of the list named `list`, if it is one (for pages
/// of the web UI, which ignore a broken cursor rather than refuse it).
pub fn decode_key<K: CursorKey>(list: &str, text: &str) -> Option<K> {
    let (name, key) = decode(text.trim())?;
    let key: K = serde_json::from_value(key).ok().filter(|_| name == list)?;
    key.storable().then_some(key)
}

/// A cursor's list name and key, if it is one of ours at all.
fn decode(text: &str) -> Option<(String, Value)> {
    if text.len() > MAX_CURSOR_LEN {
        return None;
    }
    let json = base64url::decode(text)?;
    serde_json::from_slice::<(String, Value)>(&json).ok()
}

/// One page of a list: its items, the cursor of the next page, and the
/// list's total when it is cheap to know. Answers as a bare JSON array with
/// `Link: <...>; rel="next"` and `X-Total-Count` headers.
#[derive(Debug)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub next: Option<String>,
    pub total: Option<i64>,
    limit: i64,
    uri: Uri,
}

impl<T> Listed<T> {
    pub fn with_total(mut self, total: Option<i64>) -> Self {
        self.total = total;
        self
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Listed<U> {
        Listed {
            items: self.items.into_iter().map(f).collect(),
            next: self.next,
            total: self.total,
            limit: self.limit,
            uri: self.uri,
        }
    }

    /// The URL of the next page: this request's, with `after` and `limit`
    /// replaced (other parameters, such as filters, kept as sent).
    pub fn next_url(&self) -> Option<String> {
        let next = self.next.as_ref()?;
        let kept: Vec<&str> = self
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|pair| !pair.is_empty())
            .filter(|pair| !matches!(pair.split('=').next(), Some("after" | "limit")))
            .collect();
        let mut query = kept.join("&");
        if !query.is_empty() {
            query.push('&');
        }
        Some(format!("{}?{query}after={next}&limit={}", self.uri.path(), self.limit))
    }

    /// `Link` (when a next page exists) and `X-Total-Count` (when known).
    pub fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(url) = self.next_url() {
            if let Ok(v) = HeaderValue::from_str(&format!("<{url}>; rel=\"next\"")) {
                headers.insert(LINK, v);
            }
        }
        if let Some(total) = self.total {
            headers.insert(HeaderName::from_static(TOTAL_COUNT), HeaderValue::from(total));
        }
        headers
    }
}

impl<T: Serialize> IntoResponse for Listed<T> {
    fn into_response(self) -> Response {
        (self.headers(), Json(self.items)).into_response()
    }
}

/// Documents, on every operation that takes `after`, the headers of its
/// success answer: `Link` to the next page and `X-Total-Count`.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::header::HeaderBuilder;
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{KnownFormat, ObjectBuilder, RefOr, Schema, SchemaFormat, Type};
    for item in doc.paths.paths.values_mut() {
        let Some(op) = item.get.as_mut() else { continue };
        let pages =
            op.parameters.iter().flatten().any(|p| p.name == "after" && matches!(p.parameter_in, ParameterIn::Query));
        if !pages {
            continue;
        }
        let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200") else { continue };
        let link = HeaderBuilder::new()
            .schema(ObjectBuilder::new().schema_type(Type::String))
            .description(Some(
                "The next page, when there is one: `</api/v1/...?...&after=CURSOR&limit=N>; rel=\"next\"` \
                 (the request's other parameters kept).",
            ))
            .build();
        let int64 = SchemaFormat::KnownFormat(KnownFormat::Int64);
        let total = HeaderBuilder::new()
            .schema(ObjectBuilder::new().schema_type(Type::Integer).format(Some(int64)))
            .description(Some(
                "How many items the whole list has, where that is cheap to know (kept counters, \
                 configuration lists read whole); absent otherwise.",
            ))
            .build();
        ok.headers.insert("Link".to_string(), link);
        ok.headers.insert("X-Total-Count".to_string(), total);
        // `format=csv` (`api::export`): the whole list as CSV text.
        let csv = ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("With `format=csv` or `Accept: text/csv`: the whole list, one row per item."))
            .build();
        let csv = utoipa::openapi::ContentBuilder::new().schema(Some(RefOr::T(Schema::Object(csv)))).build();
        ok.content.insert("text/csv".to_string(), csv);
    }
}

/// base64url without padding (RFC 4648, section 5): cursors travel in URLs
/// as they are.
mod base64url {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    pub fn encode(bytes: &[u8]) -> String {
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..=chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            }
        }
        out
    }

    fn value(c: u8) -> Option<u32> {
        ALPHABET.iter().position(|a| *a == c).map(|p| p as u32)
    }

    /// `None` unless `text` is base64url without padding, in canonical form.
    pub fn decode(text: &str) -> Option<Vec<u8>> {
        let bytes = text.as_bytes();
        if bytes.len() % 4 == 1 {
            return None;
        }
        let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
        for chunk in bytes.chunks(4) {
            let mut n = 0u32;
            for (i, c) in chunk.iter().enumerate() {
                n |= value(*c)? << (18 - 6 * i);
            }
            let got = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            out.extend_from_slice(&got[..chunk.len() - 1]);
        }
        // Only one text per bytes: no stray bits after the last byte.
        (encode(&out) == text).then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paging(query: &str) -> Result<Paging, FieldErrors> {
        let uri: Uri = format!("/api/v1/things?{query}").parse().unwrap();
        let Query(q) = Query::<PageParams>::try_from_uri(&uri).unwrap();
        Paging::parse(&q, uri)
    }

    #[test]
    fn base64url_round_trips_and_refuses_what_it_did_not_write() {
        for n in 0..40u8 {
            let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
            let text = base64url::encode(&bytes);
            assert!(text.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'), "{text}");
            assert_eq!(base64url::decode(&text), Some(bytes));
        }
        assert_eq!(base64url::encode(b"hi?"), "aGk_");
        for bad in ["a", "ab=c", "a+bc", "aGl", "aGk/", "é"] {
            assert_eq!(base64url::decode(bad), None, "{bad}");
        }
        assert_eq!(base64url::decode("aGk"), Some(b"hi".to_vec()));
        assert_eq!(base64url::decode("aGl"), None, "stray bits");
    }

    #[test]
    fn limits_default_and_refuse_what_is_out_of_range() {
        assert_eq!(paging("").unwrap().limit, DEFAULT_LIMIT);
        assert_eq!(paging("limit=500").unwrap().limit, 500);
        assert_eq!(paging("limit=%201%20").unwrap().limit, 1);
        for bad in ["limit=0", "limit=501", "limit=-1", "limit=abc", "limit=1.5", "limit=", "limit=%20"] {
            let e = paging(bad).unwrap_err();
            assert!(e.get("limit").is_some(), "{bad}: {e:?}");
        }
        let e = paging("limit=0&after=%%%").unwrap_err();
        assert!(e.get("limit").is_some() && e.get("after").is_some(), "both at once: {e:?}");
    }

    #[test]
    fn cursors_belong_to_one_list_and_hold_storable_keys() {
        let key = TimeKey { at: "2026-03-01T10:00:00.123456Z".parse().unwrap(), id: 42 };
        let cursor = encode("responses", &key);
        let p = paging(&format!("after={cursor}")).unwrap();
        assert_eq!(p.after::<TimeKey>("responses").unwrap(), Some(key));
        assert!(matches!(p.after::<TimeKey>("events"), Err(AppError::Invalid(f)) if f.get("after").is_some()));
        assert!(p.after::<String>("responses").is_err(), "another shape of key");
        for bad in ["x", "e30", "WzFd", &encode("customers", "a\0b"), &"A".repeat(3000)] {
            let p = paging(&format!("after={bad}"));
            let refused = match p {
                Err(e) => e.get("after").is_some(),
                Ok(p) => matches!(p.after::<String>("customers"), Err(AppError::Invalid(_))),
            };
            assert!(refused, "{bad}");
        }
        let far = serde_json::json!(["responses", {"at": "+100000-01-01T00:00:00Z", "id": 1}]);
        let far = base64url::encode(&serde_json::to_vec(&far).unwrap());
        if let Ok(p) = paging(&format!("after={far}")) {
            assert!(p.after::<TimeKey>("responses").is_err(), "a time the databases cannot store");
        }
    }

    #[test]
    fn pages_end_where_the_store_runs_out_and_link_the_next() {
        let p = paging("q=ana%20b&limit=2&after=&touchpoint=3").unwrap();
        let page = p.page("n", vec![1, 2, 3], |n: &i64| *n);
        assert_eq!(page.items, [1, 2]);
        let next = page.next.clone().unwrap();
        assert_eq!(
            page.next_url().unwrap(),
            format!("/api/v1/things?q=ana%20b&touchpoint=3&after={next}&limit=2"),
            "filters kept, paging replaced"
        );
        let link = page.headers().get(LINK).unwrap().to_str().unwrap().to_string();
        assert!(link.ends_with("; rel=\"next\"") && link.starts_with('<'), "{link}");
        let last = p.page("n", vec![1, 2], |n: &i64| *n);
        assert!(last.next.is_none() && last.headers().get(LINK).is_none());
    }

    #[test]
    fn slices_walk_a_whole_list_in_key_order() {
        let items: Vec<(String, i64)> = (1..=7).rev().map(|i| (format!("n{}", i % 3), i)).collect();
        let key = |x: &(String, i64)| (x.0.clone(), x.1);
        let mut seen = vec![];
        let mut query = "limit=3".to_string();
        loop {
            let p = paging(&query).unwrap();
            let page = p.slice("things", items.clone(), key).unwrap();
            assert_eq!(page.total, Some(7));
            assert!(page.items.len() <= 3);
            seen.extend(page.items.iter().map(|x| x.1));
            match page.next {
                Some(next) => query = format!("limit=3&after={next}"),
                None => break,
            }
        }
        assert_eq!(seen, [3, 6, 1, 4, 7, 2, 5], "by key, each once");
    }
}
