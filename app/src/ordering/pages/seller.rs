use crate::ordering::api::{seller_orders, SellerOrderAction};
use crate::ordering::OrderStatus;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::{action_error, FormAlert, LoadError};
use crate::ui::format::{local, won};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/seller/orders`: paid orders to pack, with "배송 준비" and "품절 취소".
#[component]
pub fn SellerOrdersPage() -> impl IntoView {
    let locale = use_locale();
    let act = ServerAction::<SellerOrderAction>::new();
    let error = action_error(act.value());
    let orders = Resource::new(move || act.version().get(), |_| seller_orders(None));
    view! {
        <Title text=t(Msg::SellerOrdersTitle) />
        <h1>{t(Msg::SellerOrdersTitle)}</h1>
        <FormAlert error=error />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match orders.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <section class="panel empty-state"><p>{t(Msg::OrdersEmpty)}</p></section>
                    }.into_any(),
                    Ok(list) => view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=t(Msg::SellerOrdersTitle)>
                            <table>
                                <thead><tr>
                                    <th scope="col">{t(Msg::OrderNumber)}</th>
                                    <th scope="col">{t(Msg::OrderItems)}</th>
                                    <th scope="col" class="num">{t(Msg::CartTotal)}</th>
                                    <th scope="col">{t(Msg::OrderStatusLabel)}</th>
                                    <th scope="col">{t(Msg::SellerOrderActions)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.into_iter().map(|o| {
                                        let (prepare, cancel) = (o.order_number.clone(), o.order_number.clone());
                                        let status = o.status;
                                        view! {
                                        <tr data-testid="seller-order">
                                            <td>{o.order_number.clone()}<br /><span class="muted small">{local(o.ordered_at, "%m-%d %H:%M")}</span></td>
                                            <td>{o.first_item.clone()}{(o.item_count > 1).then(|| format!(" +{}", o.item_count - 1))}</td>
                                            <td class="num">{won(o.total_amount)}</td>
                                            <td><span class=format!("badge order-{}", o.status)>{o.status.label().text(locale)}</span></td>
                                            <td>
                                                {(status == OrderStatus::Paid).then(move || view! {
                                                    <ActionForm action=act attr:class="inline-form">
                                                        <input type="hidden" name="order_number" value=prepare />
                                                        <input type="hidden" name="out_of_stock" value="false" />
                                                        <button type="submit" class="button small">{t(Msg::SellerPrepare)}</button>
                                                    </ActionForm>
                                                })}
                                                {matches!(status, OrderStatus::Paid | OrderStatus::Preparing).then(move || view! {
                                                    <ActionForm action=act attr:class="inline-form">
                                                        <input type="hidden" name="order_number" value=cancel />
                                                        <input type="hidden" name="out_of_stock" value="true" />
                                                        <button type="submit" class="button small danger">{t(Msg::SellerCancelOutOfStock)}</button>
                                                    </ActionForm>
                                                })}
                                            </td>
                                        </tr>
                                    }}).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
