//! Account carts. Adding a line runs in one transaction that first locks the cart row (the
//! upsert of `carts`), so the line-count guard of the INSERT that follows sees every other
//! add of the same shopper: a cart never holds more than `MAX_LINES` lines, however many tabs
//! add at once. Quantities are bounded by what can be sold when the line is changed; the
//! reservation at checkout is what finally guards the stock.

use super::domain::Choice;
use super::{line_state, shipping_for, CartError, CartItemId, CartLine, CartView, SellerGroup};
use super::{MAX_LINES, MAX_QUANTITY};
use crate::catalog::{ProductId, VariantId};
use crate::identity::UserId;
use crate::platform::config::{Configs, FREE_SHIPPING_THRESHOLD, SHIPPING_FEE};
use crate::seller::SellerId;
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgExecutor, PgPool};
use std::collections::{BTreeMap, HashMap};

/// What a variant sells for now and how many can be sold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sellable {
    pub variant: VariantId,
    pub product: ProductId,
    pub price: Decimal,
    pub on_sale: bool,
    pub available: i32,
}

const ON_SALE: &str = "(p.status = 'active' AND p.deleted_at IS NULL AND v.is_active
     AND s.status = 'approved')";

/// The variant as a cart sees it; `NotFound` if there is no such variant.
pub async fn sellable(db: &PgPool, variant: VariantId) -> Result<Sellable, CartError> {
    let row: Option<(ProductId, Decimal, bool)> = sqlx::query_as(&format!(
        "SELECT p.id, (p.price + v.price_adjustment)::numeric(15,0), {ON_SALE}
         FROM product_variants v JOIN products p ON p.id = v.product_id
         JOIN sellers s ON s.id = p.seller_id
         WHERE v.id = $1"
    ))
    .bind(variant)
    .fetch_optional(db)
    .await?;
    let (product, price, on_sale) = row.ok_or(CartError::NotFound)?;
    let available = crate::inventory::service::variant_availability(db, &[variant])
        .await?
        .first()
        .map_or(0, |(_, n)| *n);
    Ok(Sellable {
        variant,
        product,
        price,
        on_sale,
        available,
    })
}

/// The variant of `product` the shopper picked, by id or by its option values in order.
pub async fn resolve(
    db: &PgPool,
    product: ProductId,
    choice: &Choice,
) -> Result<VariantId, CartError> {
    match choice {
        Choice::Variant(v) => {
            let ours: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM product_variants WHERE id = $1 AND product_id = $2)",
            )
            .bind(v)
            .bind(product)
            .fetch_one(db)
            .await?;
            ours.then_some(*v).ok_or(CartError::NoSuchOption)
        }
        Choice::Options(values) => {
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM product_options WHERE product_id = $1 ORDER BY position",
            )
            .bind(product)
            .fetch_all(db)
            .await?;
            if names.len() != values.len() {
                return Err(CartError::NoSuchOption);
            }
            let wanted: serde_json::Map<String, serde_json::Value> = names
                .into_iter()
                .zip(values.iter().cloned().map(serde_json::Value::String))
                .collect();
            let id: Option<VariantId> = sqlx::query_scalar(
                "SELECT id FROM product_variants
                 WHERE product_id = $1 AND option_values = $2 AND is_active
                 ORDER BY position LIMIT 1",
            )
            .bind(product)
            .bind(serde_json::Value::Object(wanted))
            .fetch_optional(db)
            .await?;
            id.ok_or(CartError::NoSuchOption)
        }
    }
}

/// Checks that `total` of the variant may sit in one line.
pub fn check_quantity(s: &Sellable, total: i32) -> Result<(), CartError> {
    if !s.on_sale {
        Err(CartError::OffSale)
    } else if total > MAX_QUANTITY {
        Err(CartError::QuantityMax)
    } else if total > s.available {
        Err(CartError::Insufficient {
            available: s.available,
        })
    } else {
        Ok(())
    }
}

/// Locks the shopper's cart row (making it if needed) and pushes its expiry 30 days out.
async fn touch(conn: &mut PgConnection, user: UserId) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO carts (user_id) VALUES ($1)
         ON CONFLICT (user_id) DO UPDATE
         SET updated_at = now(), expires_at = now() + INTERVAL '30 days'",
    )
    .bind(user)
    .execute(&mut *conn)
    .await
    .map(|_| ())
}

