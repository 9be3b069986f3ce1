//! REST v1 for the catalog (seed 004 product service API).

use super::extract::{Json, Path, Query};
use super::openapi::ErrorBody;
use app::catalog::service::{self, ProductInput, Viewer};
use app::catalog::{CategoryId, CategoryNode, Filter, ProductCard, ProductDetail, ProductId, Sort};
use app::platform::auth::MaybeUser;
use app::platform::error::AppError;
use app::platform::state::AppState;
use app::seller::{ApprovedSeller, SellerId};
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OptionInput {
    #[schema(example = "색상", min_length = 1, max_length = 50, pattern = r"\S")]
    pub name: String,
    #[schema(example = json!(["빨강", "파랑"]), min_items = 1, max_items = 20)]
    pub values: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateProduct {
    /// Not blank.
    #[schema(
        min_length = 1,
        max_length = 255,
        pattern = r"\S",
        example = "린넨 셔츠"
    )]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Whole won, 1 to 100,000,000; digits with optional thousands commas.
    #[schema(example = "19900", pattern = r"^[0-9][0-9,]{0,11}$")]
    pub price: String,
    #[schema(pattern = r"^[0-9][0-9,]{0,11}$")]
    pub original_price: Option<String>,
    /// The first is the primary category; it must be an active leaf category.
    #[schema(min_items = 1)]
    pub category_ids: Vec<CategoryId>,
    /// At most 2 options and 100 variants in all.
    #[serde(default)]
    #[schema(max_items = 2)]
    pub options: Vec<OptionInput>,
    /// Stock received for every variant (normal products).
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1_000_000)]
    pub initial_stock: i32,
    /// A bundle's variants get their contents afterwards.
    #[serde(default)]
    pub product_type: ProductTypeBody,
}

/// Whether a product is sold as itself or as a set of other SKUs.
#[derive(Deserialize, ToSchema, Default, Clone, Copy)]
#[serde(rename_all = "UPPERCASE")]
pub enum ProductTypeBody {
    #[default]
    Normal,
    Bundle,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: ProductId,
}

