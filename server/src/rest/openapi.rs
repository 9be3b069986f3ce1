//! The OpenAPI document, served at `/api/v1/openapi.json`.

use axum::Json;
use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

/// Every error response has this shape.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `validation_failed`, `unauthenticated`.
    pub code: String,
    /// Message for people, in the caller's language (Accept-Language).
    pub message: String,
    /// Per-field messages for `validation_failed`.
    pub fields: Option<Vec<FieldBody>>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldBody {
    pub field: String,
    pub message: String,
}

struct Security;

impl Modify for Security {
    fn modify(&self, api: &mut utoipa::openapi::OpenApi) {
        let components = api.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                crate::startup::SESSION_COOKIE,
            ))),
        );
        components.add_security_scheme(
            "api_token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Jangteo API", version = "1", description = "REST v1 of the Jangteo marketplace. Mutating calls accept an `Idempotency-Key` header: a replay returns the stored response, the same key with a different body gets 422, and a key whose first request is still running gets 409."),
    paths(
        super::auth::login, super::auth::logout, super::auth::me,
        super::catalog::create_product, super::catalog::get_product, super::catalog::upload_image, super::catalog::list_products,
        super::catalog::category_tree, super::catalog::category_products,
        super::inventory::create_sku, super::inventory::get_stock, super::inventory::receive,
        super::inventory::reserve, super::inventory::release, super::inventory::availability,
        super::mobile::line_plan, super::mobile::plans, super::mobile::request_change, super::mobile::get_change,
        super::mobile::breakers, super::mobile::reset_breaker,
    ),
    components(schemas(ErrorBody, FieldBody, super::auth::LoginRequest, super::auth::Me)),
    modifiers(&Security),
    tags(
        (name = "auth", description = "Sessions and the current user"),
        (name = "catalog", description = "Categories and products"),
        (name = "inventory", description = "SKUs, stock and reservations"),
        (name = "mobile", description = "Mobile plan changes through the carrier's core system (KOS)"),
        (name = "admin", description = "Operations: integration health"),
    )
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
