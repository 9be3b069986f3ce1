//! Server functions for coupons: claiming them (the coupon page and the product page) and
//! making them (the seller and admin consoles).

use super::domain::CouponPageForm;
use super::{Console, Coupon, CouponId, UserCouponId, UserCouponStatus};
use crate::catalog::ProductId;
use crate::platform::error::AppError;
use leptos::prelude::*;

/// `coupons` with whether the signed-in shopper holds each.
#[cfg(feature = "ssr")]
async fn with_held(
    db: &sqlx::PgPool,
    coupons: Vec<Coupon>,
) -> Result<Vec<(Coupon, bool)>, AppError> {
    let held: Vec<CouponId> = match crate::platform::auth::maybe_user().await? {
        Some(u) => super::service::mine(db, u.id)
            .await?
            .into_iter()
            .map(|(_, c, _)| c.id)
            .collect(),
        None => Vec::new(),
    };
    Ok(coupons
        .into_iter()
        .map(|c| {
            let mine = held.contains(&c.id);
            (c, mine)
        })
        .collect())
}

/// Coupons that can be claimed now, with whether I hold each.
#[server(prefix = "/fn", endpoint = "coupons")]
pub async fn claimable() -> Result<Vec<(Coupon, bool)>, AppError> {
    let state = crate::platform::state::AppState::current()?;
    let all = super::service::available(&state.db).await?;
    with_held(&state.db, all).await
}

/// The coupons that cover one product, for its page.
#[server(prefix = "/fn", endpoint = "coupons/product")]
pub async fn product_coupons(product: ProductId) -> Result<Vec<(Coupon, bool)>, AppError> {
    let state = crate::platform::state::AppState::current()?;
    let these = super::service::for_product(&state.db, product).await?;
    with_held(&state.db, these).await
}

/// "쿠폰 받기". A guest is sent to sign in first, and back to `back` (the page it was on).
#[server(prefix = "/fn", endpoint = "coupons/claim")]
pub async fn claim_coupon(coupon: CouponId, back: Option<String>) -> Result<(), AppError> {
    let state = crate::platform::state::AppState::current()?;
    let Some(user) = crate::platform::auth::maybe_user().await? else {
        let back = crate::platform::paths::safe_next(back.as_deref());
        let back = if back == "/" { "/coupons" } else { back };
        leptos_axum::redirect(&crate::platform::paths::login_for(back));
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

/// The console's coupon page: an admin's every coupon, or a seller's own.
#[server(prefix = "/fn", endpoint = "coupons/console")]
pub async fn coupon_console() -> Result<Console, AppError> {
    use super::service::{made_by, targets, Maker};
    let state = crate::platform::state::AppState::current()?;
    let user = crate::platform::auth::current_user().await?;
    let maker = Maker::of(&state.db, user).await?;
    Ok(Console {
        is_admin: matches!(maker, Maker::Admin(_)),
        now: chrono::Utc::now(),
        coupons: made_by(&state.db, maker).await?,
        targets: targets(&state.db, maker).await?,
    })
}

/// "쿠폰 만들기" in the seller or admin console.
#[server(prefix = "/fn", endpoint = "coupons/create")]
pub async fn create_coupon(form: CouponPageForm) -> Result<(), AppError> {
    use super::domain::NewCoupon;
    use super::service::{create, Maker};
    use crate::platform::forms::keep_on_error;
    let state = crate::platform::state::AppState::current()?;
    let user = crate::platform::auth::current_user().await?;
    let maker = Maker::of(&state.db, user).await?;
    let made = crate::platform::once::once("coupons/create", &form.once, &form, async {
        let new = NewCoupon::try_from(&form)?;
        Ok::<_, AppError>(create(&state.db, maker, &new).await?)
    });
    keep_on_error("coupon", &form, made.await).await?;
    crate::platform::notice::notice(crate::platform::i18n::Msg::NoticeCouponCreated).await;
    Ok(())
}
