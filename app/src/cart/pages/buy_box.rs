use crate::cart::api::AddToCart;
use crate::catalog::{OptionView, ProductId, VariantView};
use crate::platform::i18n::{t, use_locale, Msg};
use crate::platform::once::{FormToken, OnceField};
use crate::ui::components::{action_error, FormAlert};
use crate::ui::format::won;
use leptos::prelude::*;

/// What to buy, the way Korean shops ask: one select per option (values that cannot be had
/// are disabled), a quantity, then "장바구니" or "바로 구매". A plain form: it works without
/// JavaScript, and the server resolves the chosen values to their variant.
#[component]
pub fn BuyBox(
    product_id: ProductId,
    product_name: String,
    options: Vec<OptionView>,
    variants: Vec<VariantView>,
    on_sale: bool,
    is_bundle: bool,
) -> impl IntoView {
    let locale = use_locale();
    let action = ServerAction::<AddToCart>::new();
    let error = action_error(action.value());
    let token = FormToken(uuid::Uuid::new_v4().to_string());
    let sold_out = variants.iter().all(|v| v.available <= 0);
    let most = variants.iter().map(|v| v.available).max().unwrap_or(0);
    let max = most.clamp(1, crate::cart::MAX_QUANTITY).to_string();
    let pickers = if options.is_empty() {
        view! { <VariantSelect product_name variants=variants.clone() /> }.into_any()
    } else {
        options
            .iter()
            .enumerate()
            .map(|(i, o)| view! { <OptionSelect index=i + 1 option=o.clone() variants=variants.clone() /> })
            .collect_view()
            .into_any()
    };
    view! {
        <section class="buy-box" data-testid="buy-box" aria-label=t(Msg::BuyTitle)>
        <ActionForm action=action attr:novalidate="true">
            <FormAlert error=error fields=&["quantity"] />
            <input type="hidden" name="form[product_id]" value=product_id.to_string() />
            <OnceField token />
            {pickers}
            <div class="field" class:has-error=move || error.get().and_then(|e| e.field_message("quantity", locale)).is_some()>
                <label for="buy-quantity">{t(Msg::BuyQuantity)}</label>
                <input id="buy-quantity" class="qty-input" type="number" name="form[quantity]" value="1"
                    min="1" max=max inputmode="numeric" required=true
                    aria-describedby="buy-quantity-error" />
                <p class="field-error" id="buy-quantity-error" role="alert">
                    {move || error.get().and_then(|e| e.field_message("quantity", locale))}
                </p>
            </div>
            {if !on_sale || sold_out {
                let why = if on_sale { Msg::ProductSoldOut } else { Msg::CartOffSale };
                view! { <p class="alert alert-error" role="status">{t(why)}</p> }.into_any()
            } else {
                view! {
                    <div class="buy-actions">
                        <button type="submit" name="form[intent]" value="cart" class="button large">{t(Msg::BuyAddToCart)}</button>
                        <button type="submit" name="form[intent]" value="buy" class="button primary large">{t(Msg::BuyNow)}</button>
                    </div>
                }.into_any()
            }}
        </ActionForm>
        </section>
        <StockTable variants is_bundle />
    }
}

/// One option's values. A value is disabled when no variant having it can be sold; whether a
/// whole combination can be had is checked when the form is sent.
#[component]
fn OptionSelect(index: usize, option: OptionView, variants: Vec<VariantView>) -> impl IntoView {
    let locale = use_locale();
    let id = format!("buy-o{index}");
    view! {
        <div class="field">
            <label for=id.clone()>{option.name.clone()}</label>
            <select id=id name=format!("form[o{index}]") required=true>
                <option value="">{t(Msg::BuyChoose)}</option>
                {option.values.iter().map(|value| {
                    let can = variants.iter().any(|v| {
                        v.available > 0 && v.option_values.get(&option.name) == Some(value)
                    });
                    let text = if can { value.clone() } else { format!("{value} ({})", Msg::ProductSoldOut.text(locale)) };
                    view! { <option value=value.clone() disabled=!can>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A product without options: its variants (bundle sets, say) in one select; a single
/// variant goes as a hidden field.
#[component]
fn VariantSelect(product_name: String, variants: Vec<VariantView>) -> impl IntoView {
    let locale = use_locale();
    if let [only] = variants.as_slice() {
        return view! { <input type="hidden" name="form[variant_id]" value=only.id.to_string() /> }
            .into_any();
    }
    view! {
        <div class="field">
            <label for="buy-variant">{t(Msg::ProductOptions)}</label>
            <select id="buy-variant" name="form[variant_id]" required=true>
                <option value="">{t(Msg::BuyChoose)}</option>
                {variants.iter().map(|v| {
                    let name = if v.name.is_empty() { product_name.clone() } else { v.name.clone() };
                    let can = v.available > 0;
                    let text = if can {
                        format!("{name} · {}", won(v.price))
                    } else {
                        format!("{name} ({})", Msg::ProductSoldOut.text(locale))
                    };
                    view! { <option value=v.id.to_string() disabled=!can>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
    .into_any()
}

/// Every variant with its price and stock, folded away: a reference, not the picker.
#[component]
fn StockTable(variants: Vec<VariantView>, is_bundle: bool) -> impl IntoView {
    let locale = use_locale();
    view! {
        <details class="variant-stock">
            <summary>{t(Msg::BuyStockTable)}</summary>
            <ul role="list">
                {variants.into_iter().map(|v| {
                    let stock = if v.available <= 0 {
                        t(Msg::ProductSoldOut).to_owned()
                    } else {
                        Msg::ProductInStock.text(locale).replace("{n}", &v.available.to_string())
                    };
                    view! {
                        <li class="variant" class:sold-out={v.available <= 0} data-testid="variant">
                            <span class="variant-name">{v.name.clone()}</span>
                            <span class="variant-price">{won(v.price)}</span>
                            <span class="variant-stock">{stock}</span>
                            {(is_bundle && !v.contents.is_empty()).then(|| view! {
                                <ul class="bundle-contents" aria-label=t(Msg::ProductBundleContents)>
                                    {v.contents.iter().map(|(name, q)| view! { <li>{format!("{name} × {q}")}</li> }).collect_view()}
                                </ul>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </details>
    }
}
