//! A seller edits a product after creating it: details and categories, variant prices,
//! new option values, bundle contents, and soft deletion. Every change is scoped to the
//! seller's own products and announced with a `product.*` event (cache invalidation).

use super::*;
use crate::catalog::domain::BundleItem;
use crate::catalog::{CategoryId, ProductEdit, ProductId, SkuItem, VariantEdit, VariantId};
use crate::platform::db::OnConstraint;
use crate::platform::money::PriceAdjustment;

/// A product may sit in this many categories (one of them primary).
pub const MAX_CATEGORIES: usize = crate::catalog::MAX_CATEGORY_FIELDS;

/// Locks the seller's (not deleted) product, so concurrent edits queue up, and returns its
/// type. Someone else's product looks exactly like a missing one.
pub(super) async fn own_product(
    conn: &mut PgConnection,
    seller: SellerId,
    product: ProductId,
) -> Result<String, CatalogError> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT product_type FROM products WHERE id = $1 AND seller_id = $2 AND deleted_at IS NULL FOR UPDATE",
    )
    .bind(product)
    .bind(seller)
    .fetch_optional(&mut *conn)
    .await?;
    found.ok_or(CatalogError::NotFound)
}

/// Everything the edit page shows.
pub async fn product_edit(
    db: &PgPool,
    seller: SellerId,
    product: ProductId,
) -> Result<ProductEdit, CatalogError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        slug: String,
        name: String,
        description: String,
        price: Decimal,
        original_price: Option<Decimal>,
        status: ProductStatus,
        status_reason: Option<String>,
        product_type: String,
    }
    let row: Row = sqlx::query_as(
        "SELECT slug, name, description, price, original_price, status, status_reason, product_type
         FROM products WHERE id = $1 AND seller_id = $2 AND deleted_at IS NULL",
    )
    .bind(product)
    .bind(seller)
    .fetch_optional(db)
    .await?
    .ok_or(CatalogError::NotFound)?;
    let category_ids: Vec<CategoryId> = sqlx::query_scalar(
        "SELECT category_id FROM product_categories WHERE product_id = $1 ORDER BY is_primary DESC, category_id",
    )
    .bind(product)
    .fetch_all(db)
    .await?;
    let options = options_of(db, product).await?;
    let variants: Vec<(VariantId, String, Decimal, bool)> = sqlx::query_as(
        "SELECT id, name, price_adjustment, is_active FROM product_variants WHERE product_id = $1 ORDER BY position",
    )
    .bind(product)
    .fetch_all(db)
    .await?;
    #[derive(sqlx::FromRow)]
    struct ItemRow {
        variant_id: VariantId,
        #[sqlx(flatten)]
        item: SkuItem,
    }
    let items: Vec<ItemRow> = sqlx::query_as(
        "SELECT m.variant_id, k.id AS sku_id, k.code, k.name, m.quantity, coalesce(i.available, 0) AS available
         FROM sku_mappings m JOIN product_variants v ON v.id = m.variant_id
         JOIN skus k ON k.id = m.sku_id LEFT JOIN inventory i ON i.sku_id = k.id
         WHERE v.product_id = $1 ORDER BY k.code",
    )
    .bind(product)
    .fetch_all(db)
    .await?;
    Ok(ProductEdit {
        id: product,
        slug: row.slug,
        name: row.name,
        description: row.description,
        price: row.price,
        original_price: row.original_price,
        status: row.status,
        status_reason: row.status_reason,
        product_type: row.product_type,
        category_ids,
        options,
        variants: variants
            .into_iter()
            .map(|(id, name, price_adjustment, is_active)| VariantEdit {
                id,
                name,
                price_adjustment,
                is_active,
                items: items
                    .iter()
                    .filter(|i| i.variant_id == id)
                    .map(|i| i.item.clone())
                    .collect(),
            })
            .collect(),
        images: images::product_images(db, product).await?,
    })
}

/// The seller's SKUs, for picking bundle contents.
/// SKUs a bundle picker offers at once.
pub const SKU_CHOICES: i64 = 20;

/// The seller's SKUs whose code or name contains `q`, as "code · name", by code.
pub async fn seller_skus(
    db: &PgPool,
    seller: SellerId,
    q: &str,
) -> Result<Vec<(SkuId, String)>, CatalogError> {
    let q: String = q.chars().filter(|c| !c.is_control()).take(100).collect();
    let pattern = crate::catalog::search::like_pattern(q.trim());
    Ok(sqlx::query_as(&format!(
        "SELECT id, code || ' · ' || name FROM skus
         WHERE seller_id = $1 AND (code ILIKE $2 OR name ILIKE $2)
         ORDER BY code LIMIT {SKU_CHOICES}"
    ))
    .bind(seller)
    .bind(pattern)
    .fetch_all(db)
    .await?)
}

pub struct ProductUpdate {
    pub name: String,
    pub description: String,
    pub price: String,
    pub original_price: Option<String>,
    /// The primary category first; duplicates are ignored.
    pub category_ids: Vec<CategoryId>,
}

