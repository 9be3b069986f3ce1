//! Product cards: the row shape every listing shares.

use super::*;
use crate::catalog::{SellerProductQuery, SellerProductRow, SellerSort};
use sqlx::FromRow;

/// Whether product `p` is sold out: no active variant has every SKU's units for one
/// purchase. A scalar subquery, so Postgres runs it for the rows it reads: as `NOT EXISTS`
/// it may hash the whole variant table once per query instead (200 ms at 100k products).
/// Cards select it; the "hide sold out" filter is its negation (`IN_STOCK`).
macro_rules! sold_out_sql {
    () => {
        "coalesce((SELECT false FROM product_variants v WHERE v.product_id = p.id AND v.is_active
            AND NOT EXISTS (SELECT 1 FROM sku_mappings m LEFT JOIN inventory i ON i.sku_id = m.sku_id
                WHERE m.variant_id = v.id AND coalesce(i.available, 0) < m.quantity)
            LIMIT 1), true)"
    };
}

/// The "hide sold out" filter: a product with something to sell.
pub(super) const IN_STOCK: &str = concat!("NOT ", sold_out_sql!());

/// The columns of a `CardRow`. The thumbnail is the primary image's, kept on the product row
/// by a trigger (migration `…07_primary_thumbnail`), so a card needs no lookup of its own.
pub(super) const CARD_COLUMNS: &str = concat!(
    "p.id, p.slug, p.name, p.price, p.original_price, p.discount_rate,
    s.business_name AS seller_name, p.rating_avg, p.review_count, p.status, p.created_at,
    p.primary_thumbnail_url AS thumbnail_url, ",
    sold_out_sql!(),
    " AS sold_out"
);

/// The columns of a `CardView`: what a grid shows, and no more.
pub(super) const VIEW_COLUMNS: &str = concat!(
    "p.slug, p.name, p.price, p.original_price, p.discount_rate,
    s.business_name AS seller_name, p.primary_thumbnail_url AS thumbnail_url, p.id, ",
    sold_out_sql!(),
    " AS sold_out"
);

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
    pub(super) sold_out: bool,
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
            sold_out: r.sold_out,
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

/// Rows per page of the seller's product table.
pub const SELLER_PAGE: i64 = 50;

/// (sort expression, direction, cursor cast) of the seller's table.
fn seller_sort(sort: SellerSort) -> (&'static str, &'static str, &'static str) {
    match sort {
        SellerSort::Newest => ("p.created_at", "DESC", "timestamptz"),
        SellerSort::Updated => ("p.updated_at", "DESC", "timestamptz"),
        SellerSort::Name => ("p.name", "ASC", "text"),
        SellerSort::PriceAsc => ("p.price", "ASC", "numeric"),
        SellerSort::PriceDesc => ("p.price", "DESC", "numeric"),
    }
}

/// The seller's products (not deleted), searched by name or SKU code, filtered by status,
/// sorted, one keyset page at a time; and how many match in all.
pub async fn seller_product_page(
    db: &PgPool,
    seller: SellerId,
    q: &SellerProductQuery,
    limit: i64,
) -> Result<(Page<SellerProductRow>, i64), CatalogError> {
    let pattern = q.q.as_deref().map(crate::catalog::search::like_pattern);
    let filters = |qb: &mut QueryBuilder<'_, Postgres>| {
        qb.push(" FROM products p WHERE p.deleted_at IS NULL AND p.seller_id = ");
        qb.push_bind(seller);
        if let Some(status) = q.status {
            qb.push(" AND p.status = ");
            qb.push_bind(status);
        }
        if let Some(pattern) = &pattern {
            qb.push(" AND (p.name ILIKE ");
            qb.push_bind(pattern.clone());
            qb.push(
                " OR EXISTS (SELECT 1 FROM product_variants v
                     JOIN sku_mappings m ON m.variant_id = v.id JOIN skus k ON k.id = m.sku_id
                     WHERE v.product_id = p.id AND k.code ILIKE ",
            );
            qb.push_bind(pattern.clone());
            qb.push("))");
        }
    };
    let mut count: QueryBuilder<Postgres> = QueryBuilder::new("SELECT count(*)");
    filters(&mut count);
    let total: i64 = count.build_query_scalar().fetch_one(db).await?;

    let (expr, dir, cast) = seller_sort(q.sort);
    let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(format!(
        "SELECT p.id, p.slug, p.name, p.price, p.status, p.updated_at,
            coalesce((SELECT string_agg(code, ', ' ORDER BY code) FROM (
                SELECT DISTINCT k.code FROM product_variants v JOIN sku_mappings m ON m.variant_id = v.id
                JOIN skus k ON k.id = m.sku_id WHERE v.product_id = p.id ORDER BY k.code LIMIT 3) c), '') AS codes,
            coalesce((SELECT sum(i.available) FROM inventory i WHERE i.sku_id IN (
                SELECT m.sku_id FROM product_variants v JOIN sku_mappings m ON m.variant_id = v.id
                WHERE v.product_id = p.id)), 0)::bigint AS available,
            {expr}::text AS sort_value"
    ));
    filters(&mut qb);
    if let Some(raw) = q.cursor.as_deref() {
        let (value, id) = raw
            .rsplit_once('~')
            .and_then(|(v, id)| Some((v.to_owned(), id.parse::<Uuid>().ok()?)))
            .ok_or_else(|| {
                CatalogError::Invalid(vec![FieldError::new("cursor", Msg::ErrBadCursor)])
            })?;
        let op = if dir == "DESC" { "<" } else { ">" };
        qb.push(format!(" AND ({expr}, p.id) {op} (CAST("));
        qb.push_bind(value);
        qb.push(format!(" AS {cast}), "));
        qb.push_bind(id);
        qb.push(")");
    }
    qb.push(format!(
        " ORDER BY {expr} {dir}, p.id {dir} LIMIT {}",
        limit + 1
    ));
    let rows = qb.build().fetch_all(db).await.map_err(|e| match e {
        // A hand-edited cursor whose value does not cast.
        sqlx::Error::Database(d)
            if d.code().as_deref() == Some("22007") || d.code().as_deref() == Some("22P02") =>
        {
            CatalogError::Invalid(vec![FieldError::new("cursor", Msg::ErrBadCursor)])
        }
        e => e.into(),
    })?;
    let limit = limit as usize;
    let next = match rows.get(limit) {
        Some(_) => {
            use sqlx::Row;
            let last = &rows[limit - 1];
            let value: String = last.try_get("sort_value")?;
            let id: Uuid = last.try_get("id")?;
            Some(format!("{value}~{id}"))
        }
        None => None,
    };
    let items = rows
        .iter()
        .take(limit)
        .map(SellerProductRow::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok((Page { items, next }, total))
}
