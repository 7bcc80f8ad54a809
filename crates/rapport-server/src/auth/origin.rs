//! Where a request comes from, and the one check against cross-site request
//! forgery that the web forms and the API share.
//!
//! Policy:
//! - a request's provenance is told by `Origin` (its host against `Host`),
//!   else by `Sec-Fetch-Site`; browsers send at least one of them on every
//!   POST, PUT, PATCH and DELETE;
//! - web forms refuse a write known to come from another site (old clients
//!   that send neither header are let through: the SameSite=Lax cookie
//!   already keeps cross-site posts unauthenticated in current browsers);
//! - the API takes the session cookie for a write only when the request is
//!   known to come from Rapport's own pages (same origin) and carries one of
//!   the API's content types (JSON, NDJSON, multipart) or no body: a form
//!   or a `no-cors` fetch from another site cannot send that. Bearer tokens
//!   are not sent by browsers on their own, so they are not concerned.

use super::session;
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use axum_extra::extract::CookieJar;
use serde_json::json;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Provenance {
    /// From a page of this server.
    SameOrigin,
    /// From another site (or an opaque origin, `Origin: null`).
    CrossSite,
    /// The request says nothing (not a browser, or an old one).
    Unknown,
}

/// Where a request comes from, by `Origin`, else `Sec-Fetch-Site`.
pub fn provenance(uri: &Uri, headers: &HeaderMap) -> Provenance {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| uri.authority().map(|a| a.as_str()))
            .unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
        return if !host.is_empty() && origin_host.eq_ignore_ascii_case(host) {
            Provenance::SameOrigin
        } else {
            Provenance::CrossSite
        };
    }
    match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        Some(v) if v.eq_ignore_ascii_case("same-origin") => Provenance::SameOrigin,
        Some(v) if v.eq_ignore_ascii_case("cross-site") || v.eq_ignore_ascii_case("same-site") => Provenance::CrossSite,
        _ => Provenance::Unknown,
    }
}

/// POST, PUT, PATCH, DELETE and anything else that is not a read.
pub fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A web form's write known to come from another site (see the policy).
pub fn is_cross_site_write(method: &Method, uri: &Uri, headers: &HeaderMap) -> bool {
    is_write(method) && provenance(uri, headers) == Provenance::CrossSite
}

/// Why the API refuses a write authenticated by the session cookie, if it
/// does (see the policy).
pub fn cookie_write_refusal(method: &Method, uri: &Uri, headers: &HeaderMap) -> Option<&'static str> {
    if !is_write(method) || headers.contains_key(header::AUTHORIZATION) {
        return None;
    }
    CookieJar::from_headers(headers).get(session::COOKIE)?;
    if provenance(uri, headers) != Provenance::SameOrigin {
        return Some(
            "a signed-in browser may change data only from Rapport's own pages; \
             other clients authenticate with an API token (Authorization: Bearer)",
        );
    }
    if !has_api_body(headers) {
        return Some("send the body as application/json, application/x-ndjson or multipart/form-data");
    }
    None
}

/// No body, or one of the content types the API reads.
fn has_api_body(headers: &HeaderMap) -> bool {
    let Some(content_type) = headers.get(header::CONTENT_TYPE) else {
        let empty = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).is_none_or(|v| v.trim() == "0");
        return empty && !headers.contains_key(header::TRANSFER_ENCODING);
    };
    let essence = content_type.to_str().unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "application/json" | "application/x-ndjson" | "application/jsonl" | "multipart/form-data"
    )
}

