//! The one application error type, and its mapping to HTTP.
//!
//! Policy: a client sees a stable `code`, a human `message` and, for bad
//! input, a message per field. Internal failures are logged with their cause
//! and answered with a bare 500: no SQL, paths or stack traces leave the
//! server. Web pages render the same errors as HTML (see `web::WebError`).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rapport_core::validate::FieldErrors;
use rapport_store::StoreError;
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign in or send an API token")]
    Unauthorized,
    #[error("your role does not allow this")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// Syntactically broken input (malformed JSON, a wrong content type).
    #[error("{0}")]
    BadRequest(String),
    /// Well-formed input that breaks a rule, field by field.
    #[error("some fields are invalid")]
    Invalid(FieldErrors),
    /// The input clashes with what is stored (a duplicate, a state rule).
    #[error("conflicts with existing data")]
    Conflict(FieldErrors),
    /// Too many attempts from this client or at this account: 429.
    #[error("too many attempts; try again later")]
    Throttled,
    /// What the request names existed once and is no longer usable (a used
    /// or expired link): 410.
    #[error("this link was used or has expired")]
    Gone,
    /// The database is busy (a lock held past the wait): 503 with
    /// `Retry-After`, so clients retry instead of reporting a failure.
    #[error("the service is busy; try again in a moment")]
    Busy(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Seconds a client is asked to wait after a 503.
pub const RETRY_AFTER_SECONDS: &str = "2";

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Throttled => StatusCode::TOO_MANY_REQUESTS,
            AppError::Gone => StatusCode::GONE,
            AppError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::Invalid(_) => "invalid",
            AppError::Conflict(_) => "conflict",
            AppError::Throttled => "throttled",
            AppError::Gone => "gone",
            AppError::Busy(_) => "busy",
            AppError::Internal(_) => "internal",
        }
    }

    /// The field-level problems, when there are any.
    pub fn fields(&self) -> Option<&FieldErrors> {
        match self {
            AppError::Invalid(f) | AppError::Conflict(f) => Some(f),
            _ => None,
        }
    }

    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        AppError::Internal(Box::new(e))
    }

    /// Logs internals once, at the boundary, with their cause chain.
    pub fn log(&self) {
        match self {
            AppError::Internal(e) => tracing::error!(error = %chain(e.as_ref()), "internal error"),
            AppError::Busy(e) => tracing::warn!(error = %chain(e.as_ref()), "database busy: answered 503"),
            _ => {}
        }
    }
}

/// An error and its causes on one line, outermost first: `a: b: c`. Log
/// errors with it (e.g. `error = %chain(&e)`): a [`StoreError::Internal`]
/// shows only "storage failure" and gives its cause through `source()`.
pub fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(cause) = next {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        next = cause.source();
    }
    out
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Invalid(f) => AppError::Invalid(f),
            StoreError::Conflict { field, code, message } => {
                AppError::Conflict(FieldErrors::single(field, code, message))
            }
            StoreError::Busy(e) => AppError::Busy(e),
            StoreError::Internal(e) => AppError::Internal(e),
        }
    }
}

impl From<FieldErrors> for AppError {
    fn from(f: FieldErrors) -> Self {
        AppError::Invalid(f)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let mut body = json!({"code": self.code(), "message": self.to_string()});
        if let Some(f) = self.fields() {
            body["fields"] = json!(f);
        }
        let mut resp = (self.status(), Json(json!({ "error": body }))).into_response();
        if matches!(self, AppError::Unauthorized) {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        if matches!(self, AppError::Busy(_)) {
            resp.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static(RETRY_AFTER_SECONDS));
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_map_to_statuses() {
        assert_eq!(AppError::from(StoreError::NotFound).status(), StatusCode::NOT_FOUND);
        let c = AppError::from(StoreError::conflict("email", "taken", "is taken"));
        assert_eq!(c.status(), StatusCode::CONFLICT);
        assert_eq!(c.fields().unwrap().get("email").unwrap().code, "taken");
        assert_eq!(AppError::from(StoreError::unknown_id("stage_id")).status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn internal_details_stay_inside() {
        let e = AppError::internal(std::io::Error::other("disk /var/db exploded"));
        assert_eq!(e.to_string(), "internal error");
    }

    #[test]
    fn a_store_failure_names_its_cause_once() {
        let store = StoreError::internal(std::io::Error::other("disk /var/db exploded"));
        assert_eq!(store.to_string(), "storage failure");
        assert_eq!(chain(&store), "storage failure: disk /var/db exploded");
        // Through the HTTP layer the cause is logged once, not the wrapper.
        let AppError::Internal(e) = AppError::from(store) else { panic!("not internal") };
        assert_eq!(chain(e.as_ref()), "disk /var/db exploded");
    }

    #[test]
    fn a_busy_database_is_a_503_to_retry() {
        let busy = AppError::from(StoreError::Busy(Box::new(std::io::Error::other("database is locked"))));
        assert_eq!((busy.status(), busy.code()), (StatusCode::SERVICE_UNAVAILABLE, "busy"));
        let resp = busy.into_response();
        assert_eq!(resp.headers().get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()), Some(RETRY_AFTER_SECONDS));
    }
}
