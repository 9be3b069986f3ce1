use super::card::Breadcrumbs;
use super::status_label;
use crate::cart::pages::BuyBox;
use crate::catalog::api::product_page;
use crate::catalog::{ProductDetail, ProductImage, ProductStatus};
use crate::platform::codec::Base64Json;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::LoadError;
use crate::ui::format::won;
use crate::wishlist::api::wish_status;
use crate::wishlist::pages::WishButton;
use crate::wishlist::WishState;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use rust_decimal::Decimal;

/// `/p/:slug`: the product with its variants, their prices and stock.
#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let data = Resource::<_, Base64Json>::new_with_options(
        move || {
            (
                params.with(|p| p.get("slug").unwrap_or_default()),
                query.with(|q| q.get("from")),
            )
        },
        |(slug, from)| Box::pin(product_page(slug, from)),
        false,
    );
    let auth = crate::ui::layout::use_auth();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                // Both in one Suspend: a resource awaited in a nested Suspense could leave the
                // server render waiting.
                let product = data.await;
                let wish = match &product {
                    Ok(p) => wish_status(p.card.id).await.unwrap_or_default(),
                    Err(_) => Default::default(),
                };
                let admin = auth
                    .user
                    .await
                    .is_some_and(|u| u.role == crate::identity::Role::Admin);
                match product {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(p) => view! { <ProductView product=p admin wish /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductView(product: ProductDetail, admin: bool, wish: WishState) -> impl IntoView {
    let locale = use_locale();
    let card = product.card.clone();
    let discounted = card.discount_rate > Decimal::ZERO;
    let on_sale = card.status == ProductStatus::Active;
    let is_bundle = product.product_type == "BUNDLE";
    view! {
        <Title text=card.name.clone() />
        <crate::ui::components::Description text=summary(&product, locale) />
        <Breadcrumbs crumbs=product.breadcrumbs.clone() />
        {(!on_sale).then(|| view! {
            <div class="alert alert-error" role="status">
                {t(Msg::ProductPreviewNotice)}" ("{status_label(card.status).text(locale)}")"
                {product.status_reason.clone().map(|r| view! { " · "{r} })}
            </div>
        })}
        <article class="product-detail">
            <Gallery name=card.name.clone() images=product.images.clone() />
            <div>
                <h1>{card.name.clone()}</h1>
                {(on_sale && product.variants.iter().all(|v| v.available <= 0)).then(|| view! {
                    <p><span class="badge sold-out" data-testid="sold-out">{t(Msg::ProductSoldOut)}</span></p>
                })}
                <p class="product-price large">
                    {discounted.then(|| view! { <span class="discount">{format!("{}%", card.discount_rate.round())}</span>" " })}
                    <strong data-testid="price">{won(card.price)}</strong>
                    {card.original_price.filter(|_| discounted).map(|o| view! { " "<s class="muted">{won(o)}</s> })}
                </p>
                <p class="muted small">{t(Msg::ProductSeller)}" · "
                    <a href=format!("/s/{}", product.seller_id) data-testid="seller-shop-link">{card.seller_name.clone()}</a>
                </p>
                <WishButton product_id=card.id state=wish />
                {on_sale.then(|| view! {
                    <crate::promotion::pages::ProductCoupons product=card.id back=format!("/p/{}", card.slug) />
                })}
                <BuyBox product_id=card.id product_name=card.name.clone() options=product.options.clone()
                    variants=product.variants.clone() on_sale is_bundle />
            </div>
        </article>
        <section class="panel" aria-labelledby="desc-title">
            <h2 id="desc-title">{t(Msg::ProductDescription)}</h2>
            <p class="prewrap">{product.description.clone()}</p>
        </section>
        {(admin && card.status != ProductStatus::TakenDown).then(|| view! { <TakeDown id=card.id.to_string() /> })}
        {admin.then(|| view! {
            <crate::admin::pages::history::ResourceHistory
                resource=crate::platform::audit::AuditResource::Product id=card.id.to_string() />
        })}
    }
}

/// The product's own words for search results, else its name, price and seller.
fn summary(product: &ProductDetail, locale: crate::platform::i18n::Locale) -> String {
    let own = product
        .description
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if !own.is_empty() {
        return own;
    }
    let card = &product.card;
    Msg::MetaProduct
        .text(locale)
        .replace("{name}", &card.name)
        .replace("{price}", &won(card.price))
        .replace("{seller}", &card.seller_name)
}

/// Admins only: take the product off the store, with a reason.
#[component]
fn TakeDown(id: String) -> impl IntoView {
    use crate::catalog::api::TakeDownProduct;
    let action = ServerAction::<TakeDownProduct>::new();
    let error = crate::ui::components::action_error(action.value());
    let echo = crate::platform::forms::use_form_echo("product-take-down");
    view! {
        <section class="panel" aria-labelledby="takedown-title">
            <h2 id="takedown-title">{t(Msg::AdminTakeDownTitle)}</h2>
            <ActionForm action=action attr:class="row-form" attr:novalidate="true">
                <input type="hidden" name="form[id]" value=id />
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let typed = echo.await.get("reason").cloned();
                        view! { <crate::ui::components::ReasonField error=error id_prefix="takedown-" value=typed /> }
                    })}
                </Suspense>
                <button type="submit" class="button danger">{t(Msg::AdminTakeDown)}</button>
            </ActionForm>
        </section>
    }
}

/// The selected image large, the others as thumbnails. Choosing one is a link (`?img=N`), so
/// it works without JavaScript and the choice can be shared.
#[component]
fn Gallery(name: String, images: Vec<ProductImage>) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    if images.is_empty() {
        let letter = name.chars().next().map(String::from).unwrap_or_default();
        return view! { <div class="product-hero" aria-hidden="true">{letter}</div> }.into_any();
    }
    let primary = images.iter().position(|i| i.is_primary).unwrap_or(0);
    let count = images.len();
    let selected = move || {
        query
            .with(|q| q.get("img").and_then(|s| s.parse::<usize>().ok()))
            .filter(|i| *i < count)
            .unwrap_or(primary)
    };
    let alt = move |img: &ProductImage| img.alt_text.clone().unwrap_or_else(|| name.clone());
    let main = {
        let (images, alt) = (images.clone(), alt.clone());
        move || {
            let img = &images[selected()];
            view! { <img class="gallery-main" src=img.url.clone() alt=alt(img) width="800" height="800" fetchpriority="high" data-testid="gallery-main" /> }
        }
    };
    view! {
        <div class="gallery">
            {main}
            {(count > 1).then(|| view! {
                <ul class="gallery-thumbs" role="list">
                    {images.iter().enumerate().map(|(i, img)| {
                        let thumb = img.thumbnail_url.clone().unwrap_or(img.url.clone());
                        let label = format!("{} {}/{}", alt(img), i + 1, count);
                        view! {
                            <li>
                                <a href=format!("?img={i}") aria-current=move || (selected() == i).then_some("true") aria-label=label>
                                    <img src=thumb alt="" width="80" height="80" loading="lazy" />
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
    .into_any()
}
