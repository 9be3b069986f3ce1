//! Server functions for the point balance.

use super::WalletView;
use crate::platform::error::AppError;
use leptos::prelude::*;

/// My balance and a page of its history, older than `before` (a ledger row id).
#[server(prefix = "/fn", endpoint = "wallet")]
pub async fn my_wallet(before: Option<i64>) -> Result<WalletView, AppError> {
    use crate::platform::state::AppState;
    let state = AppState::current()?;
    let user = crate::platform::auth::current_user().await?;
    Ok(super::service::history(&state.db, user.id, before, super::service::PAGE).await?)
}

/// "충전하기": starts a card charge and sends the shopper to the gateway's page.
#[server(prefix = "/fn", endpoint = "wallet/charge")]
pub async fn charge_points(form: super::domain::ChargeForm) -> Result<(), AppError> {
    use crate::platform::forms::keep_on_error;
    use crate::platform::once::once;
    use crate::platform::state::AppState;
    let state = AppState::current()?;
    let user = crate::platform::auth::current_user().await?;
    let started = once("wallet/charge", &form.once, &form, async {
        let amount = super::domain::ChargeAmount::try_from(&form)?;
        let started = crate::payment::service::start_charge(
            &state.db,
            &state.pg,
            &state.configs,
            user.id,
            amount,
            &crate::ordering::api::site_url(),
        )
        .await?;
        Ok::<_, AppError>(started.next.redirect_url)
    });
    let url = keep_on_error("charge", &form, started.await).await?;
    leptos_axum::redirect(&url);
    Ok(())
}
