use super::card::ProductCardView;
use crate::catalog::api::{pending_products, ReviewProduct};
use crate::platform::forms::use_form_echo;
use crate::platform::i18n::{t, Msg};
use crate::ui::components::{FormAlert, LoadError, ReasonField, RowErrors};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/admin/products`: products waiting for review.
#[component]
pub fn AdminProductsPage() -> impl IntoView {
    let review = ServerAction::<ReviewProduct>::new();
    let list = Resource::new(move || review.version().get(), |_| pending_products());
    // One action for every row: its error shows on the row whose form was sent.
    let errors = RowErrors::new(review);
    let echo = use_form_echo("product-review");
    view! {
        <Title text=t(Msg::AdminProductsTitle) />
        <h1>{t(Msg::AdminProductsTitle)}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let echo = echo.await;
                errors.place(echo.get("id"));
                let unplaced = view! { <FormAlert error=errors.unplaced() /> };
                match list.await {
                    Err(e) => view! { <LoadError error=e /> }.into_any(),
                    Ok(items) if items.is_empty() => view! { {unplaced} <p class="muted">{t(Msg::AdminProductsEmpty)}</p> }.into_any(),
                    Ok(items) => view! {
                        {unplaced}
                        <ul class="review-list" role="list">
                            {items.into_iter().map(|p| {
                                let id = p.id.to_string();
                                let reject_id = id.clone();
                                let error = errors.for_row(id.clone());
                                let typed = (echo.get("id") == Some(&id))
                                    .then(|| echo.get("reason").cloned())
                                    .flatten();
                                view! {
                                    <li class="card review" data-testid="pending-product">
                                        <ul class="product-grid single" role="list"><ProductCardView product=p /></ul>
                                        <div class="review-actions">
                                            <ActionForm action=review attr:class="inline-form">
                                                <input type="hidden" name="form[id]" value=id.clone() />
                                                <input type="hidden" name="form[decision]" value="approve" />
                                                <button type="submit" class="button primary">{t(Msg::AdminApprove)}</button>
                                            </ActionForm>
                                            <ActionForm action=review attr:class="row-form" attr:novalidate="true">
                                                <input type="hidden" name="form[id]" value=reject_id.clone() />
                                                <input type="hidden" name="form[decision]" value="reject" />
                                                <ReasonField error=error id_prefix=format!("reject-{reject_id}-") value=typed />
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
