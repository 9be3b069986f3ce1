use super::card::Breadcrumbs;
use super::status_label;
use crate::catalog::api::product_page;
use crate::catalog::ProductDetail;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::LoadError;
use crate::ui::format::won;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use rust_decimal::Decimal;

/// `/p/:slug`: the product with its variants, their prices and stock.
#[component]
pub fn ProductPage() -> impl IntoView {
    let params = use_params_map();
    let query = leptos_router::hooks::use_query_map();
    let data = Resource::new(
        move || {
            (
                params.with(|p| p.get("slug").unwrap_or_default()),
                query.with(|q| q.get("from")),
            )
        },
        |(slug, from)| product_page(slug, from),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(p) => view! { <ProductView product=p /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductView(product: ProductDetail) -> impl IntoView {
    let locale = use_locale();
    let card = product.card.clone();
    let discounted = card.discount_rate > Decimal::ZERO;
    let on_sale = card.status == "active";
    let is_bundle = product.product_type == "BUNDLE";
    view! {
        <Title text=card.name.clone() />
        <Breadcrumbs crumbs=product.breadcrumbs.clone() />
        {(!on_sale).then(|| view! {
            <div class="alert alert-error" role="status">
                {t(Msg::ProductPreviewNotice)}" ("{status_label(&card.status).text(locale)}")"
                {product.status_reason.clone().map(|r| view! { " · "{r} })}
            </div>
        })}
        <article class="product-detail">
            <div class="product-hero" aria-hidden="true">{card.name.chars().next().map(String::from).unwrap_or_default()}</div>
            <div>
                <h1>{card.name.clone()}</h1>
                <p class="muted">{t(Msg::ProductSeller)}": "{card.seller_name.clone()}</p>
                <p class="product-price large">
                    {discounted.then(|| view! { <span class="discount">{format!("{}%", card.discount_rate.round())}</span>" " })}
                    <strong data-testid="price">{won(card.price)}</strong>
                    {card.original_price.filter(|_| discounted).map(|o| view! { " "<s class="muted">{won(o)}</s> })}
                </p>
                <fieldset class="variant-picker">
                    <legend>{t(Msg::ProductOptions)}</legend>
                    {product.options.iter().map(|o| view! {
                        <p class="muted small">{format!("{}: {}", o.name, o.values.join(", "))}</p>
                    }).collect_view()}
                    <ul role="list">
                        {product.variants.iter().enumerate().map(|(i, v)| {
                            let id = format!("variant-{}", v.id);
                            let sold_out = v.available <= 0;
                            let label = if v.name.is_empty() { card.name.clone() } else { v.name.clone() };
                            view! {
                                <li class="variant" class:sold-out=sold_out data-testid="variant">
                                    <input type="radio" name="variant_id" id=id.clone() value=v.id.to_string()
                                        disabled=sold_out checked=i == 0 && !sold_out />
                                    <label for=id>
                                        <span class="variant-name">{label}</span>
                                        <span class="variant-price">{won(v.price)}</span>
                                        <span class="variant-stock">
                                            {if sold_out {
                                                t(Msg::ProductSoldOut).to_owned()
                                            } else {
                                                Msg::ProductInStock.text(locale).replace("{n}", &v.available.to_string())
                                            }}
                                        </span>
                                    </label>
                                    {(is_bundle && !v.contents.is_empty()).then(|| view! {
                                        <ul class="bundle-contents" aria-label=t(Msg::ProductBundleContents)>
                                            {v.contents.iter().map(|(name, q)| view! { <li>{format!("{name} × {q}")}</li> }).collect_view()}
                                        </ul>
                                    })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </fieldset>
            </div>
        </article>
        <section class="panel" aria-labelledby="desc-title">
            <h2 id="desc-title">{t(Msg::ProductDescription)}</h2>
            <p class="prewrap">{product.description.clone()}</p>
        </section>
    }
}