/// Adds `quantity` to the line of `variant` (or starts one), at most `cap` in the line. `None`
/// when the cart is full or the line would pass `cap`.
async fn upsert(
    conn: &mut PgConnection,
    user: UserId,
    s: &Sellable,
    quantity: i32,
    cap: i32,
    capped: bool,
) -> Result<Option<CartItemId>, sqlx::Error> {
    // A merge caps the sum; an add refuses to pass the cap.
    let set = if capped {
        "quantity = LEAST(cart_items.quantity + EXCLUDED.quantity, $5)"
    } else {
        "quantity = cart_items.quantity + EXCLUDED.quantity"
    };
    let guard = if capped {
        "TRUE"
    } else {
        "cart_items.quantity + EXCLUDED.quantity <= $5"
    };
    sqlx::query_scalar(&format!(
        "INSERT INTO cart_items (user_id, variant_id, quantity, unit_price)
         SELECT $1, $2, LEAST($3, $5), $4
         WHERE EXISTS (SELECT 1 FROM cart_items WHERE user_id = $1 AND variant_id = $2)
            OR (SELECT count(*) FROM cart_items WHERE user_id = $1) < $6
         ON CONFLICT (user_id, variant_id) DO UPDATE SET {set}, updated_at = now()
         WHERE {guard}
         RETURNING id"
    ))
    .bind(user)
    .bind(s.variant)
    .bind(quantity)
    .bind(s.price)
    .bind(cap)
    .bind(MAX_LINES)
    .fetch_optional(&mut *conn)
    .await
}

async fn line_quantity(
    db: &PgPool,
    user: UserId,
    variant: VariantId,
) -> Result<Option<i32>, sqlx::Error> {
    sqlx::query_scalar("SELECT quantity FROM cart_items WHERE user_id = $1 AND variant_id = $2")
        .bind(user)
        .bind(variant)
        .fetch_optional(db)
        .await
}

/// Adds to the shopper's cart. The line's new total must be sellable now.
pub async fn add(
    db: &PgPool,
    user: UserId,
    variant: VariantId,
    quantity: i32,
) -> Result<CartItemId, CartError> {
    let s = sellable(db, variant).await?;
    let had = line_quantity(db, user, variant).await?.unwrap_or(0);
    check_quantity(&s, had.saturating_add(quantity))?;
    let cap = s.available.min(MAX_QUANTITY);
    let mut tx = db.begin().await?;
    touch(&mut tx, user).await?;
    let Some(id) = upsert(&mut tx, user, &s, quantity, cap, false).await? else {
        // Either the line grew meanwhile past what can be sold, or the cart is full.
        drop(tx);
        return Err(match line_quantity(db, user, variant).await? {
            Some(q) => check_quantity(&s, q.saturating_add(quantity))
                .err()
                .unwrap_or(CartError::Insufficient {
                    available: s.available,
                }),
            None => CartError::Full,
        });
    };
    tx.commit().await?;
    Ok(id)
}

