use crate::catalog::{CardView, Crumb};
use crate::platform::i18n::{t, use_locale, Locale, Msg};
use crate::ui::format::won;
use leptos::prelude::*;
use rust_decimal::Decimal;

/// A product in a grid.
#[component]
pub fn ProductCardView(
    #[prop(into)] product: CardView,
    /// Where the shopper found it (search, category, ...), for recently viewed.
    #[prop(optional)]
    from: Option<&'static str>,
) -> impl IntoView {
    let CardView {
        slug,
        name,
        price,
        original_price,
        discount_rate,
        seller_name,
        thumbnail_url,
    } = product;
    let discounted = discount_rate > Decimal::ZERO;
    view! {
        <li class="product-card" data-testid="product-card">
            <a href=match from {
                Some(f) => format!("/p/{slug}?from={f}"),
                None => format!("/p/{slug}"),
            }>
                {match thumbnail_url {
                    // The name follows as the link text, so the image itself is decorative.
                    Some(src) => view! {
                        <img class="product-thumb" src=src alt="" width="480" height="480" loading="lazy" decoding="async" />
                    }.into_any(),
                    None => view! {
                        <div class="product-thumb" aria-hidden="true">
                            {name.chars().next().map(String::from).unwrap_or_default()}
                        </div>
                    }.into_any(),
                }}
                <h3 class="product-name">{name}</h3>
            </a>
            <p class="product-seller muted small">{seller_name}</p>
            <p class="product-price">
                {discounted.then(|| view! { <span class="discount">{format!("{}%", discount_rate.round())}</span>" " })}
                <strong>{won(price)}</strong>
                {original_price.filter(|_| discounted).map(|o| view! { " "<s class="muted small">{won(o)}</s> })}
            </p>
        </li>
    }
}

/// Shop › category › subcategory, each a link.
#[component]
pub fn Breadcrumbs(crumbs: Vec<Crumb>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <nav class="breadcrumbs" aria-label=t(Msg::ShopBreadcrumbs)>
            <ol>
                <li><a href="/shop">{t(Msg::ShopTitle)}</a></li>
                {crumbs.into_iter().map(|c| view! {
                    <li><a href=format!("/shop/c/{}", c.slug)>
                        {if locale == Locale::En { c.name_en } else { c.name }}
                    </a></li>
                }).collect_view()}
            </ol>
        </nav>
    }
}
