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