/// Create a draft product; one variant and SKU per combination of option values.
#[utoipa::path(post, path = "/api/v1/products", tag = "catalog", request_body = CreateProduct,
    security(("session_cookie" = []), ("api_token" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe")),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_product(
    State(state): State<AppState>,
    seller: ApprovedSeller,
    Json(req): Json<CreateProduct>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let input = ProductInput {
        name: req.name,
        description: req.description,
        price: req.price,
        original_price: req.original_price,
        category_id: req.category_ids.first().copied(),
        options: req
            .options
            .into_iter()
            .map(|o| (o.name, o.values))
            .collect(),
        initial_stock: req.initial_stock,
        product_type: match req.product_type {
            ProductTypeBody::Normal => service::ProductType::Normal,
            ProductTypeBody::Bundle => service::ProductType::Bundle,
        },
    };
    let id = service::create_product(&state.db, seller.id, Some(seller.user.id), input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A product with its options, variants, prices and stock status.
#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "catalog",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ProductDetail), (status = 404, body = ErrorBody)))]
pub async fn get_product(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<ProductId>,
) -> Result<Json<ProductDetail>, AppError> {
    let viewer = Viewer::of(&state.db, user.as_ref()).await?;
    Ok(Json(
        service::product_detail_by_id(&state.db, id, viewer).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Words that must all appear in the name. An empty value is no filter, as for the
    /// other text and number parameters.
    #[serde(default, deserialize_with = "blank_is_none")]
    #[param(max_length = 200)]
    pub q: Option<String>,
    #[param(value_type = Option<String>, format = Uuid)]
    pub category_id: Option<CategoryId>,
    /// Whole won.
    #[serde(default, deserialize_with = "blank_is_none")]
    #[param(value_type = Option<String>, pattern = r"^[0-9]{0,9}$")]
    pub min_price: Option<u32>,
    /// Whole won.
    #[serde(default, deserialize_with = "blank_is_none")]
    #[param(value_type = Option<String>, pattern = r"^[0-9]{0,9}$")]
    pub max_price: Option<u32>,
    /// `name:value`, e.g. `색상:빨강`: products with a variant of that option value.
    #[serde(default, deserialize_with = "blank_is_none")]
    #[param(max_length = 200, pattern = r"^([^:]+:.+)?$")]
    pub option: Option<String>,
    /// Only products with stock to sell (leave out the sold out).
    #[serde(default, deserialize_with = "blank_is_none")]
    #[param(value_type = Option<bool>)]
    pub in_stock: Option<bool>,
    /// Best match first when `q` is given, newest first otherwise.
    #[serde(default, deserialize_with = "blank_is_none")]
    #[param(inline)]
    pub sort: Option<SortParam>,
    /// `next` from the previous page; only a cursor the API gave is valid.
    #[serde(default, deserialize_with = "blank_is_none")]
    #[param(max_length = 200)]
    pub cursor: Option<String>,
    /// Items per page, default 24.
    #[serde(default, deserialize_with = "blank_is_none")]
    #[param(minimum = 1, maximum = 100)]
    pub size: Option<i64>,
}

#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum SortParam {
    Relevance,
    Newest,
    PriceAsc,
    PriceDesc,
    Rating,
    Popular,
}

impl From<SortParam> for Sort {
    fn from(s: SortParam) -> Self {
        match s {
            SortParam::Relevance => Sort::Relevance,
            SortParam::Newest => Sort::Newest,
            SortParam::PriceAsc => Sort::PriceAsc,
            SortParam::PriceDesc => Sort::PriceDesc,
            SortParam::Rating => Sort::Rating,
            SortParam::Popular => Sort::Popular,
        }
    }
}

/// `?minPrice=` (a form left empty) is no value, not a bad one.
fn blank_is_none<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr,
{
    let raw: Option<String> = Option::deserialize(d)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom("not a valid value")),
    }
}

impl std::str::FromStr for SortParam {
    type Err = serde::de::value::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        use serde::de::IntoDeserializer;
        Self::deserialize(s.into_deserializer())
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProductPage {
    pub items: Vec<ProductCard>,
    pub next: Option<String>,
}

async fn list(
    state: &AppState,
    q: ListQuery,
    category: Option<String>,
    seller: Option<SellerId>,
) -> Result<ProductPage, AppError> {
    for (field, v) in [("q", &q.q), ("option", &q.option), ("cursor", &q.cursor)] {
        if v.as_ref().is_some_and(|v| v.chars().count() > 200) {
            return Err(AppError::field(
                field,
                app::platform::i18n::Msg::ErrBadValue,
            ));
        }
    }
    let options = match q.option.as_deref() {
        Some(raw) => vec![Filter::parse_option(raw)
            .ok_or_else(|| AppError::field("option", app::platform::i18n::Msg::ErrBadValue))?],
        None => Vec::new(),
    };
    let sort = match q.sort {
        Some(s) => Sort::from(s),
        None if q.q.is_some() => Sort::Relevance,
        None => Sort::Newest,
    };
    let filter = Filter {
        q: q.q,
        category,
        seller,
        min_price: q.min_price.map(rust_decimal::Decimal::from),
        max_price: q.max_price.map(rust_decimal::Decimal::from),
        options,
        in_stock: q.in_stock.unwrap_or(false),
        sort,
        cursor: q.cursor,
    };
    let size = q.size.unwrap_or(service::PAGE_SIZE);
    if !(1..=100).contains(&size) {
        return Err(AppError::field(
            "size",
            app::platform::i18n::Msg::ErrBadValue,
        ));
    }
    let tree = service::category_tree_cached(&state.db, &state.redis).await?;
    let page = service::store_listing(&state.db, &tree, &filter, size).await?;
    Ok(ProductPage {
        items: page.items,
        next: page.next,
    })
}

async fn category_slug(state: &AppState, id: CategoryId) -> Result<String, AppError> {
    service::active_category_slug(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Products on sale, filtered and sorted, with cursor pages.
#[utoipa::path(get, path = "/api/v1/products", tag = "catalog", params(ListQuery),
    responses((status = 200, body = ProductPage),
        (status = 404, description = "No active category with this `categoryId`", body = ErrorBody)))]
pub async fn list_products(
    State(state): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Json<ProductPage>, AppError> {
    let category = match q.category_id {
        Some(id) => Some(category_slug(&state, id).await?),
        None => None,
    };
    Ok(Json(list(&state, q, category, None).await?))
}

/// The active category tree.
#[utoipa::path(get, path = "/api/v1/categories/tree", tag = "catalog",
    responses((status = 200, body = Vec<CategoryNode>)))]
pub async fn category_tree(
    State(state): State<AppState>,
) -> Result<Json<Vec<CategoryNode>>, AppError> {
    let tree = service::category_tree_cached(&state.db, &state.redis).await?;
    Ok(Json(tree.as_ref().clone()))
}

/// Products in a category and its subcategories.
#[utoipa::path(get, path = "/api/v1/categories/{id}/products", tag = "catalog",
    params(("id" = Uuid, Path), ListQuery),
    responses((status = 200, body = ProductPage), (status = 404, body = ErrorBody)))]
