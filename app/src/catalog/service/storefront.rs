//! Storefront listings: filters, sorts and keyset pages.

use super::*;

pub(super) fn sort_sql(sort: Sort) -> (&'static str, &'static str, &'static str) {
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
///
/// A category filter covers the category and everything below it in `tree`, the active tree
/// (`category_tree_cached`): hidden categories and their products leave category listings.
pub async fn store_listing(
    db: &PgPool,
    tree: &[CategoryNode],
    f: &Filter,
    limit: i64,
) -> Result<Page<ProductCard>, CatalogError> {
    let page = listing::<CardRow>(db, tree, f, CARD_COLUMNS, limit).await?;
    Ok(Page {
        items: page.items.into_iter().map(Into::into).collect(),
        next: page.next,
    })
}

/// The same listing with only what a product grid shows: the storefront pages.
pub async fn store_cards(
    db: &PgPool,
    tree: &[CategoryNode],
    f: &Filter,
    limit: i64,
) -> Result<Page<CardView>, CatalogError> {
    listing::<CardView>(db, tree, f, VIEW_COLUMNS, limit).await
}

async fn listing<T>(
    db: &PgPool,
    tree: &[CategoryNode],
    f: &Filter,
    columns: &str,
    limit: i64,
) -> Result<Page<T>, CatalogError>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
{
    let (expr, dir, cast) = sort_sql(f.sort);
    let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(format!(
        "SELECT {columns}, p.id AS cursor_id, ({expr})::text AS sort_value FROM products p JOIN sellers s ON s.id = p.seller_id
         WHERE p.status = 'active' AND p.deleted_at IS NULL"
    ));
    if let Some(slug) = f.category.as_deref().filter(|s| !s.is_empty()) {
        // The subtree comes from the in-process tree: no recursive query per page view.
        let Some(ids) = subtree_ids(tree, slug) else {
            return Ok(Page {
                items: Vec::new(),
                next: None,
            });
        };
        qb.push(" AND EXISTS (SELECT 1 FROM product_categories pc WHERE pc.product_id = p.id AND pc.category_id = ANY(");
        qb.push_bind(ids);
        qb.push("))");
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
    // The limit is written into the SQL, not bound: with `LIMIT $n` Postgres cannot judge a
    // generic plan and re-plans the statement on every execution (~2 ms of CPU at 100k rows).
    qb.push(format!(
        " ORDER BY {expr} {dir}, p.id {dir} LIMIT {}",
        limit.clamp(1, 1000) + 1
    ));

    let mut rows: Vec<Listed<T>> = qb.build_query_as().fetch_all(db).await?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last()
            .map(|r| format!("{}~{}", r.sort_value, r.cursor_id))
    } else {
        None
    };
    Ok(Page {
        items: rows.into_iter().map(|r| r.item).collect(),
        next,
    })
}

/// A listed row: the item and its keyset position.
struct Listed<T> {
    item: T,
    cursor_id: Uuid,
    sort_value: String,
}

impl<'r, T: sqlx::FromRow<'r, sqlx::postgres::PgRow>> sqlx::FromRow<'r, sqlx::postgres::PgRow>
    for Listed<T>
{
    fn from_row(row: &'r sqlx::postgres::PgRow) -> sqlx::Result<Self> {
        use sqlx::Row;
        // `listing` selects these two last.
        let n = row.len();
        Ok(Listed {
            item: T::from_row(row)?,
            cursor_id: row.try_get(n - 2)?,
            sort_value: row.try_get(n - 1)?,
        })
    }
}

/// A storefront card from the columns of `VIEW_COLUMNS`, by position and without the type
/// checks of a lookup by name: this runs for every card of every listing page, and the
/// columns are fixed here (the storefront tests read every field back).
impl<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> for CardView {
    fn from_row(row: &'r sqlx::postgres::PgRow) -> sqlx::Result<Self> {
        use sqlx::Row;
        Ok(CardView {
            slug: row.try_get_unchecked(0)?,
            name: row.try_get_unchecked(1)?,
            price: row.try_get_unchecked(2)?,
            original_price: row.try_get_unchecked(3)?,
            discount_rate: row.try_get_unchecked(4)?,
            seller_name: row.try_get_unchecked(5)?,
            thumbnail_url: row.try_get_unchecked(6)?,
        })
    }
}
