//! REST v1 (`/api/v1`): the same services as the UI, for scripts and integrations.
//! Authenticates with the session cookie or a personal API token (`Authorization: Bearer`).
//! Mutating calls honour `Idempotency-Key`.

mod auth;
mod idempotency;
pub mod openapi;

use app::platform::state::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/openapi.json", get(openapi::document))
        .layer(axum::middleware::from_fn_with_state(
            state,
            idempotency::middleware,
        ))
}
