//! Which cache keys an outbox event makes stale.

use super::*;

/// The cache keys an event makes stale.
pub async fn stale_keys(
    db: &PgPool,
    event: &crate::platform::outbox::Delivered,
) -> Result<Vec<String>, CatalogError> {
    use crate::platform::cache;
    let p = &event.payload;
    let uuid = |v: &serde_json::Value| v.as_str().and_then(|s| s.parse::<Uuid>().ok());
    let mut keys = Vec::new();
    let mut skus: Vec<Uuid> = Vec::new();
    match event.event_type.as_str() {
        "product.created" | "product.updated" | "product.deleted" => {
            if let Some(slug) = p["slug"].as_str() {
                keys.push(cache::product_key(slug));
            }
            if let Some(id) = uuid(&p["productId"]) {
                keys.push(cache::availability_key(ProductId(id)));
            }
        }
        "category.updated" => keys.push(cache::category_tree_key().to_owned()),
        "inventory.stock.updated" => skus.extend(uuid(&p["skuId"])),
        "inventory.stock.reserved" => {
            skus.extend(
                p["lines"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|l| uuid(&l["skuId"])),
            );
        }
        "inventory.stock.released" => {
            if let Some(r) = uuid(&p["reservationId"]) {
                let lines: Vec<Uuid> = sqlx::query_scalar(
                    "SELECT sku_id FROM reservation_lines WHERE reservation_id = $1",
                )
                .bind(r)
                .fetch_all(db)
                .await?;
                skus.extend(lines);
            }
        }
        _ => {}
    }
    if !skus.is_empty() {
        let products: Vec<ProductId> = sqlx::query_scalar(
            "SELECT DISTINCT v.product_id FROM sku_mappings m JOIN product_variants v ON v.id = m.variant_id
             WHERE m.sku_id = ANY($1)",
        )
        .bind(&skus)
        .fetch_all(db)
        .await?;
        keys.extend(products.into_iter().map(cache::availability_key));
    }
    Ok(keys)
}
