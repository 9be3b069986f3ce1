use crate::catalog::api::{ChangeProductImage, DeleteProductImage, ProductEditData};
use crate::platform::i18n::{t, use_locale, Msg};
use crate::ui::components::{action_error, FormAlert};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The gallery: thumbnails in display order with their actions, and the upload form.
#[component]
pub fn ImagesPanel(
    data: ProductEditData,
    change: ServerAction<ChangeProductImage>,
    delete: ServerAction<DeleteProductImage>,
) -> impl IntoView {
    let locale = use_locale();
    let query = use_query_map();
    let error = Signal::derive(move || {
        action_error(change.value())
            .get()
            .or_else(|| action_error(delete.value()).get())
    });
    // The upload is a plain form post; its handler redirects back with the message key.
    let upload_error = move || {
        query.with(|q| q.get("image_error")).and_then(|key| {
            serde_json::from_value::<Msg>(serde_json::Value::String(key))
                .ok()
                .map(|m| m.text(locale))
        })
    };
    let product = data.product.id.to_string();
    let count = data.product.images.len();
    let hint = Msg::SellerImageHint
        .text(locale)
        .replace("{mb}", &data.max_upload_mb.to_string());
    view! {
        <section class="panel" id="images" aria-labelledby="images-title">
            <h2 id="images-title">{t(Msg::SellerImages)}</h2>
            <FormAlert error=error />
            {(count == 0).then(|| view! { <p class="muted">{t(Msg::SellerNoImages)}</p> })}
            <ol class="image-manager" role="list">
                {data.product.images.into_iter().enumerate().map(|(i, img)| {
                    let pid = product.clone();
                    let iid = img.id.to_string();
                    let button = {
                        let (pid, iid) = (pid.clone(), iid.clone());
                        move |what: &'static str, label: Msg| {
                            let (pid, iid) = (pid.clone(), iid.clone());
                            view! {
                                <ActionForm action=change attr:class="inline-form">
                                    <input type="hidden" name="form[id]" value=pid />
                                    <input type="hidden" name="form[image_id]" value=iid />
                                    <input type="hidden" name="form[change]" value=what />
                                    <button type="submit" class="button small">{t(label)}</button>
                                </ActionForm>
                            }
                        }
                    };
                    let alt = img.alt_text.clone().unwrap_or_default();
                    view! {
                        <li class="image-item" data-testid="seller-image">
                            <img src=img.thumbnail_url.clone().unwrap_or(img.url.clone()) alt=alt width="120" height="120" loading="lazy" />
                            <div class="image-actions">
                                {if img.is_primary {
                                    view! { <span class="badge status-active">{t(Msg::SellerPrimaryImage)}</span> }.into_any()
                                } else {
                                    button("primary", Msg::SellerMakePrimary).into_any()
                                }}
                                {(i > 0).then(|| button("up", Msg::SellerMoveUp))}
                                {(i + 1 < count).then(|| button("down", Msg::SellerMoveDown))}
                                <ActionForm action=delete attr:class="inline-form">
                                    <input type="hidden" name="id" value=pid.clone() />
                                    <input type="hidden" name="image_id" value=iid.clone() />
                                    <button type="submit" class="button small danger">{t(Msg::SellerDelete)}</button>
                                </ActionForm>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ol>
            <form method="post" enctype="multipart/form-data" action=format!("/seller/products/{product}/images")>
                <div class="field" class:has-error=move || upload_error().is_some()>
                    <label for="image">{t(Msg::FieldImage)}</label>
                    <input id="image" name="image" type="file" accept=crate::media::ACCEPT required=true
                        aria-describedby="image-hint image-error" />
                    <p class="hint" id="image-hint">{hint}</p>
                    <p class="field-error" id="image-error" role="alert">{upload_error}</p>
                </div>
                <div class="field">
                    <label for="alt_text">{t(Msg::FieldAltText)}</label>
                    <input id="alt_text" name="alt_text" maxlength="255" />
                </div>
                <button type="submit" class="button primary">{t(Msg::SellerUpload)}</button>
            </form>
        </section>
    }
}
