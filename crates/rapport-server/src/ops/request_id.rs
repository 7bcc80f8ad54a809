//! A request id on every log line of a request and in its `X-Request-Id`
//! response header, so that a user's report ("it failed at 10:02, request
//! 5f0c…") leads to the server's lines for that request.
//!
//! A caller's own `X-Request-Id` (a proxy's, say) is kept, so ids follow a
//! request across services; otherwise a random UUID is made. The span holds
//! the method and the path, never the query string (it may carry a
//! customer's name or e-mail being searched for).

use axum::http::{HeaderName, Request};
use axum::Router;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// The outermost layers: set the id first, copy it to the response last.
pub fn layer(app: Router) -> Router {
    app.layer(PropagateRequestIdLayer::new(HEADER)).layer(SetRequestIdLayer::new(HEADER, MakeRequestUuid))
}

/// The span every log line of the request is written in.
pub fn span<B>(req: &Request<B>) -> tracing::Span {
    let id = req.headers().get(&HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
    tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
}
