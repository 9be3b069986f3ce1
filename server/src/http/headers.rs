//! Security headers on every response. The CSP itself is set by the HTML shell, because it
//! carries the per-response nonce; non-HTML responses get a strict default.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// Whether the site is served over HTTPS (`COOKIE_SECURE`): then browsers are told to use
/// HTTPS only.
#[derive(Clone, Copy)]
pub struct Https(pub bool);

pub async fn security_headers(State(https): State<Https>, req: Request, next: Next) -> Response {
    // A signed-in user's answers are personal: no copy may be kept, or Back after logout
    // would show the account page again. Responses that set their own caching (fingerprint-
    // free static files, immutable media) keep it.
    let path = req.uri().path();
    let asset = path.starts_with("/pkg/")
        || path.starts_with("/media/")
        || path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'));
    let personal = !asset
        && (req.headers().contains_key(header::AUTHORIZATION)
            || req
                .headers()
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .any(|c| c.contains(crate::startup::SESSION_COOKIE)));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if personal && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https.0 {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
        ));
    res
}
