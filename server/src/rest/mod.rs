//! REST v1 (`/api/v1`): the same services as the UI, for scripts and integrations.
//! Authenticates with the session cookie or a personal API token (`Authorization: Bearer`).
//! Mutating calls honour `Idempotency-Key`.

mod auth;
mod catalog;
mod extract;
mod idempotency;
mod inventory;
mod mobile;
pub mod openapi;

use app::platform::state::AppState;
use axum::routing::{delete, get, post};
use axum::Router;

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/openapi.json", get(openapi::document))
        .route(
            "/products",
            post(catalog::create_product).get(catalog::list_products),
        )
        .route("/products/{id}", get(catalog::get_product))
        .route(
            "/products/{id}/images",
            post(catalog::upload_image).layer(crate::http::uploads::body_limit(&state)),
        )
        .route("/categories/tree", get(catalog::category_tree))
        .route("/categories/{id}/products", get(catalog::category_products))
        .route("/skus", post(inventory::create_sku))
        .route("/inventory/availability", post(inventory::availability))
        .route("/inventory/reservations", post(inventory::reserve))
        .route("/inventory/reservations/{id}", delete(inventory::release))
        .route("/inventory/{sku_id}", get(inventory::get_stock))
        .route("/inventory/{sku_id}/receive", post(inventory::receive))
        .route("/mobile/plans", get(mobile::plans))
        .route("/mobile/lines/{line}/plan", get(mobile::line_plan))
        .route("/mobile/changes", post(mobile::request_change))
        .route("/mobile/changes/{request_id}", get(mobile::get_change))
        .route("/admin/integrations/breakers", get(mobile::breakers))
        .route(
            "/admin/integrations/breakers/{service}/reset",
            post(mobile::reset_breaker),
        )
        .layer(axum::middleware::from_fn_with_state(
            state,
            idempotency::middleware,
        ))
}
