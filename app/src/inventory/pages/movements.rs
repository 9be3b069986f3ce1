use crate::inventory::api::sku_movements;
use crate::platform::i18n::{t, Msg};
use crate::ui::components::LoadError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/seller/inventory/:sku`: the SKU's stock movements, newest first.
#[component]
pub fn MovementsPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || {
            params.with(|p| {
                p.get("sku")
                    .and_then(|s| s.parse::<crate::inventory::SkuId>().ok())
            })
        },
        |sku| async move {
            match sku {
                Some(sku) => sku_movements(sku).await,
                None => Err(crate::platform::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Title text=t(Msg::StockMovements) />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok((sku, moves)) => view! {
                        <p><a href="/seller/inventory">{t(Msg::StockTitle)}</a></p>
                        <h1>{t(Msg::StockMovements)}": "<code>{sku.code.clone()}</code></h1>
                        <p class="muted">{sku.name.clone()}</p>
                        <div class="table-wrap" tabindex="0" role="region" aria-label=t(Msg::TableRegion)>
                            <table>
                                <thead><tr>
                                    <th scope="col">{t(Msg::StockWhen)}</th>
                                    <th scope="col">{t(Msg::StockType)}</th>
                                    <th scope="col">{t(Msg::StockQuantity)}</th>
                                    <th scope="col">{t(Msg::StockOnHand)}</th>
                                    <th scope="col">{t(Msg::StockReserved)}</th>
                                    <th scope="col">{t(Msg::SellerReason)}</th>
                                </tr></thead>
                                <tbody>
                                    {moves.into_iter().map(|m| view! {
                                        <tr data-testid="movement">
                                            <td><time datetime=m.created_at.to_rfc3339()>{crate::ui::format::local(m.created_at, "%Y-%m-%d %H:%M:%S")}</time></td>
                                            <td>{t(movement_label(&m.movement_type))}</td>
                                            <td>{m.quantity}</td>
                                            <td>{format!("{} → {}", m.stock_before, m.stock_after)}</td>
                                            <td>{format!("{} → {}", m.reserved_before, m.reserved_after)}</td>
                                            <td>{reason_text(m.reason.clone().or(m.reference.clone()))}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The movement kinds stored in `stock_movements`, in the reader's language. An unknown kind
/// is shown as such, never as another.
fn movement_label(kind: &str) -> Msg {
    match kind {
        "in" => Msg::MovementIn,
        "out" => Msg::MovementOut,
        "reserved" => Msg::MovementReserved,
        "released" => Msg::MovementReleased,
        "adjusted" => Msg::MovementAdjusted,
        _ => Msg::MovementUnknown,
    }
}

/// Reasons the system writes itself are translated; a seller's own words are shown as typed.
fn reason_text(reason: Option<String>) -> String {
    match reason.as_deref() {
        Some("initial stock") => t(Msg::MovementInitialStock).to_owned(),
        Some("expired") => t(Msg::MovementExpired).to_owned(),
        Some(r) => r.to_owned(),
        None => String::new(),
    }
}
