//! Server functions for the gateway's return pages.

use super::Confirmed;
use crate::platform::error::AppError;
use leptos::prelude::*;

/// The success page confirms what the gateway authenticated. Safe to repeat (a refresh).
#[server(prefix = "/fn", endpoint = "payments/confirm")]
pub async fn confirm_payment(
    payment_key: String,
    order_id: String,
    amount: String,
) -> Result<Confirmed, AppError> {
    let state = crate::platform::state::AppState::current()?;
    let user = crate::platform::auth::current_user().await?;
    let amount: rust_decimal::Decimal = amount
        .trim()
        .parse()
        .map_err(|_| AppError::Unprocessable(crate::platform::i18n::Msg::ErrPaymentMismatch))?;
    Ok(super::service::confirm(
        &state.db,
        &state.pg,
        user.id,
        &payment_key,
        &order_id,
        amount,
    )
    .await?)
}

/// The fail page: the shopper cancelled at the gateway, or it refused the card.
#[server(prefix = "/fn", endpoint = "payments/failed")]
pub async fn payment_failed(order_id: String, code: String) -> Result<(), AppError> {
    let state = crate::platform::state::AppState::current()?;
    let user = crate::platform::auth::current_user().await?;
    let code: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .take(64)
        .collect();
    Ok(super::service::fail(&state.db, &state.pg, user.id, &order_id, &code).await?)
}
