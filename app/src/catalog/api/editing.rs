//! Server functions of the seller's product edit page. Each checks that the caller is an
//! approved seller; the services check that the product is theirs.

use crate::catalog::domain::{
    BundleItemForm, DeleteProductForm, ImageChangeForm, OptionValueForm, ProductInfoForm,
    VariantForm,
};
use crate::catalog::{CategoryId, ImageId, ProductEdit, ProductId};
use crate::inventory::SkuId;
use crate::platform::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use {
    crate::catalog::service, crate::catalog::service::images,
    crate::platform::forms::keep_on_error, crate::platform::i18n::Msg,
    crate::platform::notice::notice, crate::platform::state::AppState,
    crate::seller::ApprovedSeller,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductEditData {
    pub product: ProductEdit,
    /// Leaf categories as "Fashion > Women > T-shirts".
    pub categories: Vec<(CategoryId, String)>,
    pub max_upload_mb: usize,
}

#[server(prefix = "/fn", endpoint = "seller/product")]
pub async fn seller_product_edit(id: ProductId) -> Result<ProductEditData, AppError> {
    let state = AppState::current()?;
    let seller = ApprovedSeller::current().await?;
    let product = service::product_edit(&state.db, seller.id, id).await?;
    Ok(ProductEditData {
        product,
        categories: service::leaf_categories(&state.db).await?,
        max_upload_mb: state.settings.storage.max_bytes >> 20,
    })
}

/// The seller's SKUs whose code or name contains `q` (the first few by code when `q` is
/// empty), for a bundle's contents.
#[server(prefix = "/fn", endpoint = "seller/skus")]
pub async fn find_skus(q: String) -> Result<Vec<(SkuId, String)>, AppError> {
    let state = AppState::current()?;
    let seller = ApprovedSeller::current().await?;
    Ok(service::seller_skus(&state.db, seller.id, &q).await?)
}

#[server(prefix = "/fn", endpoint = "seller/product/update")]
pub async fn update_product(form: ProductInfoForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let seller = ApprovedSeller::current().await?;
    let updated = async {
        let update = service::ProductUpdate {
            name: form.name.clone(),
            description: form.description.clone(),
            price: form.price.clone(),
            original_price: form.original_price.clone(),
            category_ids: form.category_ids()?,
        };
        Ok::<_, AppError>(service::update_product(&state.db, seller.id, form.id, update).await?)
    };
    keep_on_error("product-edit", &form, updated.await).await?;
    notice(Msg::SellerSaved).await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "seller/product/variant")]
pub async fn update_variant(form: VariantForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let seller = ApprovedSeller::current().await?;
    let adjustment =
        crate::platform::money::PriceAdjustment::parse("price_adjustment", &form.price_adjustment)?;
    let active = form.is_active.is_some();
    let code = form.sku_code()?;
    service::update_variant(
        &state.db,
        seller.id,
        form.id,
        form.variant_id,
        adjustment,
        active,
        code.as_deref(),
    )
    .await?;
    notice(Msg::SellerSaved).await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "seller/product/option-value")]
pub async fn add_option_value(form: OptionValueForm) -> Result<usize, AppError> {
    let state = AppState::current()?;
    let seller = ApprovedSeller::current().await?;
    let added =
        service::add_option_value(&state.db, seller.id, form.id, &form.option, &form.value).await?;
    notice(Msg::NoticeOptionValueAdded).await;
    Ok(added)
}

#[server(prefix = "/fn", endpoint = "seller/product/bundle-item")]
pub async fn set_bundle_item(form: BundleItemForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let seller = ApprovedSeller::current().await?;
    let item = crate::catalog::domain::BundleItem::try_from(&form)?;
    service::set_bundle_item(&state.db, seller.id, form.id, form.variant_id, item).await?;
    notice(Msg::SellerSaved).await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "seller/product/delete")]
pub async fn delete_product(form: DeleteProductForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let seller = ApprovedSeller::current().await?;
    if form.confirm.is_none() {
        return Err(AppError::field(
            "confirm",
            crate::platform::i18n::Msg::ErrConfirmDelete,
        ));
    }
    service::delete_product(&state.db, seller.id, form.id).await?;
    notice(Msg::SellerDeleted).await;
    leptos_axum::redirect("/seller/products");
    Ok(())
}

#[server(prefix = "/fn", endpoint = "seller/product/image")]
pub async fn change_product_image(form: ImageChangeForm) -> Result<(), AppError> {
    let state = AppState::current()?;
    let seller = ApprovedSeller::current().await?;
    let change = match form.change.as_str() {
        "primary" => images::ImageChange::MakePrimary,
        "up" => images::ImageChange::MoveUp,
        "down" => images::ImageChange::MoveDown,
        _ => {
            return Err(AppError::field(
                "change",
                crate::platform::i18n::Msg::ErrBadForm,
            ))
        }
    };
    images::change_image(&state.db, seller.id, form.id, form.image_id, change).await?;
    notice(Msg::NoticeImageChanged).await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "seller/product/image/delete")]
pub async fn delete_product_image(id: ProductId, image_id: ImageId) -> Result<(), AppError> {
    let state = AppState::current()?;
    let seller = ApprovedSeller::current().await?;
    images::delete_image(&state.db, &state.settings.storage, seller.id, id, image_id).await?;
    notice(Msg::NoticeImageDeleted).await;
    Ok(())
}
