//! Form posts to server functions, checked before they are read. Postgres stores no NUL
//! character in text: a field holding one is refused here, by name, rather than failing in
//! the database as a 500. The refusal is answered as the server function itself would: a
//! plain form post goes back to its page with the error (JavaScript off), a call from the
//! page gets the error with its status (422). REST bodies get the same check in
//! `rest::extract::Json`.

use app::platform::error::{AppError, FieldError};
use app::platform::i18n::Msg;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, request::Parts, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use leptos::server_fn::error::{FromServerFnError, ServerFnUrlError, SERVER_FN_ERROR_HEADER};
use leptos::server_fn::ContentType;

/// The most a server function's form may hold (axum's own default for a body read whole).
const MAX_FORM: usize = 2 * 1024 * 1024;

pub async fn refuse_nul(req: Request, next: Next) -> Response {
    let form = req.method() == Method::POST
        && req.uri().path().starts_with("/fn/")
        && req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| {
                c.to_ascii_lowercase()
                    .starts_with("application/x-www-form-urlencoded")
            });
    if !form {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM).await else {
        let mut res = Response::new(Body::empty());
        *res.status_mut() = StatusCode::PAYLOAD_TOO_LARGE;
        return res;
    };
    if let Some(field) = nul_field(&bytes) {
        tracing::info!(path = %parts.uri.path(), %field, "form with a NUL character refused");
        let err = AppError::Validation(vec![FieldError::new(&field, Msg::ErrBadValue)]);
        return refusal(&parts, err);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// What the server function answers with `err` (server_fn's own shapes).
fn refusal(parts: &Parts, err: AppError) -> Response {
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let path = parts.uri.path();
    let mut res = Response::new(Body::empty());
    if header(header::ACCEPT).is_some_and(|a| a.contains("text/html")) {
        let back = header(header::REFERER).unwrap_or("/");
        let to = ServerFnUrlError::new(path, err)
            .to_url(back)
            .map(|u| u.to_string())
            .unwrap_or_else(|_| "/".into());
        let to = super::errors::tidy_form_redirect(&to).unwrap_or(to);
        *res.status_mut() = StatusCode::FOUND;
        if let Ok(v) = HeaderValue::from_str(&to) {
            res.headers_mut().insert(header::LOCATION, v);
        }
        return res;
    }
    *res.status_mut() = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::BAD_REQUEST);
    if let Ok(v) = HeaderValue::from_str(path) {
        res.headers_mut().insert(SERVER_FN_ERROR_HEADER, v);
    }
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            <<AppError as FromServerFnError>::Encoder as ContentType>::CONTENT_TYPE,
        ),
    );
    *res.body_mut() = Body::from(err.ser());
    res
}

/// The name of the first field whose name or value holds a NUL character, raw or `%00`.
fn nul_field(body: &Bytes) -> Option<String> {
    if !body.contains(&0) && !body.windows(3).any(|w| w == b"%00") {
        return None;
    }
    form_urlencoded::parse(body)
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        .map(|(k, _)| k.replace('\0', ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_is_found_with_its_field() {
        let f = |s: &'static str| nul_field(&Bytes::from_static(s.as_bytes()));
        assert_eq!(f("name=a%00b&memo=ok"), Some("name".into()));
        assert_eq!(f("name=ok&memo=x\0y"), Some("memo".into()));
        assert_eq!(f("na%00me=ok"), Some("name".into()));
        assert_eq!(f("name=%EC%9E%A5%ED%84%B0&n=100"), None);
        // "%2500" is a percent sign and two zeros, not a NUL.
        assert_eq!(f("memo=%2500"), None);
    }
}
