use crate::ordering::api::{my_order, CancelOrder};
use crate::ordering::{OrderDetail, OrderEvent};
use crate::platform::i18n::{t, use_locale, Locale, Msg};
use crate::ui::components::{action_error, FormAlert, LoadError};
use crate::ui::format::{local, won};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use rust_decimal::Decimal;

/// `/orders/{number}`: the order, how it was paid, and its timeline.
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.with(|p| p.get("number").unwrap_or_default()),
        my_order,
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(d) => view! { <Detail detail=d /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn event_label(e: &OrderEvent, locale: Locale) -> String {
    let msg = match e.event_type.as_str() {
        "order.created" => Msg::EventCreated,
        "order.payment_waiting" => Msg::EventPaymentWaiting,
        "order.paid" => Msg::EventPaid,
        "order.preparing" => Msg::EventPreparing,
        "order.shipped" => Msg::EventShipped,
        "order.delivered" => Msg::EventDelivered,
        "order.cancelled" => Msg::EventCancelled,
        "order.items_cancelled" => Msg::EventItemsCancelled,
        "order.refunded" => Msg::EventRefunded,
        other => return other.to_owned(),
    };
    let mut text = msg.text(locale).to_owned();
    if let Some(refund) = e
        .data
        .get("refund")
        .and_then(|r| r.as_str())
        .and_then(|r| r.parse::<Decimal>().ok())
    {
        if refund > Decimal::ZERO {
            text.push_str(&format!(
                " · {} {}",
                Msg::OrderRefund.text(locale),
                won(refund)
            ));
        }
    }
    text
}

#[component]
fn Detail(detail: OrderDetail) -> impl IntoView {
    let locale = use_locale();
    let o = detail.order.clone();
    let cancellable = o.status.customer_can_cancel();
    let action = ServerAction::<CancelOrder>::new();
    let error = action_error(action.value());
    let number = o.order_number.clone();
    view! {
        <Title text=Msg::OrderTitle.text(locale).replace("{n}", &o.order_number) />
        <h1>{Msg::OrderTitle.text(locale).replace("{n}", &o.order_number)}</h1>
        <p>
            <span class=format!("badge order-{}", o.status) data-testid="order-status">{o.status.label().text(locale)}</span>
            " "<span class="muted">{o.seller_name.clone()}" · "{local(o.ordered_at, "%Y-%m-%d %H:%M")}</span>
        </p>
        <FormAlert error=error />
        <ActionForm action=action attr:class="order-layout">
            <input type="hidden" name="form[order_number]" value=number />
            <section class="panel" aria-labelledby="items-title">
                <h2 id="items-title">{t(Msg::OrderItems)}</h2>
                <ul class="cart-lines" role="list">
                    {detail.items.iter().enumerate().map(|(i, item)| {
                        let open = item.cancelled_quantity < item.quantity;
                        let id = format!("cancel-{}", item.id);
                        let options = item.option_values.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(" / ");
                        view! {
                            <li class="cart-line" class:blocked=!open data-testid="order-item">
                                {match item.product_image.clone() {
                                    Some(src) => view! { <img class="cart-thumb" src=src alt="" width="80" height="80" loading="lazy" /> }.into_any(),
                                    None => view! { <div class="cart-thumb" aria-hidden="true"></div> }.into_any(),
                                }}
                                <div class="cart-line-body">
                                    <p class="cart-line-name">{item.product_name.clone()}</p>
                                    {(!options.is_empty()).then(|| view! { <p class="muted small">{options}</p> })}
                                    <p>{format!("{} × {}", won(item.unit_price), item.quantity)}</p>
                                    {(!open).then(|| view! { <p class="line-state">{t(Msg::OrderItemCancelled)}</p> })}
                                </div>
                                {(cancellable && open).then(|| view! {
                                    <div class="choice">
                                        <input type="checkbox" id=id.clone() name=format!("form[items][{i}]") value=item.id.to_string() />
                                        <label for=id>{t(Msg::OrderCancelThis)}</label>
                                    </div>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {cancellable.then(|| view! {
                    <p class="form-actions">
                        <button type="submit" class="button danger" data-testid="cancel-order">{t(Msg::OrderCancel)}</button>
                        " "<span class="muted small">{t(Msg::OrderCancelHint)}</span>
                    </p>
                })}
            </section>
        </ActionForm>
        <section class="panel" aria-labelledby="payment-title">
            <h2 id="payment-title">{t(Msg::OrderPayment)}</h2>
            <dl class="totals">
                <dt>{t(Msg::CartItemsTotal)}</dt><dd>{won(o.items_total)}</dd>
                <dt>{t(Msg::CartShipping)}</dt><dd>{won(o.shipping_fee)}</dd>
                {(o.discount_amount > Decimal::ZERO).then(|| view! { <dt>{t(Msg::OrderDiscount)}</dt><dd>"−"{won(o.discount_amount)}</dd> })}
                <dt>{t(Msg::OrderPointsUsed)}</dt><dd>{won(o.points_used)}</dd>
                <dt class="grand">{t(Msg::CartTotal)}</dt><dd class="grand">{won(o.total_amount)}</dd>
                {(o.refunded_amount > Decimal::ZERO).then(|| view! {
                    <dt>{t(Msg::OrderRefund)}</dt><dd data-testid="refunded">{won(o.refunded_amount)}</dd>
                })}
            </dl>
            <p class="muted small">{t(Msg::CheckoutMethod)}": "{method_label(o.payment_method).text(locale)}</p>
            {detail.payment.clone().map(|p| view! {
                <dl class="facts" data-testid="payment">
                    <dt>{t(Msg::PaymentAmount)}</dt><dd>{won(p.amount)}</dd>
                    <dt>{t(Msg::OrderStatusLabel)}</dt><dd data-testid="payment-status">{payment_status(p.status).text(locale)}</dd>
                    {p.card_number.clone().map(|n| view! {
                        <dt>{t(Msg::MethodCard)}</dt>
                        <dd>{format!("{} {}", p.card_company.clone().unwrap_or_default(), n)}
                            {(p.installment_months > 0).then(|| format!(" · {}", Msg::PaymentInstallment.text(locale).replace("{n}", &p.installment_months.to_string())))}
                        </dd>
                    })}
                    {p.virtual_account_number.clone().map(|n| view! {
                        <dt>{t(Msg::MethodVirtualAccount)}</dt>
                        <dd>{format!("{} {}", p.virtual_account_bank.clone().unwrap_or_default(), n)}
                            {p.virtual_account_due_date.map(|d| format!(" · {} {}", Msg::PaymentDue.text(locale), local(d, "%Y-%m-%d %H:%M")))}
                        </dd>
                    })}
                    {(p.refunded_amount > Decimal::ZERO).then(|| view! {
                        <dt>{t(Msg::OrderRefund)}</dt><dd>{won(p.refunded_amount)}</dd>
                    })}
                </dl>
            })}
        </section>
        <section class="panel" aria-labelledby="ship-title">
            <h2 id="ship-title">{t(Msg::CheckoutShipTo)}</h2>
            <p>{o.recipient_name.clone()}" · "{o.recipient_phone.clone()}</p>
            <p class="muted">{format!("({}) {} {}", o.postal_code, o.address, o.address_detail.clone().unwrap_or_default())}</p>
            {o.delivery_memo.clone().map(|m| view! { <p class="muted small">{t(Msg::CheckoutMemo)}": "{m}</p> })}
        </section>
        <section class="panel" aria-labelledby="timeline-title">
            <h2 id="timeline-title">{t(Msg::OrderTimeline)}</h2>
            <ol class="timeline" data-testid="timeline">
                {detail.events.iter().map(|e| view! {
                    <li>
                        <time datetime=e.created_at.to_rfc3339()>{local(e.created_at, "%Y-%m-%d %H:%M:%S")}</time>
                        " "<span>{event_label(e, locale)}</span>
                    </li>
                }).collect_view()}
            </ol>
        </section>
    }
}

fn payment_status(s: crate::payment::PaymentStatus) -> Msg {
    use crate::payment::PaymentStatus::*;
    match s {
        Pending | InProgress => Msg::PaymentProcessing,
        WaitingForDeposit => Msg::PaymentAwaitingDeposit,
        Completed => Msg::PaymentPaid,
        Failed => Msg::PaymentFailed,
        Cancelled => Msg::PaymentCancelled,
        PartialRefunded | Refunded => Msg::OrderRefund,
    }
}

fn method_label(m: crate::ordering::PaymentMethod) -> Msg {
    use crate::ordering::PaymentMethod::*;
    match m {
        Card => Msg::MethodCard,
        VirtualAccount => Msg::MethodVirtualAccount,
        BankTransfer => Msg::MethodBankTransfer,
        Points => Msg::MethodPoints,
    }
}
