//! Home shelves, popular products and recently viewed products.

use super::*;

/// Recomputes popular products from what sold (stock that went out) in the last 3 days.
pub async fn refresh_popular(db: &PgPool) -> Result<u64, CatalogError> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM popular_product_stats")
        .execute(&mut *tx)
        .await?;
    let n = sqlx::query(
        "INSERT INTO popular_product_stats (product_id, sales_count)
         SELECT v.product_id, SUM(m.quantity / GREATEST(sm.quantity, 1))
         FROM stock_movements m
         JOIN sku_mappings sm ON sm.sku_id = m.sku_id
         JOIN product_variants v ON v.id = sm.variant_id
         WHERE m.movement_type = 'out' AND m.created_at >= now() - interval '3 days'
         GROUP BY v.product_id",
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(n)
}

/// Cards on each home shelf. Written into the SQL rather than bound, so Postgres can keep
/// one generic plan per shelf query instead of re-planning it on every page view.
const SHELF: i64 = 8;

/// Cards for a shelf: `sql_tail` is the rest of the query after the product/seller join; it
/// may use `$1` (a user id).
pub(super) async fn cards(
    db: &PgPool,
    sql_tail: &str,
    user: Option<UserId>,
) -> Result<Vec<ProductCard>, CatalogError> {
    let sql = format!(
        "SELECT {CARD_COLUMNS} FROM products p JOIN sellers s ON s.id = p.seller_id {sql_tail}"
    );
    let mut q = sqlx::query_as::<_, CardRow>(&sql);
    if let Some(u) = user {
        q = q.bind(u);
    }
    Ok(q.fetch_all(db).await?.into_iter().map(Into::into).collect())
}

/// The home page: featured, popular (3-day sales; by purchase count until anything sold),
/// new arrivals, and the signed-in shopper's recently viewed products.
pub async fn home(db: &PgPool, user: Option<UserId>) -> Result<HomeShelves, CatalogError> {
    // A suspended seller's products leave the store with them.
    const ON_SALE: &str = "p.status = 'active' AND p.deleted_at IS NULL AND s.status = 'approved'";
    let featured = cards(
        db,
        &format!(
            "WHERE {ON_SALE} AND p.is_featured ORDER BY p.created_at DESC, p.id LIMIT {SHELF}"
        ),
        None,
    )
    .await?;
    let mut popular = cards(
        db,
        &format!("JOIN popular_product_stats ps ON ps.product_id = p.id WHERE {ON_SALE} ORDER BY ps.sales_count DESC, p.id LIMIT {SHELF}"),
        None,
    )
    .await?;
    if popular.is_empty() {
        popular = cards(
            db,
            &format!("WHERE {ON_SALE} ORDER BY p.purchase_count DESC, p.id LIMIT {SHELF}"),
            None,
        )
        .await?;
    }
    let newest = cards(
        db,
        &format!("WHERE {ON_SALE} ORDER BY p.created_at DESC, p.id DESC LIMIT {SHELF}"),
        None,
    )
    .await?;
    let recently_viewed = match user {
        Some(u) => {
            cards(
                db,
                &format!("JOIN product_views pv ON pv.product_id = p.id AND pv.user_id = $1 WHERE {ON_SALE} ORDER BY pv.viewed_at DESC LIMIT {SHELF}"),
                Some(u),
            )
            .await?
        }
        None => Vec::new(),
    };
    Ok(HomeShelves {
        featured,
        popular,
        newest,
        recently_viewed,
    })
}

/// Remembers that a signed-in shopper looked at a product.
pub async fn record_view(
    db: &PgPool,
    user: UserId,
    product: ProductId,
    source: &str,
) -> Result<(), CatalogError> {
    let source = match source {
        "search" | "category" | "recommendation" => source,
        _ => "direct",
    };
    sqlx::query(
        "INSERT INTO product_views (user_id, product_id, source) VALUES ($1, $2, $3)
         ON CONFLICT (user_id, product_id) DO UPDATE SET viewed_at = now(), source = EXCLUDED.source",
    )
    .bind(user)
    .bind(product)
    .bind(source)
    .execute(db)
    .await?;
    Ok(())
}

/// Forgets views older than 90 days.
pub async fn sweep_views(db: &PgPool) -> Result<u64, CatalogError> {
    Ok(
        sqlx::query("DELETE FROM product_views WHERE viewed_at < now() - interval '90 days'")
            .execute(db)
            .await?
            .rows_affected(),
    )
}
