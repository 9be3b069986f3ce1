//! Serves stored files under `/media`. Keys are never reused (each holds a fresh uuid), so
//! found files may be cached for a year; misses are not cached.

use app::platform::state::AppState;
use axum::http::{header, HeaderValue, Response};
use axum::Router;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

pub fn router(state: &AppState) -> Router<AppState> {
    let files = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            |res: &Response<_>| {
                res.status()
                    .is_success()
                    .then(|| HeaderValue::from_static("public, max-age=31536000, immutable"))
            },
        ))
        .service(ServeDir::new(state.settings.storage.root()));
    Router::new().nest_service("/media", files)
}
