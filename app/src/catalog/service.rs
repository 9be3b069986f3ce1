//! Catalog rules: the category tree, creating products with their variants and SKUs, the
//! review lifecycle, and the storefront queries.

use super::{
    CatalogError, CategoryNode, Crumb, Filter, HomeShelves, OptionView, Page, ProductCard,
    ProductDetail, Sort, VariantView,
};
use crate::identity::domain as idd;
use crate::inventory::service as inventory;
use crate::platform::error::FieldError;
use crate::platform::i18n::Msg;
use crate::platform::outbox::{self, NewEvent};
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

pub const MAX_OPTIONS: usize = 3;
pub const MAX_VARIANTS: usize = 100;
pub const PAGE_SIZE: i64 = 24;

// ---------------------------------------------------------------- categories ----

#[derive(sqlx::FromRow)]
struct CategoryRow {
    id: Uuid,
    parent_id: Option<Uuid>,
    name: String,
    name_en: String,
    slug: String,
    level: i32,
}

/// The active tree, ordered by display order then name.
pub async fn category_tree(db: &PgPool) -> Result<Vec<CategoryNode>, CatalogError> {
    let rows: Vec<CategoryRow> = sqlx::query_as(
        "SELECT id, parent_id, name, name_en, slug, level FROM categories
         WHERE is_active ORDER BY level, display_order, name",
    )
    .fetch_all(db)
    .await?;
    let mut children: HashMap<Option<Uuid>, Vec<&CategoryRow>> = HashMap::new();
    for r in &rows {
        children.entry(r.parent_id).or_default().push(r);
    }
    fn build(
        parent: Option<Uuid>,
        children: &HashMap<Option<Uuid>, Vec<&CategoryRow>>,
    ) -> Vec<CategoryNode> {
        children
            .get(&parent)
            .map(|list| {
                list.iter()
                    .map(|r| CategoryNode {
                        id: r.id,
                        name: r.name.clone(),
                        name_en: r.name_en.clone(),
                        slug: r.slug.clone(),
                        level: r.level,
                        children: build(Some(r.id), children),
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    Ok(build(None, &children))
}

pub async fn create_category(
    conn: &mut PgConnection,
    parent: Option<Uuid>,
    name: &str,
    name_en: &str,
    slug: &str,
    display_order: i32,
) -> Result<Uuid, CatalogError> {
    let level: i32 = match parent {
        None => 1,
        Some(p) => {
            let l: Option<i32> = sqlx::query_scalar("SELECT level FROM categories WHERE id = $1")
                .bind(p)
                .fetch_optional(&mut *conn)
                .await?;
            l.ok_or(CatalogError::NotFound)? + 1
        }
    };
    if level > 3 {
        return Err(FieldError::new("parent_id", Msg::ErrCategoryDepth).into());
    }
    let id: Uuid = sqlx::query_scalar(
        "INSERT INTO categories (parent_id, name, name_en, slug, level, display_order)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en
         RETURNING id",
    )
    .bind(parent)
    .bind(name)
    .bind(name_en)
    .bind(slug)
    .bind(level)
    .bind(display_order)
    .fetch_one(&mut *conn)
    .await?;
    category_event(conn, id).await?;
    Ok(id)
}

/// Tells caches that the tree changed.
async fn category_event(conn: &mut PgConnection, id: Uuid) -> Result<(), sqlx::Error> {
    outbox::enqueue(
        conn,
        NewEvent {
            event_type: "category.updated",
            aggregate_type: "category",
            aggregate_id: id.to_string(),
            payload: json!({ "categoryId": id }),
        },
    )
    .await
    .map(|_| ())
}

/// Every category, active or not, in tree order (level, display order): for the admin console.
pub async fn all_categories(db: &PgPool) -> Result<Vec<super::CategoryAdminRow>, CatalogError> {
    Ok(sqlx::query_as(
        "WITH RECURSIVE t AS (
             SELECT id, parent_id, name, name_en, slug, level, display_order, is_active,
                    ARRAY[display_order, 0] AS path, name::text AS sort_name
             FROM categories WHERE parent_id IS NULL
             UNION ALL
             SELECT c.id, c.parent_id, c.name, c.name_en, c.slug, c.level, c.display_order, c.is_active,
                    t.path || ARRAY[c.display_order, 0], t.sort_name || '/' || c.name
             FROM categories c JOIN t ON c.parent_id = t.id)
         SELECT id, parent_id, name, name_en, slug, level, display_order, is_active FROM t ORDER BY path, sort_name",
    )
    .fetch_all(db)
    .await?)
}

/// Renames, reorders or (de)activates a category. Deactivating hides its whole subtree from
/// the storefront tree (children of an inactive category are not reachable).
pub async fn update_category(
    db: &PgPool,
    id: Uuid,
    name: &str,
    name_en: &str,
    display_order: i32,
    is_active: bool,
) -> Result<(), CatalogError> {
    let name = idd::required_text("name", name, 100)?;
    let name_en = idd::required_text("name_en", name_en, 100)?;
    let mut tx = db.begin().await?;
    let n = sqlx::query(
        "UPDATE categories SET name = $2, name_en = $3, display_order = $4, is_active = $5 WHERE id = $1",
    )
    .bind(id)
    .bind(&name)
    .bind(&name_en)
    .bind(display_order)
    .bind(is_active)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
        return Err(CatalogError::NotFound);
    }
    category_event(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// A slug: lower-case ASCII letters, digits and dashes.
pub fn parse_slug(raw: &str) -> Result<String, FieldError> {
    let slug = raw.trim().to_lowercase();
    let ok = !slug.is_empty()
        && slug.len() <= 100
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(slug)
    } else {
        Err(FieldError::new("slug", Msg::ErrSlug))
    }
}

/// The path from the root to `slug` in an (active) tree, as breadcrumbs.
pub fn path_to(tree: &[CategoryNode], slug: &str) -> Option<Vec<Crumb>> {
    for node in tree {
        let crumb = || Crumb {
            name: node.name.clone(),
            name_en: node.name_en.clone(),
            slug: node.slug.clone(),
        };
        if node.slug == slug {
            return Some(vec![crumb()]);
        }
        if let Some(mut rest) = path_to(&node.children, slug) {
            rest.insert(0, crumb());
            return Some(rest);
        }
    }
    None
}

/// From the root down to the category with this slug.
pub async fn breadcrumbs(db: &PgPool, slug: &str) -> Result<Vec<Crumb>, CatalogError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "WITH RECURSIVE up AS (
             SELECT id, parent_id, name, name_en, slug, level FROM categories WHERE slug = $1
             UNION ALL
             SELECT c.id, c.parent_id, c.name, c.name_en, c.slug, c.level FROM categories c JOIN up ON c.id = up.parent_id)
         SELECT name, name_en, slug FROM up ORDER BY level",
    )
    .bind(slug)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, name_en, slug)| Crumb {
            name,
            name_en,
            slug,
        })
        .collect())
}

