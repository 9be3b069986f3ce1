//! Server functions for the seller's stock console.

use super::domain::{AdjustForm, ReceiveForm};
use super::{Movement, SkuId, SkuStock, StockList};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::domain::{Adjustment, Receipt},
    super::service,
    crate::platform::forms::keep_on_error,
    crate::platform::i18n::Msg,
    crate::platform::notice::notice,
    crate::platform::once::once,
    crate::platform::state::AppState,
    crate::seller::ApprovedSeller,
};

/// The caller as an approved seller; the SKU, if given, must be theirs.
#[cfg(feature = "ssr")]
async fn seller_owning(state: &AppState, sku: Option<SkuId>) -> Result<ApprovedSeller, AppError> {
    let seller = ApprovedSeller::current().await?;
    if let Some(sku) = sku {
        // Someone else's SKU looks exactly like a missing one.
        if !service::owned_by(&state.db, sku, seller.id).await? {
            return Err(AppError::NotFound);
        }
    }
    Ok(seller)
}

#[server(prefix = "/fn", endpoint = "seller/stock")]
pub async fn seller_stock(q: Option<String>, after: Option<String>) -> Result<StockList, AppError> {
    let state = AppState::current()?;
    let seller = seller_owning(&state, None).await?;
    Ok(service::seller_stock(
        &state.db,
        seller.id,
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
    let seller = seller_owning(&state, None).await?;
    Ok(service::low_stock(&state.db, seller.id, 10).await?)
}

#[server(prefix = "/fn", endpoint = "seller/stock/receive")]
pub async fn receive_stock(form: ReceiveForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let seller = seller_owning(&state, Some(form.sku_id)).await?;
    let received = once("seller/stock/receive", &form.once, &form, async {
        let r = Receipt::try_from(&form)?;
        let actor = Some(seller.user.id);
        service::receive(
            &state.db,
            form.sku_id,
            r.quantity,
            r.reference.as_deref(),
            actor,
        )
        .await?;
        Ok::<_, AppError>(())
    });
    keep_on_error("stock-receive", &form, received.await).await?;
    notice(Msg::NoticeStockReceived).await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "seller/stock/adjust")]
pub async fn adjust_stock(form: AdjustForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let seller = seller_owning(&state, Some(form.sku_id)).await?;
    let adjusted = once("seller/stock/adjust", &form.once, &form, async {
        let a = Adjustment::try_from(&form)?;
        let actor = Some(seller.user.id);
        service::adjust(&state.db, form.sku_id, a.delta, &a.reason, actor).await?;
        Ok::<_, AppError>(())
    });
    keep_on_error("stock-adjust", &form, adjusted.await).await?;
    notice(Msg::NoticeStockAdjusted).await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "seller/stock/movements")]
pub async fn sku_movements(sku_id: SkuId) -> Result<(SkuStock, Vec<Movement>), AppError> {
    let state = AppState::current()?;
    let seller = seller_owning(&state, Some(sku_id)).await?;
    let sku = service::sku_stock(&state.db, seller.id, sku_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((sku, service::movements(&state.db, sku_id, 200).await?))
}
