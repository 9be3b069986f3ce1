//! Creating products with their variants and SKUs, and the review lifecycle.

use super::*;
use crate::catalog::ProductStatus::{
    self, Active, Approved, Draft, Inactive, Pending, Rejected, TakenDown,
};
use crate::platform::audit::{self, Actor, AuditResource, Change};

pub use crate::catalog::domain::{ProductInput, ProductType};

pub(super) fn parse_money(field: &str, raw: &str) -> Result<Decimal, FieldError> {
    crate::platform::money::Price::parse(field, raw).map(|p| p.get())
}

/// "상품명 (빨강 / L)", cut to what `skus.name` holds: a long name with a long option label
/// must not fail the insert.
pub(super) fn sku_name(product: &str, label: &str) -> String {
    let full = if label.is_empty() {
        product.to_owned()
    } else {
        format!("{product} ({label})")
    };
    full.chars().take(255).collect()
}

pub use crate::catalog::domain::split_values;

pub(super) struct ValidProduct {
    pub(super) name: String,
    pub(super) description: String,
    pub(super) price: Decimal,
    pub(super) original_price: Option<Decimal>,
    pub(super) discount_rate: Decimal,
    pub(super) category_id: CategoryId,
    pub(super) options: Vec<(String, Vec<String>)>,
}

pub(super) fn validate(input: &ProductInput) -> Result<ValidProduct, CatalogError> {
    let mut errors = Vec::new();
    let name = idd::required_text("name", &input.name, 255)
        .map_err(|e| errors.push(e))
        .ok();
    let description = idd::optional_text("description", Some(&input.description), 20_000)
        .map_err(|e| errors.push(e))
        .ok()
        .flatten()
        .unwrap_or_default();
    let price = parse_money("price", &input.price)
        .map_err(|e| errors.push(e))
        .ok();
    let original_price = match input
        .original_price
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(raw) => parse_money("original_price", raw)
            .map_err(|e| errors.push(e))
            .ok(),
    };
    if let (Some(p), Some(o)) = (price, original_price) {
        if o < p {
            errors.push(FieldError::new("original_price", Msg::ErrOriginalPrice));
        }
    }
    if input.category_id.is_none() {
        errors.push(FieldError::new("category_id", Msg::ErrRequired));
    }
    if input.initial_stock < 0 {
        errors.push(FieldError::new("initial_stock", Msg::ErrQuantity));
    }
    let mut options = Vec::new();
    for (i, (oname, values)) in input.options.iter().enumerate() {
        let field = format!("option{}_values", i + 1);
        let oname = oname.trim();
        if oname.is_empty() && values.is_empty() {
            continue;
        }
        if oname.is_empty() {
            errors.push(FieldError::new(
                &format!("option{}_name", i + 1),
                Msg::ErrRequired,
            ));
        } else if values.is_empty() {
            errors.push(FieldError::new(&field, Msg::ErrOptionValues));
        } else if options
            .iter()
            .any(|(n, _): &(String, Vec<String>)| n == oname)
        {
            errors.push(FieldError::new(
                &format!("option{}_name", i + 1),
                Msg::ErrOptionDuplicate,
            ));
        } else {
            options.push((oname.chars().take(100).collect::<String>(), values.clone()));
        }
    }
    if options.len() > MAX_OPTIONS {
        errors.push(FieldError::new("options", Msg::ErrTooManyVariants));
    }
    let combos: usize = options.iter().map(|(_, v)| v.len()).product();
    if combos > MAX_VARIANTS {
        errors.push(FieldError::new("options", Msg::ErrTooManyVariants));
    }
    match (name, price, input.category_id) {
        (Some(name), Some(price), Some(category_id)) if errors.is_empty() => {
            let discount_rate = match original_price {
                Some(o) if o > Decimal::ZERO => {
                    ((o - price) / o * Decimal::ONE_HUNDRED).round_dp(2)
                }
                _ => Decimal::ZERO,
            };
            Ok(ValidProduct {
                name,
                description,
                price,
                original_price,
                discount_rate,
                category_id,
                options,
            })
        }
        _ => Err(CatalogError::Invalid(errors)),
    }
}

/// Every combination of option values, in order: [{색상: 빨강, 사이즈: S}, ...].
pub(super) fn combinations(options: &[(String, Vec<String>)]) -> Vec<BTreeMap<String, String>> {
    let mut out = vec![BTreeMap::new()];
    for (name, values) in options {
        out = out
            .into_iter()
            .flat_map(|base| {
                values.iter().map(move |v| {
                    let mut m = base.clone();
                    m.insert(name.clone(), v.clone());
                    m
                })
            })
            .collect();
    }
    out
}

/// A URL slug: the ASCII words of the name plus a short unique suffix (names are often Korean).
pub(super) fn slug_for(name: &str, id: Uuid) -> String {
    let ascii: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let words: Vec<&str> = ascii.split('-').filter(|w| !w.is_empty()).take(6).collect();
    let short = &id.simple().to_string()[..8];
    if words.is_empty() {
        format!("p-{short}")
    } else {
        format!("{}-{short}", words.join("-"))
    }
}