/// Sets one line's quantity. Someone else's line is `NotFound`.
pub async fn set_quantity(
    db: &PgPool,
    user: UserId,
    id: CartItemId,
    quantity: i32,
) -> Result<(), CartError> {
    let variant: Option<VariantId> =
        sqlx::query_scalar("SELECT variant_id FROM cart_items WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user)
            .fetch_optional(db)
            .await?;
    let s = sellable(db, variant.ok_or(CartError::NotFound)?).await?;
    check_quantity(&s, quantity)?;
    let mut tx = db.begin().await?;
    touch(&mut tx, user).await?;
    let done = sqlx::query(
        "UPDATE cart_items SET quantity = $3, updated_at = now() WHERE id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(user)
    .bind(quantity)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(CartError::NotFound);
    }
    tx.commit().await?;
    Ok(())
}

/// Removes one line. Someone else's line is `NotFound`.
pub async fn remove(db: &PgPool, user: UserId, id: CartItemId) -> Result<(), CartError> {
    let mut tx = db.begin().await?;
    let done = sqlx::query("DELETE FROM cart_items WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(CartError::NotFound);
    }
    touch(&mut tx, user).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes the given variants' lines (what an order took).
pub async fn remove_variants(
    conn: &mut PgConnection,
    user: UserId,
    variants: &[VariantId],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM cart_items WHERE user_id = $1 AND variant_id = ANY($2)")
        .bind(user)
        .bind(variants)
        .execute(&mut *conn)
        .await
        .map(|_| ())
}

/// How many lines the cart holds (the header's badge).
pub async fn count(db: &PgPool, user: UserId) -> Result<i64, CartError> {
    Ok(
        sqlx::query_scalar("SELECT count(*) FROM cart_items WHERE user_id = $1")
            .bind(user)
            .fetch_one(db)
            .await?,
    )
}

/// A line as stored: in `cart_items`, or in a guest's session.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct RawLine {
    pub id: CartItemId,
    pub variant_id: VariantId,
    pub quantity: i32,
    pub added_price: Decimal,
}

pub async fn raw_lines(db: impl PgExecutor<'_>, user: UserId) -> Result<Vec<RawLine>, CartError> {
    Ok(sqlx::query_as(
        "SELECT id, variant_id, quantity, unit_price AS added_price FROM cart_items
         WHERE user_id = $1 ORDER BY added_at, id",
    )
    .bind(user)
    .fetch_all(db)
    .await?)
}

/// The shopper's cart as the cart page shows it.
pub async fn view(db: &PgPool, configs: &Configs, user: UserId) -> Result<CartView, CartError> {
    let shipping = Shipping::from_configs(configs).await?;
    view_on(&mut *db.acquire().await?, shipping, user).await
}

/// The shipping terms every seller's group is charged by.
#[derive(Clone, Copy, Debug)]
pub struct Shipping {
    pub fee: Decimal,
    pub free_from: Decimal,
}

impl Shipping {
    pub async fn from_configs(configs: &Configs) -> Result<Self, CartError> {
        Ok(Self {
            fee: configs.get(&SHIPPING_FEE).await?,
            free_from: configs.get(&FREE_SHIPPING_THRESHOLD).await?,
        })
    }
}

/// Lines with their products as they are now, grouped by seller in the order first added.
pub async fn view_of(
    db: &PgPool,
    configs: &Configs,
    raw: Vec<RawLine>,
) -> Result<CartView, CartError> {
    if raw.is_empty() {
        return Ok(CartView::default());
    }
    let shipping = Shipping::from_configs(configs).await?;
    view_with(&mut *db.acquire().await?, shipping, raw).await
}

/// A cart line's variant as it is now.
#[derive(sqlx::FromRow)]
struct Detail {
    variant_id: VariantId,
    product_id: ProductId,
    slug: String,
    product_name: String,
    variant_name: String,
    option_values: serde_json::Value,
    thumbnail_url: Option<String>,
    price: Decimal,
    on_sale: bool,
    seller_id: SellerId,
    seller_name: String,
    /// How many can be sold now.
    available: i32,
}

/// The columns of [`Detail`] for a variant `v` (with `DUE_HOLDS` in the query's WITH).
fn detail_columns() -> String {
    format!(
        "v.id AS variant_id, p.id AS product_id, p.slug, p.name AS product_name,
         v.name AS variant_name, v.option_values, p.primary_thumbnail_url AS thumbnail_url,
         (p.price + v.price_adjustment)::numeric(15,0) AS price, {ON_SALE} AS on_sale,
         s.id AS seller_id, s.business_name AS seller_name,
         COALESCE({}, 0) AS available",
        crate::inventory::service::SELLABLE
    )
}

/// `view` on one connection, with the shipping terms read beforehand (so nothing here waits
/// for a second connection while holding this one): the lines, their variants and what can be
/// sold, in one query.
pub async fn view_on(
    conn: &mut PgConnection,
    shipping: Shipping,
    user: UserId,
) -> Result<CartView, CartError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        line: RawLine,
        #[sqlx(flatten)]
        detail: Detail,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "WITH {}
         SELECT c.id, c.quantity, c.unit_price AS added_price, {}
         FROM cart_items c JOIN product_variants v ON v.id = c.variant_id
         JOIN products p ON p.id = v.product_id JOIN sellers s ON s.id = p.seller_id
         WHERE c.user_id = $1 ORDER BY c.added_at, c.id",
        crate::inventory::service::DUE_HOLDS,
        detail_columns()
    ))
    .bind(user)
    .fetch_all(&mut *conn)
    .await?;
    let mut raw = Vec::with_capacity(rows.len());
    let mut details = HashMap::with_capacity(rows.len());
    for r in rows {
        raw.push(r.line);
        details.insert(r.detail.variant_id, r.detail);
    }
    Ok(assemble(raw, &details, shipping))
}

async fn view_with(
    conn: &mut PgConnection,
    shipping: Shipping,
    raw: Vec<RawLine>,
) -> Result<CartView, CartError> {
    if raw.is_empty() {
        return Ok(CartView::default());
    }
    let variants: Vec<VariantId> = raw.iter().map(|l| l.variant_id).collect();
    let details: HashMap<VariantId, Detail> = sqlx::query_as::<_, Detail>(&format!(
        "WITH {}
         SELECT {}
         FROM product_variants v JOIN products p ON p.id = v.product_id
         JOIN sellers s ON s.id = p.seller_id
         WHERE v.id = ANY($1)",
        crate::inventory::service::DUE_HOLDS,
        detail_columns()
    ))
    .bind(&variants)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|d| (d.variant_id, d))
    .collect();
    Ok(assemble(raw, &details, shipping))
}

