//! Server functions for checkout and orders.

use super::domain::{CancelForm, CheckoutForm};
use super::{CheckoutPage, OrderDetail, OrderStatus, OrderSummary};
use crate::platform::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    pub use crate::ordering::domain::NewCheckout;
    pub use crate::ordering::service::{self, Actor, CancelReason, Canceller};
    pub use crate::platform::auth::current_user;
    pub use crate::platform::forms::keep_on_error;
    pub use crate::platform::i18n::Msg;
    pub use crate::platform::notice::notice;
    pub use crate::platform::once::once;
    pub use crate::platform::state::AppState;
    pub use crate::seller::ApprovedSeller;

    pub fn ip() -> Option<String> {
        leptos::prelude::use_context::<http::request::Parts>()
            .map(|p| crate::platform::auth::client_ip(&p))
    }
}
#[cfg(feature = "ssr")]
use ssr::*;

#[server(prefix = "/fn", endpoint = "checkout")]
pub async fn checkout_data() -> Result<CheckoutPage, AppError> {
    let state = AppState::current()?;
    let user = current_user().await?;
    Ok(service::checkout_page(&state.db, &state.configs, user.id).await?)
}

/// "결제하기": places the cart as one order per seller. Paid with points, it shows the
/// order; otherwise it sends the shopper to the gateway's payment page.
#[server(prefix = "/fn", endpoint = "checkout/place")]
pub async fn place_order(form: CheckoutForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let user = current_user().await?;
    let placed = once("checkout/place", &form.once, &form, async {
        let new = NewCheckout::try_from(&form)?;
        let actor = Actor::customer(user.id, ip());
        let (placed, next) = place_with_gateway(&state, user.id, &new, &actor, &site_url()).await?;
        Ok::<_, AppError>((placed, next.map(|n| n.redirect_url)))
    });
    let (placed, next) = keep_on_error("checkout", &form, placed.await).await?;
    if let Some(url) = next {
        leptos_axum::redirect(&url);
        return Ok(());
    }
    notice(Msg::NoticeOrderPlaced).await;
    match placed.order_numbers.as_slice() {
        [one] => leptos_axum::redirect(&format!("/orders/{one}")),
        _ => leptos_axum::redirect("/orders"),
    }
    Ok(())
}

/// This site as the shopper's browser reaches it (its Host), for the gateway's return URLs.
#[cfg(feature = "ssr")]
pub fn site_of(headers: &http::HeaderMap, secure: bool) -> String {
    let host = headers
        .get(http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1:3000");
    format!("{}://{host}", if secure { "https" } else { "http" })
}

/// `site_of` for the request a server function is answering.
#[cfg(feature = "ssr")]
pub fn site_url() -> String {
    let secure = AppState::current().is_ok_and(|s| s.settings.cookie_secure);
    leptos::prelude::use_context::<http::request::Parts>()
        .map(|p| site_of(&p.headers, secure))
        .unwrap_or_else(|| site_of(&http::HeaderMap::new(), secure))
}

/// Places a checkout and, when the gateway must collect, starts its payment. A gateway
/// that is refusing calls is found out before anything is held.
#[cfg(feature = "ssr")]
pub async fn place_with_gateway(
    state: &AppState,
    user: crate::identity::UserId,
    new: &NewCheckout,
    actor: &Actor,
    site: &str,
) -> Result<(super::Placed, Option<crate::payment::NextStep>), AppError> {
    use crate::payment::GatewayMethod;
    let method = match new.method {
        super::PaymentMethod::Points => None,
        super::PaymentMethod::Card => Some(GatewayMethod::Card),
        super::PaymentMethod::VirtualAccount => Some(GatewayMethod::VirtualAccount),
        super::PaymentMethod::BankTransfer => Some(GatewayMethod::Transfer),
    };
    if method.is_some() && state.pg.open_for().await.is_some() {
        return Err(AppError::Unavailable(Msg::ErrPaymentBusy));
    }
    let placed = service::place(&state.checkout_db, &state.configs, user, new, actor).await?;
    let Some(method) = method.filter(|_| placed.amount_due > rust_decimal::Decimal::ZERO) else {
        return Ok((placed, None));
    };
    let name = match placed.order_numbers.as_slice() {
        [one] => format!("장터 주문 {one}"),
        [first, rest @ ..] => format!("장터 주문 {first} 외 {}건", rest.len()),
        [] => "장터 주문".to_owned(),
    };
    let next = crate::payment::service::start(
        &state.db,
        &state.pg,
        crate::payment::service::NewPayment {
            checkout: placed.checkout_id,
            user,
            method,
            amount: placed.amount_due,
            order_name: &name,
            back: "/checkout",
        },
        site,
    )
    .await?;
    Ok((placed, Some(next)))
}

#[server(prefix = "/fn", endpoint = "orders")]
pub async fn my_orders() -> Result<Vec<OrderSummary>, AppError> {
    let state = AppState::current()?;
    let user = current_user().await?;
    Ok(service::list_for_user(&state.db, user.id).await?)
}

#[server(prefix = "/fn", endpoint = "orders/one")]
pub async fn my_order(number: String) -> Result<OrderDetail, AppError> {
    let state = AppState::current()?;
    let user = current_user().await?;
    Ok(service::detail_for_user(&state.db, user.id, &number).await?)
}

/// "주문 취소": the whole order, or the checked items.
#[server(prefix = "/fn", endpoint = "orders/cancel")]
pub async fn cancel_order(form: CancelForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let user = current_user().await?;
    let actor = Actor::customer(user.id, ip());
    service::cancel(
        &state.db,
        &state.pg,
        &form.order_number,
        Canceller::Customer(user.id),
        &form.items,
        CancelReason::CustomerRequest,
        &actor,
    )
    .await?;
    notice(Msg::NoticeOrderCancelled).await;
    leptos_axum::redirect(&format!("/orders/{}", form.order_number));
    Ok(())
}

/// The seller's paid orders, optionally of one status.
#[server(prefix = "/fn", endpoint = "seller/orders")]
pub async fn seller_orders(status: Option<OrderStatus>) -> Result<Vec<OrderSummary>, AppError> {
    let state = AppState::current()?;
    let seller = ApprovedSeller::current().await?;
    Ok(service::list_for_seller(&state.db, seller.id, status).await?)
}

/// The seller starts packing an order, or cancels it as out of stock (refunded at once).
#[server(prefix = "/fn", endpoint = "seller/orders/act")]
pub async fn seller_order_action(order_number: String, out_of_stock: bool) -> Result<(), AppError> {
    let state = AppState::current()?;
    let seller = ApprovedSeller::current().await?;
    let actor = Actor::seller(seller.user.id, ip());
    if out_of_stock {
        service::cancel(
            &state.db,
            &state.pg,
            &order_number,
            Canceller::Seller(seller.id),
            &[],
            CancelReason::OutOfStock,
            &actor,
        )
        .await?;
        notice(Msg::NoticeOrderCancelled).await;
    } else {
        service::mark_preparing(&state.db, seller.id, &order_number, &actor).await?;
        notice(Msg::NoticeOrderPreparing).await;
    }
    Ok(())
}
