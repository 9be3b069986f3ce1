use super::status_label;
use crate::catalog::api::{seller_catalog, CreateProduct, SetProductOnSale, SubmitProduct};
use crate::catalog::CategoryId;
use crate::catalog::{ProductStatus, SellerSort};
use crate::platform::forms::{use_form_echo, Echo};
use crate::platform::i18n::{t, use_locale, Msg};
use crate::platform::once::{once_token, FormToken, OnceField};
use crate::ui::components::{action_error, Field, FormAlert, LoadError, Submit};
use crate::ui::format::won;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/seller/products`: the seller's products with their status, and the form for a new one.
#[component]
pub fn SellerProductsPage() -> impl IntoView {
    let create = ServerAction::<CreateProduct>::new();
    let submit = ServerAction::<SubmitProduct>::new();
    let sale = ServerAction::<SetProductOnSale>::new();
    let query = use_query_map();
    let data = Resource::new(
        move || {
            (
                query.get(),
                create.version().get(),
                submit.version().get(),
                sale.version().get(),
            )
        },
        |(q, ..)| seller_catalog(q.get("q"), q.get("status"), q.get("sort"), q.get("cursor")),
    );
    let echo = use_form_echo("product");
    let once = once_token(move || create.version().get());
    let locale = use_locale();
    let errors = Signal::derive(move || {
        action_error(submit.value())
            .get()
            .or_else(|| action_error(sale.value()).get())
    });
    view! {
        <Title text=t(Msg::SellerProductsTitle) />
        <h1>{t(Msg::SellerProductsTitle)}</h1>
        <FormAlert error=errors />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let echo = echo.await;
                let once = once.await;
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(cat) => view! {
                        <section class="panel" aria-labelledby="my-products">
                            <h2 id="my-products">{t(Msg::SellerManageProducts)}</h2>
                            <TableFilters />
                            <p class="muted small" data-testid="seller-product-count">
                                {Msg::SellerProductCount.text(locale).replace("{n}", &cat.total.to_string())}
                            </p>
                            {cat.products.items.is_empty().then(|| view! { <p class="muted">{t(Msg::SellerNoProducts)}</p> })}
                            <div class="table-wrap" tabindex="0" role="region" aria-label=t(Msg::TableRegion)>
                                <table>
                                    <thead><tr>
                                        <th scope="col">{t(Msg::FieldProductName)}</th>
                                        <th scope="col">{t(Msg::SellerSkuCodes)}</th>
                                        <th scope="col">{t(Msg::FieldPrice)}</th>
                                        <th scope="col">{t(Msg::SellerAvailable)}</th>
                                        <th scope="col">{t(Msg::ProductStatus)}</th>
                                        <th scope="col"><span class="visually-hidden">{t(Msg::SellerSubmit)}</span></th>
                                    </tr></thead>
                                    <tbody>
                                        {cat.products.items.into_iter().map(|p| {
                                            let id = p.id.to_string();
                                            let sale_id = id.clone();
                                            let status = p.status;
                                            view! {
                                                <tr data-testid="seller-product">
                                                    <td>
                                                        <a href=format!("/seller/products/{}", p.id)>{p.name.clone()}</a>
                                                        " "<a class="small muted" href=format!("/p/{}", p.slug)>{t(Msg::SellerViewInStore)}</a>
                                                    </td>
                                                    <td class="small"><code>{p.codes.clone()}</code></td>
                                                    <td>{won(p.price)}</td>
                                                    <td>{p.available}</td>
                                                    <td><span class=format!("badge status-{status}")>{status_label(status).text(locale)}</span></td>
                                                    <td>
                                                        {matches!(status, ProductStatus::Draft | ProductStatus::Rejected).then(|| view! {
                                                            <ActionForm action=submit attr:class="inline-form">
                                                                <input type="hidden" name="id" value=id.clone() />
                                                                <button type="submit" class="button small primary">{t(Msg::SellerSubmit)}</button>
                                                            </ActionForm>
                                                        })}
                                                        {matches!(status, ProductStatus::Active | ProductStatus::Inactive).then(|| {
                                                            let on = status == ProductStatus::Inactive;
                                                            view! {
                                                                <ActionForm action=sale attr:class="inline-form">
                                                                    <input type="hidden" name="id" value=sale_id.clone() />
                                                                    <input type="hidden" name="on_sale" value=on.to_string() />
                                                                    <button type="submit" class="button small">
                                                                        {if on { t(Msg::SellerResumeSale) } else { t(Msg::SellerStopSale) }}
                                                                    </button>
                                                                </ActionForm>
                                                            }
                                                        })}
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            <Pager next=cat.products.next.clone() />
                        </section>
                        <NewProductForm create=create categories=cat.categories echo=echo once=once />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Search, status and sort: a GET form, so it works without JavaScript.
#[component]
fn TableFilters() -> impl IntoView {
    let query = use_query_map();
    let locale = use_locale();
    let get = move |k: &str| query.with_untracked(|q| q.get(k)).unwrap_or_default();
    let (status, sort) = (get("status"), get("sort"));
    view! {
        <form method="get" action="/seller/products" class="filters" role="search">
            <div class="field grow">
                <label for="seller-q">{t(Msg::SellerSearchProducts)}</label>
                <input id="seller-q" name="q" type="search" value=get("q") />
            </div>
            <div class="field">
                <label for="seller-status">{t(Msg::ProductStatus)}</label>
                <select id="seller-status" name="status">
                    <option value="">{t(Msg::FilterAll)}</option>
                    {ProductStatus::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=status == s.as_str()>{status_label(*s).text(locale)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="seller-sort">{t(Msg::ShopSort)}</label>
                <select id="seller-sort" name="sort">
                    {SellerSort::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=sort == s.as_str()>{seller_sort_label(*s).text(locale)}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="button">{t(Msg::ShopApply)}</button>
        </form>
    }
}

fn seller_sort_label(s: SellerSort) -> Msg {
    match s {
        SellerSort::Newest => Msg::SortNewest,
        SellerSort::Name => Msg::SortName,
        SellerSort::PriceAsc => Msg::SortPriceAsc,
        SellerSort::PriceDesc => Msg::SortPriceDesc,
        SellerSort::Updated => Msg::SortUpdated,
    }
}

/// First page and next page, keeping the search, filter and sort.
#[component]
fn Pager(next: Option<String>) -> impl IntoView {
    let query = use_query_map();
    let href = move |cursor: Option<&str>| {
        query.with_untracked(|q| {
            let keep: Vec<(&str, String)> = ["q", "status", "sort"]
                .into_iter()
                .filter_map(|k| q.get(k).filter(|v| !v.is_empty()).map(|v| (k, v)))
                .collect();
            let mut pairs: Vec<(&str, &str)> = keep.iter().map(|(k, v)| (*k, v.as_str())).collect();
            if let Some(c) = cursor {
                pairs.push(("cursor", c));
            }
            crate::ui::format::href("/seller/products", &pairs)
        })
    };
    let paged = query.with_untracked(|q| q.get("cursor").is_some());
    view! {
        <nav class="pager" aria-label=t(Msg::ShopNextPage)>
            {paged.then(|| view! { <a href=href(None) class="button">{t(Msg::ShopFirstPage)}</a> })}
            {next.map(|c| view! { <a href=href(Some(&c)) class="button" rel="next" data-testid="seller-next">{t(Msg::ShopNextPage)}</a> })}
        </nav>
    }
}

#[component]
fn NewProductForm(
    create: ServerAction<CreateProduct>,
    categories: Vec<(CategoryId, String)>,
    echo: Echo,
    once: FormToken,
) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(create.value());
    let v = move |k: &str| echo.get(k).cloned();
    let chosen = v("category_id");
    let cat_error = move || {
        error
            .get()
            .and_then(|e| e.field_message("category_id", locale))
    };
    let numbered = move |m: Msg, n: u8| m.text(locale).replace("{n}", &n.to_string());
    view! {
        <section class="panel" aria-labelledby="new-product">
            <h2 id="new-product">{t(Msg::SellerNewProduct)}</h2>
            <FormAlert error=error fields=&["name", "price", "original_price", "category_id", "option1_name",
                "option1_values", "option2_name", "option2_values", "initial_stock"] />
            <ActionForm action=create attr:novalidate="true">
                <OnceField token=once />
                <Field label=Msg::FieldProductName name="name" required=true value=v("name") error=error />
                <div class="field">
                    <label for="description">{t(Msg::FieldProductDescription)}</label>
                    <textarea id="description" name="form[description]" rows="4">{v("description").unwrap_or_default()}</textarea>
                </div>
                <div class="grid-2">
                    <Field label=Msg::FieldPrice name="price" required=true value=v("price") error=error />
                    <Field label=Msg::FieldOriginalPrice name="original_price" value=v("original_price") error=error />
                </div>
                <div class="field" class:has-error=move || cat_error().is_some()>
                    <label for="category_id">{t(Msg::FieldCategory)}</label>
                    <select id="category_id" name="form[category_id]" required=true aria-describedby="category_id-error">
                        <option value="">{t(Msg::FieldChoose)}</option>
                        {categories.into_iter().map(|(id, path)| {
                            let selected = chosen.as_deref() == Some(id.to_string().as_str());
                            view! { <option value=id.to_string() selected=selected>{path}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="category_id-error" role="alert">{cat_error}</p>
                </div>
                {[1u8, 2].into_iter().map(|n| {
                    let name_field = format!("option{n}_name");
                    let values_field = format!("option{n}_values");
                    let name_err = {
                        let f = name_field.clone();
                        move || error.get().and_then(|e| e.field_message(&f, locale))
                    };
                    let values_err = {
                        let f = values_field.clone();
                        move || error.get().and_then(|e| e.field_message(&f, locale))
                    };
                    view! {
                        <div class="grid-2">
                            <div class="field">
                                <label for=name_field.clone()>{numbered(Msg::FieldOptionName, n)}</label>
                                <input id=name_field.clone() name=format!("form[{name_field}]") value=v(&name_field) />
                                <p class="field-error" role="alert">{name_err}</p>
                            </div>
                            <div class="field">
                                <label for=values_field.clone()>{numbered(Msg::FieldOptionValues, n)}</label>
                                <input id=values_field.clone() name=format!("form[{values_field}]") value=v(&values_field) />
                                <p class="field-error" role="alert">{values_err}</p>
                            </div>
                        </div>
                    }
                }).collect_view()}
                <fieldset class="field">
                    <legend>{t(Msg::FieldProductType)}</legend>
                    <label class="choice">
                        <input type="radio" name="form[product_type]" value="normal" checked=v("product_type").as_deref() != Some("bundle") />
                        {t(Msg::ProductTypeNormal)}
                    </label>
                    <label class="choice">
                        <input type="radio" name="form[product_type]" value="bundle" checked=v("product_type").as_deref() == Some("bundle") />
                        {t(Msg::ProductTypeBundle)}
                    </label>
                </fieldset>
                <Field label=Msg::FieldInitialStock name="initial_stock" kind="number" value=v("initial_stock") error=error />
                <Submit label=Msg::SellerCreate pending=create.pending() />
            </ActionForm>
        </section>
    }
}
