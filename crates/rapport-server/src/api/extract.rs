//! Extractors that turn bad input into `AppError`s with field-level detail
//! instead of axum's plain-text rejections.

use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use rapport_core::validate::FieldErrors;
use serde::de::DeserializeOwned;

/// A JSON body, which the OpenAPI document marks required. Malformed JSON is
/// a 400; a wrong type or a missing field is a 422 naming the field. An empty
/// body is a 422 too, never a default: it names the required fields when the
/// type has some (it is read as `{}`), else `body` (send `{}` for the
/// defaults).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| AppError::BadRequest(format!("could not read the body: {e}")))?;
        parse_body(&bytes).map(ApiJson)
    }
}

/// [`ApiJson`]'s reading of a body.
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        // serde reads a struct from an array too (`[]` as all defaults):
        // every body of the API is an object.
        Some(b'[') if serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok() => {
            return Err(AppError::Invalid(FieldErrors::single("body", "invalid_type", "must be a JSON object")));
        }
        Some(_) => return parse(bytes),
        None => {}
    }
    parse::<T>(b"{}")?;
    Err(AppError::Invalid(FieldErrors::single("body", "required", "a JSON object is required (`{}` for the defaults)")))
}

/// A query string that does not deserialize (a number out of range, a
/// repeated parameter, ...): a 422 naming the parameter, like a body's field.
pub fn bad_query(e: QueryRejection) -> AppError {
    let text = e.body_text();
    let detail = text.strip_prefix("Failed to deserialize query string: ").unwrap_or(&text);
    // axum says `PATH: MESSAGE` when the problem has a path.
    let named = detail
        .split_once(": ")
        .filter(|(path, _)| !path.is_empty() && path.chars().all(|c| c.is_ascii_alphanumeric() || "_.[]".contains(c)));
    let (field, message) = match named {
        Some((path, message)) => (path.to_string(), message.to_string()),
        None => {
            let field = detail.split('`').nth(1).filter(|f| !f.is_empty()).unwrap_or("query").to_string();
            (field, detail.to_string())
        }
    };
    AppError::Invalid(FieldErrors::single(field, "invalid_type", message))
}

pub fn parse<T: DeserializeOwned>(slice: &[u8]) -> Result<T, AppError> {
    let err = match parse_as_sent(slice) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    // JSON Schema counts `3.0` as an integer, serde does not: read whole
    // floats as integers before refusing them.
    if matches!(&err, AppError::Invalid(f) if f.0.values().any(|e| e.message.contains("floating point"))) {
        if let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(slice) {
            if whole_floats_to_integers(&mut value) {
                if let Ok(v) = serde_path_to_error::deserialize(value) {
                    return Ok(v);
                }
            }
        }
    }
    Err(err)
}

/// Rewrites every float without a fraction (`3.0`, `-1e3`) that fits an
/// `i64` as that integer; whether it changed anything. The bounds are
/// strict: `-9223372036854775809` (one below `i64::MIN`) reads as the same
/// float as `i64::MIN`, so that float is refused rather than clamped.
fn whole_floats_to_integers(v: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f > i64::MIN as f64 && f < i64::MAX as f64 => {
                *v = Value::from(f as i64);
                true
            }
            _ => false,
        },
        Value::Array(items) => items.iter_mut().fold(false, |changed, x| whole_floats_to_integers(x) | changed),
        Value::Object(map) => map.values_mut().fold(false, |changed, x| whole_floats_to_integers(x) | changed),
        _ => false,
    }
}

fn parse_as_sent<T: DeserializeOwned>(slice: &[u8]) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(slice);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let inner = e.inner();
        // serde_json reports some type errors (a number where an enum's
        // string goes) as syntax: the body is malformed only if it is not
        // JSON at all.
        let not_json = || serde_json::from_slice::<serde::de::IgnoredAny>(slice).is_err();
        if (inner.is_syntax() || inner.is_eof()) && not_json() {
            return AppError::BadRequest(format!("malformed JSON: {inner}"));
        }
        let mut field = e.path().to_string();
        let msg = inner.to_string();
        // serde reports a missing field at its parent's path, in the message.
        if let Some(name) = msg.strip_prefix("missing field `").and_then(|m| m.split('`').next()) {
            field = if field == "." { name.to_string() } else { format!("{field}.{name}") };
            return AppError::Invalid(FieldErrors::single(field, "required", "is required"));
        }
        if field == "." {
            field = "body".into();
        }
        // Drop serde's " at line 1 column 9" suffix: the field says where.
        let msg = if inner.is_syntax() || inner.is_eof() {
            "has the wrong type".to_string()
        } else {
            msg.split(" at line ").next().unwrap_or(&msg).to_string()
        };
        AppError::Invalid(FieldErrors::single(field, "invalid_type", msg))
    })
}

