//! Product cards: the row shape every listing shares.

use super::*;

/// The columns of a `CardRow`. The thumbnail is the primary image's, kept on the product row
/// by a trigger (migration `…07_primary_thumbnail`), so a card needs no lookup of its own.
pub(super) const CARD_COLUMNS: &str =
    "p.id, p.slug, p.name, p.price, p.original_price, p.discount_rate,
    s.business_name AS seller_name, p.rating_avg, p.review_count, p.status, p.created_at,
    p.primary_thumbnail_url AS thumbnail_url";

/// The columns of a `CardView`: what a grid shows, and no more.
pub(super) const VIEW_COLUMNS: &str = "p.slug, p.name, p.price, p.original_price, p.discount_rate,
    s.business_name AS seller_name, p.primary_thumbnail_url AS thumbnail_url, p.id";

#[derive(sqlx::FromRow)]
pub(super) struct CardRow {
    pub(super) id: ProductId,
    pub(super) slug: String,
    pub(super) name: String,
    pub(super) price: Decimal,
    pub(super) original_price: Option<Decimal>,
    pub(super) discount_rate: Decimal,
    pub(super) seller_name: String,
    pub(super) rating_avg: Decimal,
    pub(super) review_count: i32,
    pub(super) status: ProductStatus,
    pub(super) created_at: chrono::DateTime<chrono::Utc>,
    pub(super) thumbnail_url: Option<String>,
}

impl From<CardRow> for ProductCard {
    fn from(r: CardRow) -> Self {
        ProductCard {
            id: r.id,
            slug: r.slug,
            name: r.name,
            price: r.price,
            original_price: r.original_price,
            discount_rate: r.discount_rate,
            seller_name: r.seller_name,
            rating_avg: r.rating_avg,
            review_count: r.review_count,
            status: r.status,
            created_at: r.created_at,
            thumbnail_url: r.thumbnail_url,
        }
    }
}

pub async fn seller_products(
    db: &PgPool,
    seller: SellerId,
) -> Result<Vec<ProductCard>, CatalogError> {
    let rows: Vec<CardRow> = sqlx::query_as(&format!(
        "SELECT {CARD_COLUMNS} FROM products p JOIN sellers s ON s.id = p.seller_id
         WHERE p.seller_id = $1 AND p.deleted_at IS NULL ORDER BY p.created_at DESC LIMIT 500"
    ))
    .bind(seller)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

pub async fn pending_products(db: &PgPool) -> Result<Vec<ProductCard>, CatalogError> {
    let rows: Vec<CardRow> = sqlx::query_as(&format!(
        "SELECT {CARD_COLUMNS} FROM products p JOIN sellers s ON s.id = p.seller_id
         WHERE p.status = 'pending' AND p.deleted_at IS NULL ORDER BY p.updated_at LIMIT 200"
    ))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}
