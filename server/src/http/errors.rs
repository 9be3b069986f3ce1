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