pub async fn category_products(
    State(state): State<AppState>,
    Path(id): Path<CategoryId>,
    Query(q): Query<ListQuery>,
) -> Result<Json<ProductPage>, AppError> {
    let slug = category_slug(&state, id).await?;
    Ok(Json(list(&state, q, Some(slug), None).await?))
}

/// One seller's products on sale (their public shop, `/s/{id}`), with the same filters.
#[utoipa::path(get, path = "/api/v1/sellers/{id}/products", tag = "catalog",
    params(("id" = Uuid, Path), ListQuery),
    responses((status = 200, body = ProductPage),
        (status = 404, description = "No approved seller with this id", body = ErrorBody)))]
pub async fn seller_products(
    State(state): State<AppState>,
    Path(id): Path<SellerId>,
    Query(q): Query<ListQuery>,
) -> Result<Json<ProductPage>, AppError> {
    let shop = service::shop_of(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let category = match q.category_id {
        Some(c) => Some(category_slug(&state, c).await?),
        None => None,
    };
    Ok(Json(list(&state, q, category, Some(shop.id)).await?))
}

/// The multipart form of an image upload.
#[derive(ToSchema)]
#[allow(dead_code)] // documents the form; the handler reads it field by field
pub struct ImageUpload {
    /// JPEG, PNG, WebP or GIF, checked by content; at most MAX_UPLOAD_MB.
    #[schema(value_type = String, format = Binary)]
    image: Vec<u8>,
    /// Describes the image for screen readers.
    alt_text: Option<String>,
}

/// Add an image to one of your products. The first image becomes the primary one; a square
/// thumbnail is generated.
#[utoipa::path(post, path = "/api/v1/products/{id}/images", tag = "catalog",
    params(("id" = Uuid, Path)),
    request_body(content = ImageUpload, content_type = "multipart/form-data"),
    security(("session_cookie" = []), ("api_token" = [])),
    responses((status = 201, body = app::catalog::ProductImage), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn upload_image(
    State(state): State<AppState>,
    seller: ApprovedSeller,
    Path(id): Path<ProductId>,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<(StatusCode, Json<app::catalog::ProductImage>), AppError> {
    use crate::http::uploads::{add_for_seller, read_image_form};
    let form = form.map_err(|_| AppError::BadRequest(app::platform::i18n::Msg::ErrBadForm))?;
    let form = read_image_form(form).await?;
    let image = add_for_seller(&state, &seller, id, form).await?;
    Ok((StatusCode::CREATED, Json(image)))
}
