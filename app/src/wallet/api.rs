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
