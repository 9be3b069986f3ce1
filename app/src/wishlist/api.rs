//! Server functions for the wishlist.

use super::domain::WishForm;
use super::{WishItem, WishState};
use crate::catalog::ProductId;
use crate::platform::error::AppError;
use leptos::prelude::*;

/// The heart. A guest is sent to sign in, and comes back to the page they were on.
#[server(prefix = "/fn", endpoint = "wishlist/set")]
pub async fn set_wish(form: WishForm) -> Result<(), AppError> {
    use crate::platform::i18n::Msg;
    use crate::platform::notice::notice;
    let state = crate::platform::state::AppState::current()?;
    let Some(user) = crate::platform::auth::maybe_user().await? else {
        let back = use_context::<http::request::Parts>()
            .and_then(|p| p.headers.get(http::header::REFERER).cloned())
            .and_then(|r| r.to_str().ok().and_then(|r| r.parse::<http::Uri>().ok()))
            .and_then(|u| u.path_and_query().map(|p| p.as_str().to_owned()))
            .unwrap_or_else(|| "/".into());
        leptos_axum::redirect(&crate::platform::paths::login_for(&back));
        return Ok(());
    };
    if form.wish {
        super::service::add(&state.db, user.id, form.product_id).await?;
        notice(Msg::NoticeWished).await;
    } else {
        super::service::remove(&state.db, user.id, form.product_id).await?;
        notice(Msg::NoticeUnwished).await;
    }
    Ok(())
}

#[server(prefix = "/fn", endpoint = "wishlist/status")]
pub async fn wish_status(product_id: ProductId) -> Result<WishState, AppError> {
    let state = crate::platform::state::AppState::current()?;
    let user = crate::platform::auth::maybe_user().await?.map(|u| u.id);
    Ok(super::service::state(&state.db, user, product_id).await?)
}

#[server(prefix = "/fn", endpoint = "wishlist")]
pub async fn my_wishlist() -> Result<Vec<WishItem>, AppError> {
    let state = crate::platform::state::AppState::current()?;
    let user = crate::platform::auth::current_user().await?;
    Ok(super::service::list(&state.db, user.id).await?)
}
