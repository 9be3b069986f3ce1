use crate::inventory::api::{low_stock, seller_stock, AdjustStock, ReceiveStock};
use crate::inventory::SkuStock;
use crate::platform::forms::use_form_echo;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::platform::once::{once_token, FormToken, OnceField};
use crate::ui::components::{FormAlert, LoadError, RowErrors};
use crate::ui::format::query_value;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/seller/inventory`: the seller's SKUs by code, 50 a page, searchable by code or name, with
/// stock, reserved and available, and forms to receive goods or correct a count.
#[component]
pub fn StockPage() -> impl IntoView {
    let receive = ServerAction::<ReceiveStock>::new();
    let adjust = ServerAction::<AdjustStock>::new();
    let once = once_token(move || receive.version().get() + adjust.version().get());
    let query = leptos_router::hooks::use_query_map();
    let q = move || query.with(|p| p.get("q")).filter(|s| !s.is_empty());
    let after = move || query.with(|p| p.get("after"));
    let list = Resource::new(
        move || {
            (
                q(),
                after(),
                receive.version().get(),
                adjust.version().get(),
            )
        },
        |(q, after, ..)| seller_stock(q, after),
    );
    // One action per kind serves every row: its error shows on the row whose form was sent.
    let errors = StockErrors {
        receive: RowErrors::new(receive),
        adjust: RowErrors::new(adjust),
    };
    let (echo_receive, echo_adjust) = (
        use_form_echo("stock-receive"),
        use_form_echo("stock-adjust"),
    );
    let unplaced = Signal::derive(move || {
        errors
            .receive
            .unplaced()
            .get()
            .or_else(|| errors.adjust.unplaced().get())
    });
    view! {
        <Title text=t(Msg::StockTitle) />
        <h1>{t(Msg::StockTitle)}</h1>
        <form method="get" action="/seller/inventory" class="filters" role="search">
            <div class="field grow">
                <label for="stock-q">{t(Msg::StockSearch)}</label>
                <input id="stock-q" name="q" type="search" value=q />
            </div>
            <button type="submit" class="button">{t(Msg::ShopSearch)}</button>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let once = once.await;
                // Without JavaScript the echo names the row a failed form came from.
                errors.receive.place(echo_receive.await.get("sku_id"));
                errors.adjust.place(echo_adjust.await.get("sku_id"));
                match list.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(list) => view! {
                        // After the echo has placed a row's error, so it shows once.
                        <FormAlert error=unplaced />
                        <div class="table-wrap" tabindex="0" role="region" aria-label=t(Msg::TableRegion)>
                            <table class="stock-table">
                                <thead><tr>
                                    <th scope="col">{t(Msg::StockSku)}</th>
                                    <th scope="col">{t(Msg::StockOnHand)}</th>
                                    <th scope="col">{t(Msg::StockReserved)}</th>
                                    <th scope="col">{t(Msg::StockAvailable)}</th>
                                    <th scope="col">{t(Msg::StockReceive)}</th>
                                    <th scope="col">{t(Msg::StockAdjust)}</th>
                                </tr></thead>
                                <tbody>
                                    {list.items.into_iter().map(|s| view! { <StockRow sku=s receive adjust errors once=once.clone() /> }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        {list.next.map(|code| {
                            let mut href = format!("/seller/inventory?after={}", query_value(&code));
                            if let Some(q) = q() {
                                href.push_str(&format!("&q={}", query_value(&q)));
                            }
                            view! { <nav class="pager"><a class="button" href=href>{t(Msg::ShopNextPage)}</a></nav> }
                        })}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[derive(Clone, Copy)]
struct StockErrors {
    receive: RowErrors,
    adjust: RowErrors,
}

#[component]
fn StockRow(
    sku: SkuStock,
    receive: ServerAction<ReceiveStock>,
    adjust: ServerAction<AdjustStock>,
    errors: StockErrors,
    once: FormToken,
) -> impl IntoView {
    let id = sku.sku_id.to_string();
    let receive_error = errors.receive.for_row(id.clone());
    let adjust_error = errors.adjust.for_row(id.clone());
    let (rid, aid) = (id.clone(), id.clone());
    let (once_r, once_a) = (once.clone(), once);
    let low = sku.is_low();
    view! {
        <tr class:low-stock=low data-testid="sku-row">
            <td>
                <a href=format!("/seller/inventory/{id}")><code>{sku.code.clone()}</code></a>
                <div class="small">{sku.name.clone()}</div>
                {low.then(|| view! { <span class="badge status-error">{t(Msg::StockLow)}</span> })}
            </td>
            <td data-testid="stock">{sku.stock}</td>
            <td>{sku.reserved}</td>
            <td data-testid="available">{sku.available}</td>
            <td>
                <FormAlert error=receive_error />
                <ActionForm action=receive attr:class="mini-form">
                    <input type="hidden" name="form[sku_id]" value=rid.clone() />
                    <OnceField token=once_r.clone() />
                    <label class="visually-hidden" for=format!("rq-{rid}")>{t(Msg::StockQuantity)}</label>
                    <input id=format!("rq-{rid}") name="form[quantity]" inputmode="numeric" size="4" required=true
                        placeholder=t(Msg::StockQuantity) />
                    <label class="visually-hidden" for=format!("rr-{rid}")>{t(Msg::StockReference)}</label>
                    <input id=format!("rr-{rid}") name="form[reference]" size="8" placeholder=t(Msg::StockReference) />
                    <button type="submit" class="button small">{t(Msg::StockReceive)}</button>
                </ActionForm>
            </td>
            <td>
                <FormAlert error=adjust_error />
                <ActionForm action=adjust attr:class="mini-form">
                    <input type="hidden" name="form[sku_id]" value=aid.clone() />
                    <OnceField token=once_a.clone() />
                    <label class="visually-hidden" for=format!("ad-{aid}")>{t(Msg::StockDelta)}</label>
                    <input id=format!("ad-{aid}") name="form[delta]" inputmode="numeric" size="4" required=true
                        placeholder=t(Msg::StockDelta) />
                    <label class="visually-hidden" for=format!("ar-{aid}")>{t(Msg::SellerReason)}</label>
                    <input id=format!("ar-{aid}") name="form[reason]" size="8" required=true placeholder=t(Msg::SellerReason) />
                    <button type="submit" class="button small">{t(Msg::StockAdjust)}</button>
                </ActionForm>
            </td>
        </tr>
    }
}

/// Seller console home: SKUs at or below their low-stock threshold.
#[component]
pub fn LowStockAlerts() -> impl IntoView {
    let low = Resource::new(|| (), |_| low_stock());
    let locale = use_locale();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let (count, skus) = low.await.unwrap_or_default();
                (count > 0).then(|| view! {
                    <section class="panel alert-panel" aria-labelledby="low-title" data-testid="low-stock">
                        <h2 id="low-title">{Msg::StockLowTitle.text(locale).replace("{n}", &count.to_string())}</h2>
                        <ul>
                            {skus.into_iter().map(|s| view! {
                                <li>
                                    <a href=format!("/seller/inventory/{}", s.sku_id)><code>{s.code}</code>" "{s.name}</a>
                                    " · "{t(Msg::StockAvailable)}" "{s.available}
                                </li>
                            }).collect_view()}
                        </ul>
                        <p><a href="/seller/inventory" class="button">{t(Msg::StockTitle)}</a></p>
                    </section>
                })
            })}
        </Suspense>
    }
}
