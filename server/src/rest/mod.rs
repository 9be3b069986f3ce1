//! REST v1 (`/api/v1`): the same services as the UI, for scripts and integrations.
//! Authenticates with the session cookie or a personal API token (`Authorization: Bearer`).
//! Mutating calls honour `Idempotency-Key`.
//!
//! Routes and the OpenAPI document come from one list (`routes!` reads each handler's
//! `#[utoipa::path]`), so a route cannot exist without its documentation, nor the reverse.

mod admin;
mod auth;
mod cart;
mod catalog;
mod coupons;
mod extract;
mod idempotency;
mod inventory;
mod me;
mod mobile;
mod notices;
pub mod openapi;
mod orders;
mod payments;
mod tickets;
mod wallet;

use app::platform::state::AppState;
use axum::http::header;
use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

/// Every REST route, with its OpenAPI operation.
pub fn documented(state: &AppState) -> OpenApiRouter<AppState> {
    let uploads = OpenApiRouter::new()
        .routes(idem(state, routes!(catalog::upload_image)))
        .layer(crate::http::uploads::body_limit(state));
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .routes(idem(state, routes!(auth::signup)))
        .routes(idem(state, routes!(auth::login)))
        .routes(idem(state, routes!(auth::logout)))
        .routes(idem(state, routes!(auth::me, me::update, me::withdraw)))
        .routes(idem(state, routes!(me::change_password)))
        .routes(idem(
            state,
            routes!(catalog::create_product, catalog::list_products),
        ))
        .routes(idem(state, routes!(catalog::get_product)))
        .merge(uploads)
        .routes(idem(state, routes!(catalog::category_tree)))
        .routes(idem(state, routes!(catalog::category_products)))
        .routes(idem(state, routes!(catalog::seller_products)))
        .routes(idem(state, routes!(inventory::create_sku)))
        .routes(idem(state, routes!(inventory::availability)))
        .routes(idem(state, routes!(inventory::reserve)))
        .routes(idem(state, routes!(inventory::release)))
        .routes(idem(state, routes!(inventory::get_stock)))
        .routes(idem(state, routes!(inventory::receive)))
        .routes(idem(state, routes!(cart::get_cart)))
        .routes(idem(state, routes!(cart::add_item)))
        .routes(idem(state, routes!(cart::update_item, cart::remove_item)))
        .routes(idem(state, routes!(cart::get_wishlist)))
        .routes(idem(state, routes!(cart::wish, cart::unwish)))
        .routes(idem(state, routes!(coupons::list, coupons::create)))
        .routes(idem(state, routes!(coupons::claim)))
        .routes(idem(state, routes!(coupons::mine)))
        .routes(idem(state, routes!(orders::checkout)))
        .routes(idem(state, routes!(payments::confirm)))
        .routes(routes!(payments::webhook))
        .routes(idem(state, routes!(orders::list)))
        .routes(idem(state, routes!(orders::get)))
        .routes(idem(state, routes!(orders::cancel)))
        .routes(idem(state, routes!(orders::seller_list)))
        .routes(idem(state, routes!(orders::seller_status)))
        .routes(idem(state, routes!(wallet::balance)))
        .routes(idem(state, routes!(wallet::transactions)))
        .routes(idem(state, routes!(wallet::charge)))
        .routes(idem(state, routes!(mobile::plans)))
        .routes(idem(state, routes!(mobile::line_plan)))
        .routes(idem(state, routes!(mobile::request_change)))
        .routes(idem(state, routes!(mobile::get_change)))
        .routes(idem(state, routes!(mobile::breakers)))
        .routes(idem(state, routes!(mobile::reset_breaker)))
        .routes(idem(state, routes!(tickets::list, tickets::create)))
        .routes(idem(state, routes!(tickets::get, tickets::update)))
        .routes(idem(state, routes!(tickets::seats)))
        .routes(routes!(tickets::seat_events))
        .routes(routes!(tickets::queue_events))
        .routes(idem(state, routes!(tickets::hold)))
        .routes(idem(state, routes!(tickets::get_hold, tickets::release)))
        .routes(idem(state, routes!(tickets::pay)))
        .routes(idem(state, routes!(tickets::mine)))
        .routes(idem(state, routes!(tickets::set_status)))
        .routes(idem(state, routes!(tickets::cancel)))
        .routes(idem(
            state,
            routes!(
                tickets::enter_queue,
                tickets::queue_place,
                tickets::leave_queue
            ),
        ))
        .routes(idem(state, routes!(tickets::admissions)))
        .routes(idem(state, routes!(notices::list)))
        .routes(idem(state, routes!(notices::get)))
        .routes(idem(
            state,
            routes!(admin::list_notices, admin::create_notice),
        ))
        .routes(idem(
            state,
            routes!(admin::update_notice, admin::delete_notice),
        ))
        .routes(idem(state, routes!(admin::publish_notice)))
        .routes(idem(state, routes!(admin::list_configs)))
        .routes(idem(state, routes!(admin::get_config, admin::set_config)))
        .routes(idem(state, routes!(admin::list_users)))
        .routes(idem(state, routes!(admin::get_user, admin::patch_user)))
        .routes(idem(state, routes!(admin::audit_log)))
}

/// `Idempotency-Key` for a route's own methods only: another method is a plain 405.
fn idem(state: &AppState, mut r: UtoipaMethodRouter<AppState>) -> UtoipaMethodRouter<AppState> {
    r.2 = r.2.route_layer(axum::middleware::from_fn_with_state(
        state.clone(),
        idempotency::middleware,
    ));
    r
}

/// The REST routes and `/api/v1/openapi.json`, at their full paths.
pub fn router(state: AppState) -> Router<AppState> {
    let (router, api) = documented(&state).split_for_parts();
    let document = openapi::finish(api)
        .to_json()
        .expect("the OpenAPI document serialises");
    router.route(
        "/api/v1/openapi.json",
        get(move || {
            let body = document.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], body) }
        }),
    )
}
