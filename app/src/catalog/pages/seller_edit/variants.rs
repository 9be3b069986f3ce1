use super::bundle_picker::{BundlePicker, PickerText};
use crate::catalog::api::{
    find_skus, AddOptionValue, ProductEditData, SetBundleItem, UpdateVariant,
};
use crate::catalog::ProductId;
use crate::catalog::VariantEdit;
use crate::inventory::SkuId;
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::{FormAlert, RowErrors};
use crate::ui::format::won;
use leptos::prelude::*;

/// Each variant's price adjustment and availability, new option values, and for bundles the
/// SKUs inside each variant.
#[component]
pub fn VariantsPanel(
    data: ProductEditData,
    update: ServerAction<UpdateVariant>,
    add_value: ServerAction<AddOptionValue>,
    bundle: ServerAction<SetBundleItem>,
) -> impl IntoView {
    let locale = use_locale();
    // Each action serves every row: its error shows on the row whose form was sent.
    let update_errors = RowErrors::new(update);
    let bundle_errors = RowErrors::new(bundle);
    let value_errors = RowErrors::new(add_value);
    let error = Signal::derive(move || {
        update_errors
            .unplaced()
            .get()
            .or_else(|| bundle_errors.unplaced().get())
            .or_else(|| value_errors.unplaced().get())
    });
    let p = data.product;
    let is_bundle = p.product_type == "BUNDLE";
    let pid = p.id;
    // The bundle picker's choices: what the page's search form asked for (`?sku_q=`).
    // With JavaScript each picker searches as one types instead (`BundlePicker`).
    let query = leptos_router::hooks::use_query_map();
    let typed = query.with_untracked(|q| q.get("sku_q")).unwrap_or_default();
    let skus = Resource::new(
        move || query.with(|q| q.get("sku_q").unwrap_or_default()),
        find_skus,
    );
    view! {
        <section class="panel" id="variants" aria-labelledby="variants-title">
            <h2 id="variants-title">{t(Msg::SellerVariants)}</h2>
            <FormAlert error=error />
            {is_bundle.then(|| view! {
                <noscript>
                    <form method="get" action="#variants" class="row-form sku-search" role="search">
                        <div class="field grow">
                            <label for="sku_q">{t(Msg::SellerSkuSearch)}</label>
                            <input id="sku_q" name="sku_q" type="search" value=typed.clone() />
                        </div>
                        <button type="submit" class="button small">{t(Msg::ShopSearch)}</button>
                    </form>
                </noscript>
            })}
            <ul class="variant-editor" role="list">
                {p.variants.into_iter().map(|v| {
                    let row = v.id.to_string();
                    let items = is_bundle.then(|| view! {
                        <BundleItems product=pid variant=v.clone() skus action=bundle />
                    });
                    view! {
                        <li data-testid="variant-row">
                            <FormAlert error=update_errors.for_row(row.clone()) />
                            <FormAlert error=bundle_errors.for_row(row) />
                            <VariantRow product=pid variant=v base=p.price is_bundle action=update />
                            {items}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {p.options.into_iter().map(|o| {
                let field = format!("value-{}", o.name);
                let label = Msg::FieldNewValue.text(locale).replace("{option}", &o.name);
                let value_error = value_errors.for_row(o.name.clone());
                view! {
                    <FormAlert error=value_error />
                    <ActionForm action=add_value attr:class="inline-form add-value">
                        <input type="hidden" name="form[id]" value=pid.to_string() />
                        <input type="hidden" name="form[option]" value=o.name.clone() />
                        <label for=field.clone()>{label}</label>
                        <input id=field name="form[value]" required=true maxlength="50" />
                        <button type="submit" class="button small">{t(Msg::SellerAddValue)}</button>
                    </ActionForm>
                }
            }).collect_view()}
        </section>
    }
}

#[component]
fn VariantRow(
    product: ProductId,
    variant: VariantEdit,
    base: rust_decimal::Decimal,
    is_bundle: bool,
    action: ServerAction<UpdateVariant>,
) -> impl IntoView {
    let code_id = format!("code-{}", variant.id);
    // A normal product's variant is one SKU, whose code the seller may set.
    let code = (!is_bundle && variant.items.len() == 1).then(|| variant.items[0].code.clone());
    let adj_id = format!("adj-{}", variant.id);
    let on_id = format!("on-{}", variant.id);
    let name = if variant.name.is_empty() {
        "—".to_owned()
    } else {
        variant.name.clone()
    };
    view! {
        <ActionForm action=action attr:class="variant-form">
            <input type="hidden" name="form[id]" value=product.to_string() />
            <input type="hidden" name="form[variant_id]" value=variant.id.to_string() />
            <span class="variant-name">{name}</span>
            <span class="muted">{won(base + variant.price_adjustment)}</span>
            {code.map(|c| view! {
                <span class="field inline">
                    <label for=code_id.clone()>{t(Msg::SellerSkuCode)}</label>
                    <input id=code_id name="form[sku_code]" value=c size="14" maxlength="100" required=true />
                </span>
            })}
            <span class="field inline">
                <label for=adj_id.clone()>{t(Msg::FieldPriceAdjustment)}</label>
                <input id=adj_id name="form[price_adjustment]" inputmode="numeric" size="8"
                    value=variant.price_adjustment.normalize().to_string() />
            </span>
            <span class="field inline">
                <input id=on_id.clone() name="form[is_active]" type="checkbox" checked=variant.is_active />
                <label for=on_id>{t(Msg::FieldOffered)}</label>
            </span>
            <button type="submit" class="button small">{t(Msg::SellerSave)}</button>
        </ActionForm>
    }
}

#[component]
fn BundleItems(
    product: ProductId,
    variant: VariantEdit,
    skus: Resource<Result<Vec<(SkuId, String)>, crate::platform::error::AppError>>,
    action: ServerAction<SetBundleItem>,
) -> impl IntoView {
    let vid = variant.id.to_string();
    view! {
        <div class="bundle-editor">
            <h3 class="small">{t(Msg::SellerBundleContents)}</h3>
            {variant.items.is_empty().then(|| view! { <p class="muted small">{t(Msg::SellerBundleEmpty)}</p> })}
            <ul role="list">
                {variant.items.into_iter().map(|item| {
                    let vid = vid.clone();
                    view! {
                        <li data-testid="bundle-item">
                            {format!("{} · {} × {}", item.code, item.name, item.quantity)}
                            <ActionForm action=action attr:class="inline-form">
                                <input type="hidden" name="form[id]" value=product.to_string() />
                                <input type="hidden" name="form[variant_id]" value=vid />
                                <input type="hidden" name="form[sku_id]" value=item.sku_id.to_string() />
                                <input type="hidden" name="form[quantity]" value="0" />
                                <button type="submit" class="button small">{t(Msg::SellerRemoveItem)}</button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Transition fallback=|| ()>
                {move || {
                    let vid = vid.clone();
                    Suspend::new(async move {
                        let found = skus
                            .await
                            .unwrap_or_default()
                            .into_iter()
                            .map(|(id, label)| (id.to_string(), label))
                            .collect();
                        view! {
                            <BundlePicker product=product.to_string() variant=vid found text=PickerText {
                                find: t(Msg::SellerSkuSearch).to_owned(),
                                sku: t(Msg::StockSku).to_owned(),
                                choose: t(Msg::FieldChoose).to_owned(),
                                none: t(Msg::SellerSkuNone).to_owned(),
                                quantity: t(Msg::StockQuantity).to_owned(),
                                add: t(Msg::SellerSetItem).to_owned(),
                            } />
                        }
                    })
                }}
            </Transition>
        </div>
    }
}
