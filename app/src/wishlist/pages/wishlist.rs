use crate::platform::i18n::{t, Msg};
use crate::ui::components::LoadError;
use crate::ui::format::won;
use crate::wishlist::api::my_wishlist;
use crate::wishlist::WishItem;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/account/wishlist`: kept products with their prices now.
#[component]
pub fn WishlistPage() -> impl IntoView {
    let items = Resource::new(|| (), |_| my_wishlist());
    view! {
        <Title text=t(Msg::WishlistTitle) />
        <h1>{t(Msg::WishlistTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match items.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => view! {
                        <section class="panel empty-state">
                            <p>{t(Msg::WishlistEmpty)}</p>
                            <p><a class="button primary" href="/shop">{t(Msg::CartGoShopping)}</a></p>
                        </section>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="product-grid" role="list">
                            {list.into_iter().map(|i| view! { <Item item=i /> }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Item(item: WishItem) -> impl IntoView {
    let on_sale = item.status == crate::catalog::ProductStatus::Active;
    let discounted = item.discount_rate > rust_decimal::Decimal::ZERO;
    view! {
        <li class="product-card" data-testid="wish-item">
            <a href=format!("/p/{}", item.slug)>
                {match item.thumbnail_url.clone() {
                    Some(src) => view! { <img class="product-thumb" src=src alt="" width="480" height="480" loading="lazy" /> }.into_any(),
                    None => view! { <div class="product-thumb" aria-hidden="true"></div> }.into_any(),
                }}
                <span class="product-name">{item.name.clone()}</span>
            </a>
            <p class="product-price">
                {discounted.then(|| view! { <span class="discount">{format!("{}%", item.discount_rate.round())}</span>" " })}
                <strong>{won(item.price)}</strong>
            </p>
            {(!on_sale).then(|| view! { <p class="badge status-error">{t(Msg::CartOffSale)}</p> })}
        </li>
    }
}