pub(super) async fn product_event(
    conn: &mut PgConnection,
    kind: &str,
    id: ProductId,
) -> Result<(), sqlx::Error> {
    let slug: Option<String> = sqlx::query_scalar("SELECT slug FROM products WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    outbox::enqueue(
        conn,
        NewEvent {
            event_type: kind,
            aggregate_type: "product",
            aggregate_id: id.to_string(),
            payload: json!({ "productId": id, "slug": slug }),
        },
    )
    .await
    .map(|_| ())
}

/// Tells the caches that every product of a seller changed (the seller was suspended or
/// reinstated), in the caller's transaction.
pub async fn seller_products_changed(
    conn: &mut PgConnection,
    seller: SellerId,
) -> Result<(), sqlx::Error> {
    let ids: Vec<ProductId> =
        sqlx::query_scalar("SELECT id FROM products WHERE seller_id = $1 AND deleted_at IS NULL")
            .bind(seller)
            .fetch_all(&mut *conn)
            .await?;
    for id in ids {
        product_event(conn, "product.updated", id).await?;
    }
    Ok(())
}

/// An admin takes a product off the store, with a reason its seller reads. Only an admin can
/// put it back (through review).
pub async fn take_down(
    db: &PgPool,
    actor: &Actor,
    id: ProductId,
    reason: &str,
) -> Result<(), CatalogError> {
    let reason = crate::identity::domain::required_text("reason", reason, 500)?;
    transition(
        db,
        id,
        By::Admin(actor),
        &[Draft, Pending, Approved, Rejected, Active, Inactive],
        TakenDown,
        Some(&reason),
    )
    .await
}

/// A product's options with their values, in the seller's order.
pub(super) async fn options_of<'e, E: sqlx::PgExecutor<'e>>(
    db: E,
    product: ProductId,
) -> Result<Vec<OptionView>, sqlx::Error> {
    let rows: Vec<(String, serde_json::Value)> = sqlx::query_as(
        "SELECT name, option_values FROM product_options WHERE product_id = $1 ORDER BY position",
    )
    .bind(product)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, values)| OptionView {
            name,
            values: serde_json::from_value(values).unwrap_or_default(),
        })
        .collect())
}

/// "빨강 / L": the combination in the seller's option order, not the map's key order.
pub(super) fn variant_label(
    options: &[(String, Vec<String>)],
    combo: &BTreeMap<String, String>,
) -> String {
    options
        .iter()
        .filter_map(|(name, _)| combo.get(name).cloned())
        .collect::<Vec<_>>()
        .join(" / ")
}

pub(super) async fn insert_variant(
    conn: &mut PgConnection,
    product: ProductId,
    label: &str,
    combo: &BTreeMap<String, String>,
    position: i32,
) -> Result<VariantId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO product_variants (product_id, name, option_values, position) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(product)
    .bind(label)
    .bind(json!(combo))
    .bind(position)
    .fetch_one(conn)
    .await
}

/// Maps a SKU into a variant, or changes the quantity of one already there.
pub(super) async fn map_sku(
    conn: &mut PgConnection,
    variant: VariantId,
    sku: SkuId,
    quantity: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sku_mappings (variant_id, sku_id, quantity) VALUES ($1, $2, $3)
         ON CONFLICT (variant_id, sku_id) DO UPDATE SET quantity = EXCLUDED.quantity",
    )
    .bind(variant)
    .bind(sku)
    .bind(quantity)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Creates a draft product with one variant (and SKU) per combination of option values.
