//! REST v1 for checkout and orders. Another shopper's order is 404, never 403; a seller sees
//! only their own paid orders.

use super::extract::{Json, Path};
use super::openapi::ErrorBody;
use app::identity::AddressId;
use app::ordering::domain::NewCheckout;
use app::ordering::service::{self as ordering, Actor, CancelReason, Canceller};
use app::ordering::{OrderDetail, OrderItemId, OrderStatus, OrderSummary, PaymentMethod, Placed};
use app::platform::auth::{client_ip, CurrentUser};
use app::platform::error::AppError;
use app::platform::state::AppState;
use app::seller::ApprovedSeller;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::StatusCode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The caller's address, for order events.
pub struct Ip(pub Option<String>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Ip {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Ip(Some(client_ip(parts))))
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CheckoutRequest {
    pub address_id: AddressId,
    #[schema(max_length = 200)]
    pub memo: Option<String>,
    /// Whole won; POINTS needs exactly the total.
    #[serde(default)]
    pub points: Decimal,
    pub method: PaymentMethod,
    /// One of my coupons (`GET /api/v1/me/coupons`), applied to the lines in its scope.
    pub coupon_id: Option<app::promotion::UserCouponId>,
}

#[derive(Serialize, ToSchema)]
pub struct CheckoutResponse {
    #[serde(flatten)]
    pub placed: Placed,
    /// The gateway's payment page, when something is left to pay; confirm afterwards with
    /// `POST /api/v1/payments/confirm`.
    pub redirect_url: Option<String>,
}

/// Place the cart as one order per seller. Answers with the order numbers, what is left to
/// pay, the checkout's status (PAID when points covered everything) and, when the gateway
/// must collect, the URL of its payment page.
#[utoipa::path(post, path = "/api/v1/checkout", tag = "orders", request_body = CheckoutRequest,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = CheckoutResponse), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn checkout(
    State(state): State<AppState>,
    user: CurrentUser,
    Ip(ip): Ip,
    headers: axum::http::HeaderMap,
    Json(req): Json<CheckoutRequest>,
) -> Result<(StatusCode, Json<CheckoutResponse>), AppError> {
    let memo = app::identity::domain::optional_text("memo", req.memo.as_deref(), 200)?;
    let points = app::wallet::domain::points_to_use("points", Some(&req.points.to_string()))?;
    let new = NewCheckout {
        address: req.address_id,
        memo,
        points,
        method: req.method,
        coupon: req.coupon_id,
    };
    let actor = Actor::customer(user.id, ip);
    let site = app::ordering::api::site_of(&headers, state.settings.cookie_secure);
    let (placed, next) =
        app::ordering::api::place_with_gateway(&state, user.id, &new, &actor, &site).await?;
    Ok((
        StatusCode::CREATED,
        Json(CheckoutResponse {
            redirect_url: next.map(|n| n.redirect_url),
            placed,
        }),
    ))
}

/// My orders, newest first.
#[utoipa::path(get, path = "/api/v1/orders", tag = "orders",
    security(("session_cookie" = []), ("api_token" = [])),
    responses((status = 200, body = Vec<OrderSummary>), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<OrderSummary>>, AppError> {
    Ok(Json(ordering::list_for_user(&state.db, user.id).await?))
}

/// One of my orders with its items and timeline.
#[utoipa::path(get, path = "/api/v1/orders/{number}", tag = "orders",
    security(("session_cookie" = []), ("api_token" = [])),
    params(("number" = String, Path)),
    responses((status = 200, body = OrderDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(number): Path<String>,
) -> Result<Json<OrderDetail>, AppError> {
    Ok(Json(
        ordering::detail_for_user(&state.db, user.id, &number).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct CancelRequest {
    /// Items to cancel; empty or left out cancels the whole order.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub items: Vec<OrderItemId>,
}

#[derive(Serialize, ToSchema)]
pub struct CancelResult {
    pub refunded: Decimal,
    pub whole: bool,
}

/// Cancel my order, or some of its items, before it ships; the refund is immediate.
#[utoipa::path(post, path = "/api/v1/orders/{number}/cancel", tag = "orders", request_body = CancelRequest,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("number" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 200, body = CancelResult), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Ip(ip): Ip,
    Path(number): Path<String>,
    Json(req): Json<CancelRequest>,
) -> Result<Json<CancelResult>, AppError> {
    let actor = Actor::customer(user.id, ip);
    let c = ordering::cancel(
        &state.db,
        &state.pg,
        &number,
        Canceller::Customer(user.id),
        &req.items,
        CancelReason::CustomerRequest,
        &actor,
    )
    .await?;
    Ok(Json(CancelResult {
        refunded: c.refunded,
        whole: c.whole,
    }))
}

/// The calling seller's paid orders, newest first.
#[utoipa::path(get, path = "/api/v1/seller/orders", tag = "orders",
    security(("session_cookie" = []), ("api_token" = [])),
    responses((status = 200, body = Vec<OrderSummary>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn seller_list(
    State(state): State<AppState>,
    seller: ApprovedSeller,
) -> Result<Json<Vec<OrderSummary>>, AppError> {
    Ok(Json(
        ordering::list_for_seller(&state.db, seller.id, None).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct StatusRequest {
    /// `preparing`, or `cancelled` (as out of stock, refunded at once).
    pub status: OrderStatus,
}

/// Move one of my (seller's) orders on: to preparing, or cancelled as out of stock.
#[utoipa::path(post, path = "/api/v1/seller/orders/{number}/status", tag = "orders", request_body = StatusRequest,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("number" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 204, description = "Done"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn seller_status(
    State(state): State<AppState>,
    seller: ApprovedSeller,
    Ip(ip): Ip,
    Path(number): Path<String>,
    Json(req): Json<StatusRequest>,
) -> Result<StatusCode, AppError> {
    let actor = Actor::seller(seller.user.id, ip);
    match req.status {
        OrderStatus::Preparing => {
            ordering::mark_preparing(&state.db, seller.id, &number, &actor).await?
        }
        OrderStatus::Cancelled => {
            ordering::cancel(
                &state.db,
                &state.pg,
                &number,
                Canceller::Seller(seller.id),
                &[],
                CancelReason::OutOfStock,
                &actor,
            )
            .await?;
        }
        _ => {
            return Err(AppError::field(
                "status",
                app::platform::i18n::Msg::ErrOrderTransition,
            ))
        }
    }
    Ok(StatusCode::NO_CONTENT)
}