/// Leaf categories with their full path, for the seller's product form.
pub async fn leaf_categories(db: &PgPool) -> Result<Vec<(Uuid, String)>, CatalogError> {
    Ok(sqlx::query_as(
        "SELECT c.id, concat_ws(' > ', g.name, p.name, c.name) FROM categories c
         LEFT JOIN categories p ON p.id = c.parent_id
         LEFT JOIN categories g ON g.id = p.parent_id
         WHERE c.is_active AND NOT EXISTS (SELECT 1 FROM categories k WHERE k.parent_id = c.id)
         ORDER BY 2",
    )
    .fetch_all(db)
    .await?)
}

// ------------------------------------------------------------------ products ----

pub struct ProductInput {
    pub name: String,
    pub description: String,
    pub price: String,
    pub original_price: Option<String>,
    pub category_id: Option<Uuid>,
    /// (option name, its values). Empty: a single default variant.
    pub options: Vec<(String, Vec<String>)>,
    /// Stock received for every variant at creation.
    pub initial_stock: i32,
}

fn parse_money(field: &str, raw: &str) -> Result<Decimal, FieldError> {
    let cleaned: String = raw
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '₩'))
        .collect();
    if cleaned.is_empty() {
        return Err(FieldError::new(field, Msg::ErrRequired));
    }
    match cleaned.parse::<Decimal>() {
        Ok(d) if d >= Decimal::ZERO && d < Decimal::new(1_000_000_000_000, 0) => Ok(d.round_dp(2)),
        _ => Err(FieldError::new(field, Msg::ErrPrice)),
    }
}

/// Splits "빨강, 파랑" into trimmed, distinct values.
pub fn split_values(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in raw.split(',').map(str::trim).filter(|v| !v.is_empty()) {
        if !out.iter().any(|o| o == v) {
            out.push(v.chars().take(50).collect());
        }
    }
    out
}

struct ValidProduct {
    name: String,
    description: String,
    price: Decimal,
    original_price: Option<Decimal>,
    discount_rate: Decimal,
    category_id: Uuid,
    options: Vec<(String, Vec<String>)>,
}

