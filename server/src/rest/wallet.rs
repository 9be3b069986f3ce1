//! REST v1 for the point balance.

use super::extract::Json;
use super::extract::Query;
use super::openapi::ErrorBody;
use app::platform::auth::CurrentUser;
use app::platform::error::AppError;
use app::platform::state::AppState;
use app::wallet::service as wallet;
use app::wallet::WalletView;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct Balance {
    /// Whole won.
    pub balance: Decimal,
}

/// My point balance.
#[utoipa::path(get, path = "/api/v1/balance", tag = "balance",
    security(("session_cookie" = []), ("api_token" = [])),
    responses((status = 200, body = Balance), (status = 401, body = ErrorBody)))]
pub async fn balance(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Balance>, AppError> {
    Ok(Json(Balance {
        balance: wallet::balance(&state.db, user.id).await?,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// Only rows older than this ledger id (the `next` of the page before).
    #[param(minimum = 1, maximum = 9_007_199_254_740_991_i64)]
    pub before: Option<i64>,
}

/// My balance and its ledger, newest first, 30 rows a page.
#[utoipa::path(get, path = "/api/v1/balance/transactions", tag = "balance",
    security(("session_cookie" = []), ("api_token" = [])),
    params(Page),
    responses((status = 200, body = WalletView), (status = 401, body = ErrorBody)))]
pub async fn transactions(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(page): Query<Page>,
) -> Result<Json<WalletView>, AppError> {
    if page
        .before
        .is_some_and(|b| !(1..=9_007_199_254_740_991).contains(&b))
    {
        return Err(AppError::field(
            "before",
            app::platform::i18n::Msg::ErrBadForm,
        ));
    }
    Ok(Json(
        wallet::history(&state.db, user.id, page.before, wallet::PAGE).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ChargeRequest {
    /// Whole won, 1,000 to 2,000,000.
    #[schema(value_type = String, example = "10000")]
    pub amount: String,
}

#[derive(Serialize, ToSchema)]
pub struct ChargeStarted {
    /// Pass as `orderId` to `POST /api/v1/payments/confirm`.
    pub checkout_id: app::ordering::CheckoutId,
    pub amount: Decimal,
    /// The gateway's card page. It sends the shopper back to
    /// `/account/points/charge/success` (or `/fail`) on this site.
    pub redirect_url: String,
}

/// Buy points by card: answers with the gateway's card page. The balance grows once the
/// payment is confirmed (`POST /api/v1/payments/confirm` answers `Charged`).
#[utoipa::path(post, path = "/api/v1/balance/charge", tag = "balance", request_body = ChargeRequest,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = ChargeStarted), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn charge(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Json(req): Json<ChargeRequest>,
) -> Result<(StatusCode, Json<ChargeStarted>), AppError> {
    let amount = app::wallet::domain::ChargeAmount::parse("amount", &req.amount)?;
    let site = app::ordering::api::site_of(&headers, state.settings.cookie_secure);
    let started = app::payment::service::start_charge(
        &state.db,
        &state.pg,
        &state.configs,
        user.id,
        amount,
        &site,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(ChargeStarted {
            checkout_id: started.checkout,
            amount: amount.get(),
            redirect_url: started.next.redirect_url,
        }),
    ))
}
