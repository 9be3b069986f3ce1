//! CSRF defence for every state-changing request (pages, server functions, REST).
//!
//! Browsers label each request with `Sec-Fetch-Site` and, on POST, `Origin`. A request a
//! browser sends from another site is refused. Requests without either header do not come
//! from a browser page, so they cannot ride a visitor's cookies. Session cookies are also
//! SameSite=Lax as a second layer.

use app::platform::error::AppError;
use app::platform::i18n::{Locale, Msg};
use axum::extract::Request;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;

pub async fn guard(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) || allowed(&req) {
        return next.run(req).await;
    }
    tracing::warn!(method = %req.method(), path = %req.uri().path(), "cross-site request refused");
    let locale = Locale::from_headers(req.headers());
    AppError::Refused(Msg::ErrCrossSite).into_response_in(locale)
}

fn allowed(req: &Request) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        // "none" is a navigation the user typed; same-site would allow a sibling subdomain.
        return matches!(site, "same-origin" | "none");
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            host.is_some_and(|h| origin_host(origin) == Some(h))
        }
    }
}

fn origin_host(origin: &str) -> Option<&str> {
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
}