fn validate(input: &ProductInput) -> Result<ValidProduct, CatalogError> {
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
fn combinations(options: &[(String, Vec<String>)]) -> Vec<BTreeMap<String, String>> {
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
fn slug_for(name: &str, id: Uuid) -> String {
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

async fn product_event(conn: &mut PgConnection, kind: &str, id: Uuid) -> Result<(), sqlx::Error> {
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

/// Creates a draft product with one variant (and SKU) per combination of option values.
pub async fn create_product(
    db: &PgPool,
    seller_id: Uuid,
    actor: Option<Uuid>,
    input: ProductInput,
) -> Result<Uuid, CatalogError> {
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
    let id = Uuid::new_v4();
    sqlx::query(
        "INSERT INTO products (id, seller_id, name, slug, description, price, original_price, discount_rate)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(seller_id)
    .bind(&v.name)
    .bind(slug_for(&v.name, id))
    .bind(&v.description)
    .bind(v.price)
    .bind(v.original_price)
    .bind(v.discount_rate)
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
    let short = &id.simple().to_string()[..8];
    for (pos, combo) in combinations(&v.options).into_iter().enumerate() {
        // In the seller's option order ("빨강 / L"), not the map's key order.
        let label = v
            .options
            .iter()
            .filter_map(|(name, _)| combo.get(name).cloned())
            .collect::<Vec<_>>()
            .join(" / ");
        let variant: Uuid = sqlx::query_scalar(
            "INSERT INTO product_variants (product_id, name, option_values, position) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(id)
        .bind(&label)
        .bind(json!(combo))
        .bind(pos as i32)
        .fetch_one(&mut *tx)
        .await?;
        let sku_name = if label.is_empty() {
            v.name.clone()
        } else {
            format!("{} ({label})", v.name)
        };
        let sku = inventory::create_sku(
            &mut tx,
            seller_id,
            &format!("{}-{:03}", short.to_uppercase(), pos + 1),
            &sku_name,
        )
        .await?;
        sqlx::query("INSERT INTO sku_mappings (variant_id, sku_id, quantity) VALUES ($1, $2, 1)")
            .bind(variant)
            .bind(sku)
            .execute(&mut *tx)
            .await?;
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

async fn transition(
    db: &PgPool,
    id: Uuid,
    seller: Option<Uuid>,
    from: &[&str],
    to: &str,
    reason: Option<&str>,
) -> Result<(), CatalogError> {
    let mut tx = db.begin().await?;
    let from: Vec<String> = from.iter().map(|s| (*s).to_owned()).collect();
    let n = sqlx::query(
        "UPDATE products SET status = $3, status_reason = $4
         WHERE id = $1 AND ($2::uuid IS NULL OR seller_id = $2) AND status = ANY($5) AND deleted_at IS NULL",
    )
    .bind(id)
    .bind(seller)
    .bind(to)
    .bind(reason)
    .bind(&from)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if n == 0 {
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
    }
    product_event(&mut tx, "product.updated", id).await?;
    tx.commit().await?;
    Ok(())
}

/// The seller asks for review.
pub async fn submit(db: &PgPool, seller: Uuid, id: Uuid) -> Result<(), CatalogError> {
    transition(
        db,
        id,
        Some(seller),
        &["draft", "rejected"],
        "pending",
        None,
    )
    .await
}

/// An admin approves (the product goes on sale) or rejects with a reason.
pub async fn review(
    db: &PgPool,
    id: Uuid,
    approve: bool,
    reason: Option<&str>,
) -> Result<(), CatalogError> {
    if approve {
        transition(db, id, None, &["pending"], "active", None).await
    } else {
        let reason = idd::required_text("reason", reason.unwrap_or_default(), 1000)?;
        transition(db, id, None, &["pending"], "rejected", Some(&reason)).await
    }
}

/// The seller takes a product off sale or puts it back.
pub async fn set_on_sale(
    db: &PgPool,
    seller: Uuid,
    id: Uuid,
    on_sale: bool,
) -> Result<(), CatalogError> {
    if on_sale {
        transition(
            db,
            id,
            Some(seller),
            &["inactive", "approved"],
            "active",
            None,
        )
        .await
    } else {
        transition(
            db,
            id,
            Some(seller),
            &["active", "approved"],
            "inactive",
            None,
        )
        .await
    }
}

const CARD_COLUMNS: &str = "p.id, p.slug, p.name, p.price, p.original_price, p.discount_rate,
    s.business_name AS seller_name, p.rating_avg, p.review_count, p.status, p.created_at";

#[derive(sqlx::FromRow)]
struct CardRow {
    id: Uuid,
    slug: String,
    name: String,
    price: Decimal,
    original_price: Option<Decimal>,
    discount_rate: Decimal,
    seller_name: String,
    rating_avg: Decimal,
    review_count: i32,
    status: String,
    created_at: chrono::DateTime<chrono::Utc>,
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
        }
    }
}

pub async fn seller_products(db: &PgPool, seller: Uuid) -> Result<Vec<ProductCard>, CatalogError> {
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

/// Who is looking at a product page: the public sees products on sale; the owner and admins
/// also see drafts and products under review.
#[derive(Clone, Copy, Debug)]
pub enum Viewer {
    Public,
    Seller(Uuid),
    Admin,
}

/// A product as stored, before the viewer check and without live stock (cacheable).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct ProductBase {
    pub seller_id: Uuid,
    pub detail: ProductDetail,
}

pub async fn product_base(db: &PgPool, slug: &str) -> Result<ProductBase, CatalogError> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        card: CardRow,
        seller_id: Uuid,
        description: String,
        product_type: String,
        status_reason: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {CARD_COLUMNS}, p.seller_id, p.description, p.product_type, p.status_reason
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
    let options: Vec<(String, serde_json::Value)> = sqlx::query_as(
        "SELECT name, option_values FROM product_options WHERE product_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let variants: Vec<(Uuid, String, serde_json::Value, Decimal)> = sqlx::query_as(
        "SELECT id, name, option_values, price_adjustment FROM product_variants
         WHERE product_id = $1 AND is_active ORDER BY position",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    let ids: Vec<Uuid> = variants.iter().map(|v| v.0).collect();
    let contents: Vec<(Uuid, String, i32)> = sqlx::query_as(
        "SELECT m.variant_id, k.name, m.quantity FROM sku_mappings m JOIN skus k ON k.id = m.sku_id
         WHERE m.variant_id = ANY($1) ORDER BY k.name",
    )
    .bind(&ids)
    .fetch_all(db)
    .await?;
    let is_bundle = row.product_type == "BUNDLE";
    let price = row.card.price;
    Ok(ProductBase {
        seller_id: row.seller_id,
        detail: ProductDetail {
            description: row.description,
            product_type: row.product_type,
            status_reason: row.status_reason,
            breadcrumbs: crumbs,
            options: options
                .into_iter()
                .map(|(name, values)| OptionView {
                    name,
                    values: serde_json::from_value(values).unwrap_or_default(),
                })
                .collect(),
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
            card: row.card.into(),
        },
    })
}

fn visible(base: &ProductBase, viewer: Viewer) -> bool {
    match viewer {
        Viewer::Admin => true,
        Viewer::Seller(s) if s == base.seller_id => true,
        _ => base.detail.card.status == "active",
    }
}

fn with_availability(mut detail: ProductDetail, available: &[(Uuid, i32)]) -> ProductDetail {
    let map: HashMap<Uuid, i32> = available.iter().copied().collect();
    for v in &mut detail.variants {
        v.available = map.get(&v.id).copied().unwrap_or(0);
    }
    detail
}

async fn count_view(db: &PgPool, id: Uuid) -> Result<(), CatalogError> {
    sqlx::query("UPDATE products SET view_count = view_count + 1 WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
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
    let ids: Vec<Uuid> = base.detail.variants.iter().map(|v| v.id).collect();
    let available = inventory::variant_availability(db, &ids).await?;
    if matches!(viewer, Viewer::Public) {
        count_view(db, base.detail.card.id).await?;
    }
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
    let ids: Vec<Uuid> = base.detail.variants.iter().map(|v| v.id).collect();
    let available: Vec<(Uuid, i32)> = cache::get_or_load(
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
    if matches!(viewer, Viewer::Public) {
        count_view(db, id).await?;
    }
    Ok(with_availability(base.detail, &available))
}

pub async fn category_tree_cached(
    db: &PgPool,
    redis: &crate::platform::redis::Redis,
) -> Result<Vec<CategoryNode>, CatalogError> {
    use crate::platform::cache;
    cache::get_or_load(
        redis,
        cache::category_tree_key(),
        cache::CATEGORY_TTL,
        || category_tree(db),
    )
    .await
}

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
                keys.push(cache::availability_key(id));
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
        let products: Vec<Uuid> = sqlx::query_scalar(
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

// ------------------------------------------------------------------ storefront ----

fn sort_sql(sort: Sort) -> (&'static str, &'static str, &'static str) {
    // (sort expression, direction, cast for the cursor value)
    match sort {
        Sort::Newest => ("p.created_at", "DESC", "timestamptz"),
        Sort::PriceAsc => ("p.price", "ASC", "numeric"),
        Sort::PriceDesc => ("p.price", "DESC", "numeric"),
        Sort::Rating => ("p.rating_avg", "DESC", "numeric"),
        Sort::Popular => ("p.purchase_count", "DESC", "bigint"),
    }
}

/// Products on sale, filtered, sorted, one page at a time (keyset pagination: the cursor is
/// the last row's sort value and id, so pages stay stable while products are added).
pub async fn store_listing(
    db: &PgPool,
    f: &Filter,
    limit: i64,
) -> Result<Page<ProductCard>, CatalogError> {
    let (expr, dir, cast) = sort_sql(f.sort);
    let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(format!(
        "SELECT {CARD_COLUMNS}, ({expr})::text AS sort_value FROM products p JOIN sellers s ON s.id = p.seller_id
         WHERE p.status = 'active' AND p.deleted_at IS NULL"
    ));
    if let Some(slug) = f.category.as_deref().filter(|s| !s.is_empty()) {
        qb.push(
            " AND EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = p.id AND pc.category_id IN (
                WITH RECURSIVE sub AS (SELECT id FROM categories WHERE slug = ",
        );
        qb.push_bind(slug.to_owned());
        qb.push(" UNION ALL SELECT c.id FROM categories c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub))");
    }
    // Every word must appear in the name (any case). ILIKE '%…%' is served by the trigram
    // index, and works the same for Korean and English.
    for word in
        f.q.as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .take(8)
    {
        let pattern = format!(
            "%{}%",
            word.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        qb.push(" AND p.name ILIKE ");
        qb.push_bind(pattern);
    }
    if let Some(min) = f.min_price {
        qb.push(" AND p.price >= ");
        qb.push_bind(min);
    }
    if let Some(max) = f.max_price {
        qb.push(" AND p.price <= ");
        qb.push_bind(max);
    }
    if let Some((name, value)) = f.option.as_deref().and_then(|o| o.split_once(':')) {
        qb.push(" AND EXISTS (SELECT 1 FROM product_variants v WHERE v.product_id = p.id AND v.is_active AND v.option_values @> ");
        qb.push_bind(json!({ name.trim(): value.trim() }));
        qb.push(")");
    }
    if let Some((value, id)) = f.cursor.as_deref().and_then(|c| c.rsplit_once('~')) {
        if let Ok(id) = id.parse::<Uuid>() {
            let op = if dir == "DESC" { "<" } else { ">" };
            qb.push(format!(" AND ({expr}, p.id) {op} (CAST("));
            qb.push_bind(value.to_owned());
            qb.push(format!(" AS {cast}), "));
            qb.push_bind(id);
            qb.push(")");
        }
    }
    qb.push(format!(" ORDER BY {expr} {dir}, p.id {dir} LIMIT "));
    qb.push_bind(limit + 1);

    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        card: CardRow,
        sort_value: String,
    }
    let mut rows: Vec<Row> = qb.build_query_as().fetch_all(db).await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| format!("{}~{}", r.sort_value, r.card.id))
    } else {
        None
    };
    Ok(Page {
        items: rows.into_iter().map(|r| r.card.into()).collect(),
        next,
    })
}

// ------------------------------------------------------------- home and stats ----

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

/// Cards for a shelf: `sql_tail` is the rest of the query after the product/seller join; it
/// may use `$1` (the limit) and `$2` (a user id).
async fn cards(
    db: &PgPool,
    sql_tail: &str,
    limit: i64,
    user: Option<Uuid>,
) -> Result<Vec<ProductCard>, CatalogError> {
    let sql = format!(
        "SELECT {CARD_COLUMNS} FROM products p JOIN sellers s ON s.id = p.seller_id {sql_tail}"
    );
    let mut q = sqlx::query_as::<_, CardRow>(&sql).bind(limit);
    if let Some(u) = user {
        q = q.bind(u);
    }
    Ok(q.fetch_all(db).await?.into_iter().map(Into::into).collect())
}

/// The home page: featured, popular (3-day sales; by purchase count until anything sold),
/// new arrivals, and the signed-in shopper's recently viewed products.
pub async fn home(db: &PgPool, user: Option<Uuid>) -> Result<HomeShelves, CatalogError> {
    const ON_SALE: &str = "p.status = 'active' AND p.deleted_at IS NULL";
    let featured = cards(
        db,
        &format!("WHERE {ON_SALE} AND p.is_featured ORDER BY p.created_at DESC, p.id LIMIT $1"),
        8,
        None,
    )
    .await?;
    let mut popular = cards(
        db,
        &format!("JOIN popular_product_stats ps ON ps.product_id = p.id WHERE {ON_SALE} ORDER BY ps.sales_count DESC, p.id LIMIT $1"),
        8,
        None,
    )
    .await?;
    if popular.is_empty() {
        popular = cards(
            db,
            &format!("WHERE {ON_SALE} ORDER BY p.purchase_count DESC, p.id LIMIT $1"),
            8,
            None,
        )
        .await?;
    }
    let newest = cards(
        db,
        &format!("WHERE {ON_SALE} ORDER BY p.created_at DESC, p.id DESC LIMIT $1"),
        8,
        None,
    )
    .await?;
    let recently_viewed = match user {
        Some(u) => {
            cards(
                db,
                &format!("JOIN product_views pv ON pv.product_id = p.id AND pv.user_id = $2 WHERE {ON_SALE} ORDER BY pv.viewed_at DESC LIMIT $1"),
                8,
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
    user: Uuid,
    product: Uuid,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::testing::seller;

    async fn tree(db: &PgPool) -> (Uuid, Uuid) {
        let mut conn = db.acquire().await.unwrap();
        let root = create_category(&mut conn, None, "패션", "Fashion", "fashion", 1)
            .await
            .unwrap();
        let mid = create_category(&mut conn, Some(root), "여성의류", "Women", "women", 1)
            .await
            .unwrap();
        let leaf = create_category(
            &mut conn,
            Some(mid),
            "티셔츠",
            "T-shirts",
            "women-tshirts",
            1,
        )
        .await
        .unwrap();
        let other = create_category(&mut conn, None, "식품", "Food", "food", 2)
            .await
            .unwrap();
        assert!(matches!(
            create_category(
                &mut conn,
                Some(leaf),
                "너무 깊음",
                "Too deep",
                "too-deep",
                1
            )
            .await,
            Err(CatalogError::Invalid(_))
        ));
        (leaf, other)
    }

    fn input(name: &str, price: &str, category: Uuid) -> ProductInput {
        ProductInput {
            name: name.into(),
            description: "부드러운 면 티셔츠".into(),
            price: price.into(),
            original_price: None,
            category_id: Some(category),
            options: vec![
                ("색상".into(), split_values("빨강, 파랑")),
                ("사이즈".into(), split_values("S, M, L")),
            ],
            initial_stock: 5,
        }
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn a_product_gets_one_variant_and_sku_per_combination(db: PgPool) {
        let (leaf, _) = tree(&db).await;
        let s = seller(&db).await;
        let id = create_product(
            &db,
            s,
            None,
            input("오버핏 티셔츠 Overfit Tee", "19,900", leaf),
        )
        .await
        .unwrap();
        let slug: String = sqlx::query_scalar("SELECT slug FROM products WHERE id = $1")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
        assert!(slug.starts_with("overfit-tee-"), "{slug}");
        let d = product_detail(&db, &slug, Viewer::Seller(s)).await.unwrap();
        assert_eq!(d.card.status, "draft");
        assert_eq!(d.variants.len(), 6);
        assert!(d
            .variants
            .iter()
            .all(|v| v.available == 5 && v.price == Decimal::new(19900, 0)));
        assert_eq!(d.options[0].values, vec!["빨강", "파랑"]);
        assert_eq!(
            d.breadcrumbs
                .iter()
                .map(|c| c.slug.as_str())
                .collect::<Vec<_>>(),
            vec!["fashion", "women", "women-tshirts"]
        );
        // Not public until approved.
        assert!(matches!(
            product_detail(&db, &slug, Viewer::Public).await,
            Err(CatalogError::NotFound)
        ));
        assert!(matches!(
            product_detail(&db, &slug, Viewer::Seller(seller(&db).await)).await,
            Err(CatalogError::NotFound)
        ));
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn review_lifecycle_and_who_may_move_it(db: PgPool) {
        let (leaf, _) = tree(&db).await;
        let owner = seller(&db).await;
        let stranger = seller(&db).await;
        let id = create_product(&db, owner, None, input("셔츠", "10000", leaf))
            .await
            .unwrap();
        assert!(
            matches!(
                review(&db, id, true, None).await,
                Err(CatalogError::WrongState)
            ),
            "drafts are not reviewed"
        );
        assert!(matches!(
            submit(&db, stranger, id).await,
            Err(CatalogError::NotFound)
        ));
        submit(&db, owner, id).await.unwrap();
        assert!(matches!(
            review(&db, id, false, Some(" ")).await,
            Err(CatalogError::Invalid(_))
        ));
        review(&db, id, false, Some("사진이 필요합니다"))
            .await
            .unwrap();
        submit(&db, owner, id).await.unwrap();
        review(&db, id, true, None).await.unwrap();
        assert!(matches!(
            set_on_sale(&db, stranger, id, false).await,
            Err(CatalogError::NotFound)
        ));
        set_on_sale(&db, owner, id, false).await.unwrap();
        assert!(store_listing(&db, &Filter::default(), 10)
            .await
            .unwrap()
            .items
            .is_empty());
        set_on_sale(&db, owner, id, true).await.unwrap();
        assert_eq!(
            store_listing(&db, &Filter::default(), 10)
                .await
                .unwrap()
                .items
                .len(),
            1
        );
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn storefront_search_filters_sorting_and_cursor_pages(db: PgPool) {
        let (leaf, food) = tree(&db).await;
        let s = seller(&db).await;
        let mut ids = Vec::new();
        for i in 0..7 {
            let mut inp = input(
                &format!("린넨 셔츠 Linen Shirt {i}"),
                &format!("{}", 10000 + i * 1000),
                leaf,
            );
            if i == 3 {
                inp.options = vec![("색상".into(), vec!["초록".into()])];
            }
            ids.push(create_product(&db, s, None, inp).await.unwrap());
        }
        let mut apple = input("사과 Apple", "5000", food);
        apple.options.clear();
        ids.push(create_product(&db, s, None, apple).await.unwrap());
        for id in &ids {
            submit(&db, s, *id).await.unwrap();
            review(&db, *id, true, None).await.unwrap();
        }
        let f = |q: Option<&str>, cat: Option<&str>| Filter {
            q: q.map(Into::into),
            category: cat.map(Into::into),
            ..Filter::default()
        };
        async fn count(db: &PgPool, f: &Filter) -> usize {
            store_listing(db, f, 50).await.unwrap().items.len()
        }
        // Korean and English search.
        assert_eq!(count(&db, &f(Some("셔츠"), None)).await, 7);
        assert_eq!(count(&db, &f(Some("linen"), None)).await, 7);
        assert_eq!(count(&db, &f(Some("사과"), None)).await, 1);
        // A top-level category includes its descendants.
        assert_eq!(count(&db, &f(None, Some("fashion"))).await, 7);
        assert_eq!(count(&db, &f(None, Some("food"))).await, 1);
        // Price range and option value.
        let ranged = Filter {
            min_price: Some(Decimal::from(12000)),
            max_price: Some(Decimal::from(14000)),
            ..Filter::default()
        };
        assert_eq!(count(&db, &ranged).await, 3);
        let green = Filter {
            option: Some("색상:초록".into()),
            ..Filter::default()
        };
        assert_eq!(count(&db, &green).await, 1);
        // Price ascending, three per page, walked with the cursor: every product once, in order.
        let mut seen = Vec::new();
        let mut filter = Filter {
            sort: Sort::PriceAsc,
            ..Filter::default()
        };
        loop {
            let page = store_listing(&db, &filter, 3).await.unwrap();
            seen.extend(page.items.iter().map(|c| c.price));
            match page.next {
                Some(next) => filter.cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen.len(), 8);
        assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
        // Newest first by default, also across pages.
        let first = store_listing(&db, &Filter::default(), 4).await.unwrap();
        let second = store_listing(
            &db,
            &Filter {
                cursor: first.next.clone(),
                ..Filter::default()
            },
            4,
        )
        .await
        .unwrap();
        let all: Vec<_> = first
            .items
            .iter()
            .chain(&second.items)
            .map(|c| c.id)
            .collect();
        let mut dedup = all.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(dedup.len(), 8);
        assert!(second.next.is_none());
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn bad_product_input_is_named(db: PgPool) {
        let (leaf, _) = tree(&db).await;
        let s = seller(&db).await;
        let mut bad = input(" ", "abc", leaf);
        bad.original_price = Some("100".into());
        bad.options = vec![("색상".into(), vec![]), ("".into(), vec!["x".into()])];
        let Err(CatalogError::Invalid(f)) = create_product(&db, s, None, bad).await else {
            panic!()
        };
        let names: Vec<_> = f.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            names,
            vec!["name", "price", "option1_values", "option2_name"]
        );
        let mut cheap = input("셔츠", "10000", leaf);
        cheap.original_price = Some("9000".into());
        let Err(CatalogError::Invalid(f)) = create_product(&db, s, None, cheap).await else {
            panic!()
        };
        assert_eq!(f[0].msg, Msg::ErrOriginalPrice);
        let count: i64 = sqlx::query_scalar("SELECT count(*) FROM products")
            .fetch_one(&db)
            .await
            .unwrap();
        assert_eq!(count, 0);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn popular_counts_recent_sales_and_views_are_per_user(db: PgPool) {
        use crate::inventory::{service as inv, Item};
        let (leaf, _) = tree(&db).await;
        let s = seller(&db).await;
        let mut a_in = input("인기 셔츠", "10000", leaf);
        a_in.options.clear();
        let a = create_product(&db, s, None, a_in).await.unwrap();
        let mut b_in = input("보통 셔츠", "10000", leaf);
        b_in.options.clear();
        let b = create_product(&db, s, None, b_in).await.unwrap();
        for id in [a, b] {
            submit(&db, s, id).await.unwrap();
            review(&db, id, true, None).await.unwrap();
        }
        let variant_of = |p: Uuid| {
            let db = db.clone();
            async move {
                sqlx::query_scalar::<_, Uuid>(
                    "SELECT id FROM product_variants WHERE product_id = $1",
                )
                .bind(p)
                .fetch_one(&db)
                .await
                .unwrap()
            }
        };
        let (va, vb) = (variant_of(a).await, variant_of(b).await);
        for (v, q) in [(va, 3), (vb, 1)] {
            let r = inv::reserve(
                &db,
                "order",
                &[(Item::Variant(v), q)],
                inv::DEFAULT_TTL,
                None,
            )
            .await
            .unwrap();
            inv::commit(&db, r.id, None).await.unwrap();
        }
        // A released reservation is not a sale.
        let r = inv::reserve(
            &db,
            "order",
            &[(Item::Variant(vb), 4)],
            inv::DEFAULT_TTL,
            None,
        )
        .await
        .unwrap();
        inv::release(&db, r.id, None).await.unwrap();
        assert_eq!(refresh_popular(&db).await.unwrap(), 2);
        let shelves = home(&db, None).await.unwrap();
        assert_eq!(
            shelves.popular.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![a, b]
        );
        assert_eq!(shelves.newest.len(), 2);
        assert!(shelves.recently_viewed.is_empty());

        let shopper = crate::identity::service::signup(
            &db,
            crate::identity::service::SignupInput {
                email: "view@example.com".into(),
                password: "spring market 2026".into(),
                name: "뷰어".into(),
                phone: None,
            },
        )
        .await
        .unwrap()
        .id;
        record_view(&db, shopper, b, "search").await.unwrap();
        record_view(&db, shopper, a, "direct").await.unwrap();
        record_view(&db, shopper, b, "category").await.unwrap();
        let mine = home(&db, Some(shopper)).await.unwrap().recently_viewed;
        assert_eq!(
            mine.iter().map(|c| c.id).collect::<Vec<_>>(),
            vec![b, a],
            "latest first, no duplicates"
        );
        assert!(home(&db, None).await.unwrap().recently_viewed.is_empty());
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn cached_pages_follow_changes_through_events(db: PgPool) {
        use crate::inventory::service as inv;
        use crate::platform::outbox::{relay_once, Consumer};
        let redis = crate::platform::testing::test_redis().await;
        let (leaf, _) = tree(&db).await;
        let s = seller(&db).await;
        let mut inp = input("캐시 셔츠", "10000", leaf);
        inp.options.clear();
        let id = create_product(&db, s, None, inp).await.unwrap();
        submit(&db, s, id).await.unwrap();
        review(&db, id, true, None).await.unwrap();
        // Events so far are history; the invalidator starts reading from here.
        relay_once(&db, &redis, 1000).await.unwrap();
        let consumer = Consumer::join(&redis, "cache", "t").await.unwrap();
        async fn drain(db: &PgPool, redis: &crate::platform::redis::Redis, consumer: &Consumer) {
            relay_once(db, redis, 1000).await.unwrap();
            for e in consumer.poll(100, 300).await.unwrap() {
                crate::platform::cache::invalidate(redis, &stale_keys(db, &e).await.unwrap()).await;
                consumer.ack(&e.stream_id).await.unwrap();
            }
        }
        let slug: String = sqlx::query_scalar("SELECT slug FROM products WHERE id = $1")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
        let first = product_detail_cached(&db, &redis, &slug, Viewer::Public)
            .await
            .unwrap();
        assert_eq!(first.variants[0].available, 5);
        // Changes that emit no event are not seen until the TTL...
        sqlx::query("UPDATE products SET name = '바뀐 이름' WHERE id = $1")
            .bind(id)
            .execute(&db)
            .await
            .unwrap();
        let stale = product_detail_cached(&db, &redis, &slug, Viewer::Public)
            .await
            .unwrap();
        assert_eq!(stale.card.name, "캐시 셔츠");
        // ...while changes through the services are, as soon as their events are processed.
        let sku: Uuid = sqlx::query_scalar(
            "SELECT m.sku_id FROM sku_mappings m JOIN product_variants v ON v.id = m.variant_id WHERE v.product_id = $1",
        )
        .bind(id)
        .fetch_one(&db)
        .await
        .unwrap();
        inv::receive(&db, sku, 10, None, None).await.unwrap();
        set_on_sale(&db, s, id, false).await.unwrap();
        set_on_sale(&db, s, id, true).await.unwrap();
        drain(&db, &redis, &consumer).await;
        let fresh = product_detail_cached(&db, &redis, &slug, Viewer::Public)
            .await
            .unwrap();
        assert_eq!(
            (fresh.card.name.as_str(), fresh.variants[0].available),
            ("바뀐 이름", 15)
        );
        // The category tree too.
        assert_eq!(category_tree_cached(&db, &redis).await.unwrap().len(), 2);
        let mut conn = db.acquire().await.unwrap();
        create_category(&mut conn, None, "도서", "Books", "books", 3)
            .await
            .unwrap();
        drop(conn);
        assert_eq!(
            category_tree_cached(&db, &redis).await.unwrap().len(),
            2,
            "still cached"
        );
        drain(&db, &redis, &consumer).await;
        assert_eq!(category_tree_cached(&db, &redis).await.unwrap().len(), 3);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn breadcrumbs_from_the_tree_match_the_database(db: PgPool) {
        tree(&db).await;
        let from_db = breadcrumbs(&db, "women-tshirts").await.unwrap();
        let from_tree = path_to(&category_tree(&db).await.unwrap(), "women-tshirts").unwrap();
        assert_eq!(from_tree, from_db);
        assert_eq!(
            from_tree
                .iter()
                .map(|c| c.slug.as_str())
                .collect::<Vec<_>>(),
            vec!["fashion", "women", "women-tshirts"]
        );
        assert_eq!(path_to(&category_tree(&db).await.unwrap(), "nope"), None);
    }

    #[sqlx::test(migrations = "../migrations")]
    async fn admins_rename_reorder_and_hide_categories(db: PgPool) {
        let (leaf, food) = tree(&db).await;
        let rows = all_categories(&db).await.unwrap();
        assert_eq!(
            rows.iter().map(|r| r.slug.as_str()).collect::<Vec<_>>(),
            vec!["fashion", "women", "women-tshirts", "food"]
        );
        update_category(&db, food, "신선식품", "Fresh food", 0, true)
            .await
            .unwrap();
        let rows = all_categories(&db).await.unwrap();
        assert_eq!(rows[0].slug, "food", "display order moves it first");
        assert_eq!(rows[0].name, "신선식품");
        update_category(&db, leaf, "티셔츠", "T-shirts", 1, false)
            .await
            .unwrap();
        let tree = category_tree(&db).await.unwrap();
        assert!(
            path_to(&tree, "women-tshirts").is_none(),
            "inactive categories leave the storefront"
        );
        assert_eq!(
            all_categories(&db).await.unwrap().len(),
            4,
            "but stay in the console"
        );
        assert!(matches!(
            update_category(&db, leaf, " ", "x", 0, true).await,
            Err(CatalogError::Invalid(_))
        ));
        assert!(parse_slug("new-arrivals-2026").is_ok());
        for bad in ["", "Has Space", "-x", "x-", "한글"] {
            assert!(parse_slug(bad).is_err(), "{bad}");
        }
    }
}
