//! Server functions of the console homes.

use crate::admin::dashboard::{AdminDashboard, SellerDashboard};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    crate::admin::service::dashboard as service, crate::identity::Role,
    crate::platform::audit::current_actor, crate::platform::state::AppState,
};

/// `/admin`: the shop's numbers and charts.
#[server(prefix = "/fn", endpoint = "admin/dashboard")]
pub async fn admin_numbers() -> Result<AdminDashboard, AppError> {
    let state = AppState::current()?;
    current_actor(&[Role::Admin]).await?;
    Ok(service::admin(&state.db).await?)
}

/// `/seller`: an approved seller's own numbers (none for anyone else).
#[server(prefix = "/fn", endpoint = "seller/dashboard")]
pub async fn seller_numbers() -> Result<Option<SellerDashboard>, AppError> {
    let state = AppState::current()?;
    let me = crate::platform::auth::current_user().await?;
    let Some(seller) = crate::seller::service::approved_seller_of(&state.db, me.id).await? else {
        return Ok(None);
    };
    Ok(Some(service::seller(&state.db, seller).await?))
}
