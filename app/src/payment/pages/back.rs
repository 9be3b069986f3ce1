use crate::payment::api::{confirm_payment, payment_failed};
use crate::payment::Confirmed;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::LoadError;
use crate::ui::format::{local, won};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/checkout/success?paymentKey&orderId&amount`: confirms, then says what happened. The
/// same page answers a point charge's return (`/account/points/charge/success`).
#[component]
pub fn PaymentSuccessPage(#[prop(optional)] for_points: bool) -> impl IntoView {
    let (back, back_label) = if for_points {
        ("/account/points", Msg::PointsTitle)
    } else {
        ("/cart", Msg::CartTitle)
    };
    let locale = use_locale();
    let query = use_query_map();
    let result = Resource::new(
        move || {
            query.with(|q| {
                (
                    q.get("paymentKey").unwrap_or_default(),
                    q.get("orderId").unwrap_or_default(),
                    q.get("amount").unwrap_or_default(),
                )
            })
        },
        |(key, order, amount)| confirm_payment(key, order, amount),
    );
    view! {
        <Title text=t(Msg::PaymentResultTitle) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match result.await {
                    Err(e) => view! {
                        <LoadError error=e />
                        <p><a class="button" href=back>{t(back_label)}</a></p>
                    }.into_any(),
                    Ok(Confirmed::Charged { amount, balance }) => view! {
                        <section class="panel empty-state" data-testid="payment-result">
                            <h1>{t(Msg::PointsCharged)}</h1>
                            <p>{Msg::PointsChargedBody.text(locale).replace("{amount}", &won(amount)).replace("{balance}", &won(balance))}</p>
                            <p><a class="button primary" href="/account/points">{t(Msg::PointsTitle)}</a></p>
                        </section>
                    }.into_any(),
                    Ok(Confirmed::Paid { order_numbers }) => view! {
                        <section class="panel empty-state" data-testid="payment-result">
                            <h1>{t(Msg::PaymentPaid)}</h1>
                            <OrderLinks numbers=order_numbers />
                        </section>
                    }.into_any(),
                    Ok(Confirmed::AwaitingDeposit { order_numbers, bank, account_number, due_date }) => view! {
                        <section class="panel" data-testid="payment-result">
                            <h1>{t(Msg::PaymentAwaitingDeposit)}</h1>
                            <dl class="facts">
                                <dt>{t(Msg::PaymentBank)}</dt><dd>{bank}</dd>
                                <dt>{t(Msg::PaymentAccount)}</dt><dd data-testid="va-account">{account_number}</dd>
                                <dt>{t(Msg::PaymentDue)}</dt><dd>{local(due_date, "%Y-%m-%d %H:%M")}</dd>
                            </dl>
                            <p class="muted">{t(Msg::PaymentDepositHint)}</p>
                            <OrderLinks numbers=order_numbers />
                        </section>
                    }.into_any(),
                    Ok(Confirmed::Processing { order_numbers }) => view! {
                        <section class="panel" data-testid="payment-result">
                            <h1>{t(Msg::PaymentProcessing)}</h1>
                            <p>{Msg::ErrPaymentProcessing.text(locale)}</p>
                            <OrderLinks numbers=order_numbers />
                            {for_points.then(|| view! { <p><a class="button" href="/account/points">{t(Msg::PointsTitle)}</a></p> })}
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn OrderLinks(numbers: Vec<String>) -> impl IntoView {
    view! {
        <ul class="plain-list" role="list">
            {numbers.into_iter().map(|n| view! {
                <li><a href=format!("/orders/{n}")>{n.clone()}</a></li>
            }).collect_view()}
        </ul>
    }
}

/// `/checkout/fail?code&message&orderId`: the checkout is dropped; the cart is as it was. A
/// point charge's fail return (`/account/points/charge/fail`) says the balance is unchanged.
#[component]
pub fn PaymentFailPage(#[prop(optional)] for_points: bool) -> impl IntoView {
    let query = use_query_map();
    let done = Resource::new(
        move || {
            query.with(|q| {
                (
                    q.get("orderId").unwrap_or_default(),
                    q.get("code").unwrap_or_default(),
                )
            })
        },
        |(order, code)| payment_failed(order, code),
    );
    let cancelled_by_shopper =
        move || query.with(|q| q.get("code").as_deref() == Some("PAY_PROCESS_CANCELED"));
    view! {
        <Title text=t(Msg::PaymentResultTitle) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let failed = done.await;
                view! {
                    <section class="panel empty-state" data-testid="payment-result">
                        <h1>{if cancelled_by_shopper() { t(Msg::PaymentCancelled) } else if for_points { t(Msg::PointsChargeFailed) } else { t(Msg::PaymentFailed) }}</h1>
                        <p>{if for_points { t(Msg::PointsChargeKept) } else { t(Msg::PaymentCartKept) }}</p>
                        {failed.err().map(|e| view! { <LoadError error=e /> })}
                        {if for_points {
                            view! { <p><a class="button primary" href="/account/points">{t(Msg::PointsTitle)}</a></p> }.into_any()
                        } else {
                            view! { <p><a class="button primary" href="/cart">{t(Msg::CartTitle)}</a></p> }.into_any()
                        }}
                    </section>
                }
            })}
        </Suspense>
    }
}
