use super::card::{Breadcrumbs, ProductCardView};
use crate::catalog::api::store_page;
use crate::catalog::CategoryLink;
use crate::platform::codec::Base64Json;
use crate::platform::i18n::{t, use_locale, Locale, Msg};
use crate::ui::components::LoadError;
use crate::ui::sync_html::SyncHtml;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/shop` and `/shop/c/:slug`: search, filters, sorting and cursor pages. Plain GET forms,
/// so everything works without JavaScript.
#[component]
pub fn ShopPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let locale = use_locale();
    let get = move |k: &str| query.with(|q| q.get(k));
    let slug = move || params.with(|p| p.get("slug"));
    let data = Resource::<_, Base64Json>::new_with_options(
        move || (slug(), query.get()),
        // Boxed: the fetcher's future is moved several times while the resource is set up, and
        // unboxed each move copies the whole state machine (kilobytes of sqlx futures).
        move |(slug, q)| {
            Box::pin(store_page(
                q.get("q"),
                slug,
                q.get("min_price"),
                q.get("max_price"),
                q.get("option"),
                q.get("sort"),
                q.get("cursor"),
            ))
        },
        false,
    );
    let action = move || match slug() {
        Some(s) => format!("/shop/c/{s}"),
        None => "/shop".into(),
    };
    let sorts = [
        ("newest", Msg::SortNewest),
        ("price_asc", Msg::SortPriceAsc),
        ("price_desc", Msg::SortPriceDesc),
        ("rating", Msg::SortRating),
        ("popular", Msg::SortPopular),
    ];
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(store) => {
                        let title = store.crumbs.last()
                            .map(|c| if locale == Locale::En { c.name_en.clone() } else { c.name.clone() })
                            .unwrap_or_else(|| t(Msg::ShopAllProducts).to_owned());
                        let next_href = store.page.next.clone().map(|cursor| {
                            let mut pairs: Vec<(String, String)> = query.with(|q| {
                                ["q", "min_price", "max_price", "option", "sort"]
                                    .iter()
                                    .filter_map(|k| q.get(k).map(|v| ((*k).to_owned(), v)))
                                    .collect()
                            });
                            pairs.push(("cursor".into(), cursor));
                            format!("{}?{}", action(), encode(&pairs))
                        });
                        let on_later_page = get("cursor").is_some();
                        let source = if get("q").is_some() { "search" } else { "category" };
                        // Everything below is known now: built once, into one buffer.
                        SyncHtml(move || view! {
                            <Title text=title.clone() />
                            {(!store.crumbs.is_empty()).then(|| view! {
                                <Breadcrumbs crumbs=store.crumbs.clone() />
                            })}
                            <h1>{title}</h1>
                            <div class="shop-layout">
                                <aside class="shop-aside" aria-labelledby="cat-title">
                                    <h2 id="cat-title">{t(Msg::ShopCategories)}</h2>
                                    <CategoryTree nodes=store.tree.clone() />
                                </aside>
                                <div>
                                    <form method="get" action=action() class="filters" role="search">
                                        <div class="field grow">
                                            <label for="q">{t(Msg::ShopSearchLabel)}</label>
                                            <input id="q" name="q" type="search" value=get("q")
                                                placeholder=t(Msg::ShopSearchPlaceholder) />
                                        </div>
                                        <div class="field">
                                            <label for="sort">{t(Msg::ShopSort)}</label>
                                            <select id="sort" name="sort">
                                                {sorts.into_iter().map(|(k, m)| view! {
                                                    <option value=k selected=get("sort").as_deref() == Some(k)>{t(m)}</option>
                                                }).collect_view()}
                                            </select>
                                        </div>
                                        <div class="field narrow">
                                            <label for="min_price">{t(Msg::ShopMinPrice)}</label>
                                            <input id="min_price" name="min_price" inputmode="numeric" value=get("min_price") />
                                        </div>
                                        <div class="field narrow">
                                            <label for="max_price">{t(Msg::ShopMaxPrice)}</label>
                                            <input id="max_price" name="max_price" inputmode="numeric" value=get("max_price") />
                                        </div>
                                        <div class="field">
                                            <label for="option">{t(Msg::ShopOptionFilter)}</label>
                                            <input id="option" name="option" value=get("option") />
                                        </div>
                                        <button type="submit" class="button primary">{t(Msg::ShopSearch)}</button>
                                    </form>
                                    {store.page.items.is_empty().then(|| view! { <p class="muted">{t(Msg::ShopNoResults)}</p> })}
                                    <ul class="product-grid" role="list">
                                        {store.page.items.into_iter().map(|p| view! { <ProductCardView product=p from=source /> }).collect_view()}
                                    </ul>
                                    <nav class="pager" aria-label=t(Msg::ShopNextPage)>
                                        {on_later_page.then(|| view! { <a href=action() class="button">{t(Msg::ShopFirstPage)}</a> })}
                                        {next_href.map(|h| view! { <a href=h class="button" rel="next">{t(Msg::ShopNextPage)}</a> })}
                                    </nav>
                                </div>
                            </div>
                        }).into_any()
                    }
                }
            })}
        </Suspense>
    }
}

fn encode(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", crate::ui::format::query_value(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[component]
fn CategoryTree(nodes: Vec<CategoryLink>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <ul class="category-tree">
            {nodes.into_iter().map(|CategoryLink { name, name_en, slug, children }| {
                let label = if locale == Locale::En { name_en } else { name };
                view! {
                    <li>
                        <a href=format!("/shop/c/{slug}")>{label}</a>
                        {(!children.is_empty()).then(|| view! { <CategoryTree nodes=children /> }.into_any())}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
