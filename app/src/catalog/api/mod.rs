//! Server functions for the catalog: storefront reads, the seller's products, admin review.

// A server function's arguments are its form fields.
#![allow(clippy::too_many_arguments)]

use super::{HomeShelves, ProductCard, ProductDetail};
use crate::ui::server_html::ServerHtml;

mod editing;
use crate::platform::error::AppError;
pub use editing::*;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::{service, Filter, Sort},
    crate::identity::Role,
    crate::platform::auth::{current_user, maybe_user},
    crate::platform::state::AppState,
    crate::seller::service as sellers,
};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SellerCatalogData {
    pub products: Vec<ProductCard>,
    pub categories: Vec<(Uuid, String)>,
}

/// The approved seller account of the caller, or 403.
#[cfg(feature = "ssr")]
async fn my_seller_id(state: &AppState) -> Result<(Uuid, Uuid), AppError> {
    let me = current_user().await?;
    let seller = sellers::approved_seller_of(&state.db, me.id)
        .await?
        .ok_or(AppError::Forbidden)?;
    Ok((me.id, seller))
}

/// The storefront listing, rendered to markup here (see `ServerHtml`).
#[server(prefix = "/fn", endpoint = "store")]
pub async fn store_page(
    q: Option<String>,
    category: Option<String>,
    min_price: Option<String>,
    max_price: Option<String>,
    option: Option<String>,
    sort: Option<String>,
    cursor: Option<String>,
) -> Result<ServerHtml, AppError> {
    use crate::catalog::pages::shop_html::{render, Listing, ShopQuery};
    let state = AppState::current()?;
    let money = |s: &Option<String>| {
        s.as_deref()
            .and_then(|s| s.trim().replace(',', "").parse().ok())
    };
    let query = ShopQuery {
        q,
        min_price,
        max_price,
        option,
        sort,
        cursor,
    };
    let filter = Filter {
        q: query.q.clone(),
        category: category.filter(|c| !c.is_empty()),
        min_price: money(&query.min_price),
        max_price: money(&query.max_price),
        option: query.option.clone().filter(|o| o.contains(':')),
        sort: Sort::parse(query.sort.as_deref().unwrap_or_default()),
        cursor: query.cursor.clone(),
    };
    let tree = service::category_tree_cached(&state.db, &state.redis).await?;
    // The breadcrumbs come from the cached tree: no query per page view.
    let crumbs = match &filter.category {
        Some(slug) => service::path_to(&tree, slug).ok_or(AppError::NotFound)?,
        None => Vec::new(),
    };
    let page = service::store_cards(&state.db, &tree, &filter, service::PAGE_SIZE).await?;
    let listing = Listing {
        category: filter.category.as_deref(),
        query: &query,
        tree: &tree,
        crumbs: &crumbs,
        page: &page,
    };
    Ok(render(&listing, crate::platform::i18n::request_locale()))
}

#[server(prefix = "/fn", endpoint = "home")]
pub async fn load_home() -> Result<HomeShelves, AppError> {
    let state = AppState::current()?;
    let user = maybe_user().await?.map(|u| u.id);
    Ok(service::home(&state.db, user).await?)
}

#[server(prefix = "/fn", endpoint = "product")]
pub async fn product_page(slug: String, from: Option<String>) -> Result<ProductDetail, AppError> {
    let state = AppState::current()?;
    let user = maybe_user().await?;
    let viewer = match user.clone() {
        Some(u) if u.role == Role::Admin => service::Viewer::Admin,
        Some(u) => match sellers::approved_seller_of(&state.db, u.id).await? {
            Some(s) => service::Viewer::Seller(s),
            None => service::Viewer::Public,
        },
        None => service::Viewer::Public,
    };
    let detail = service::product_detail_cached(&state.db, &state.redis, &slug, viewer).await?;
    // Shopper page views only: not the seller's or an admin's previews, nor API reads.
    if matches!(viewer, service::Viewer::Public) {
        service::views::count_view(&state.db, &state.redis, detail.card.id).await?;
    }
    if let Some(u) = user.filter(|_| detail.card.status == "active") {
        let source = from.as_deref().unwrap_or("direct");
        service::record_view(&state.db, u.id, detail.card.id, source).await?;
    }
    Ok(detail)
}

#[server(prefix = "/fn", endpoint = "seller/products")]
pub async fn seller_catalog() -> Result<SellerCatalogData, AppError> {
    let state = AppState::current()?;
    let (_, seller) = my_seller_id(&state).await?;
    Ok(SellerCatalogData {
        products: service::seller_products(&state.db, seller).await?,
        categories: service::leaf_categories(&state.db).await?,
    })
}

