//! Form posts to server functions, checked before they are read. Postgres stores no NUL
//! character in text: a field holding one is refused here, by name (422), rather than
//! failing in the database as a 500. REST bodies get the same check in `rest::extract::Json`.

use app::platform::error::{AppError, FieldError};
use app::platform::i18n::{Locale, Msg};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;

/// The most a server function's form may hold (axum's own default for a body read whole).
const MAX_FORM: usize = 2 * 1024 * 1024;

pub async fn refuse_nul(req: Request, next: Next) -> Response {
    let form = req.method() == Method::POST
        && req.uri().path().starts_with("/fn/")
        && req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return next.run(req).await;
    }
    let locale = Locale::from_headers(req.headers());
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM).await else {
        return AppError::Unprocessable(Msg::ErrBadValue).into_response_in(locale);
    };
    if let Some(field) = nul_field(&bytes) {
        tracing::info!(path = %parts.uri.path(), %field, "form with a NUL character refused");
        return AppError::Validation(vec![FieldError::new(&field, Msg::ErrBadValue)])
            .into_response_in(locale);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
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
