use crate::catalog::api::store_page;
use crate::platform::i18n::{use_locale, Msg};
use crate::ui::components::LoadError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/shop`, `/shop/c/:slug` and a seller's shop `/s/:seller`: search, facets, sorting and
/// cursor pages. Plain GET forms,
/// so everything works without JavaScript. The server renders the listing to markup
/// (`shop_html`).
#[component]
pub fn ShopPage() -> impl IntoView {
    let locale = use_locale();
    let params = use_params_map();
    let query = use_query_map();
    let data = Resource::<_, crate::platform::codec::Base64Json>::new_with_options(
        move || params.with(|p| (p.get("slug"), p.get("seller"), query.get())),
        // Boxed: the fetcher's future is moved several times while the resource is set up, and
        // unboxed each move copies the whole state machine (kilobytes of sqlx futures).
        move |(slug, seller, q)| {
            Box::pin(store_page(
                q.get("q"),
                slug,
                seller,
                q.get("min_price"),
                q.get("max_price"),
                q.get_all("opt").unwrap_or_default(),
                q.get("in_stock"),
                q.get("sort"),
                q.get("cursor"),
            ))
        },
        false,
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(page) => view! {
                        <crate::ui::components::Description
                            text=Msg::MetaShop.text(locale).replace("{title}", &page.title) />
                        <Title text=page.title />
                        <div class="shop-page" inner_html=page.html></div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
