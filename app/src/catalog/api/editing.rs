//! Server functions of the seller's product edit page. Each checks that the caller is an
//! approved seller; the services check that the product is theirs.

use crate::catalog::ProductEdit;
use crate::platform::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::my_seller_id, crate::catalog::service, crate::catalog::service::images,
    crate::platform::state::AppState,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProductEditData {
    pub product: ProductEdit,
    /// Leaf categories as "Fashion > Women > T-shirts".
    pub categories: Vec<(Uuid, String)>,
    /// The seller's SKUs, for bundle contents.
    pub skus: Vec<(Uuid, String)>,
    pub max_upload_mb: usize,
}

#[server(prefix = "/fn", endpoint = "seller/product")]
pub async fn seller_product_edit(id: Uuid) -> Result<ProductEditData, AppError> {
    let state = AppState::current()?;
    let (_, seller) = my_seller_id(&state).await?;
    let product = service::product_edit(&state.db, seller, id).await?;
    let skus = if product.product_type == "BUNDLE" {
        service::seller_skus(&state.db, seller).await?
    } else {
        Vec::new()
    };
    Ok(ProductEditData {
        product,
        categories: service::leaf_categories(&state.db).await?,
        skus,
        max_upload_mb: state.settings.storage.max_bytes >> 20,
    })
}

#[server(prefix = "/fn", endpoint = "seller/product/update")]
pub async fn update_product(
    id: Uuid,
    name: String,
    description: String,
    price: String,
    original_price: Option<String>,
    category1: Option<String>,
    category2: Option<String>,
    category3: Option<String>,
    category4: Option<String>,
    category5: Option<String>,
) -> Result<(), AppError> {
    let state = AppState::current()?;
    let (_, seller) = my_seller_id(&state).await?;
    let echo = [
        ("name", name.clone()),
        ("description", description.clone()),
        ("price", price.clone()),
        ("original_price", original_price.clone().unwrap_or_default()),
    ];
    let category_ids = [category1, category2, category3, category4, category5]
        .into_iter()
        .flatten()
        .filter_map(|c| c.parse::<Uuid>().ok())
        .collect();
    let result = service::update_product(
        &state.db,
        seller,
        id,
        service::ProductUpdate {
            name,
            description,
            price,
            original_price,
            category_ids,
        },
    )
    .await
    .map_err(AppError::from);
    if result.is_err() {
        let pairs: Vec<(&str, &str)> = echo.iter().map(|(k, v)| (*k, v.as_str())).collect();
        crate::platform::forms::remember("product-edit", &pairs).await;
    }
    result
}

#[server(prefix = "/fn", endpoint = "seller/product/variant")]
pub async fn update_variant(
    id: Uuid,
    variant_id: Uuid,
    price_adjustment: String,
    is_active: Option<String>,
) -> Result<(), AppError> {
    let state = AppState::current()?;
    let (_, seller) = my_seller_id(&state).await?;
    Ok(service::update_variant(
        &state.db,
        seller,
        id,
        variant_id,
        &price_adjustment,
        is_active.is_some(),
    )
    .await?)
}

#[server(prefix = "/fn", endpoint = "seller/product/option-value")]
pub async fn add_option_value(id: Uuid, option: String, value: String) -> Result<usize, AppError> {
    let state = AppState::current()?;
    let (_, seller) = my_seller_id(&state).await?;
    Ok(service::add_option_value(&state.db, seller, id, &option, &value).await?)
}

#[server(prefix = "/fn", endpoint = "seller/product/bundle-item")]
pub async fn set_bundle_item(
    id: Uuid,
    variant_id: Uuid,
    sku_id: Option<String>,
    quantity: String,
) -> Result<(), AppError> {
    use crate::platform::i18n::Msg;
    let state = AppState::current()?;
    let (_, seller) = my_seller_id(&state).await?;
    let sku = sku_id
        .and_then(|s| s.parse::<Uuid>().ok())
        .ok_or_else(|| AppError::field("sku_id", Msg::ErrRequired))?;
    let quantity = quantity
        .trim()
        .parse::<i32>()
        .map_err(|_| AppError::field("quantity", Msg::ErrQuantity))?;
    Ok(service::set_bundle_item(&state.db, seller, id, variant_id, sku, quantity).await?)
}

#[server(prefix = "/fn", endpoint = "seller/product/delete")]
pub async fn delete_product(id: Uuid, confirm: Option<String>) -> Result<(), AppError> {
    let state = AppState::current()?;
    let (_, seller) = my_seller_id(&state).await?;
    if confirm.is_none() {
        return Err(AppError::field(
            "confirm",
            crate::platform::i18n::Msg::ErrConfirmDelete,
        ));
    }
    service::delete_product(&state.db, seller, id).await?;
    leptos_axum::redirect("/seller/products?deleted=1");
    Ok(())
}

#[server(prefix = "/fn", endpoint = "seller/product/image")]
pub async fn change_product_image(
    id: Uuid,
    image_id: Uuid,
    change: String,
) -> Result<(), AppError> {
    let state = AppState::current()?;
    let (_, seller) = my_seller_id(&state).await?;
    let change = match change.as_str() {
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
    Ok(images::change_image(&state.db, seller, id, image_id, change).await?)
}

#[server(prefix = "/fn", endpoint = "seller/product/image/delete")]
pub async fn delete_product_image(id: Uuid, image_id: Uuid) -> Result<(), AppError> {
    let state = AppState::current()?;
    let (_, seller) = my_seller_id(&state).await?;
    Ok(images::delete_image(&state.db, &state.settings.storage, seller, id, image_id).await?)
}
