//! `/seller/products/:id`: the seller edits one product: details and categories, images,
//! variants (and a bundle's contents), and deletion. Every form works without JavaScript.

mod bundle_picker;
mod danger;
mod details;
mod images;
mod variants;

use super::status_label;
use crate::catalog::api::{
    seller_product_edit, AddOptionValue, ChangeProductImage, DeleteProduct, DeleteProductImage,
    SetBundleItem, UpdateProduct, UpdateVariant,
};
use crate::platform::forms::use_form_echo;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::LoadError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn SellerProductEditPage() -> impl IntoView {
    let params = use_params_map();
    // Created here (inside the route) so their errors survive a no-JS redirect.
    let update = ServerAction::<UpdateProduct>::new();
    let variant = ServerAction::<UpdateVariant>::new();
    let add_value = ServerAction::<AddOptionValue>::new();
    let bundle = ServerAction::<SetBundleItem>::new();
    let image = ServerAction::<ChangeProductImage>::new();
    let image_delete = ServerAction::<DeleteProductImage>::new();
    let delete = ServerAction::<DeleteProduct>::new();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|s| s.parse::<crate::catalog::ProductId>().ok())
        })
    };
    let data = Resource::new(
        move || {
            (
                id(),
                update.version().get(),
                variant.version().get(),
                add_value.version().get(),
                bundle.version().get(),
                image.version().get() + image_delete.version().get(),
            )
        },
        |(id, ..)| async move {
            match id {
                Some(id) => seller_product_edit(id).await,
                None => Err(crate::platform::error::AppError::NotFound),
            }
        },
    );
    let echo = use_form_echo("product-edit");
    let locale = use_locale();
    view! {
        <Title text=t(Msg::SellerEditProduct) />
        <p><a href="/seller/products">"← "{t(Msg::SellerProductsTitle)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let echo = echo.await;
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(d) => {
                        let p = d.product.clone();
                        view! {
                            <header class="page-head">
                                <h1>{t(Msg::SellerEditProduct)}": "{p.name.clone()}</h1>
                                <p>
                                    <span class=format!("badge status-{}", p.status)>{status_label(p.status).text(locale)}</span>
                                    " · "<a href=format!("/p/{}", p.slug)>{t(Msg::SellerViewInStore)}</a>
                                </p>
                                {p.status_reason.clone().map(|r| view! { <p class="muted">{r}</p> })}
                            </header>
                            <details::DetailsForm action=update data=d.clone() echo=echo />
                            <images::ImagesPanel data=d.clone() change=image delete=image_delete />
                            <variants::VariantsPanel data=d.clone() update=variant add_value=add_value bundle=bundle />
                            <danger::DeletePanel id=p.id action=delete />
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
