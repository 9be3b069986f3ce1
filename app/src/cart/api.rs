//! Server functions for the cart. A signed-in shopper's cart is in Postgres; a guest's is in
//! the session. Both follow the same rules (`service`).

use super::domain::{AddToCartForm, RemoveLineForm, UpdateLineForm};
use super::CartView;
use crate::platform::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::cart::domain::{Intent, LineChange, NewLine};
    pub use crate::cart::{guest, service};
    pub use crate::identity::UserId;
    pub use crate::platform::auth::maybe_user;
    pub use crate::platform::forms::keep_on_error;
    pub use crate::platform::i18n::Msg;
    pub use crate::platform::notice::notice;
    pub use crate::platform::once::once;
    pub use crate::platform::state::AppState;
    pub use tower_sessions::Session;

    /// Whose cart this request changes.
    pub enum CartOwner {
        Account(UserId),
        Guest(Session),
    }

    pub async fn owner() -> Result<CartOwner, AppError> {
        Ok(match maybe_user().await? {
            Some(u) => CartOwner::Account(u.id),
            None => CartOwner::Guest(
                leptos_axum::extract::<Session>()
                    .await
                    .map_err(AppError::internal)?,
            ),
        })
    }

    use crate::platform::error::AppError;
}
#[cfg(feature = "ssr")]
use ssr::*;

/// "장바구니" / "바로 구매" on the product page: on to the cart, or straight to checkout.
#[server(prefix = "/fn", endpoint = "cart/add")]
pub async fn add_to_cart(form: AddToCartForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let added = once("cart/add", &form.once, &form, async {
        let line = NewLine::try_from(&form)?;
        let variant = service::resolve(&state.db, line.product, &line.choice).await?;
        match owner().await? {
            CartOwner::Account(user) => {
                service::add(&state.db, user, variant, line.quantity).await?
            }
            CartOwner::Guest(session) => {
                guest::add(&state.db, &session, variant, line.quantity).await?
            }
        };
        Ok::<_, AppError>(line.intent)
    });
    match keep_on_error("add-to-cart", &form, added.await).await? {
        Intent::Cart => {
            notice(Msg::NoticeAddedToCart).await;
            leptos_axum::redirect("/cart");
        }
        Intent::Buy => leptos_axum::redirect("/checkout"),
    }
    Ok(())
}

#[server(prefix = "/fn", endpoint = "cart/update")]
pub async fn update_cart_line(form: UpdateLineForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let changed = async {
        let c = LineChange::try_from(&form)?;
        match owner().await? {
            CartOwner::Account(user) => {
                service::set_quantity(&state.db, user, c.id, c.quantity).await
            }
            CartOwner::Guest(session) => {
                guest::set_quantity(&state.db, &session, c.id, c.quantity).await
            }
        }?;
        Ok::<_, AppError>(())
    };
    keep_on_error("cart-line", &form, changed.await).await?;
    notice(Msg::NoticeCartUpdated).await;
    leptos_axum::redirect("/cart");
    Ok(())
}

#[server(prefix = "/fn", endpoint = "cart/remove")]
pub async fn remove_cart_line(form: RemoveLineForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    match owner().await? {
        CartOwner::Account(user) => service::remove(&state.db, user, form.id).await?,
        CartOwner::Guest(session) => guest::remove(&session, form.id).await?,
    }
    notice(Msg::NoticeCartRemoved).await;
    leptos_axum::redirect("/cart");
    Ok(())
}

#[server(prefix = "/fn", endpoint = "cart")]
pub async fn my_cart() -> Result<CartView, AppError> {
    let state = AppState::current()?;
    let raw = match owner().await? {
        CartOwner::Account(user) => service::raw_lines(&state.db, user).await?,
        CartOwner::Guest(session) => guest::lines(&session).await?,
    };
    Ok(service::view_of(&state.db, &state.configs, raw).await?)
}

/// How many lines the cart holds, for the header.
#[server(prefix = "/fn", endpoint = "cart/count")]
pub async fn cart_count() -> Result<i64, AppError> {
    let state = AppState::current()?;
    Ok(match owner().await? {
        CartOwner::Account(user) => service::count(&state.db, user).await?,
        CartOwner::Guest(session) => guest::count(&session).await?,
    })
}

/// At sign-in: the guest's lines join the account's cart. A failure must not stop the
/// sign-in, so it is logged and the lines stay in the session for the next try.
#[cfg(feature = "ssr")]
pub async fn merge_guest_cart(db: &sqlx::PgPool, session: &Session, user: UserId) {
    let merged = async {
        let lines = guest::lines(session).await?;
        if lines.is_empty() {
            return Ok::<_, super::CartError>(None);
        }
        let merged = service::merge(db, user, &lines).await?;
        guest::take(session).await?;
        Ok(Some(merged))
    };
    match merged.await {
        Ok(Some(m)) if m.trimmed => {
            crate::platform::notice::notice_in(session, Msg::NoticeCartMergedTrimmed).await
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not merge the guest cart"),
    }
}
