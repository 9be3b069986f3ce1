use crate::catalog::api::{ProductEditData, UpdateProduct};
use crate::catalog::CategoryId;
use crate::platform::forms::Echo;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::{action_error, Field, FormAlert, Submit};
use leptos::prelude::*;

/// Name, description, prices and up to five categories (the first is the primary one).
#[component]
pub fn DetailsForm(
    action: ServerAction<UpdateProduct>,
    data: ProductEditData,
    echo: Echo,
) -> impl IntoView {
    let locale = use_locale();
    let error = action_error(action.value());
    let p = data.product;
    // After a failed no-JS post, show what was typed rather than what is stored.
    let v = move |k: &str, stored: String| Some(echo.get(k).cloned().unwrap_or(stored));
    let money = |d: rust_decimal::Decimal| d.normalize().to_string();
    let cat_error = move || {
        error
            .get()
            .and_then(|e| e.field_message("category_ids", locale))
    };
    let selects = (1..=crate::catalog::MAX_CATEGORY_FIELDS)
        .map(|n| {
            let name = format!("category{n}");
            let chosen: Option<CategoryId> = p.category_ids.get(n - 1).copied();
            let label = if n == 1 {
                t(Msg::FieldCategory).to_owned()
            } else {
                Msg::FieldExtraCategory
                    .text(locale)
                    .replace("{n}", &(n - 1).to_string())
            };
            let options = data.categories.clone();
            view! {
                <div class="field">
                    <label for=name.clone()>{label}</label>
                    <select id=name.clone() name=format!("form[{name}]") required=n == 1>
                        <option value="">{if n == 1 { t(Msg::FieldChoose) } else { t(Msg::FieldNone) }}</option>
                        {options.into_iter().map(|(id, path)| view! {
                            <option value=id.to_string() selected=chosen == Some(id)>{path}</option>
                        }).collect_view()}
                    </select>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="details-title">
            <h2 id="details-title">{t(Msg::SellerEditDetails)}</h2>
            <FormAlert error=error fields=&["name", "price", "original_price"] />
            <ActionForm action=action attr:novalidate="true">
                <input type="hidden" name="form[id]" value=p.id.to_string() />
                <Field label=Msg::FieldProductName name="name" required=true value=v("name", p.name.clone()) error=error />
                <div class="field">
                    <label for="description">{t(Msg::FieldProductDescription)}</label>
                    <textarea id="description" name="form[description]" rows="5">{v("description", p.description.clone())}</textarea>
                </div>
                <div class="grid-2">
                    <Field label=Msg::FieldPrice name="price" required=true value=v("price", money(p.price)) error=error />
                    <Field label=Msg::FieldOriginalPrice name="original_price"
                        value=v("original_price", p.original_price.map(money).unwrap_or_default()) error=error />
                </div>
                <fieldset class="category-picks">
                    <legend>{t(Msg::FieldCategory)}</legend>
                    <div class="grid-2">{selects}</div>
                    <p class="field-error" role="alert">{cat_error}</p>
                </fieldset>
                <Submit label=Msg::SellerSave pending=action.pending() />
            </ActionForm>
        </section>
    }
}
