//! A panic in a handler becomes a designed 500 page; the panic itself goes to the log.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::any::Any;
use std::sync::OnceLock;

static PAGE: OnceLock<String> = OnceLock::new();

/// Writes the page once, with the build's stylesheet; `router` calls it at startup.
pub fn prepare(stylesheet: &str) {
    let _ = PAGE.set(TEMPLATE.replace("{stylesheet}", stylesheet));
}

const TEMPLATE: &str = r#"<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>문제가 발생했습니다 · 장터</title><link rel="stylesheet" href="{stylesheet}"></head>
<body><main class="container"><section class="error-page">
<p class="error-code" aria-hidden="true">500</p>
<h1>문제가 발생했습니다</h1><p>잠시 후 다시 시도해 주세요.</p>
<p lang="en">Something went wrong on our side. Please try again in a moment.</p>
<p><a class="button primary" href="/">홈으로 · Home</a></p>
</section></main></body></html>"#;

pub fn handle(err: Box<dyn Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(panic = detail, "handler panicked");
    let page = PAGE
        .get()
        .cloned()
        .unwrap_or_else(|| TEMPLATE.replace("{stylesheet}", "/pkg/jangteo.css"));
    let mut res = (StatusCode::INTERNAL_SERVER_ERROR, page).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res
}