/// Saves the details and the categories. The slug stays, so links keep working.
pub async fn update_product(
    db: &PgPool,
    seller: SellerId,
    product: ProductId,
    input: ProductUpdate,
) -> Result<(), CatalogError> {
    let mut categories: Vec<CategoryId> = Vec::new();
    for c in &input.category_ids {
        if !categories.contains(c) {
            categories.push(*c);
        }
    }
    let v = validate(&ProductInput {
        name: input.name,
        description: input.description,
        price: input.price,
        original_price: input.original_price,
        category_id: categories.first().copied(),
        options: Vec::new(),
        initial_stock: 0,
        product_type: ProductType::Normal,
    })?;
    if categories.len() > MAX_CATEGORIES {
        return Err(FieldError::new("category_ids", Msg::ErrTooManyCategories).into());
    }
    let mut tx = db.begin().await?;
    own_product(&mut tx, seller, product).await?;
    let active: i64 =
        sqlx::query_scalar("SELECT count(*) FROM categories WHERE id = ANY($1) AND is_active")
            .bind(&categories)
            .fetch_one(&mut *tx)
            .await?;
    if active as usize != categories.len() {
        return Err(FieldError::new("category_ids", Msg::ErrRequired).into());
    }
    // A lower price must not leave a variant below zero.
    let lowest_adjustment: Option<Decimal> = sqlx::query_scalar(
        "SELECT min(price_adjustment) FROM product_variants WHERE product_id = $1",
    )
    .bind(product)
    .fetch_one(&mut *tx)
    .await?;
    // Every variant keeps a valid price: base plus its extra, more than ₩0.
    let lowest_adjustment = lowest_adjustment.unwrap_or_default().min(Decimal::ZERO);
    if v.price + lowest_adjustment <= Decimal::ZERO {
        return Err(FieldError::new("price", Msg::ErrVariantPrice).into());
    }
    sqlx::query(
        "UPDATE products SET name = $2, description = $3, price = $4, original_price = $5, discount_rate = $6
         WHERE id = $1",
    )
    .bind(product)
    .bind(&v.name)
    .bind(&v.description)
    .bind(v.price)
    .bind(v.original_price)
    .bind(v.discount_rate)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM product_categories WHERE product_id = $1")
        .bind(product)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO product_categories (product_id, category_id, is_primary)
         SELECT $1, c, o = 1 FROM unnest($2::uuid[]) WITH ORDINALITY AS t(c, o)",
    )
    .bind(product)
    .bind(&categories)
    .execute(&mut *tx)
    .await?;
    product_event(&mut tx, "product.updated", product).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets a variant's price adjustment and whether it is offered. One variant stays offered.
pub async fn update_variant(
    db: &PgPool,
    seller: SellerId,
    product: ProductId,
    variant: VariantId,
    adjustment: PriceAdjustment,
    is_active: bool,
    sku_code: Option<&str>,
) -> Result<(), CatalogError> {
    let mut tx = db.begin().await?;
    own_product(&mut tx, seller, product).await?;
    let price: Decimal = sqlx::query_scalar("SELECT price FROM products WHERE id = $1")
        .bind(product)
        .fetch_one(&mut *tx)
        .await?;
    adjustment.apply("price_adjustment", price)?;
    let adjustment = adjustment.get();
    let n = sqlx::query(
        "UPDATE product_variants SET price_adjustment = $3, is_active = $4 WHERE id = $2 AND product_id = $1",
    )
    .bind(product)
    .bind(variant)
    .bind(adjustment)
    .bind(is_active)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(CatalogError::NotFound);
    }
    let offered: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM product_variants WHERE product_id = $1 AND is_active",
    )
    .bind(product)
    .fetch_one(&mut *tx)
    .await?;
    if offered == 0 {
        return Err(FieldError::new("is_active", Msg::ErrLastVariant).into());
    }
    if let Some(code) = sku_code {
        set_sku_code(&mut tx, seller, variant, code).await?;
    }
    product_event(&mut tx, "product.updated", product).await?;
    tx.commit().await?;
    Ok(())
}

/// Renames the one SKU behind a normal product's variant. Codes are the seller's own and
/// unique among their SKUs (`skus_seller_code_key`); a bundle's variant has no single SKU.
async fn set_sku_code(
    conn: &mut PgConnection,
    seller: SellerId,
    variant: VariantId,
    code: &str,
) -> Result<(), CatalogError> {
    sqlx::query(
        "UPDATE skus k SET code = $3 FROM sku_mappings m
         WHERE m.variant_id = $2 AND k.id = m.sku_id AND k.seller_id = $1 AND k.code <> $3
           AND (SELECT count(*) FROM sku_mappings WHERE variant_id = $2) = 1",
    )
    .bind(seller)
    .bind(variant)
    .bind(code)
    .execute(&mut *conn)
    .await
    .on_constraint(|c| {
        (c == "skus_seller_code_key")
            .then(|| CatalogError::Invalid(vec![FieldError::new("sku_code", Msg::ErrSkuCodeTaken)]))
    })?;
    Ok(())
}

