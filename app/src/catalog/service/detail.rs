//! The product page: the stored product (cacheable) plus live availability.

use super::*;

/// Who is looking at a product page: the public sees products on sale; the owner and admins
/// also see drafts and products under review.
#[derive(Clone, Copy, Debug)]
pub enum Viewer {
    Public,
    Seller(SellerId),
    Admin,
}

/// A product as stored, before the viewer check and without live stock (cacheable).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct ProductBase {
    pub seller_id: SellerId,
    /// Whether the seller may sell now; a suspended seller's products are not on sale.
    pub seller_approved: bool,
    pub detail: ProductDetail,
}

pub async fn product_base(db: &PgPool, slug: &str) -> Result<ProductBase, CatalogError> {
    // No stored slug has control characters; `/p/%00` would only make Postgres refuse the text.
    if slug.is_empty() || slug.len() > 255 || slug.chars().any(char::is_control) {
        return Err(CatalogError::NotFound);
    }
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        card: CardRow,
        seller_id: SellerId,
        description: String,
        product_type: String,
        status_reason: Option<String>,
        seller_approved: bool,
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {CARD_COLUMNS}, p.seller_id, p.description, p.product_type, p.status_reason,
                s.status = 'approved' AS seller_approved
         FROM products p JOIN sellers s ON s.id = p.seller_id WHERE p.slug = $1 AND p.deleted_at IS NULL"
    ))
    .bind(slug)
    .fetch_optional(db)
    .await?;
    let row = row.ok_or(CatalogError::NotFound)?;
    let id = row.card.id;
    let primary: Option<String> = sqlx::query_scalar(
        "SELECT c.slug FROM product_categories pc JOIN categories c ON c.id = pc.category_id
         WHERE pc.product_id = $1 AND pc.is_primary",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    let crumbs = match primary {
        Some(slug) => breadcrumbs(db, &slug).await?,
        None => Vec::new(),
    };
    let options = options_of(db, id).await?;
    let variants: Vec<(VariantId, String, serde_json::Value, Decimal)> = sqlx::query_as(
        "SELECT id, name, option_values, price_adjustment FROM product_variants
         WHERE product_id = $1 AND is_active ORDER BY position",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let ids: Vec<VariantId> = variants.iter().map(|v| v.0).collect();
    let contents: Vec<(VariantId, String, i32)> = sqlx::query_as(
        "SELECT m.variant_id, k.name, m.quantity FROM sku_mappings m JOIN skus k ON k.id = m.sku_id
         WHERE m.variant_id = ANY($1) ORDER BY k.name",
    )
    .bind(&ids)
    .fetch_all(db)
    .await?;
    let images = images::product_images(db, id).await?;
    let is_bundle = row.product_type == "BUNDLE";
    let price = row.card.price;
    Ok(ProductBase {
        seller_id: row.seller_id,
        seller_approved: row.seller_approved,
        detail: ProductDetail {
            seller_id: row.seller_id,
            description: row.description,
            product_type: row.product_type,
            status_reason: row.status_reason,
            breadcrumbs: crumbs,
            options,
            variants: variants
                .into_iter()
                .map(|(vid, name, values, adj)| VariantView {
                    id: vid,
                    name,
                    option_values: serde_json::from_value(values).unwrap_or_default(),
                    price: price + adj,
                    available: 0,
                    contents: if is_bundle {
                        contents
                            .iter()
                            .filter(|c| c.0 == vid)
                            .map(|c| (c.1.clone(), c.2))
                            .collect()
                    } else {
                        Vec::new()
                    },
                })
                .collect(),
            images,
            card: row.card.into(),
        },
    })
}

pub(super) fn visible(base: &ProductBase, viewer: Viewer) -> bool {
    match viewer {
        Viewer::Admin => true,
        Viewer::Seller(s) if s == base.seller_id => true,
        _ => base.detail.card.status == ProductStatus::Active && base.seller_approved,
    }
}

pub(super) fn with_availability(
    mut detail: ProductDetail,
    available: &[(VariantId, i32)],
) -> ProductDetail {
    let map: HashMap<VariantId, i32> = available.iter().copied().collect();
    for v in &mut detail.variants {
        v.available = map.get(&v.id).copied().unwrap_or(0);
    }
    detail
}

impl Viewer {
    /// How `user` sees products: an admin sees every state, an approved seller their own
    /// drafts too, everyone else what is on sale.
    pub async fn of(
        db: &PgPool,
        user: Option<&crate::platform::auth::CurrentUser>,
    ) -> Result<Self, CatalogError> {
        use crate::identity::Role;
        let Some(user) = user else {
            return Ok(Self::Public);
        };
        if user.role == Role::Admin {
            return Ok(Self::Admin);
        }
        let seller: Option<SellerId> =
            sqlx::query_scalar("SELECT id FROM sellers WHERE user_id = $1 AND status = 'approved'")
                .bind(user.id)
                .fetch_optional(db)
                .await?;
        Ok(seller.map_or(Self::Public, Self::Seller))
    }
}

/// A product by id (REST), as `viewer` may see it.
pub async fn product_detail_by_id(
    db: &PgPool,
    id: crate::catalog::ProductId,
    viewer: Viewer,
) -> Result<ProductDetail, CatalogError> {
    let slug: Option<String> =
        sqlx::query_scalar("SELECT slug FROM products WHERE id = $1 AND deleted_at IS NULL")
            .bind(id)
            .fetch_optional(db)
            .await?;
    product_detail(db, &slug.ok_or(CatalogError::NotFound)?, viewer).await
}

/// The product page, straight from Postgres.
pub async fn product_detail(
    db: &PgPool,
    slug: &str,
    viewer: Viewer,
) -> Result<ProductDetail, CatalogError> {
    let base = product_base(db, slug).await?;
    if !visible(&base, viewer) {
        return Err(CatalogError::NotFound);
    }
    let ids: Vec<VariantId> = base.detail.variants.iter().map(|v| v.id).collect();
    let available = inventory::variant_availability(db, &ids).await?;
    Ok(with_availability(base.detail, &available))
}

/// The product page through the Redis cache: the product for 10 minutes, its stock for 30
/// seconds, both dropped early when an event says they changed.
pub async fn product_detail_cached(
    db: &PgPool,
    redis: &crate::platform::redis::Redis,
    slug: &str,
    viewer: Viewer,
) -> Result<ProductDetail, CatalogError> {
    use crate::platform::cache;
    let base: ProductBase =
        cache::get_or_load(redis, &cache::product_key(slug), cache::PRODUCT_TTL, || {
            product_base(db, slug)
        })
        .await?;
    if !visible(&base, viewer) {
        return Err(CatalogError::NotFound);
    }
    let id = base.detail.card.id;
    let ids: Vec<VariantId> = base.detail.variants.iter().map(|v| v.id).collect();
    let available: Vec<(VariantId, i32)> = cache::get_or_load(
        redis,
        &cache::availability_key(id),
        cache::STOCK_TTL,
        || async {
            inventory::variant_availability(db, &ids)
                .await
                .map_err(CatalogError::from)
        },
    )
    .await?;
    Ok(with_availability(base.detail, &available))
}
