use crate::cart::api::{my_cart, RemoveCartLine, UpdateCartLine};
use crate::cart::{CartLine, CartView, SellerGroup};
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::{action_error, FormAlert, LoadError};
use crate::ui::format::won;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/cart`: lines grouped by seller, each group with its shipping, and the total.
#[component]
pub fn CartPage() -> impl IntoView {
    let update = ServerAction::<UpdateCartLine>::new();
    let remove = ServerAction::<RemoveCartLine>::new();
    let cart = Resource::new(
        move || (update.version().get(), remove.version().get()),
        |_| my_cart(),
    );
    let error = action_error(update.value());
    view! {
        <Title text=t(Msg::CartTitle) />
        <h1>{t(Msg::CartTitle)}</h1>
        <FormAlert error=error />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match cart.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(c) if c.is_empty() => view! { <EmptyCart /> }.into_any(),
                    Ok(c) => view! { <Cart cart=c update remove /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EmptyCart() -> impl IntoView {
    view! {
        <section class="panel empty-state" data-testid="cart-empty">
            <p>{t(Msg::CartEmpty)}</p>
            <p><a class="button primary" href="/shop">{t(Msg::CartGoShopping)}</a></p>
        </section>
    }
}

#[component]
fn Cart(
    cart: CartView,
    update: ServerAction<UpdateCartLine>,
    remove: ServerAction<RemoveCartLine>,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <div class="cart-layout">
            <div class="cart-groups">
                {cart.groups.into_iter().map(|g| view! { <Group group=g update remove /> }).collect_view()}
            </div>
            <aside class="panel cart-summary" aria-labelledby="summary-title">
                <h2 id="summary-title">{t(Msg::CartSummary)}</h2>
                <dl class="totals">
                    <dt>{t(Msg::CartItemsTotal)}</dt><dd>{won(cart.subtotal)}</dd>
                    <dt>{t(Msg::CartShipping)}</dt><dd>{won(cart.shipping)}</dd>
                    <dt class="grand">{t(Msg::CartTotal)}</dt>
                    <dd class="grand" data-testid="cart-total">{won(cart.total)}</dd>
                </dl>
                {if cart.blocked_lines > 0 {
                    view! { <p class="muted small">{t(Msg::CheckoutBlockedHint)}</p> }.into_any()
                } else {
                    view! { <a class="button primary large" href="/checkout" data-testid="to-checkout">{t(Msg::CartCheckout)}</a> }.into_any()
                }}
                {(cart.blocked_lines > 0).then(|| view! {
                    <p class="alert alert-error" role="status">
                        {Msg::CartBlockedLines.text(locale).replace("{n}", &cart.blocked_lines.to_string())}
                    </p>
                })}
            </aside>
        </div>
    }
}

#[component]
fn Group(
    group: SellerGroup,
    update: ServerAction<UpdateCartLine>,
    remove: ServerAction<RemoveCartLine>,
) -> impl IntoView {
    let locale = use_locale();
    let heading = format!("group-{}", group.seller_id);
    let labelled = heading.clone();
    view! {
        <section class="panel cart-group" aria-labelledby=labelled data-testid="cart-group">
            <h2 id=heading>{group.seller_name.clone()}</h2>
            <ul class="cart-lines" role="list">
                {group.lines.into_iter().map(|l| view! { <Line line=l update remove /> }).collect_view()}
            </ul>
            <p class="group-shipping" data-testid="group-shipping">
                {t(Msg::CartShipping)}": "<strong>{won(group.shipping_fee)}</strong>
                {group.free_shipping_gap.map(|gap| view! {
                    " · "<span class="muted">{Msg::CartFreeShippingGap.text(locale).replace("{amount}", &won(gap))}</span>
                })}
            </p>
        </section>
    }
}

#[component]
fn Line(
    line: CartLine,
    update: ServerAction<UpdateCartLine>,
    remove: ServerAction<RemoveCartLine>,
) -> impl IntoView {
    let locale = use_locale();
    let qty_id = format!("qty-{}", line.id);
    let options = line
        .options
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(" / ");
    let label = if options.is_empty() {
        line.variant_name.clone()
    } else {
        options
    };
    let state = line.state.label();
    let max = line.available.clamp(1, crate::cart::MAX_QUANTITY);
    view! {
        <li class="cart-line" class:blocked=!line.state.can_checkout() data-testid="cart-line">
            {match line.thumbnail_url.clone() {
                Some(src) => view! { <img class="cart-thumb" src=src alt="" width="80" height="80" loading="lazy" /> }.into_any(),
                None => view! { <div class="cart-thumb" aria-hidden="true"></div> }.into_any(),
            }}
            <div class="cart-line-body">
                <a href=format!("/p/{}", line.product_slug) class="cart-line-name">{line.product_name.clone()}</a>
                {(!label.is_empty()).then(|| view! { <p class="muted small">{label}</p> })}
                <p class="cart-line-price">
                    {line.price_changed().then(|| view! {
                        <s class="muted">{won(line.added_price)}</s>" "
                    })}
                    <strong>{won(line.unit_price)}</strong>
                    {line.price_changed().then(|| view! {
                        " "<span class="badge warn" data-testid="price-changed">{t(Msg::CartPriceChanged)}</span>
                    })}
                </p>
                {state.map(|m| view! {
                    <p class="line-state" role="status" data-testid="line-state">
                        {m.text(locale)}
                        {(line.state == crate::cart::LineState::ShortStock).then(|| {
                            format!(" · {}", Msg::ProductInStock.text(locale).replace("{n}", &line.available.to_string()))
                        })}
                    </p>
                })}
            </div>
            <div class="cart-line-actions">
                <ActionForm action=update attr:class="qty-form">
                    <input type="hidden" name="form[id]" value=line.id.to_string() />
                    <label for=qty_id.clone() class="visually-hidden">{t(Msg::CartQuantity)}</label>
                    <input id=qty_id type="number" name="form[quantity]" inputmode="numeric"
                        min="1" max=max.to_string() value=line.quantity.to_string() class="qty-input" />
                    <button type="submit" class="button small">{t(Msg::CartChange)}</button>
                </ActionForm>
                <p class="line-total">{won(line.total())}</p>
                <ActionForm action=remove attr:class="inline-form">
                    <input type="hidden" name="form[id]" value=line.id.to_string() />
                    <button type="submit" class="link-button"
                        aria-label=format!("{} {}", Msg::CartRemove.text(locale), line.product_name)>
                        {t(Msg::CartRemove)}
                    </button>
                </ActionForm>
            </div>
        </li>
    }
}