/// Path parameters; anything that does not parse cannot name a row, so it is
/// answered as not found.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state).await.map(|Path(v)| ApiPath(v)).map_err(|_| AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rapport_core::person::PersonDraft;

    #[test]
    fn classifies_errors_by_field() {
        assert!(matches!(parse::<PersonDraft>(b"{\"name\": "), Err(AppError::BadRequest(_))));
        let Err(AppError::Invalid(f)) = parse::<PersonDraft>(br#"{"name": 5}"#) else { panic!() };
        assert_eq!(f.get("name").unwrap().code, "invalid_type");
        assert!(f.get("name").unwrap().message.contains("expected a string"), "{f:?}");
        let Err(AppError::Invalid(f)) = parse::<PersonDraft>(br#"{"joined_on": "yesterday"}"#) else { panic!() };
        assert!(f.get("joined_on").is_some());
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Strict {
            to: i64,
        }
        let Err(AppError::Invalid(f)) = parse::<Strict>(b"{}") else { panic!() };
        assert_eq!(f.get("to").unwrap().code, "required");
    }

    #[test]
    fn whole_floats_are_integers() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Ints {
            a: i64,
            b: Vec<u32>,
            c: f64,
        }
        let got = parse::<Ints>(br#"{"a": -118.0, "b": [1.0, 2], "c": 2.5}"#).unwrap();
        assert_eq!(got, Ints { a: -118, b: vec![1, 2], c: 2.5 });
        let Err(AppError::Invalid(f)) = parse::<Ints>(br#"{"a": 1.5, "b": [], "c": 1}"#) else { panic!() };
        assert_eq!(f.get("a").unwrap().code, "invalid_type");
        // One below i64::MIN rounds to i64::MIN's float: refused, not clamped
        // (schemathesis sent it as a person id).
        let Err(AppError::Invalid(f)) = parse::<Ints>(br#"{"a": -9223372036854775809, "b": [], "c": 1}"#) else {
            panic!()
        };
        assert_eq!(f.get("a").unwrap().code, "invalid_type");
    }

    #[test]
    fn an_empty_body_is_never_the_defaults() {
        #[derive(serde::Deserialize, Debug, Default)]
        #[allow(dead_code)]
        struct Loose {
            to: Option<i64>,
        }
        let Err(AppError::Invalid(f)) = parse_body::<Loose>(b" \n") else { panic!() };
        assert_eq!(f.get("body").unwrap().code, "required");
        assert!(parse_body::<Loose>(b"{}").is_ok());
        let Err(AppError::Invalid(f)) = parse_body::<Loose>(b"[]") else { panic!() };
        assert_eq!(f.get("body").unwrap().code, "invalid_type", "an array is not an object: {f:?}");
        assert!(matches!(parse_body::<Loose>(b"[1,"), Err(AppError::BadRequest(_))));
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Strict {
            to: i64,
        }
        let Err(AppError::Invalid(f)) = parse_body::<Strict>(b"") else { panic!() };
        assert_eq!(f.get("to").unwrap().code, "required", "names the required fields instead: {f:?}");
    }

    #[test]
    fn query_strings_that_do_not_read_name_the_parameter() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Q {
            limit: Option<String>,
            year: Option<i32>,
        }
        for (query, field) in [("year=2147483648", "year"), ("limit=1&limit=2", "limit"), ("year=x", "year")] {
            let uri: axum::http::Uri = format!("/x?{query}").parse().unwrap();
            let e = axum::extract::Query::<Q>::try_from_uri(&uri).unwrap_err();
            let AppError::Invalid(f) = bad_query(e) else { panic!("{query}") };
            assert!(f.get(field).is_some(), "{query}: {f:?}");
        }
    }
}
