//! Request ids and request logging: every log line inside a request carries its id, and the
//! id is echoed in `x-request-id` so a user report can be matched to the log.

use axum::body::Body;
use axum::http::{HeaderName, Request};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn make_span(req: &Request<Body>) -> tracing::Span {
    let id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
}
