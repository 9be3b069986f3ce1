use crate::ordering::api::{checkout_data, PlaceOrder};
use crate::ordering::CheckoutPage as Data;
use crate::ordering::PaymentMethod;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::platform::once::{FormToken, OnceField};
use crate::ui::components::{action_error, FormAlert, LoadError};
use crate::ui::format::won;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/checkout`: where to ship, a memo, points, how to pay, and a summary per seller.
#[component]
pub fn CheckoutPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| checkout_data());
    view! {
        <Title text=t(Msg::CheckoutTitle) />
        <h1>{t(Msg::CheckoutTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(d) if d.cart.is_empty() => view! {
                        <section class="panel empty-state">
                            <p>{t(Msg::CartEmpty)}</p>
                            <p><a class="button primary" href="/shop">{t(Msg::CartGoShopping)}</a></p>
                        </section>
                    }.into_any(),
                    Ok(d) => view! { <Form data=d /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Form(data: Data) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<PlaceOrder>::new();
    let error = action_error(action.value());
    let echo = crate::platform::forms::use_form_echo("checkout");
    let token = FormToken(uuid::Uuid::new_v4().to_string());
    let cart = data.cart.clone();
    let total = cart.total;
    // Points first: all of it when the balance covers the total, else what there is.
    let points_only = data.balance >= total;
    let default_points = if points_only { total } else { data.balance };
    let field_error =
        move |name: &'static str| move || error.get().and_then(|e| e.field_message(name, locale));
    view! {
        <ActionForm action=action attr:class="checkout-layout" attr:novalidate="true">
            <OnceField token />
            <div class="checkout-main">
                <FormAlert error=error fields=&["address_id", "memo", "points", "method", "coupon"] />
                {(cart.blocked_lines > 0).then(|| view! {
                    <p class="alert alert-error" role="alert">
                        {Msg::CartBlockedLines.text(locale).replace("{n}", &cart.blocked_lines.to_string())}
                        " "<a href="/cart">{t(Msg::CartTitle)}</a>
                    </p>
                })}
                <fieldset class="panel">
                    <legend>{t(Msg::CheckoutShipTo)}</legend>
                    {if data.addresses.is_empty() {
                        view! {
                            <p>{t(Msg::CheckoutNoAddress)}" "<a href="/account/addresses">{t(Msg::NavAddresses)}</a></p>
                        }.into_any()
                    } else {
                        data.addresses.iter().map(|a| {
                            let id = format!("addr-{}", a.id);
                            view! {
                                <div class="choice">
                                    <input type="radio" id=id.clone() name="form[address_id]" value=a.id.to_string() checked=a.is_default />
                                    <label for=id>
                                        <strong>{a.label.clone().unwrap_or_else(|| a.recipient_name.clone())}</strong>
                                        " · "{a.recipient_name.clone()}" · "{a.phone.clone()}<br />
                                        <span class="muted small">{format!("({}) {} {}", a.postal_code, a.address, a.address_detail.clone().unwrap_or_default())}</span>
                                    </label>
                                </div>
                            }
                        }).collect_view().into_any()
                    }}
                    <p class="field-error" role="alert">{field_error("address_id")}</p>
                </fieldset>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let typed = echo.await;
                        view! {
                            <div class="panel">
                                <div class="field">
                                    <label for="memo">{t(Msg::CheckoutMemo)}</label>
                                    <input id="memo" name="form[memo]" maxlength="200" value=typed.get("memo").cloned()
                                        placeholder=Msg::CheckoutMemoHint.text(locale) />
                                    <p class="field-error" role="alert">{field_error("memo")}</p>
                                </div>
                                <div class="field">
                                    <label for="points">{t(Msg::CheckoutPoints)}</label>
                                    <input id="points" name="form[points]" inputmode="numeric"
                                        value=typed.get("points").cloned().unwrap_or_else(|| default_points.to_string())
                                        aria-describedby="points-hint" />
                                    <p class="hint" id="points-hint">
                                        {Msg::CheckoutPointsHint.text(locale).replace("{balance}", &won(data.balance))}
                                    </p>
                                    <p class="field-error" role="alert">{field_error("points")}</p>
                                </div>
                            </div>
                        }
                    })}
                </Suspense>
                {(!data.coupons.is_empty()).then(|| view! {
                    <fieldset class="panel" data-testid="checkout-coupons">
                        <legend>{t(Msg::CheckoutCoupon)}</legend>
                        <div class="choice">
                            <input type="radio" id="coupon-none" name="form[coupon]" value="" checked=true />
                            <label for="coupon-none">{t(Msg::CheckoutNoCoupon)}</label>
                        </div>
                        {data.coupons.iter().map(|(id, c, off)| {
                            let dom = format!("coupon-{id}");
                            view! {
                                <div class="choice">
                                    <input type="radio" id=dom.clone() name="form[coupon]" value=id.to_string() />
                                    <label for=dom>{c.name.clone()}" "<strong>{format!("−{}", won(*off))}</strong></label>
                                </div>
                            }
                        }).collect_view()}
                        <p class="field-error" role="alert">{field_error("coupon")}</p>
                    </fieldset>
                })}
                <fieldset class="panel">
                    <legend>{t(Msg::CheckoutMethod)}</legend>
                    {[
                        (PaymentMethod::Card, Msg::MethodCard),
                        (PaymentMethod::VirtualAccount, Msg::MethodVirtualAccount),
                        (PaymentMethod::BankTransfer, Msg::MethodBankTransfer),
                        (PaymentMethod::Points, Msg::MethodPoints),
                    ].into_iter().map(|(m, label)| {
                        let id = format!("method-{}", m.as_str().to_lowercase());
                        let checked = (m == PaymentMethod::Points) == points_only;
                        let checked = checked && (m == PaymentMethod::Points || m == PaymentMethod::Card);
                        view! {
                            <div class="choice">
                                <input type="radio" id=id.clone() name="form[method]" value=m.as_str() checked=checked />
                                <label for=id>{t(label)}</label>
                            </div>
                        }
                    }).collect_view()}
                    <p class="hint">{t(Msg::CheckoutMethodHint)}</p>
                    <p class="field-error" role="alert">{field_error("method")}</p>
                </fieldset>
            </div>
            <aside class="panel cart-summary" aria-labelledby="order-summary">
                <h2 id="order-summary">{t(Msg::CartSummary)}</h2>
                {cart.groups.iter().map(|g| view! {
                    <section class="checkout-group" data-testid="checkout-group">
                        <h3>{g.seller_name.clone()}</h3>
                        <ul role="list" class="plain-list">
                            {g.lines.iter().map(|l| view! {
                                <li>{format!("{} × {}", l.product_name, l.quantity)}" "<span class="muted">{won(l.total())}</span></li>
                            }).collect_view()}
                        </ul>
                        <p class="muted small">{t(Msg::CartShipping)}" "{won(g.shipping_fee)}</p>
                    </section>
                }).collect_view()}
                <dl class="totals">
                    <dt>{t(Msg::CartItemsTotal)}</dt><dd>{won(cart.subtotal)}</dd>
                    <dt>{t(Msg::CartShipping)}</dt><dd>{won(cart.shipping)}</dd>
                    <dt class="grand">{t(Msg::CartTotal)}</dt><dd class="grand" data-testid="checkout-total">{won(total)}</dd>
                </dl>
                <button type="submit" class="button primary large" disabled={cart.blocked_lines > 0}>{t(Msg::CheckoutPlace)}</button>
            </aside>
        </ActionForm>
    }
}
