//! The "put a SKU into this bundle variant" form. Without JavaScript its choices are what the
//! page's search form found (`?sku_q=`); with it, a search box inside the form finds SKUs as
//! the seller types.

use crate::catalog::api::find_skus;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where the form posts: the server function of `SetBundleItem`.
const SET_ITEM: &str = <crate::catalog::api::SetBundleItem as leptos::server_fn::ServerFn>::PATH;

/// The form's words, in the page's language (island props are plain data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PickerText {
    pub find: String,
    pub sku: String,
    pub choose: String,
    pub none: String,
    pub quantity: String,
    pub add: String,
}

#[island]
pub fn BundlePicker(
    product: String,
    variant: String,
    /// (SKU id, "code · name") the page's search found.
    found: Vec<(String, String)>,
    text: PickerText,
) -> impl IntoView {
    let choices = RwSignal::new(found);
    // The live search box appears once the island runs; before, the page's search form is
    // the way.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    // Answers can overtake each other: only the latest query's is shown.
    let asked = StoredValue::new(0u64);
    let search = move |q: String| {
        let n = asked.get_value() + 1;
        asked.set_value(n);
        leptos::task::spawn_local(async move {
            if let Ok(list) = find_skus(q).await {
                if asked.get_value() == n {
                    let list = list
                        .into_iter()
                        .map(|(id, label)| (id.to_string(), label))
                        .collect();
                    choices.set(list);
                }
            }
        });
    };
    let (find_id, sku_id, qty_id) = (
        format!("find-{variant}"),
        format!("sku-{variant}"),
        format!("qty-{variant}"),
    );
    let PickerText {
        find,
        sku,
        choose,
        none,
        quantity,
        add,
    } = text;
    view! {
        <form method="post" action=SET_ITEM class="inline-form bundle-add">
            <input type="hidden" name="form[id]" value=product />
            <input type="hidden" name="form[variant_id]" value=variant />
            <Show when=move || ready.get()>
                <label for=find_id.clone()>{find.clone()}</label>
                <input id=find_id.clone() type="search" autocomplete="off" data-testid="sku-find"
                    on:input=move |ev| search(event_target_value(&ev)) />
            </Show>
            <label for=sku_id.clone()>{sku}</label>
            <select id=sku_id name="form[sku_id]" required=true data-testid="sku-choice">
                <option value="">
                    {move || if choices.with(Vec::is_empty) { none.clone() } else { choose.clone() }}
                </option>
                <For each=move || choices.get() key=|(id, _)| id.clone() let((id, label))>
                    <option value=id>{label}</option>
                </For>
            </select>
            <label for=qty_id.clone()>{quantity}</label>
            <input id=qty_id name="form[quantity]" type="number" min="1" max="1000" value="1" size="4" />
            <button type="submit" class="button small">{add}</button>
        </form>
    }
}
