//! Server functions for coupons.

use super::{Coupon, CouponId, UserCouponId, UserCouponStatus};
use crate::platform::error::AppError;
use leptos::prelude::*;

/// Coupons that can be claimed now, with whether I hold each.
#[server(prefix = "/fn", endpoint = "coupons")]
pub async fn claimable() -> Result<Vec<(Coupon, bool)>, AppError> {
    let state = crate::platform::state::AppState::current()?;
    let user = crate::platform::auth::maybe_user().await?;
    let all = super::service::available(&state.db).await?;
    let held: Vec<CouponId> = match user {
        Some(u) => super::service::mine(&state.db, u.id)
            .await?
            .into_iter()
            .map(|(_, c, _)| c.id)
            .collect(),
        None => Vec::new(),
    };
    Ok(all
        .into_iter()
        .map(|c| {
            let mine = held.contains(&c.id);
            (c, mine)
        })
        .collect())
}

/// "쿠폰 받기". A guest is sent to sign in first.
#[server(prefix = "/fn", endpoint = "coupons/claim")]
pub async fn claim_coupon(coupon: CouponId) -> Result<(), AppError> {
    let state = crate::platform::state::AppState::current()?;
    let Some(user) = crate::platform::auth::maybe_user().await? else {
        leptos_axum::redirect(&crate::platform::paths::login_for("/coupons"));
        return Ok(());
    };
    super::service::claim(&state.db, &state.redis, user.id, coupon).await?;
    crate::platform::notice::notice(crate::platform::i18n::Msg::NoticeCouponClaimed).await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "coupons/mine")]
pub async fn my_coupons() -> Result<Vec<(UserCouponId, Coupon, UserCouponStatus)>, AppError> {
    let state = crate::platform::state::AppState::current()?;
    let user = crate::platform::auth::current_user().await?;
    Ok(super::service::mine(&state.db, user.id).await?)
}
