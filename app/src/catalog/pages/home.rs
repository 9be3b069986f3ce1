use super::card::ProductCardView;
use crate::catalog::api::load_home;
use crate::catalog::ProductCard;
use crate::platform::i18n::{t, Msg};
use leptos::prelude::*;

/// Featured, popular, new and recently viewed products on the home page.
#[component]
pub fn HomeShelvesView() -> impl IntoView {
    let shelves = Resource::<_, crate::platform::codec::Base64Json>::new_with_options(
        || (),
        |_| Box::pin(load_home()),
        false,
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let s = shelves.await.unwrap_or_default();
                view! {
                    <Shelf title=Msg::HomeRecentlyViewed items=s.recently_viewed id="recent" />
                    <Shelf title=Msg::HomeFeatured items=s.featured id="featured" />
                    <Shelf title=Msg::HomePopular items=s.popular id="popular" />
                    <Shelf title=Msg::HomeNew items=s.newest id="new" />
                }
            })}
        </Suspense>
    }
}

#[component]
fn Shelf(title: Msg, items: Vec<ProductCard>, id: &'static str) -> impl IntoView {
    (!items.is_empty()).then(|| {
        let heading = format!("shelf-{id}-title");
        let labelled_by = heading.clone();
        view! {
            <section class="shelf" aria-labelledby=labelled_by data-testid=format!("shelf-{id}")>
                <h2 id=heading>{t(title)}</h2>
                <ul class="product-grid" role="list">
                    {items.into_iter().map(|p| view! { <ProductCardView product=p from="recommendation" /> }).collect_view()}
                </ul>
            </section>
        }
    })
}
