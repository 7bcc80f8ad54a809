//! Extractors that turn bad input into `AppError`s with field-level detail
//! instead of axum's plain-text rejections.

use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use rapport_core::validate::FieldErrors;
use serde::de::DeserializeOwned;

/// A JSON body. Malformed JSON is a 400; a wrong type or a missing field is a
/// 422 naming the field. An empty body reads as `{}`, so that a missing body
/// reports the required fields rather than a parse error.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| AppError::BadRequest(format!("could not read the body: {e}")))?;
        let slice: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &bytes };
        parse(slice).map(ApiJson)
    }
}

pub fn parse<T: DeserializeOwned>(slice: &[u8]) -> Result<T, AppError> {
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
}
