//! The OpenAPI document, served at `/api/v1/openapi.json`.

use serde::Serialize;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Ref, RefOr};
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
    info(title = "Jangteo API", version = "1", description = "REST v1 of the Jangteo marketplace. Mutating calls accept an `Idempotency-Key` header: a replay returns the stored response, the same key with a different body gets 422, and a key whose first request is still running gets 409. Every error has the `ErrorBody` shape."),
    components(schemas(ErrorBody, FieldBody)),
    modifiers(&Security),
    tags(
        (name = "auth", description = "Sessions and the current user"),
        (name = "catalog", description = "Categories and products"),
        (name = "inventory", description = "SKUs, stock and reservations"),
        (name = "cart", description = "The shopper's cart and wishlist"),
        (name = "balance", description = "The point balance and its ledger"),
        (name = "coupons", description = "First-come coupons, claimed once per shopper"),
        (name = "orders", description = "Checkout, orders, cancels; the seller's orders"),
        (name = "tickets", description = "Concerts, the live seat map, seat holds and tickets paid from the point balance"),
        (name = "mobile", description = "Mobile plan changes through the carrier's core system (KOS)"),
        (name = "notices", description = "Notices from the shop to shoppers and sellers"),
        (name = "admin", description = "The admin console: notices, system configs, users, the audit log and integration health"),
    )
)]
pub struct ApiDoc;

/// The document with the answers every route shares, added where the handler's own list
/// does not say them: how the extractors, the auth check and the idempotency layer refuse a
/// request is the same for every route, so it is stated once, here.
pub fn finish(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    for item in api.paths.paths.values_mut() {
        for (op, mutating) in [
            (&mut item.get, false),
            (&mut item.post, true),
            (&mut item.put, true),
            (&mut item.patch, true),
            (&mut item.delete, true),
        ] {
            if let Some(op) = op {
                shared_answers(op, mutating);
            }
        }
    }
    api
}

fn shared_answers(op: &mut Operation, mutating: bool) {
    // The key's shape, as `platform::idempotency::validate_key` checks it.
    for p in op.parameters.iter_mut().flatten() {
        if p.name.eq_ignore_ascii_case("Idempotency-Key") {
            p.schema = Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .min_length(Some(1))
                    .max_length(Some(255))
                    .pattern(Some("^[!-~]+$"))
                    .into(),
            );
        }
    }
    let mut add = |status: &str, why: &str| {
        op.responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| error_response(why));
    };
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let params = op.parameters.as_deref().unwrap_or_default();
    let in_path = params.iter().any(|p| p.parameter_in == ParameterIn::Path);
    let in_query = params.iter().any(|p| p.parameter_in == ParameterIn::Query);
    let idempotent = params
        .iter()
        .any(|p| p.name.eq_ignore_ascii_case("Idempotency-Key"));
    let body_types: Vec<String> = op
        .request_body
        .as_ref()
        .map(|b| b.content.keys().cloned().collect())
        .unwrap_or_default();
    if secured {
        add("401", "Not signed in, or the API token is not valid");
        if mutating {
            add(
                "403",
                "Not allowed for this account, or a cross-site request",
            );
        }
    }
    if in_path {
        add(
            "404",
            "Nothing with this id (an id that does not parse names nothing)",
        );
    }
    if in_query {
        add("422", "A query parameter is not valid; `fields` names it");
    }
    if body_types.iter().any(|t| t == "application/json") {
        add("400", "The body is not JSON");
        add("415", "The body is not `application/json`");
        add("422", "A value is missing or not valid; `fields` names it");
    }
    if body_types.iter().any(|t| t == "multipart/form-data") {
        add("400", "The body is not a multipart form");
        add("413", "The upload is larger than the limit");
        add(
            "422",
            "The file is missing, too large or not an image; `fields` names it",
        );
    }
    if idempotent {
        add(
            "409",
            "A request with this Idempotency-Key is still running",
        );
        add(
            "422",
            "This Idempotency-Key was used with a different request",
        );
    }
}

fn error_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
        .into()
}
