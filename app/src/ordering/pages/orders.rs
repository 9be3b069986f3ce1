use crate::ordering::api::my_orders;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::LoadError;
use crate::ui::format::{local, won};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/orders`: my orders, newest first.
#[component]
pub fn OrdersPage() -> impl IntoView {
    let locale = use_locale();
    let orders = Resource::new(|| (), |_| my_orders());
    view! {
        <Title text=t(Msg::OrdersTitle) />
        <h1>{t(Msg::OrdersTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match orders.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <section class="panel empty-state"><p>{t(Msg::OrdersEmpty)}</p></section>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="order-list" role="list">
                            {list.into_iter().map(|o| {
                                let more = if o.item_count > 1 {
                                    Msg::OrdersMore.text(locale).replace("{n}", &(o.item_count - 1).to_string())
                                } else {
                                    String::new()
                                };
                                view! {
                                    <li class="panel order-row" data-testid="order-row">
                                        <p class="muted small">
                                            <time datetime=o.ordered_at.to_rfc3339()>{local(o.ordered_at, "%Y-%m-%d %H:%M")}</time>
                                            " · "{o.seller_name.clone()}
                                        </p>
                                        <a href=format!("/orders/{}", o.order_number) class="order-number">{o.order_number.clone()}</a>
                                        <p>{o.first_item.clone()}" "{more}</p>
                                        <p><span class=format!("badge order-{}", o.status)>{o.status.label().text(locale)}</span>" "<strong>{won(o.total_amount)}</strong></p>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
