//! REST v1 for the cart and the wishlist. Another shopper's line is 404, never 403.

use super::extract::{Json, Path};
use super::openapi::ErrorBody;
use app::cart::domain::line_quantity;
use app::cart::service as cart;
use app::cart::{CartItemId, CartView};
use app::catalog::{ProductId, VariantId};
use app::platform::auth::CurrentUser;
use app::platform::error::AppError;
use app::platform::state::AppState;
use app::wishlist::service as wishlist;
use app::wishlist::WishItem;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

async fn view(state: &AppState, user: &CurrentUser) -> Result<CartView, AppError> {
    Ok(cart::view(&state.db, &state.configs, user.id).await?)
}

/// My cart: lines grouped by seller, each group with its shipping fee.
#[utoipa::path(get, path = "/api/v1/cart", tag = "cart",
    security(("session_cookie" = []), ("api_token" = [])),
    responses((status = 200, body = CartView), (status = 401, body = ErrorBody)))]
pub async fn get_cart(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<CartView>, AppError> {
    Ok(Json(view(&state, &user).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AddItem {
    pub variant_id: VariantId,
    #[schema(minimum = 1, maximum = 999)]
    pub quantity: i32,
}

#[derive(Serialize, ToSchema)]
pub struct Added {
    /// The line the variant is on (an existing line grows).
    pub id: CartItemId,
    pub cart: CartView,
}

/// Add a variant; the same variant again adds to its line. 409 when it is off sale or the
/// cart already holds 100 lines; 422 when more would be in the cart than can be sold.
#[utoipa::path(post, path = "/api/v1/cart/items", tag = "cart", request_body = AddItem,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = Added), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_item(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<AddItem>,
) -> Result<(StatusCode, Json<Added>), AppError> {
    let quantity = line_quantity("quantity", &req.quantity.to_string())?;
    let id = cart::add(&state.db, user.id, req.variant_id, quantity).await?;
    let cart = view(&state, &user).await?;
    Ok((StatusCode::CREATED, Json(Added { id, cart })))
}

#[derive(Deserialize, ToSchema)]
pub struct SetQuantity {
    #[schema(minimum = 1, maximum = 999)]
    pub quantity: i32,
}

/// Set a line's quantity.
#[utoipa::path(patch, path = "/api/v1/cart/items/{id}", tag = "cart", request_body = SetQuantity,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 200, body = CartView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<CartItemId>,
    Json(req): Json<SetQuantity>,
) -> Result<Json<CartView>, AppError> {
    let quantity = line_quantity("quantity", &req.quantity.to_string())?;
    cart::set_quantity(&state.db, user.id, id, quantity).await?;
    Ok(Json(view(&state, &user).await?))
}

/// Remove a line.
#[utoipa::path(delete, path = "/api/v1/cart/items/{id}", tag = "cart",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 204, description = "Removed"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<CartItemId>,
) -> Result<StatusCode, AppError> {
    cart::remove(&state.db, user.id, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// My wishlist, newest first, with prices as they are now.
#[utoipa::path(get, path = "/api/v1/wishlist", tag = "cart",
    security(("session_cookie" = []), ("api_token" = [])),
    responses((status = 200, body = Vec<WishItem>), (status = 401, body = ErrorBody)))]
pub async fn get_wishlist(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<WishItem>>, AppError> {
    Ok(Json(wishlist::list(&state.db, user.id).await?))
}

/// Keep a product; keeping it again changes nothing.
#[utoipa::path(put, path = "/api/v1/wishlist/{product}", tag = "cart",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("product" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 204, description = "Kept"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn wish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(product): Path<ProductId>,
) -> Result<StatusCode, AppError> {
    wishlist::add(&state.db, user.id, product).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Drop a product from the wishlist; dropping one not kept changes nothing.
#[utoipa::path(delete, path = "/api/v1/wishlist/{product}", tag = "cart",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("product" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 204, description = "Dropped"), (status = 401, body = ErrorBody)))]
pub async fn unwish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(product): Path<ProductId>,
) -> Result<StatusCode, AppError> {
    wishlist::remove(&state.db, user.id, product).await?;
    Ok(StatusCode::NO_CONTENT)
}
