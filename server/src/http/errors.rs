//! Re-renders `AppError` responses in the caller's language.

use app::platform::error::AppError;
use app::platform::i18n::Locale;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

pub async fn localize_errors(req: Request, next: Next) -> Response {
    let locale = Locale::from_headers(req.headers());
    let res = next.run(req).await;
    match res.extensions().get::<AppError>() {
        Some(err) if locale != Locale::default() => err.clone().into_response_in(locale),
        _ => res,
    }
}

/// Server functions answer every error with 500. For calls from JavaScript (not plain form
/// posts, which are redirected back to the form), give the error its real status, so that
/// logs and monitoring tell a refused input (422) from a crash (500).
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key("serverfnerror")
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return Response::from_parts(parts, axum::body::Body::empty());
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = axum::http::StatusCode::from_u16(err.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}
