//! Server functions for the seller's stock console.

use super::{Movement, SkuStock, StockList};
use crate::platform::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::service, crate::platform::auth::current_user, crate::platform::state::AppState,
    crate::seller::service as sellers,
};

/// The caller's approved seller id and user id; the SKU, if given, must be theirs.
#[cfg(feature = "ssr")]
async fn seller_owning(state: &AppState, sku: Option<Uuid>) -> Result<(Uuid, Uuid), AppError> {
    let me = current_user().await?;
    let seller = sellers::approved_seller_of(&state.db, me.id)
        .await?
        .ok_or(AppError::Forbidden)?;
    if let Some(sku) = sku {
        // Someone else's SKU looks exactly like a missing one.
        if !service::owned_by(&state.db, sku, seller).await? {
            return Err(AppError::NotFound);
        }
    }
    Ok((seller, me.id))
}

#[server(prefix = "/fn", endpoint = "seller/stock")]
pub async fn seller_stock(q: Option<String>, after: Option<String>) -> Result<StockList, AppError> {
    let state = AppState::current()?;
    let (seller, _) = seller_owning(&state, None).await?;
    Ok(service::seller_stock(
        &state.db,
        seller,
        q.as_deref(),
        after.as_deref(),
        service::STOCK_PAGE,
    )
    .await?)
}

/// How many SKUs are low, and the ten lowest.
#[server(prefix = "/fn", endpoint = "seller/stock/low")]
pub async fn low_stock() -> Result<(i64, Vec<SkuStock>), AppError> {
    let state = AppState::current()?;
    let (seller, _) = seller_owning(&state, None).await?;
    Ok(service::low_stock(&state.db, seller, 10).await?)
}

#[server(prefix = "/fn", endpoint = "seller/stock/receive")]
pub async fn receive_stock(
    sku_id: Uuid,
    quantity: String,
    reference: Option<String>,
) -> Result<(), AppError> {
    let state = AppState::current()?;
    let (_, user) = seller_owning(&state, Some(sku_id)).await?;
    let qty = super::domain::quantity("quantity", &quantity)?;
    let reference = reference.filter(|r| !r.trim().is_empty());
    service::receive(&state.db, sku_id, qty, reference.as_deref(), Some(user)).await?;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "seller/stock/adjust")]
pub async fn adjust_stock(sku_id: Uuid, delta: String, reason: String) -> Result<(), AppError> {
    let state = AppState::current()?;
    let (_, user) = seller_owning(&state, Some(sku_id)).await?;
    let delta = super::domain::delta("delta", &delta)?;
    let reason = crate::identity::domain::required_text("reason", &reason, 500)?;
    service::adjust(&state.db, sku_id, delta, &reason, Some(user)).await?;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "seller/stock/movements")]
pub async fn sku_movements(sku_id: Uuid) -> Result<(SkuStock, Vec<Movement>), AppError> {
    let state = AppState::current()?;
    let (seller, _) = seller_owning(&state, Some(sku_id)).await?;
    let sku = service::sku_stock(&state.db, seller, sku_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((sku, service::movements(&state.db, sku_id, 200).await?))
}