/// The API's layer: refuses cookie-authenticated writes that fail
/// [`cookie_write_refusal`] with 403 and the API's error body.
pub async fn guard_api_writes(req: Request, next: Next) -> Response {
    if let Some(why) = cookie_write_refusal(req.method(), req.uri(), req.headers()) {
        tracing::info!(method = %req.method(), path = req.uri().path(), "refused a cookie-authenticated API write: {why}");
        let body = json!({"error": {"code": "forbidden", "message": why}});
        return (StatusCode::FORBIDDEN, Json(body)).into_response();
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request as HttpRequest;

    fn req(method: Method, headers: &[(&str, &str)]) -> axum::http::request::Parts {
        let mut b = HttpRequest::builder().method(method).uri("/api/v1/people").header(header::HOST, "rapport.example");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap().into_parts().0
    }

    fn prov(headers: &[(&str, &str)]) -> Provenance {
        let p = req(Method::POST, headers);
        provenance(&p.uri, &p.headers)
    }

    fn refusal(method: Method, headers: &[(&str, &str)]) -> Option<&'static str> {
        let p = req(method, headers);
        cookie_write_refusal(&p.method, &p.uri, &p.headers)
    }

    #[test]
    fn provenance_by_origin_then_fetch_metadata() {
        assert_eq!(prov(&[("origin", "https://rapport.example")]), Provenance::SameOrigin);
        assert_eq!(prov(&[("origin", "https://RAPPORT.example")]), Provenance::SameOrigin);
        assert_eq!(prov(&[("origin", "https://evil.example")]), Provenance::CrossSite);
        assert_eq!(prov(&[("origin", "https://rapport.example.evil.example")]), Provenance::CrossSite);
        assert_eq!(prov(&[("origin", "null")]), Provenance::CrossSite);
        // Origin wins over what Sec-Fetch-Site claims.
        assert_eq!(
            prov(&[("origin", "https://evil.example"), ("sec-fetch-site", "same-origin")]),
            Provenance::CrossSite
        );
        assert_eq!(prov(&[("sec-fetch-site", "same-origin")]), Provenance::SameOrigin);
        assert_eq!(prov(&[("sec-fetch-site", "cross-site")]), Provenance::CrossSite);
        assert_eq!(prov(&[("sec-fetch-site", "same-site")]), Provenance::CrossSite);
        assert_eq!(prov(&[("sec-fetch-site", "none")]), Provenance::Unknown);
        assert_eq!(prov(&[]), Provenance::Unknown);
    }

    #[test]
    fn cookie_writes_need_same_origin_and_an_api_body() {
        let cookie = ("cookie", "rapport_session=abc");
        let same = ("origin", "https://rapport.example");
        let json = ("content-type", "application/json; charset=utf-8");
        let len = ("content-length", "12");
        assert_eq!(refusal(Method::POST, &[cookie, same, json, len]), None);
        assert_eq!(refusal(Method::POST, &[cookie, ("sec-fetch-site", "same-origin"), json, len]), None);
        assert_eq!(refusal(Method::POST, &[cookie, same, ("content-type", "application/x-ndjson"), len]), None);
        assert_eq!(refusal(Method::POST, &[cookie, same, ("content-type", "multipart/form-data; boundary=x")]), None);
        assert_eq!(refusal(Method::DELETE, &[cookie, same]), None, "no body, no content type");
        assert_eq!(refusal(Method::DELETE, &[cookie, same, ("content-length", "0")]), None);
        assert!(refusal(Method::POST, &[cookie, ("origin", "https://evil.example"), json]).is_some());
        assert!(refusal(Method::POST, &[cookie, json, len]).is_some(), "neither header");
        assert!(refusal(Method::PUT, &[cookie, same, ("content-type", "text/plain"), len]).is_some());
        assert!(
            refusal(Method::PATCH, &[cookie, same, ("content-type", "application/x-www-form-urlencoded")]).is_some()
        );
        assert!(refusal(Method::POST, &[cookie, same, len]).is_some(), "a body without a type");
        assert!(refusal(Method::POST, &[cookie, same, ("transfer-encoding", "chunked")]).is_some());
        // Not concerned: reads, bearer tokens, requests without the cookie.
        assert_eq!(refusal(Method::GET, &[cookie, ("origin", "https://evil.example")]), None);
        assert_eq!(refusal(Method::POST, &[cookie, ("authorization", "Bearer rpt_x"), ("origin", "null")]), None);
        assert_eq!(refusal(Method::POST, &[("cookie", "lang=es"), ("origin", "https://evil.example")]), None);
    }

    #[test]
    fn web_forms_refuse_known_cross_site_writes_only() {
        let p = req(Method::POST, &[]);
        assert!(!is_cross_site_write(&p.method, &p.uri, &p.headers));
        let p = req(Method::POST, &[("sec-fetch-site", "cross-site")]);
        assert!(is_cross_site_write(&p.method, &p.uri, &p.headers));
        let p = req(Method::GET, &[("origin", "https://evil.example")]);
        assert!(!is_cross_site_write(&p.method, &p.uri, &p.headers));
    }
}
