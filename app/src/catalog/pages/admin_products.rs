use super::card::ProductCardView;
use crate::catalog::api::{pending_products, ReviewProduct};
use crate::platform::i18n::{t, Msg};
use crate::platform::notice::notify_after;
use crate::ui::components::{action_error, FormAlert, LoadError};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/products`: products waiting for review.
#[component]
pub fn AdminProductsPage() -> impl IntoView {
    let review = ServerAction::<ReviewProduct>::new();
    notify_after(move || review.version().get());
    let list = Resource::new(move || review.version().get(), |_| pending_products());
    let error = action_error(review.value());
    view! {
        <Title text=t(Msg::AdminProductsTitle) />
        <h1>{t(Msg::AdminProductsTitle)}</h1>
        <FormAlert error=error />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(items) if items.is_empty() => view! { <p class="muted">{t(Msg::AdminProductsEmpty)}</p> }.into_any(),
                    Ok(items) => view! {
                        <ul class="review-list" role="list">
                            {items.into_iter().map(|p| {
                                let id = p.id.to_string();
                                let reject_id = id.clone();
                                view! {
                                    <li class="card review" data-testid="pending-product">
                                        <ul class="product-grid single" role="list"><ProductCardView product=p /></ul>
                                        <div class="review-actions">
                                            <ActionForm action=review attr:class="inline-form">
                                                <input type="hidden" name="form[id]" value=id.clone() />
                                                <input type="hidden" name="form[decision]" value="approve" />
                                                <button type="submit" class="button primary">{t(Msg::AdminApprove)}</button>
                                            </ActionForm>
                                            <ActionForm action=review attr:class="row-form">
                                                <input type="hidden" name="form[id]" value=reject_id.clone() />
                                                <input type="hidden" name="form[decision]" value="reject" />
                                                <div class="field">
                                                    <label for=format!("reason-{reject_id}")>{t(Msg::SellerReason)}</label>
                                                    <input id=format!("reason-{reject_id}") name="form[reason]" required=true />
                                                </div>
                                                <button type="submit" class="button danger">{t(Msg::AdminReject)}</button>
                                            </ActionForm>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
