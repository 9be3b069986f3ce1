//! Server functions for selling: apply, and the admin review queue.

// A server function's arguments are its form fields.
#![allow(clippy::too_many_arguments)]

use super::SellerView;
use crate::platform::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::{service, SellerStatus},
    crate::identity::Role,
    crate::platform::auth::current_user,
    crate::platform::state::AppState,
};

#[server(prefix = "/fn", endpoint = "seller/me")]
pub async fn my_seller() -> Result<Option<SellerView>, AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    Ok(service::for_user(&state.db, me.id).await?)
}

#[server(prefix = "/fn", endpoint = "seller/apply")]
pub async fn apply_seller(
    business_name: String,
    business_number: String,
    business_type: String,
    representative_name: String,
    business_address: String,
    business_phone: String,
    bank_name: String,
    bank_account_holder: String,
    bank_account_number: String,
) -> Result<(), AppError> {
    let state = AppState::current()?;
    let me = current_user().await?;
    let echo = [
        ("business_name", business_name.clone()),
        ("business_number", business_number.clone()),
        ("business_type", business_type.clone()),
        ("representative_name", representative_name.clone()),
        ("business_address", business_address.clone()),
        ("business_phone", business_phone.clone()),
        ("bank_name", bank_name.clone()),
        ("bank_account_holder", bank_account_holder.clone()),
        ("bank_account_number", bank_account_number.clone()),
    ];
    let app = service::Application {
        business_name,
        business_number,
        business_type,
        representative_name,
        business_address,
        business_phone,
        bank_name,
        bank_account_holder,
        bank_account_number,
    };
    if let Err(e) = service::apply(&state.db, me.id, app).await {
        let pairs: Vec<(&str, &str)> = echo.iter().map(|(k, v)| (*k, v.as_str())).collect();
        crate::platform::forms::remember("seller-apply", &pairs).await;
        return Err(e.into());
    }
    leptos_axum::redirect("/seller");
    Ok(())
}

#[server(prefix = "/fn", endpoint = "admin/sellers")]
pub async fn admin_sellers(status: Option<String>) -> Result<Vec<SellerView>, AppError> {
    let state = AppState::current()?;
    current_user().await?.require(&[Role::Admin])?;
    let status = status.as_deref().and_then(SellerStatus::parse);
    Ok(service::list(&state.db, status).await?)
}

#[server(prefix = "/fn", endpoint = "admin/sellers/approve")]
pub async fn approve_seller(id: Uuid, commission_rate: Option<String>) -> Result<(), AppError> {
    let state = AppState::current()?;
    let admin = current_user().await?;
    admin.require(&[Role::Admin])?;
    let rate = match commission_rate
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => Some(s.parse().map_err(|_| {
            AppError::field("commission_rate", crate::platform::i18n::Msg::ErrPercentage)
        })?),
    };
    service::approve(&state.db, &state.configs, id, admin.id, rate).await?;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "admin/sellers/reject")]
pub async fn reject_seller(id: Uuid, reason: String) -> Result<(), AppError> {
    let state = AppState::current()?;
    let admin = current_user().await?;
    admin.require(&[Role::Admin])?;
    service::reject(&state.db, id, admin.id, &reason).await?;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "admin/sellers/suspend")]
pub async fn suspend_seller(id: Uuid, reason: String) -> Result<(), AppError> {
    let state = AppState::current()?;
    let admin = current_user().await?;
    admin.require(&[Role::Admin])?;
    service::suspend(&state.db, id, admin.id, &reason).await?;
    Ok(())
}
