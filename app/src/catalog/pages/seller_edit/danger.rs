use crate::catalog::api::DeleteProduct;
use crate::catalog::ProductId;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::action_error;
use leptos::prelude::*;

/// Soft delete, behind a confirmation box (no `confirm()` dialog: it must work without JS).
#[component]
pub fn DeletePanel(id: ProductId, action: ServerAction<DeleteProduct>) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(action.value());
    let message = move || error.get().map(|e| e.message(locale));
    view! {
        <section class="panel danger-zone" aria-labelledby="delete-title">
            <h2 id="delete-title">{t(Msg::SellerDeleteProduct)}</h2>
            <p>{t(Msg::SellerDeleteWarning)}</p>
            <ActionForm action=action>
                <input type="hidden" name="form[id]" value=id.to_string() />
                <div class="field">
                    <input id="confirm-delete" name="form[confirm]" type="checkbox" value="yes" aria-describedby="confirm-error" />
                    <label for="confirm-delete">{t(Msg::SellerDeleteConfirm)}</label>
                    <p class="field-error" id="confirm-error" role="alert">{message}</p>
                </div>
                <button type="submit" class="button danger">{t(Msg::SellerDeleteProduct)}</button>
            </ActionForm>
        </section>
    }
}