#[server(prefix = "/fn", endpoint = "seller/products/create")]
pub async fn create_product(
    name: String,
    description: String,
    price: String,
    original_price: Option<String>,
    category_id: Option<String>,
    option1_name: Option<String>,
    option1_values: Option<String>,
    option2_name: Option<String>,
    option2_values: Option<String>,
    initial_stock: Option<String>,
    product_type: Option<String>,
) -> Result<Uuid, AppError> {
    let state = AppState::current()?;
    let (user, seller) = my_seller_id(&state).await?;
    let echo = [
        ("name", name.clone()),
        ("description", description.clone()),
        ("price", price.clone()),
        ("original_price", original_price.clone().unwrap_or_default()),
        ("category_id", category_id.clone().unwrap_or_default()),
        ("option1_name", option1_name.clone().unwrap_or_default()),
        ("option1_values", option1_values.clone().unwrap_or_default()),
        ("option2_name", option2_name.clone().unwrap_or_default()),
        ("option2_values", option2_values.clone().unwrap_or_default()),
        ("initial_stock", initial_stock.clone().unwrap_or_default()),
        ("product_type", product_type.clone().unwrap_or_default()),
    ];
    let stock = initial_stock
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let initial_stock = match stock.map(str::parse::<i32>) {
        None => Ok(0),
        Some(Ok(n)) if n >= 0 => Ok(n),
        Some(_) => Err(AppError::field(
            "initial_stock",
            crate::platform::i18n::Msg::ErrQuantity,
        )),
    };
    let product_type =
        service::ProductType::parse(product_type.as_deref().unwrap_or("")).map_err(AppError::from);
    let result = match initial_stock.and_then(|n| product_type.map(|t| (n, t))) {
        Err(e) => Err(e),
        Ok((initial_stock, product_type)) => {
            let options = [
                (option1_name, option1_values),
                (option2_name, option2_values),
            ]
            .into_iter()
            .map(|(n, v)| {
                (
                    n.unwrap_or_default(),
                    service::split_values(&v.unwrap_or_default()),
                )
            })
            .collect();
            let input = service::ProductInput {
                name,
                description,
                price,
                original_price,
                category_id: category_id.and_then(|c| c.parse().ok()),
                options,
                initial_stock,
                product_type,
            };
            service::create_product(&state.db, seller, Some(user), input)
                .await
                .map_err(AppError::from)
        }
    };
    if result.is_err() {
        let pairs: Vec<(&str, &str)> = echo.iter().map(|(k, v)| (*k, v.as_str())).collect();
        crate::platform::forms::remember("product", &pairs).await;
    }
    result
}

#[server(prefix = "/fn", endpoint = "seller/products/submit")]
pub async fn submit_product(id: Uuid) -> Result<(), AppError> {
    let state = AppState::current()?;
    let (_, seller) = my_seller_id(&state).await?;
    Ok(service::submit(&state.db, seller, id).await?)
}

#[server(prefix = "/fn", endpoint = "seller/products/sale")]
pub async fn set_product_on_sale(id: Uuid, on_sale: bool) -> Result<(), AppError> {
    let state = AppState::current()?;
    let (_, seller) = my_seller_id(&state).await?;
    Ok(service::set_on_sale(&state.db, seller, id, on_sale).await?)
}

#[server(prefix = "/fn", endpoint = "admin/products")]
pub async fn pending_products() -> Result<Vec<ProductCard>, AppError> {
    let state = AppState::current()?;
    current_user().await?.require(&[Role::Admin])?;
    Ok(service::pending_products(&state.db).await?)
}

#[server(prefix = "/fn", endpoint = "admin/products/review")]
pub async fn review_product(
    id: Uuid,
    decision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    let state = AppState::current()?;
    current_user().await?.require(&[Role::Admin])?;
    Ok(service::review(&state.db, id, decision == "approve", reason.as_deref()).await?)
}

/// Takes a product off the store, with a reason its seller reads.
#[server(prefix = "/fn", endpoint = "admin/products/take-down")]
pub async fn take_down_product(id: Uuid, reason: String) -> Result<(), AppError> {
    let state = AppState::current()?;
    current_user().await?.require(&[Role::Admin])?;
    Ok(service::take_down(&state.db, id, &reason).await?)
}

#[server(prefix = "/fn", endpoint = "admin/categories")]
pub async fn admin_categories() -> Result<Vec<super::CategoryAdminRow>, AppError> {
    let state = AppState::current()?;
    current_user().await?.require(&[Role::Admin])?;
    Ok(service::all_categories(&state.db).await?)
}

#[server(prefix = "/fn", endpoint = "admin/categories/create")]
pub async fn create_category(
    parent_id: Option<String>,
    name: String,
    name_en: String,
    slug: String,
    display_order: Option<String>,
) -> Result<(), AppError> {
    let state = AppState::current()?;
    current_user().await?.require(&[Role::Admin])?;
    let slug = service::parse_slug(&slug)?;
    let name = crate::identity::domain::required_text("name", &name, 100)?;
    let name_en = crate::identity::domain::required_text("name_en", &name_en, 100)?;
    let parent = parent_id
        .filter(|p| !p.is_empty())
        .and_then(|p| p.parse().ok());
    let order = display_order
        .and_then(|o| o.trim().parse().ok())
        .unwrap_or(0);
    let mut conn = state.db.acquire().await?;
    service::create_category(&mut conn, parent, &name, &name_en, &slug, order).await?;
    // The admin sees the change at once; other readers within a second, through the event.
    crate::platform::cache::invalidate(
        &state.redis,
        &[crate::platform::cache::category_tree_key().to_owned()],
    )
    .await;
    Ok(())
}

#[server(prefix = "/fn", endpoint = "admin/categories/update")]
pub async fn update_category(
    id: Uuid,
    name: String,
    name_en: String,
    display_order: Option<String>,
    is_active: Option<String>,
) -> Result<(), AppError> {
    let state = AppState::current()?;
    current_user().await?.require(&[Role::Admin])?;
    let order = display_order
        .and_then(|o| o.trim().parse().ok())
        .unwrap_or(0);
    Ok(
        service::update_category(&state.db, id, &name, &name_en, order, is_active.is_some())
            .await?,
    )
}
