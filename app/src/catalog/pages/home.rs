use super::card::{ProductCardView, EAGER_CARDS};
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
                // Only the first shelf shown is above the fold.
                let first = [&s.recently_viewed, &s.featured, &s.popular, &s.newest]
                    .iter()
                    .position(|items| !items.is_empty());
                view! {
                    <Shelf title=Msg::HomeRecentlyViewed items=s.recently_viewed id="recent" eager=first == Some(0) />
                    <Shelf title=Msg::HomeFeatured items=s.featured id="featured" eager=first == Some(1) />
                    <Shelf title=Msg::HomePopular items=s.popular id="popular" eager=first == Some(2) />
                    <Shelf title=Msg::HomeNew items=s.newest id="new" eager=first == Some(3) />
                }
            })}
        </Suspense>
    }
}

#[component]
fn Shelf(title: Msg, items: Vec<ProductCard>, id: &'static str, eager: bool) -> impl IntoView {
    (!items.is_empty()).then(|| {
        let heading = format!("shelf-{id}-title");
        let labelled_by = heading.clone();
        view! {
            <section class="shelf" aria-labelledby=labelled_by data-testid=format!("shelf-{id}")>
                <h2 id=heading>{t(title)}</h2>
                <ul class="product-grid" role="list">
                    {items.into_iter().enumerate().map(|(i, p)| view! {
                        <ProductCardView product=p from="recommendation" eager=eager && i < EAGER_CARDS />
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}