pub async fn create_product(
    db: &PgPool,
    seller_id: SellerId,
    actor: Option<UserId>,
    input: ProductInput,
) -> Result<ProductId, CatalogError> {
    let v = validate(&input)?;
    let mut tx = db.begin().await?;
    let category_ok: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM categories WHERE id = $1 AND is_active)")
            .bind(v.category_id)
            .fetch_one(&mut *tx)
            .await?;
    if !category_ok {
        return Err(FieldError::new("category_id", Msg::ErrRequired).into());
    }
    let id = ProductId(Uuid::new_v4());
    sqlx::query(
        "INSERT INTO products (id, seller_id, name, slug, description, price, original_price, discount_rate, product_type)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(seller_id)
    .bind(&v.name)
    .bind(slug_for(&v.name, id.0))
    .bind(&v.description)
    .bind(v.price)
    .bind(v.original_price)
    .bind(v.discount_rate)
    .bind(input.product_type.as_str())
    .execute(&mut *tx)
    .await?;
    sqlx::query("INSERT INTO product_categories (product_id, category_id, is_primary) VALUES ($1, $2, TRUE)")
        .bind(id)
        .bind(v.category_id)
        .execute(&mut *tx)
        .await?;
    for (pos, (name, values)) in v.options.iter().enumerate() {
        sqlx::query("INSERT INTO product_options (product_id, name, option_values, position) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(name)
            .bind(json!(values))
            .bind(pos as i32)
            .execute(&mut *tx)
            .await?;
    }
    let short = &id.0.simple().to_string()[..8];
    for (pos, combo) in combinations(&v.options).into_iter().enumerate() {
        let label = variant_label(&v.options, &combo);
        let variant = insert_variant(&mut tx, id, &label, &combo, pos as i32).await?;
        if input.product_type == ProductType::Bundle {
            continue;
        }
        let sku_name = sku_name(&v.name, &label);
        let sku = inventory::create_sku(
            &mut tx,
            seller_id,
            &format!("{}-{:03}", short.to_uppercase(), pos + 1),
            &sku_name,
        )
        .await?;
        map_sku(&mut tx, variant, sku, 1).await?;
        if input.initial_stock > 0 {
            inventory::receive_in(
                &mut tx,
                sku,
                input.initial_stock,
                Some("initial stock"),
                actor,
            )
            .await?;
        }
    }
    product_event(&mut tx, "product.created", id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Who moves a product: its seller (only their own), or an admin (any, written to the audit log).
pub(super) enum By<'a> {
    Seller(SellerId),
    Admin(&'a Actor),
}

pub(super) async fn transition(
    db: &PgPool,
    id: ProductId,
    by: By<'_>,
    from: &[ProductStatus],
    to: ProductStatus,
    reason: Option<&str>,
) -> Result<(), CatalogError> {
    let seller = match by {
        By::Seller(s) => Some(s),
        By::Admin(_) => None,
    };
    let mut tx = db.begin().await?;
    let was: Option<ProductStatus> = sqlx::query_scalar(
        "WITH old AS (
             SELECT id, status FROM products
             WHERE id = $1 AND ($2::uuid IS NULL OR seller_id = $2) AND status = ANY($5)
                 AND deleted_at IS NULL
             FOR UPDATE)
         UPDATE products p SET status = $3, status_reason = $4 FROM old
         WHERE p.id = old.id RETURNING old.status",
    )
    .bind(id)
    .bind(seller)
    .bind(to)
    .bind(reason)
    .bind(from)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(was) = was else {
        let visible: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM products WHERE id = $1 AND ($2::uuid IS NULL OR seller_id = $2) AND deleted_at IS NULL)",
        )
        .bind(id)
        .bind(seller)
        .fetch_one(&mut *tx)
        .await?;
        return Err(if visible {
            CatalogError::WrongState
        } else {
            CatalogError::NotFound
        });
    };
    if let By::Admin(actor) = by {
        let mut change = Change::update(
            AuditResource::Product,
            id,
            &json!({ "status": was }),
            &json!({ "status": to }),
        );
        change.reason = reason;
        audit::record(&mut tx, actor, &change).await?;
    }
    product_event(&mut tx, "product.updated", id).await?;
    tx.commit().await?;
    Ok(())
}

/// The seller asks for review. A product needs a picture to be reviewed: shoppers do not buy
/// what they cannot see.
pub async fn submit(db: &PgPool, seller: SellerId, id: ProductId) -> Result<(), CatalogError> {
    let pictured: Option<bool> = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM product_images i WHERE i.product_id = p.id)
         FROM products p WHERE p.id = $1 AND p.seller_id = $2 AND p.deleted_at IS NULL",
    )
    .bind(id)
    .bind(seller)
    .fetch_optional(db)
    .await?;
    match pictured {
        None => return Err(CatalogError::NotFound),
        Some(false) => return Err(FieldError::new("image", Msg::ErrNeedImage).into()),
        Some(true) => {}
    }
    transition(
        db,
        id,
        By::Seller(seller),
        &[Draft, Rejected],
        Pending,
        None,
    )
    .await
}

/// An admin approves (the product goes on sale) or rejects with a reason.
pub async fn review(
    db: &PgPool,
    actor: &Actor,
    id: ProductId,
    approve: bool,
    reason: Option<&str>,
) -> Result<(), CatalogError> {
    if approve {
        transition(
            db,
            id,
            By::Admin(actor),
            &[Pending, TakenDown],
            Active,
            None,
        )
        .await
    } else {
        let reason = idd::required_text("reason", reason.unwrap_or_default(), 1000)?;
        transition(
            db,
            id,
            By::Admin(actor),
            &[Pending],
            Rejected,
            Some(&reason),
        )
        .await
    }
}

/// The seller takes a product off sale or puts it back.
pub async fn set_on_sale(
    db: &PgPool,
    seller: SellerId,
    id: ProductId,
    on_sale: bool,
) -> Result<(), CatalogError> {
    if on_sale {
        transition(
            db,
            id,
            By::Seller(seller),
            &[Inactive, Approved],
            Active,
            None,
        )
        .await
    } else {
        transition(
            db,
            id,
            By::Seller(seller),
            &[Active, Approved],
            Inactive,
            None,
        )
        .await
    }
}
