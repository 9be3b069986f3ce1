use crate::catalog::ProductId;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::wishlist::api::SetWish;
use crate::wishlist::WishState;
use leptos::prelude::*;

/// ♥ or ♡ with the number of shoppers who keep the product. A form, so it works without
/// JavaScript; it says which way it goes, so a double click cannot flip it back.
#[component]
pub fn WishButton(product_id: ProductId, state: WishState) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<SetWish>::new();
    let (label, mark) = if state.wished {
        (Msg::WishRemove, "♥")
    } else {
        (Msg::WishAdd, "♡")
    };
    view! {
        <ActionForm action=action attr:class="wish-form">
            <input type="hidden" name="form[product_id]" value=product_id.to_string() />
            <input type="hidden" name="form[wish]" value=(!state.wished).to_string() />
            <button type="submit" class="wish-button" aria-pressed=state.wished.to_string()
                data-testid="wish-button" aria-label=label.text(locale)>
                <span aria-hidden="true" class="heart">{mark}</span>
                " "<span data-testid="wish-count">{Msg::WishCount.text(locale).replace("{n}", &state.count.to_string())}</span>
            </button>
        </ActionForm>
        {(state.wished).then(|| view! { <a class="small" href="/account/wishlist">{t(Msg::WishlistTitle)}</a> })}
    }
}