/// Adds a value to an option, with a variant for every new combination. A normal product
/// gets a new SKU (with no stock) per new variant; a bundle's new variants start empty.
pub async fn add_option_value(
    db: &PgPool,
    seller: SellerId,
    product: ProductId,
    option: &str,
    value: &str,
) -> Result<usize, CatalogError> {
    let value: String = value.trim().chars().take(50).collect();
    if value.is_empty() || value.contains(',') {
        return Err(FieldError::new("value", Msg::ErrOptionValues).into());
    }
    let mut tx = db.begin().await?;
    let product_type = own_product(&mut tx, seller, product).await?;
    let mut options: Vec<(String, Vec<String>)> = options_of(&mut *tx, product)
        .await?
        .into_iter()
        .map(|o| (o.name, o.values))
        .collect();
    let target = options
        .iter()
        .position(|(n, _)| n == option)
        .ok_or(CatalogError::NotFound)?;
    if options[target].1.contains(&value) {
        return Err(FieldError::new("value", Msg::ErrOptionValueExists).into());
    }
    let existing: usize = options.iter().map(|(_, v)| v.len()).product();
    let added: usize = existing / options[target].1.len().max(1);
    if existing + added > MAX_VARIANTS {
        return Err(FieldError::new("value", Msg::ErrTooManyVariants).into());
    }
    options[target].1.push(value.clone());
    sqlx::query(
        "UPDATE product_options SET option_values = $3 WHERE product_id = $1 AND name = $2",
    )
    .bind(product)
    .bind(option)
    .bind(json!(options[target].1))
    .execute(&mut *tx)
    .await?;
    // The new combinations: the new value with every combination of the other options.
    let mut fixed = options.clone();
    fixed[target].1 = vec![value];
    let combos = combinations(&fixed);
    let (name, next): (String, i32) = sqlx::query_as(
        "SELECT p.name, coalesce(max(v.position) + 1, 0) FROM products p
         LEFT JOIN product_variants v ON v.product_id = p.id WHERE p.id = $1 GROUP BY p.name",
    )
    .bind(product)
    .fetch_one(&mut *tx)
    .await?;
    for (i, combo) in combos.iter().enumerate() {
        let label = variant_label(&options, combo);
        let variant = insert_variant(&mut tx, product, &label, combo, next + i as i32).await?;
        if product_type == "NORMAL" {
            let code = format!(
                "{}-{:03}",
                product.0.simple().to_string()[..8].to_uppercase(),
                next + i as i32 + 1
            );
            let sku = inventory::create_sku(
                &mut tx,
                seller,
                &code,
                &super::products::sku_name(&name, &label),
            )
            .await?;
            map_sku(&mut tx, variant, sku, 1).await?;
        }
    }
    product_event(&mut tx, "product.updated", product).await?;
    tx.commit().await?;
    Ok(combos.len())
}

/// Puts `quantity` of a SKU into a bundle variant (0 takes it out). The SKU must be the
/// seller's own.
pub async fn set_bundle_item(
    db: &PgPool,
    seller: SellerId,
    product: ProductId,
    variant: VariantId,
    item: BundleItem,
) -> Result<(), CatalogError> {
    let (sku, quantity) = (item.sku, item.quantity);
    if !(0..=1000).contains(&quantity) {
        return Err(FieldError::new("quantity", Msg::ErrQuantity).into());
    }
    let mut tx = db.begin().await?;
    if own_product(&mut tx, seller, product).await? != "BUNDLE" {
        return Err(CatalogError::WrongState);
    }
    let ok: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM product_variants WHERE id = $1 AND product_id = $2)
            AND EXISTS (SELECT 1 FROM skus WHERE id = $3 AND seller_id = $4)",
    )
    .bind(variant)
    .bind(product)
    .bind(sku)
    .bind(seller)
    .fetch_one(&mut *tx)
    .await?;
    if !ok {
        return Err(CatalogError::NotFound);
    }
    if quantity == 0 {
        sqlx::query("DELETE FROM sku_mappings WHERE variant_id = $1 AND sku_id = $2")
            .bind(variant)
            .bind(sku)
            .execute(&mut *tx)
            .await?;
    } else {
        map_sku(&mut tx, variant, sku, quantity).await?;
    }
    product_event(&mut tx, "product.updated", product).await?;
    tx.commit().await?;
    Ok(())
}

/// Soft delete: the product leaves the store and the console; orders keep their history.
pub async fn delete_product(
    db: &PgPool,
    seller: SellerId,
    product: ProductId,
) -> Result<(), CatalogError> {
    let mut tx = db.begin().await?;
    own_product(&mut tx, seller, product).await?;
    sqlx::query("UPDATE products SET deleted_at = now(), is_featured = FALSE WHERE id = $1")
        .bind(product)
        .execute(&mut *tx)
        .await?;
    product_event(&mut tx, "product.deleted", product).await?;
    tx.commit().await?;
    Ok(())
}