/// The lines with their variants, grouped by seller in the order first added.
fn assemble(
    raw: Vec<RawLine>,
    details: &HashMap<VariantId, Detail>,
    shipping: Shipping,
) -> CartView {
    let Shipping { fee, free_from } = shipping;

    let mut groups: Vec<SellerGroup> = Vec::new();
    let mut index: BTreeMap<SellerId, usize> = BTreeMap::new();
    for l in raw {
        // A variant deleted since it was added is gone from the cart too (ON DELETE CASCADE);
        // a guest's session may still name it.
        let Some(d) = details.get(&l.variant_id) else {
            continue;
        };
        let avail = d.available;
        let line = CartLine {
            id: l.id,
            variant_id: l.variant_id,
            product_id: d.product_id,
            product_slug: d.slug.clone(),
            product_name: d.product_name.clone(),
            variant_name: d.variant_name.clone(),
            options: serde_json::from_value(d.option_values.clone()).unwrap_or_default(),
            thumbnail_url: d.thumbnail_url.clone(),
            quantity: l.quantity,
            unit_price: d.price,
            added_price: l.added_price,
            available: avail,
            state: line_state(d.on_sale, avail, l.quantity),
        };
        let at = *index.entry(d.seller_id).or_insert_with(|| {
            groups.push(SellerGroup {
                seller_id: d.seller_id,
                seller_name: d.seller_name.clone(),
                lines: Vec::new(),
                subtotal: Decimal::ZERO,
                shipping_fee: Decimal::ZERO,
                free_shipping_gap: None,
            });
            groups.len() - 1
        });
        groups[at].lines.push(line);
    }
    let mut view = CartView::default();
    for g in &mut groups {
        g.subtotal = g
            .lines
            .iter()
            .filter(|l| l.state.can_checkout())
            .map(CartLine::total)
            .sum();
        (g.shipping_fee, g.free_shipping_gap) = shipping_for(g.subtotal, fee, free_from);
        view.line_count += g.lines.len();
        view.blocked_lines += g.lines.iter().filter(|l| !l.state.can_checkout()).count();
        view.subtotal += g.subtotal;
        view.shipping += g.shipping_fee;
    }
    view.total = view.subtotal + view.shipping;
    view.groups = groups;
    view
}

/// What a merge did to the guest's lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    pub lines: usize,
    /// Some quantity was cut to what can be sold, or a line was left out.
    pub trimmed: bool,
}

/// Merges a guest's lines into the account's cart at sign-in: the same variant's quantities
/// add up, capped by what can be sold (and `MAX_QUANTITY`); lines that cannot be sold, or do
/// not fit in a full cart, are left out.
pub async fn merge(db: &PgPool, user: UserId, guest: &[RawLine]) -> Result<Merged, CartError> {
    let mut merged = Merged::default();
    if guest.is_empty() {
        return Ok(merged);
    }
    let mut tx = db.begin().await?;
    touch(&mut tx, user).await?;
    for l in guest {
        let s = match sellable(db, l.variant_id).await {
            Ok(s) if s.on_sale && s.available > 0 => s,
            Ok(_) | Err(CartError::NotFound) => {
                merged.trimmed = true;
                continue;
            }
            Err(e) => return Err(e),
        };
        let cap = s.available.min(MAX_QUANTITY);
        let had: i32 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(quantity), 0) FROM cart_items WHERE user_id = $1 AND variant_id = $2",
        )
        .bind(user)
        .bind(l.variant_id)
        .fetch_one(&mut *tx)
        .await?;
        if had.saturating_add(l.quantity) > cap {
            merged.trimmed = true;
        }
        match upsert(&mut tx, user, &s, l.quantity, cap, true).await? {
            Some(_) => merged.lines += 1,
            None => merged.trimmed = true,
        }
    }
    tx.commit().await?;
    Ok(merged)
}

/// Drops carts untouched for 30 days (seed 000's TTL). Returns how many.
pub async fn expire_due(db: &PgPool) -> Result<u64, CartError> {
    Ok(sqlx::query("DELETE FROM carts WHERE expires_at <= now()")
        .execute(db)
        .await?
        .rows_affected())
}

#[cfg(test)]
#[path = "service_tests.rs"]
mod tests;
